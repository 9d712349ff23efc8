import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { identifier } from '../plan/nodes.js';
import { DEPLOY_DEFAULTS } from '../project/config.js';
import type { CreateTableStatement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement, quoteIdentifier, quoteString } from '../syntax/printer.js';
import { type DeployFailure, deployFailure } from './failure.js';

// One deploy at a time per target. ClickHouse has no compare-and-set, but DDL on one server is
// atomic: of several `CREATE TABLE lock` without IF NOT EXISTS, exactly one succeeds and the others
// get TABLE_ALREADY_EXISTS. The lock is that table; its rows say who holds it and until when
// (server time), and the holder extends the expiry while it works. A lock past its expiry is stale:
// it is renamed away (RENAME is atomic too: one of several contenders gets it), checked to be the
// stale one, dropped, and the contender then competes for a fresh lock like everyone else.

const TABLE_ALREADY_EXISTS = 57;
const UNKNOWN_TABLE = 60;
const UNKNOWN_IDENTIFIER = 47;
const UNKNOWN_DATABASE = 81;
export const LOCK_TABLE = 'deploy_lock';

/** How long the lock lasts without a refresh, how long to wait for a busy lock, how often to look. */
export interface LockOptions {
  /** Seconds a lock stays valid without a refresh (default 120); the holder refreshes it as it goes. */
  ttlSeconds?: number;
  /** Seconds to wait for a busy lock before failing (default 0: fail at once). */
  waitSeconds?: number;
  /** Milliseconds between looks at a busy lock (default 500). */
  pollMs?: number;
  /** Who deploys, as shown to a second deploy (default `user@host pid N`). */
  owner?: string;
}

export interface LockHolder {
  owner: string;
  /** Seconds until the lock expires (negative: stale). */
  expiresIn: number;
  /** Host name and process id of the holder, where it recorded them. */
  host?: string;
  pid?: number;
  /** Why a lock is taken over: it expired, or its holder is a process of this host that is gone. */
  reason?: 'expired' | 'holder-dead';
  /** The holder's statement still running on the server (`system.processes`), when a takeover waits for it. */
  runningQuery?: string;
}

export type LockEvent = { kind: 'lock-wait'; holder: LockHolder } | { kind: 'lock-takeover'; holder: LockHolder };

/** The `query_id` prefix of every statement a lock holder runs: a deploy taking the lock over looks for it in `system.processes`. */
export function queryIdPrefix(token: string): string {
  return `clickplan-${token}`;
}

/** A held lock. */
export class DeployLock {
  private refreshedAt = Date.now();
  private seq = 0;
  /** Found while a statement ran: another deploy took the lock over. */
  private lost: DeployFailure | undefined;

  constructor(
    private readonly target: Target,
    private readonly registry: string,
    readonly token: string,
    readonly owner: string,
    private readonly ttlSeconds: number,
  ) {
    this.table = `${quoteIdentifier(registry)}.${quoteIdentifier(LOCK_TABLE)}`;
  }

  private readonly table: string;

  /** Extends the expiry when a third of it has passed; fails when another deploy took the lock over meanwhile. */
  async keepAlive(): Promise<DeployFailure | undefined> {
    if (this.lost) return this.lost;
    if (Date.now() - this.refreshedAt < (this.ttlSeconds * 1000) / 3) return undefined;
    return this.refresh();
  }

  /** Extends the expiry now; fails when another deploy took the lock over meanwhile. */
  private async refresh(): Promise<DeployFailure | undefined> {
    const lost = await this.verify();
    if (lost) return lost;
    await writeHolder(this.target, this.table, this.token, this.owner, this.ttlSeconds, this.nextSeq());
    this.refreshedAt = Date.now();
    return undefined;
  }

  /**
   * Runs `work` (a statement) while extending the lock every third of its expiry, so that a
   * statement longer than the expiry does not let another deploy take the lock over. A takeover
   * seen meanwhile is returned by the next `keepAlive`.
   */
  async whileRunning<T>(work: () => Promise<T>): Promise<T> {
    const period = Math.max(50, (this.ttlSeconds * 1000) / 3);
    let refreshing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      refreshing = refreshing.then(async () => {
        if (this.lost) return;
        this.lost = await this.refresh().catch(() => undefined);
      });
    }, period);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await refreshing;
    }
  }

  /** Whether this deploy still holds the lock (another may have taken it over as stale). */
  async verify(): Promise<DeployFailure | undefined> {
    const holder = await readHolder(this.target, this.registry, LOCK_TABLE).catch(() => undefined);
    if (holder?.token === this.token) return undefined;
    return deployFailure({
      code: 'deploy-lock-lost',
      message: `The deploy lock was taken over by ${holder ? holder.owner : 'another deploy'} while this deploy held it: its expiry (${this.ttlSeconds} s) passed without a refresh.`,
      help: 'Run the deploy again once the other one is done; give a longer lock expiry (--lock-ttl) when single statements run longer than it.',
      state: 'The statements that ran before this point stay applied and recorded; nothing ran after the lock was lost.',
    });
  }

  /** Drops the lock table if this deploy still holds it. */
  async release(): Promise<void> {
    if (await this.verify()) return;
    await this.target.execute(`DROP TABLE IF EXISTS ${this.table}`);
  }

  /** The prefix of the `query_id` of every statement this holder runs. */
  get queryIdPrefix(): string {
    return queryIdPrefix(this.token);
  }

  private nextSeq(): number {
    this.seq = Math.max(this.seq + 1, Date.now() * 1000);
    return this.seq;
  }
}

/**
 * Takes the deploy lock of `registry` on the target, waiting up to `waitSeconds` for a busy one.
 * The registry database must exist. Returns the lock, or why it could not be had.
 */
export async function acquireLock(
  target: Target,
  registry: string,
  options: LockOptions = {},
  onEvent: (event: LockEvent) => void = () => {},
): Promise<DeployLock | DeployFailure> {
  const ttl = options.ttlSeconds ?? DEPLOY_DEFAULTS.lockTtl;
  const owner = options.owner ?? defaultOwner();
  const token = randomBytes(12).toString('hex');
  const table = `${quoteIdentifier(registry)}.${quoteIdentifier(LOCK_TABLE)}`;
  const deadline = Date.now() + (options.waitSeconds ?? DEPLOY_DEFAULTS.lockWait) * 1000;
  let announced = false;
  for (;;) {
    try {
      await target.execute(lockTableStatement(registry));
      await writeHolder(target, table, token, owner, ttl, Date.now() * 1000);
      return new DeployLock(target, registry, token, owner, ttl);
    } catch (error) {
      if (!(error instanceof TargetError) || error.code !== TABLE_ALREADY_EXISTS) throw error;
    }
    const holder = await readHolder(target, registry, LOCK_TABLE, ttl);
    const reason = holder ? takeoverReason(holder) : undefined;
    // A holder's statement that still runs on the server keeps the lock, expired or not.
    const running = holder && reason ? await runningQuery(target, holder.token) : undefined;
    if (holder && reason && !running) {
      onEvent({ kind: 'lock-takeover', holder: shown(holder, reason) });
      await takeOver(target, registry, table, holder.token, token);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = !holder
        ? 'another deploy, which is starting'
        : running
          ? `${holder.owner}, whose statement (query_id ${running}) still runs on the server although ${reason === 'holder-dead' ? 'the process is gone' : 'the lock expired'}`
          : `${holder.owner}; it expires in ${holder.expiresIn} s unless refreshed`;
      return deployFailure({
        code: 'deploy-locked',
        message: `Another deploy holds the lock of ${target.description}: ${who}.`,
        help: running
          ? 'Wait for the statement to finish (--lock-wait <seconds>), or stop it on the server (KILL QUERY WHERE query_id = ...) and deploy again.'
          : 'Wait for it to finish, or wait for it with --lock-wait <seconds>. A lock whose holder died is taken over once it expires (at once when it was a process of this host); clickplan unlock releases it.',
        state: 'Nothing ran.',
      });
    }
    if (holder && !announced) {
      announced = true;
      onEvent({ kind: 'lock-wait', holder: { ...shown(holder), ...(running ? { runningQuery: running } : {}) } });
    }
    await sleep(options.pollMs ?? 500);
  }
}

/**
 * Releases a lock whatever its holder (clickplan unlock): only the lock of `token` that the person
 * was shown, never a lock another deploy took meanwhile. Returns whether it was released.
 */
export async function breakLock(target: Target, registry: string, token: string): Promise<boolean> {
  const table = `${quoteIdentifier(registry)}.${quoteIdentifier(LOCK_TABLE)}`;
  await takeOver(target, registry, table, token, randomBytes(12).toString('hex'));
  const now = await readHolder(target, registry);
  return now?.token !== token;
}

/** `CREATE TABLE <registry>.deploy_lock (...)` without IF NOT EXISTS: the mutex. */
export function lockTableStatement(registry: string): string {
  const [statement] = parseSql(
    'CREATE TABLE registry.deploy_lock (token String, owner String, host String, pid UInt32, acquired_at UInt32, expires_at UInt32, seq UInt64) ENGINE = MergeTree() ORDER BY seq',
  ).statements as CreateTableStatement[];
  return printStatement({ ...statement, name: { ...statement.name, database: identifier(registry) } });
}

export interface Holder extends LockHolder {
  token: string;
}

function shown(holder: Holder, reason?: LockHolder['reason']): LockHolder {
  return {
    owner: holder.owner,
    expiresIn: holder.expiresIn,
    ...(holder.host ? { host: holder.host } : {}),
    ...(holder.pid ? { pid: holder.pid } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** Why the lock may be taken over: it expired, or its holder ran on this host and its process is gone. */
function takeoverReason(holder: Holder): LockHolder['reason'] {
  if (holder.expiresIn < 0) return 'expired';
  if (holder.host === hostname() && holder.pid && holder.pid !== process.pid && !isProcessAlive(holder.pid)) return 'holder-dead';
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The query_id of a statement the lock's holder still runs on the server, if any (`system.processes`). */
export async function runningQuery(target: Target, token: string): Promise<string | undefined> {
  if (!token) return undefined;
  const rows = await target
    .query<{ query_id: string }>(`SELECT query_id FROM system.processes WHERE startsWith(query_id, ${quoteString(`${queryIdPrefix(token)}-`)}) LIMIT 1`)
    .catch(() => []);
  return rows[0]?.query_id;
}

async function writeHolder(target: Target, table: string, token: string, owner: string, ttl: number, seq: number): Promise<void> {
  await target.execute(
    `INSERT INTO ${table} (token, owner, host, pid, acquired_at, expires_at, seq) SELECT ${quoteString(token)}, ${quoteString(owner)}, ${quoteString(hostname())}, ${process.pid}, toUInt32(now()), toUInt32(now()) + ${ttl}, ${seq}`,
  );
}

/**
 * Who holds the lock. A lock table without rows belongs to a deploy between its CREATE and its
 * first row, or to one that died right there: its age (the table's metadata time) decides.
 */
export async function readHolder(target: Target, registry: string, name = LOCK_TABLE, ttl = 0): Promise<Holder | undefined> {
  const table = `${quoteIdentifier(registry)}.${quoteIdentifier(name)}`;
  let rows: Record<string, string>[];
  const columns = 'argMax(token, seq) AS token, argMax(owner, seq) AS owner, max(expires_at) AS expires_at, toUInt32(now()) AS now, count() AS n';
  try {
    rows = await target.query<Record<string, string>>(`SELECT ${columns}, argMax(host, seq) AS host, argMax(pid, seq) AS pid FROM ${table}`);
  } catch (error) {
    // No lock table, or no registry database yet: nobody holds the lock.
    if (error instanceof TargetError && (error.code === UNKNOWN_TABLE || error.code === UNKNOWN_DATABASE)) return undefined;
    if (!(error instanceof TargetError) || error.code !== UNKNOWN_IDENTIFIER) throw error;
    // A lock taken by a version of ClickPlan that did not record host and pid.
    rows = await target.query<Record<string, string>>(`SELECT ${columns} FROM ${table}`);
  }
  const row = rows[0];
  if (row && Number(row.n) > 0)
    return {
      token: row.token,
      owner: row.owner,
      expiresIn: Number(row.expires_at) - Number(row.now),
      ...(row.host ? { host: row.host } : {}),
      ...(Number(row.pid) > 0 ? { pid: Number(row.pid) } : {}),
    };
  const age = await target.query<Record<string, string>>(
    `SELECT toUInt32(now()) - toUInt32(metadata_modification_time) AS age FROM system.tables WHERE database = ${quoteString(registry)} AND name = ${quoteString(name)}`,
  );
  if (!age[0]) return undefined;
  return { token: '', owner: 'a deploy that had not written its name yet', expiresIn: ttl - Number(age[0].age) };
}

/** Moves a stale lock out of the way; if what was moved is not the stale lock seen (another contender was quicker), moves it back. */
async function takeOver(target: Target, registry: string, table: string, staleToken: string, token: string): Promise<void> {
  const asideName = `${LOCK_TABLE}_stale_${token}`;
  const aside = `${quoteIdentifier(registry)}.${quoteIdentifier(asideName)}`;
  try {
    await target.execute(`RENAME TABLE ${table} TO ${aside}`);
  } catch (error) {
    if (error instanceof TargetError && error.code === UNKNOWN_TABLE) return; // another contender moved it first
    throw error;
  }
  const moved = await readHolder(target, registry, asideName);
  if (moved && moved.token !== staleToken) {
    // A fresh lock: put it back. If a third deploy created a lock meanwhile, the holder of the moved one
    // finds out at its next check (deploy-lock-lost) and stops.
    await target.execute(`RENAME TABLE ${aside} TO ${table}`).catch(() => undefined);
    return;
  }
  await target.execute(`DROP TABLE IF EXISTS ${aside}`);
}

function defaultOwner(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): the host and pid still tell deploys apart
  }
  const ci = process.env.GITHUB_RUN_ID ? ` (GitHub Actions run ${process.env.GITHUB_RUN_ID})` : '';
  return `${user}@${hostname()} pid ${process.pid}${ci}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
