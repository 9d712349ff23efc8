import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Random } from '../bench/random.js';
import { acquireLock, DeployLock, type LockEvent } from '../packages/core/src/deploy/lock.js';
import { Registry } from '../packages/core/src/deploy/registry.js';
import { openTarget } from '../packages/core/src/live/target.js';
import type { Target } from '../packages/core/src/live/types.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouseServer.js';
import { deploy, FailingTarget, writeFiles, writeRepo } from './support/deploy.js';

// `clickplan apply` as a user runs it, one process per deploy, against Debian's ClickHouse 18.16
// over HTTP: a real server with real concurrency between processes, and processes killed with SIGKILL.

const root = new URL('..', import.meta.url).pathname;
const PASSWORD = 'deploy-Pw#7-never-shown';
let server: ClickHouseServer;
let target: Target;

beforeAll(async () => {
  server = await startClickHouseServer({ password: PASSWORD });
  target = await openTarget(server.url, { user: 'default', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await target?.close();
  await server?.stop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `onLine` sees each stdout line as it comes (to kill the process at a chosen point). */
function start(args: string[], onLine: (line: string, child: ChildProcess) => void = () => {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}packages/cli/src/main.ts`, ...args, '--target', server.url], {
    cwd: root,
    env: { ...process.env, CLICKHOUSE_URL: '', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: PASSWORD, CI: 'true' },
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line, child);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const clickplan = (args: string[]) => start(args).done;
const rows = (sql: string) => target.query<Record<string, string>>(sql);

function repo(database: string, registry: string, files: Record<string, string>): string {
  return writeRepo({ 'clickplan.yaml': `layout: flyway\ndatabase: ${database}\nregistry: ${registry}\n`, ...files });
}

describe('clickplan apply on ClickHouse 18.16', () => {
  it('applies, re-applies nothing, refuses an edited migration before running anything; the password never shows', async () => {
    const dir = repo('srv', 'reg_srv', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS srv;\n',
      'migrations/V2__events.sql': 'CREATE TABLE events (d Date, id UInt64) ENGINE = MergeTree ORDER BY id;\nALTER TABLE events ADD COLUMN name String;\n',
    });
    const first = await clickplan(['apply', dir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /\[1\/3\] .*V1__database\.sql statement 1\/1\n\[2\/3\] .*V2__events\.sql statement 1\/2\n\[3\/3\] .*V2__events\.sql statement 2\/2\n/,
    );
    expect(first.stdout).toMatch(/Applied 3 statements of 2 migration files; planning again finds nothing to do\.\n$/);

    const again = await clickplan(['apply', dir, '--format', 'json']);
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json).toMatchObject({ version: 2, mode: 'versioned', statements_run: 0, verification: { verified: true, remaining_steps: [] } });
    expect(json.migrations.map((m: { status: string }) => m.status)).toEqual(['already-applied', 'already-applied']);

    writeFiles(dir, {
      'migrations/V2__events.sql': 'CREATE TABLE events (d Date, id UInt64) ENGINE = MergeTree ORDER BY id;\nALTER TABLE events ADD COLUMN title String;\n',
      'migrations/V3__more.sql': 'CREATE TABLE more (d Date) ENGINE = MergeTree ORDER BY d;\n',
    });
    const edited = await clickplan(['apply', dir]);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(
      /error migration-checksum-changed: .*V2__events\.sql was applied on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d with checksum [0-9a-f]{64}, and the file now has checksum [0-9a-f]{64}/,
    );
    expect(edited.stderr).toContain('state: Nothing ran: the deploy checks every checksum before the first statement.');
    expect(await rows("SELECT count() AS n FROM system.tables WHERE database = 'srv' AND name = 'more'")).toEqual([{ n: '0' }]);
    for (const run of [first, again, edited]) expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('two deploys at once: exactly one proceeds, the other fails clearly or waits with --lock-wait', async () => {
    const dir = repo('conc', 'reg_conc', {
      // Holds the lock for 12 s (ClickHouse sleeps at most 3 s a call), time for two more processes to start on a busy machine.
      'migrations/V1__slow.sql':
        'CREATE DATABASE IF NOT EXISTS conc;\nSELECT sleep(3);\nSELECT sleep(3);\nSELECT sleep(3);\nSELECT sleep(3);\nCREATE TABLE conc.t (d Date) ENGINE = MergeTree ORDER BY d;\n',
    });
    let started!: () => void;
    const holding = new Promise<void>((resolve) => {
      started = resolve;
    });
    const a = start(['apply', dir], (line) => {
      if (line.includes('statement 2/6')) started();
    });
    await holding;
    const [b, c] = await Promise.all([clickplan(['apply', dir]), clickplan(['apply', dir, '--lock-wait', '30'])]);
    const first = await a.done;
    expect(first.code).toBe(0);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(
      /^clickplan apply: Another deploy holds the lock of http:\/\/127\.0\.0\.1:\d+ as default: .* pid \d+; it expires in \d+ s unless refreshed\.\n/,
    );
    expect(b.stderr).toContain('  state: Nothing ran.\n');
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^waiting for the deploy lock held by .* pid \d+/m);
    expect(c.stdout).toContain('Applied 0 statements of 0 migration files (1 already applied)');
    expect(await rows('SELECT count() AS n FROM reg_conc.statements')).toEqual([{ n: '6' }]);
  });

  it('the lock is refreshed while a statement runs: no deploy takes it over mid-statement (issue 18.2)', async () => {
    const dir = repo('lost', 'reg_lost', {
      'migrations/V1__slow.sql': 'CREATE DATABASE IF NOT EXISTS lost;\nSELECT sleep(3);\nCREATE TABLE lost.t (d Date) ENGINE = MergeTree ORDER BY d;\n',
    });
    const other = await openTarget(server.url, { user: 'default', password: PASSWORD });
    let intruder: Promise<unknown> | undefined;
    const report = await deploy(dir, target, {
      lock: { ttlSeconds: 1, owner: 'slow deploy' },
      onEvent: (event) => {
        // Statement 2 sleeps three times the lock's expiry; another deploy tries to take the lock meanwhile.
        if (event.kind === 'statement' && event.detail === 'statement 2/3')
          intruder = new Promise((resolve) => setTimeout(resolve, 2200)).then(() => acquireLock(other, 'reg_lost', { owner: 'intruder' }));
      },
    });
    expect(await intruder).toMatchObject({ code: 'deploy-locked', message: expect.stringContaining(': slow deploy; it expires in ') });
    expect(report.failure).toBeUndefined();
    expect(await rows("SELECT count() AS n FROM system.tables WHERE database = 'lost' AND name = 't'")).toEqual([{ n: '1' }]);
    // Every statement ran with a query_id the registry knows: the lock's token and a number.
    expect(await rows('SELECT ordinal, query_id FROM reg_lost.statements ORDER BY ordinal')).toEqual(
      [0, 1, 2].map((ordinal) => ({ ordinal, query_id: expect.stringMatching(new RegExp(`^clickplan-[0-9a-f]{24}-${ordinal + 1}$`)) })),
    );
    const [prefix] = await rows("SELECT DISTINCT query_id_prefix AS p FROM reg_lost.deploys WHERE status = 'started'");
    expect((await rows('SELECT query_id FROM reg_lost.statements WHERE ordinal = 0'))[0]?.query_id).toBe(`${prefix?.p}-1`);
    await other.close();
  });

  it("a deploy taking over an expired lock waits while the holder's statement still runs (system.processes)", async () => {
    await new Registry(target, 'reg_proc', { id: 't', by: 't' }).ensure();
    const holder = await acquireLock(target, 'reg_proc', { owner: 'stuck deploy', ttlSeconds: 1 });
    if (!(holder instanceof DeployLock)) throw new Error('no lock');
    const other = await openTarget(server.url, { user: 'default', password: PASSWORD });
    // The holder's statement runs on and the holder no longer refreshes the lock (its process hangs).
    // 6 s: ClickHouse sleeps at most 3 s a call, once per block of one row.
    const statement = other.execute('SELECT sleep(3) FROM numbers(2) SETTINGS max_block_size = 1', { queryId: `${holder.queryIdPrefix}-7` });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const refused = await acquireLock(target, 'reg_proc', { owner: 'next' });
    expect(refused).toMatchObject({
      code: 'deploy-locked',
      message: expect.stringContaining(
        `: stuck deploy, whose statement (query_id ${holder.queryIdPrefix}-7) still runs on the server although the lock expired.`,
      ),
    });
    const events: LockEvent[] = [];
    const next = await acquireLock(target, 'reg_proc', { owner: 'next', waitSeconds: 20, pollMs: 100 }, (e) => events.push(e));
    await statement;
    expect(next).toBeInstanceOf(DeployLock);
    expect(events.map((e) => [e.kind, e.holder.runningQuery ?? '', e.holder.reason ?? ''])).toEqual([
      ['lock-wait', `${holder.queryIdPrefix}-7`, ''],
      ['lock-takeover', '', 'expired'],
    ]);
    await (next as DeployLock).release();
    await other.close();
  });

  it('the first Ctrl-C lets the running statement finish, records it, releases the lock and says where it stopped (issue 18.9)', async () => {
    const dir = repo('sigint', 'reg_sigint', {
      'migrations/V1__slow.sql':
        'CREATE DATABASE IF NOT EXISTS sigint;\nSELECT sleep(2);\nCREATE TABLE sigint.t (d Date) ENGINE = MergeTree ORDER BY d;\nCREATE TABLE sigint.u (d Date) ENGINE = MergeTree ORDER BY d;\n',
    });
    const interrupted = start(['apply', dir, '--progress', 'lines'], (line, child) => {
      if (line.includes('statement 2/4')) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const run = await interrupted.done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('clickplan apply: stopping after the running statement (Ctrl-C again aborts at once).\n');
    expect(run.stderr).toMatch(/clickplan apply: Stopped by an interrupt before statement 3 of .*V1__slow\.sql\.\n/);
    expect(run.stderr).toMatch(
      /state: statements 1-2 of .*V1__slow\.sql ran and are recorded; the next deploy resumes at statement 3\. The lock was released\.\n/,
    );
    expect(
      await rows("SELECT name FROM system.tables WHERE database IN ('sigint', 'reg_sigint') AND (name LIKE 'deploy_lock%' OR name IN ('t', 'u'))"),
    ).toEqual([]);
    const again = await clickplan(['apply', dir]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain('Applied 2 statements of 1 migration file');
  }, 180_000);

  it('clickplan unlock shows the holder, wants --yes without a terminal, and releases the lock', async () => {
    const dir = repo('unl', 'reg_unl', { 'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS unl;\n' });
    await new Registry(target, 'reg_unl', { id: 't', by: 't' }).ensure();
    const held = await acquireLock(target, 'reg_unl', { owner: 'ci@runner-7 pid 4242' });
    expect(held).toBeInstanceOf(DeployLock);
    const refused = await clickplan(['unlock', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(
      new RegExp(
        `^The deploy lock of http://127\\.0\\.0\\.1:\\d+ as default \\(registry reg_unl\\) is held by ci@runner-7 pid 4242 on ${hostname()} pid ${process.pid}; it expires in \\d+ s unless refreshed\\.\n$`,
      ),
    );
    expect(refused.stderr).toBe('clickplan unlock: not released: give --yes to release it (there is no terminal to ask on).\n');
    const released = await clickplan(['unlock', dir, '--yes']);
    expect([released.code, released.stdout.split('\n').at(-2)]).toEqual([0, 'Released.']);
    expect(await rows("SELECT name FROM system.tables WHERE database = 'reg_unl' AND name LIKE 'deploy_lock%'")).toEqual([]);
    expect((await clickplan(['unlock', dir])).stdout).toMatch(/^No deploy holds the lock of .* \(registry reg_unl\)\.\n$/);
    // A registry database that does not exist yet holds no lock either.
    expect((await clickplan(['unlock', dir, '--registry', 'reg_nowhere'])).stdout).toMatch(/^No deploy holds the lock of .* \(registry reg_nowhere\)\.\n$/);
  }, 180_000);

  it('on 18.16: a mutation that ran before the deploy died is found in system.mutations; an INSERT stops; a fast client clock does not reorder the registry', async () => {
    const dir = repo('mut', 'reg_mut', {
      'migrations/V1__setup.sql':
        'CREATE DATABASE IF NOT EXISTS mut;\nCREATE TABLE mut.t (d Date, id UInt64, n UInt64) ENGINE = MergeTree ORDER BY id;\nINSERT INTO mut.t SELECT today(), number, 1 FROM system.numbers LIMIT 100;\n',
      'migrations/V2__bump.sql': 'ALTER TABLE mut.t UPDATE n = n + 1 WHERE id < 10;\nALTER TABLE mut.t DELETE WHERE nosuch >= 90;\n',
    });
    // A client an hour fast deploys first and stops half way in V2: its rows must not outrank the ones written after it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000);
    try {
      expect((await deploy(dir, target)).failure?.code).toBe('deploy-statement-failed');
    } finally {
      vi.useRealTimers();
    }
    writeFiles(dir, { 'migrations/V2__bump.sql': 'ALTER TABLE mut.t UPDATE n = n + 1 WHERE id < 10;\nALTER TABLE mut.t DELETE WHERE id >= 90;\n' });
    expect((await deploy(dir, target)).migrations.map((m) => [m.status, m.resumedAt])).toEqual([
      ['already-applied', undefined],
      ['applied', 2],
    ]);
    writeFiles(dir, {
      'migrations/V3__more.sql':
        'ALTER TABLE mut.t UPDATE n = n + 10 WHERE id = 0;\nALTER TABLE mut.t DELETE WHERE id = 1;\nINSERT INTO mut.t SELECT today(), 1000 + number, 1 FROM system.numbers LIMIT 5;\n',
    });
    const dying = new FailingTarget(target);
    dying.injections.push({ match: /^ALTER TABLE mut\.t DELETE WHERE id = 1/, times: 1, crash: true, afterRunning: true });
    await expect(deploy(dir, dying)).rejects.toThrow(/injected crash/);
    const again = await deploy(dir, target);
    expect(again.failure).toBeUndefined();
    expect(again.notes).toContainEqual(
      expect.stringMatching(
        /^Statement 2 of .*V3__more\.sql had run when the previous deploy stopped: mut\.t has its mutation mutation_\d+\.txt; it counts as done\.$/,
      ),
    );
    expect(await rows('SELECT sum(n) AS s, count() AS c FROM mut.t')).toEqual([{ s: '113', c: '94' }]);
    // An INSERT has no token on 18.16: a deploy that died right after it stops instead of running it again.
    writeFiles(dir, { 'migrations/V4__fill.sql': 'INSERT INTO mut.t SELECT today(), 2000 + number, 1 FROM system.numbers LIMIT 5;\n' });
    const dyingAgain = new FailingTarget(target);
    dyingAgain.injections.push({ match: /^INSERT INTO mut\.t SELECT today\(\), 2000/, times: 1, crash: true, afterRunning: true });
    await expect(deploy(dir, dyingAgain)).rejects.toThrow(/injected crash/);
    const stopped = await deploy(dir, target);
    expect(stopped.failure?.message).toMatch(
      /running the INSERT again would add its rows twice: http:\/\/127\.0\.0\.1:\d+ as default has no insert_deduplication_token \(ClickHouse before 22\.2\)\.$/,
    );
    expect(await rows('SELECT count() AS c FROM mut.t')).toEqual([{ c: '99' }]);
    // The registry reads right after the fast client: every migration applied but the one waiting for repair.
    expect(await rows('SELECT migration, argMax(status, seq) AS status FROM reg_mut.migrations GROUP BY migration ORDER BY migration')).toEqual([
      { migration: '/global/V1', status: 'applied' },
      { migration: '/global/V2', status: 'applied' },
      { migration: '/global/V3', status: 'applied' },
      { migration: '/global/V4', status: 'running' },
    ]);
  });

  it('dry run on a server without EXPLAIN checks with the parser and says so', async () => {
    const dir = repo('dry_srv', 'reg_dry_srv', { 'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS dry_srv;\n' });
    const dry = await clickplan(['apply', dir, '--dry-run', '--format', 'json']);
    expect(dry.code).toBe(0);
    const json = JSON.parse(dry.stdout);
    expect(json.notes).toEqual([expect.stringMatching(/cannot EXPLAIN \(ClickHouse before 20\.x\): statements were checked by ClickPlan's parser only\.$/)]);
    expect(json.migrations).toEqual([expect.objectContaining({ status: 'validated', ran: 1 })]);
    expect(await rows("SELECT name FROM system.databases WHERE name IN ('dry_srv', 'reg_dry_srv')")).toEqual([]);
  });

  it('a deploy killed (SIGKILL) at random points of each statement converges when run again: every row once, none lost (issue 18.1)', async () => {
    const later = {
      'migrations/V2__a.sql':
        'CREATE TABLE crash.a (d Date, x UInt64) ENGINE = MergeTree ORDER BY x;\nINSERT INTO crash.a SELECT today(), number FROM system.numbers LIMIT 500;\nALTER TABLE crash.keep ADD COLUMN note String;\n',
      'migrations/V3__b.sql': 'CREATE TABLE crash.b (d Date) ENGINE = MergeTree ORDER BY d;\nALTER TABLE crash.a ADD COLUMN y UInt8;\n',
      'migrations/V4__rename.sql':
        "RENAME TABLE crash.b TO crash.c;\nINSERT INTO crash.keep (d, id) SELECT toDate('2024-01-02'), number + 1000 FROM system.numbers LIMIT 500;\n",
    };
    const total = 7;
    // Kill points: at the start of each statement plus a random delay (0-150 ms), so a kill lands
    // before, while or right after a statement runs. The seed is in every failure message: run again
    // with KILL_SEED=<seed> to reproduce it, then keep it as a regression case.
    const seed = Number(process.env.KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = new Random(seed);
    const delays = Array.from({ length: total }, () => random.int(0, 149));
    for (let boundary = 1; boundary <= total; boundary++) {
      const at = `${boundary} (KILL_SEED=${seed}, +${delays[boundary - 1]} ms)`;
      const registry = `reg_crash${boundary}`;
      await target.execute('DROP DATABASE IF EXISTS crash');
      const dir = repo('crash', registry, {
        'migrations/V1__keep.sql': 'CREATE DATABASE IF NOT EXISTS crash;\nCREATE TABLE crash.keep (d Date, id UInt64) ENGINE = MergeTree ORDER BY id;\n',
      });
      expect((await deploy(dir, target)).failure).toBeUndefined();
      await target.execute("INSERT INTO crash.keep SELECT toDate('2024-01-01'), number FROM system.numbers LIMIT 1000");
      writeFiles(dir, later);
      // The killed deploy leaves its lock behind: its process is gone, so the next deploy on this host takes it over at once.
      const killed = start(['apply', dir, '--progress', 'lines'], (line, child) => {
        if (line.startsWith(`[${boundary}/${total}]`)) setTimeout(() => child.kill('SIGKILL'), delays[boundary - 1]);
      });
      const run = await killed.done;
      expect(`${run.code} ${run.stderr}`, at).toMatch(/^(null |0 )$/);
      let rerun = await clickplan(['apply', dir, '--lock-wait', '10']);
      if (rerun.code === 2 && rerun.stderr.includes('clickplan repair')) {
        // ClickHouse 18.16 cannot deduplicate an INSERT: the deploy stopped before running it again.
        // What a person does: look at the rows, record what they saw. Only an INSERT can stop it.
        const statement = /^ {2}statement: (.*)$/m.exec(rerun.stderr)?.[1] ?? rerun.stderr;
        expect(statement).toMatch(/^INSERT INTO crash\.(a|keep) /);
        const table = statement.startsWith('INSERT INTO crash.a ') ? 'crash.a' : 'crash.keep';
        const expected = table === 'crash.a' ? 500 : 1500;
        const n = Number((await rows(`SELECT count() AS n FROM ${table}`))[0]?.n);
        const resolution = n === expected ? 'applied' : 'not-applied';
        const repaired = await clickplan(['repair', dir, '--resolve', resolution, '--reason', `${table} has ${n} rows`]);
        expect(`${at}: ${repaired.code} ${repaired.stderr}`).toBe(`${at}: 0 `);
        rerun = await clickplan(['apply', dir, '--lock-wait', '10']);
      }
      expect(`${at}: ${rerun.stderr}`).toBe(`${at}: `);
      expect(rerun.code, at).toBe(0);
      // Every row exactly once: none duplicated, none lost.
      expect(await rows('SELECT count() AS n, uniqExact(id) AS u FROM crash.keep'), at).toEqual([{ n: '1500', u: '1500' }]);
      expect(await rows('SELECT count() AS n, uniqExact(x) AS u FROM crash.a'), at).toEqual([{ n: '500', u: '500' }]);
      expect(await rows("SELECT name FROM system.tables WHERE database = 'crash' ORDER BY name"), at).toEqual([{ name: 'a' }, { name: 'c' }, { name: 'keep' }]);
      expect(await rows("SELECT name FROM system.columns WHERE database = 'crash' AND name IN ('y', 'note') ORDER BY name"), at).toEqual([
        { name: 'note' },
        { name: 'y' },
      ]);
      // The registry matches reality: every migration applied, every statement recorded.
      expect(await rows(`SELECT migration, argMax(status, seq) AS status FROM ${registry}.migrations GROUP BY migration ORDER BY migration`), at).toEqual(
        ['V1', 'V2', 'V3', 'V4'].map((v) => ({ migration: `/global/${v}`, status: 'applied' })),
      );
      const recorded = await rows(`SELECT migration, ordinal FROM ${registry}.statements GROUP BY migration, ordinal ORDER BY migration, ordinal`);
      expect(`${at}: ${recorded.map((r) => `${r.migration}#${r.ordinal}`).join(' ')}`).toBe(
        `${at}: /global/V1#0 /global/V1#1 /global/V2#0 /global/V2#1 /global/V2#2 /global/V3#0 /global/V3#1 /global/V4#0 /global/V4#1`,
      );
      expect((await deploy(dir, target)).statementsRun).toBe(0);
    }
  }, 600_000);
});
