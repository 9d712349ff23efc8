import { randomBytes } from 'node:crypto';
import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { identifier } from '../plan/nodes.js';
import type { CreateDatabaseStatement, CreateTableStatement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement, quoteIdentifier, quoteString } from '../syntax/printer.js';
import { maskSql } from '../syntax/secrets.js';

// The deploy registry: tables in a ClickHouse database of their own (`registry:` in clickplan.yaml,
// `clickplan` by default) that say what this repository has done to the target. Append-only: every
// change of state is a new row and the latest row (by `seq`) wins, because ClickHouse has no
// transactional UPDATE and a row that is never rewritten cannot be half written.
//
// - `migrations`: one row per state change of a migration file (running, applied, failed) with its checksum;
// - `statements`: one row per statement of a migration once it ran, with the hash of its text, so a
//   file that failed half way resumes at the statement after the last one recorded;
// - `objects`: the canonical hash and definition of each object a declarative deploy left converged;
// - `deploys`: a row when a deploy starts and one when it ends. A deploy whose last row says
//   `started` died (or lost the lock): statements it ran may be unrecorded (see migrations.ts).
// - `object_secrets`: a keyed fingerprint of the secrets of each object a declarative deploy created
//   or changed (secretFingerprints.ts), with `secrets_key` the registry's key for it: a changed
//   password deploys although both sides show it as `[HIDDEN]`.
// - `repairs`: what a person decided outside a deploy (`baseline`, `repair`), with the reason, who and when.

/**
 * The registry's tables, as templates in database `registry`. The Log engine: appends go to the
 * end of a file, with no parts to merge, so a row per statement costs what an append costs (a
 * MergeTree table makes one part per insert, and ClickHouse delays inserts once a table has more
 * than `parts_to_delay_insert` of them). One deploy writes at a time (the lock); ClickHouse 18.16
 * and current servers alike have it.
 */
const TABLES = [
  `CREATE TABLE IF NOT EXISTS registry.migrations (
    migration String, tenant String, phase String, version String, description String, kind String, file String,
    checksum String, run UInt64, statements UInt32, applied_statements UInt32, status String, error String,
    deploy_id String, deployed_by String, at DateTime, seq UInt64
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.statements (
    migration String, run UInt64, ordinal UInt32, statement_hash String, statement String, checksum String,
    deploy_id String, at DateTime, seq UInt64, query_id String
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.objects (
    object String, object_kind String, hash String, definition String, status String, deploy_id String, at DateTime, seq UInt64
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.deploys (
    deploy_id String, deployed_by String, status String, at DateTime, seq UInt64, query_id_prefix String
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.object_secrets (
    object String, fingerprint String, deploy_id String, at DateTime, seq UInt64
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.secrets_key (
    key String, at DateTime, seq UInt64
  ) ENGINE = Log`,
  `CREATE TABLE IF NOT EXISTS registry.repairs (
    migration String, action String, old_checksum String, new_checksum String, reason String,
    deploy_id String, deployed_by String, at DateTime, seq UInt64, ordinal UInt32
  ) ENGINE = Log`,
];

/**
 * Columns added to registry tables after their first release. Log tables cannot ALTER ADD COLUMN
 * (code 48): `upgrade` copies such a table into one of the current shape, under the deploy lock.
 * Until then (and for commands that do not upgrade) rows are written without the missing columns.
 */
const ADDED_COLUMNS: { table: string; column: string }[] = [
  { table: 'statements', column: 'query_id' },
  { table: 'deploys', column: 'query_id_prefix' },
  { table: 'repairs', column: 'ordinal' },
];

/** The statements that create the registry (idempotent), printed by the one SQL printer. */
export function registryStatements(database: string): string[] {
  const [createDatabase] = parseSql('CREATE DATABASE IF NOT EXISTS registry').statements as CreateDatabaseStatement[];
  const statements = [printStatement({ ...createDatabase, name: identifier(database) })];
  for (const template of TABLES) {
    const [table] = parseSql(template).statements as CreateTableStatement[];
    statements.push(printStatement({ ...table, name: { ...table.name, database: identifier(database) } }));
  }
  return statements;
}

/** The current CREATE TABLE of one registry table, under another name when given. */
function registryTableStatement(database: string, table: string, as = table): string {
  for (const template of TABLES) {
    const [statement] = parseSql(template).statements as CreateTableStatement[];
    if (statement.name.name.name === table)
      return printStatement({ ...statement, ifNotExists: false, name: { ...statement.name, database: identifier(database), name: identifier(as) } });
  }
  throw new Error(`no registry table ${table}`);
}

/** A migration's latest state in the registry. */
export interface RegistryMigration {
  migration: string;
  file: string;
  checksum: string;
  status: 'running' | 'applied' | 'failed';
  /** The run the recorded statements belong to (a repeatable migration starts a new run when it changes). */
  run: number;
  statements: number;
  error: string;
  deployId: string;
  deployedBy: string;
  /** Server time of the latest row, `YYYY-MM-DD hh:mm:ss`. */
  at: string;
}

/** One statement of a migration run that the registry records as done. */
export interface RegistryStatement {
  ordinal: number;
  hash: string;
  /** Server time its row was written, `YYYY-MM-DD hh:mm:ss`. */
  at: string;
}

/** An object a declarative deploy left as the repository defines it. */
export interface RegistryObject {
  object: string;
  kind: string;
  hash: string;
  /** The CREATE statement printed from the repository's definition. */
  definition: string;
  status: 'present' | 'dropped';
}

export interface RegistryState {
  /** Whether the registry database and tables exist yet. */
  exists: boolean;
  migrations: Map<string, RegistryMigration>;
  /** Statements done, by migration and run: `${migration}\u0000${run}`. */
  statements: Map<string, RegistryStatement[]>;
  objects: Map<string, RegistryObject>;
  /** The secrets fingerprint of each object by id, as a declarative deploy last recorded it. */
  secrets?: Map<string, string>;
  /** The registry's key for secrets fingerprints (never printed); absent until a deploy creates it. */
  secretsKey?: string;
  /** The last deploy, when it started and never finished: it died, or lost the lock. */
  interrupted?: { deployId: string; deployedBy: string; at: string };
}

/** A row of the migrations table: a migration's new state. */
export interface MigrationRow {
  migration: string;
  tenant?: string;
  phase: string;
  version?: string;
  description: string;
  kind: string;
  file: string;
  checksum: string;
  run: number;
  statements: number;
  applied: number;
  status: RegistryMigration['status'];
  error?: string;
}

/** A row of the statements table: statement `ordinal` of a migration run is done. `statement` has its secrets masked. */
export interface StatementRow {
  /** The `query_id` the statement ran with (empty on the embedded engine, which takes none). */
  queryId?: string;
  migration: string;
  run: number;
  ordinal: number;
  hash: string;
  statement: string;
  checksum: string;
}

/** A row of the repairs table: a decision about a migration's registry state, made by a person with a reason. */
export interface RepairRow {
  migration: string;
  /**
   * `baseline` (recorded as applied without running), `accept-checksum` (the file's new bytes
   * accepted), `resolve-applied` / `resolve-not-applied` (a statement whose outcome was unknown
   * after a deploy died took effect, or did not).
   */
  action: string;
  oldChecksum: string;
  newChecksum: string;
  reason: string;
  /** The statement decided (0-based), for `resolve-*`; 0 otherwise. */
  ordinal?: number;
}

const UNKNOWN_DATABASE = 81;
const UNKNOWN_TABLE = 60;

/** The registry's tables with their database, quoted for the registry's own queries. */
export class Registry {
  readonly migrationsTable: string;
  readonly statementsTable: string;
  readonly objectsTable: string;
  readonly deploysTable: string;
  readonly repairsTable: string;
  readonly objectSecretsTable: string;
  readonly secretsKeyTable: string;
  private lastSeq = 0;
  /** Columns of ADDED_COLUMNS this registry's tables lack (created by an earlier version), as `<table> <column>`. */
  private missingColumns = new Set<string>();

  constructor(
    private readonly target: Target,
    readonly database: string,
    private readonly deploy: { id: string; by: string },
  ) {
    const table = (name: string) => `${quoteIdentifier(database)}.${quoteIdentifier(name)}`;
    this.migrationsTable = table('migrations');
    this.statementsTable = table('statements');
    this.objectsTable = table('objects');
    this.deploysTable = table('deploys');
    this.repairsTable = table('repairs');
    this.objectSecretsTable = table('object_secrets');
    this.secretsKeyTable = table('secrets_key');
  }

  /** Creates the registry database and tables when missing. */
  async ensure(): Promise<void> {
    for (const sql of registryStatements(this.database)) await this.target.execute(sql);
    const present = await this.target.query<{ table: string; name: string }>(
      `SELECT table, name FROM system.columns WHERE database = ${quoteString(this.database)}`,
    );
    // Keyed by table and column: `ordinal` is missing from an old `repairs`, never from `statements`.
    this.missingColumns = new Set(
      ADDED_COLUMNS.filter((added) => !present.some((c) => c.table === added.table && c.name === added.column)).map((added) =>
        this.columnKey(added.table, added.column),
      ),
    );
  }

  /**
   * Brings tables created by an earlier version (without the columns of ADDED_COLUMNS) to the
   * current shape, under the deploy lock: a new table under a temporary name, every row copied,
   * one RENAME that swaps the two, the old one dropped. A step that dies half way leaves either the
   * old table in place (the next deploy starts over) or the new one (a leftover `__clickplan_old`
   * is dropped). Returns the tables upgraded.
   */
  async upgrade(): Promise<string[]> {
    const tables = [...new Set(ADDED_COLUMNS.filter((added) => this.missingColumns.has(this.columnKey(added.table, added.column))).map((a) => a.table))];
    const quoted = (name: string) => `${quoteIdentifier(this.database)}.${quoteIdentifier(name)}`;
    for (const table of tables) {
      const fresh = `${table}__clickplan_upgrade`;
      const old = `${table}__clickplan_old`;
      await this.target.execute(`DROP TABLE IF EXISTS ${quoted(fresh)}`);
      await this.target.execute(`DROP TABLE IF EXISTS ${quoted(old)}`);
      await this.target.execute(registryTableStatement(this.database, table, fresh));
      const columns = await this.target.query<{ name: string }>(
        `SELECT name FROM system.columns WHERE database = ${quoteString(this.database)} AND table = ${quoteString(table)} ORDER BY position`,
      );
      const list = columns.map((c) => quoteIdentifier(c.name)).join(', ');
      await this.target.execute(`INSERT INTO ${quoted(fresh)} (${list}) SELECT ${list} FROM ${quoted(table)}`);
      await this.target.execute(`RENAME TABLE ${quoted(table)} TO ${quoted(old)}, ${quoted(fresh)} TO ${quoted(table)}`);
      await this.target.execute(`DROP TABLE ${quoted(old)}`);
      for (const added of ADDED_COLUMNS) if (added.table === table) this.missingColumns.delete(this.columnKey(added.table, added.column));
    }
    return tables;
  }

  private columnKey(table: string, column: string): string {
    return `${quoteIdentifier(this.database)}.${quoteIdentifier(table)} ${column}`;
  }

  /**
   * The latest state of every migration, statement and object; an absent registry reads as empty.
   * Migrations are keyed on their parsed version (`V004` and `V4` are one migration): rows written
   * under either spelling count, the latest wins. Reading also learns the highest `seq` written, so
   * that this deploy's rows order after it whatever the clocks say.
   */
  async read(): Promise<RegistryState> {
    const state: RegistryState = { exists: true, migrations: new Map(), statements: new Map(), objects: new Map() };
    try {
      const migrations = await this.target.query<Record<string, string>>(
        `SELECT migration, argMax(file, seq) AS file, argMax(checksum, seq) AS checksum, argMax(status, seq) AS status, argMax(run, seq) AS run, ` +
          `argMax(applied_statements, seq) AS applied, argMax(error, seq) AS error, argMax(deploy_id, seq) AS deploy_id, ` +
          `argMax(deployed_by, seq) AS deployed_by, toString(max(at)) AS at, max(seq) AS last FROM ${this.migrationsTable} GROUP BY migration ORDER BY last`,
      );
      // Ascending by the latest row: a later spelling of the same version replaces an earlier one.
      for (const row of migrations) {
        this.learnSeq(row.last);
        const key = normalizeMigrationKey(row.migration);
        state.migrations.set(key, {
          migration: key,
          file: row.file,
          checksum: row.checksum,
          status: row.status as RegistryMigration['status'],
          run: Number(row.run),
          statements: Number(row.applied),
          error: row.error,
          deployId: row.deploy_id,
          deployedBy: row.deployed_by,
          at: row.at,
        });
      }
      const statements = await this.target.query<Record<string, string>>(
        `SELECT migration, run, ordinal, argMax(statement_hash, seq) AS hash, toString(max(at)) AS at, max(seq) AS last FROM ${this.statementsTable} GROUP BY migration, run, ordinal ORDER BY migration, run, ordinal`,
      );
      for (const row of statements) {
        this.learnSeq(row.last);
        const key = runKey(normalizeMigrationKey(row.migration), Number(row.run));
        if (!state.statements.has(key)) state.statements.set(key, []);
        state.statements.get(key)?.push({ ordinal: Number(row.ordinal), hash: row.hash, at: row.at });
      }
      const objects = await this.target.query<Record<string, string>>(
        `SELECT object, argMax(object_kind, seq) AS kind, argMax(hash, seq) AS hash, argMax(definition, seq) AS definition, argMax(status, seq) AS status, max(seq) AS last ` +
          `FROM ${this.objectsTable} GROUP BY object ORDER BY object`,
      );
      for (const row of objects) {
        this.learnSeq(row.last);
        state.objects.set(row.object, {
          object: row.object,
          kind: row.kind,
          hash: row.hash,
          definition: row.definition,
          status: row.status as RegistryObject['status'],
        });
      }
    } catch (error) {
      if (error instanceof TargetError && (error.code === UNKNOWN_DATABASE || error.code === UNKNOWN_TABLE))
        return { exists: false, migrations: new Map(), statements: new Map(), objects: new Map() };
      throw error;
    }
    const interrupted = await this.interruptedDeploy();
    if (interrupted) state.interrupted = interrupted;
    const secrets = await this.readSecrets();
    if (secrets) {
      state.secrets = secrets.fingerprints;
      if (secrets.key) state.secretsKey = secrets.key;
    }
    return state;
  }

  /** The secrets fingerprints and their key; undefined on a registry from before them. */
  private async readSecrets(): Promise<{ fingerprints: Map<string, string>; key?: string } | undefined> {
    try {
      const rows = await this.target.query<Record<string, string>>(
        `SELECT object, argMax(fingerprint, seq) AS fingerprint, max(seq) AS last FROM ${this.objectSecretsTable} GROUP BY object ORDER BY object`,
      );
      for (const row of rows) this.learnSeq(row.last);
      // The first key written wins: two deploys that raced to create one agree on it.
      const [key] = await this.target.query<Record<string, string>>(`SELECT argMin(key, seq) AS key, max(seq) AS last FROM ${this.secretsKeyTable}`);
      if (key) this.learnSeq(key.last);
      return { fingerprints: new Map(rows.map((row) => [row.object, row.fingerprint])), ...(key?.key ? { key: key.key } : {}) };
    } catch (error) {
      if (error instanceof TargetError && (error.code === UNKNOWN_DATABASE || error.code === UNKNOWN_TABLE)) return undefined;
      throw error;
    }
  }

  /**
   * The registry's key for secrets fingerprints, created (32 bytes from the system's CSPRNG) when it
   * has none. Called under the deploy lock.
   */
  async secretsKey(state: RegistryState): Promise<string> {
    if (state.secretsKey) return state.secretsKey;
    await this.insert(this.secretsKeyTable, [['key', randomBytes(32).toString('hex')]]);
    const read = await this.readSecrets();
    if (!read?.key) throw new Error(`the registry table ${this.secretsKeyTable} holds no key after one was written`);
    state.secretsKey = read.key;
    return read.key;
  }

  /** Records the secrets fingerprint of an object (empty: it has no secrets any more). */
  async recordSecrets(object: string, fingerprint: string): Promise<void> {
    await this.insert(this.objectSecretsTable, [
      ['object', object],
      ['fingerprint', fingerprint],
      ['deploy_id', this.deploy.id],
    ]);
  }

  /** The last deploy when its last row says it started. A registry from before the deploys table has none. */
  private async interruptedDeploy(): Promise<RegistryState['interrupted']> {
    try {
      const [last] = await this.target.query<Record<string, string>>(
        `SELECT deploy_id, argMax(deployed_by, seq) AS deployed_by, argMax(status, seq) AS status, toString(min(at)) AS at, max(seq) AS last ` +
          `FROM ${this.deploysTable} GROUP BY deploy_id ORDER BY last DESC LIMIT 1`,
      );
      if (last) this.learnSeq(last.last);
      // `repaired`: a person decided what its uncertain statement did (clickplan repair).
      return last?.status === 'started' ? { deployId: last.deploy_id, deployedBy: last.deployed_by, at: last.at } : undefined;
    } catch (error) {
      if (error instanceof TargetError && (error.code === UNKNOWN_DATABASE || error.code === UNKNOWN_TABLE)) return undefined;
      throw error;
    }
  }

  /** Records migrations' new states, in one INSERT. */
  async recordMigrations(rows: readonly MigrationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertRows(
      this.migrationsTable,
      rows.map((row) => [
        ['migration', row.migration],
        ['tenant', row.tenant ?? ''],
        ['phase', row.phase],
        ['version', row.version ?? ''],
        ['description', row.description],
        ['kind', row.kind],
        ['file', row.file],
        ['checksum', row.checksum],
        ['run', row.run],
        ['statements', row.statements],
        ['applied_statements', row.applied],
        ['status', row.status],
        ['error', row.error ?? ''],
        ['deploy_id', this.deploy.id],
        ['deployed_by', this.deploy.by],
      ]),
    );
  }

  /** Records that this deploy started or ended (cleanly, whether it applied everything or stopped at a failure). */
  async recordDeploy(status: 'started' | 'finished', queryIdPrefix = ''): Promise<void> {
    await this.insert(this.deploysTable, [
      ['deploy_id', this.deploy.id],
      ['deployed_by', this.deploy.by],
      ['status', status],
      ['query_id_prefix', queryIdPrefix],
    ]);
  }

  /** Records that these statements of migration runs are done, in one INSERT. */
  async recordStatements(rows: readonly StatementRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertRows(
      this.statementsTable,
      rows.map((row) => [
        ['migration', row.migration],
        ['run', row.run],
        ['ordinal', row.ordinal],
        ['statement_hash', row.hash],
        ['statement', maskSql(row.statement)],
        ['checksum', row.checksum],
        ['deploy_id', this.deploy.id],
        ['query_id', row.queryId ?? ''],
      ]),
    );
  }

  /** Records a row for another deploy: `repaired` when a person resolved the statement it stopped at. */
  async recordDeployOf(deployId: string, deployedBy: string, status: 'repaired'): Promise<void> {
    await this.insert(this.deploysTable, [
      ['deploy_id', deployId],
      ['deployed_by', deployedBy],
      ['status', status],
      ['query_id_prefix', ''],
    ]);
  }

  /** Records decisions of `baseline` and `repair`, in one INSERT. */
  async recordRepairs(rows: readonly RepairRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertRows(
      this.repairsTable,
      rows.map((row) => [
        ['migration', row.migration],
        ['action', row.action],
        ['old_checksum', row.oldChecksum],
        ['new_checksum', row.newChecksum],
        ['reason', row.reason],
        ['deploy_id', this.deploy.id],
        ['deployed_by', this.deploy.by],
        ['ordinal', row.ordinal ?? 0],
      ]),
    );
  }

  async recordObject(row: RegistryObject): Promise<void> {
    await this.insert(this.objectsTable, [
      ['object', row.object],
      ['object_kind', row.kind],
      ['hash', row.hash],
      ['definition', maskSql(row.definition)],
      ['status', row.status],
      ['deploy_id', this.deploy.id],
    ]);
  }

  /**
   * A number that orders this row after every row read (`read` learns the highest) and every row
   * this deploy wrote: a sequence, not a clock, so a deploy from a machine whose clock is fast cannot
   * make later rows lose (the lock keeps writers one at a time). A fresh registry starts at the
   * current time in microseconds, as registries written before the sequence did, so either kind of
   * writer orders after the other's rows.
   */
  nextSeq(): number {
    this.lastSeq = this.lastSeq === 0 ? Date.now() * 1000 : this.lastSeq + 1;
    return this.lastSeq;
  }

  private learnSeq(seq: string | undefined): void {
    const value = Number(seq ?? 0);
    if (value > this.lastSeq) this.lastSeq = value;
  }

  private async insert(table: string, values: [string, string | number][]): Promise<void> {
    await this.insertRows(table, [values]);
  }

  /** One INSERT of rows with the same columns, each row's `seq` after the one before. */
  private async insertRows(table: string, given: [string, string | number][][]): Promise<void> {
    const rows = given.map((values) => values.filter(([name]) => !this.missingColumns.has(`${table} ${name}`)));
    const columns = [...(rows[0] ?? []).map(([name]) => quoteIdentifier(name)), 'at', 'seq'];
    // `now()`: the server's clock for `at`, on 18.16 and current servers alike. VALUES, not a
    // UNION ALL of SELECTs: 18.16 takes 5 ms for 128 rows instead of 30.
    const tuples = rows.map((values) => {
      const literals = [...values.map(([, value]) => (typeof value === 'number' ? String(value) : quoteString(value))), 'now()', String(this.nextSeq())];
      return `(${literals.join(', ')})`;
    });
    await this.target.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`);
  }
}

/**
 * A migration's registry key with its version parsed, as the layouts compare versions: leading
 * zeros and trailing `.0` parts do not count (`/global/V004` is `/global/V4`, `V1.0` is `V1`).
 */
export function normalizeMigrationKey(key: string): string {
  const match = /^(.*\/)V(\d+(?:\.\d+)*)$/.exec(key);
  if (!match) return key;
  const parts = (match[2] as string).split('.').map((part) => BigInt(part).toString());
  while (parts.length > 1 && parts.at(-1) === '0') parts.pop();
  return `${match[1]}V${parts.join('.')}`;
}

export function runKey(migration: string, run: number): string {
  return `${migration}\u0000${run}`;
}
