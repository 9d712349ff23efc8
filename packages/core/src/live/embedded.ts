import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { showGrantsLines } from '../model/grants.js';
import { renderEmbeddedConfig } from '../server/embeddedConfig.js';
import type { ServerConfig } from '../server/model.js';
import type { Statement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { quoteString as quoteSqlString } from '../syntax/printer/text.js';
import { findSecrets, HIDDEN } from '../syntax/secrets.js';
import { ACCESS_CATALOG_FORMAT, type AccessCatalog, emptyAccessCatalog, isAccessStatement, runAccessStatement, showCreate } from './accessCatalog.js';
import { oneLine, parseServerError, redactStatementSecrets, targetError } from './failure.js';
import { namesItsDatabase } from './namesItsDatabase.js';
import { accessKindsOf, quoteName, quoteString, readLiveSchema } from './reader.js';
import {
  type EmulatedReplicatedTable,
  type EngineFacts,
  emptyReplicationLedger,
  expandClusterName,
  ledgerAfter,
  needsTranslation,
  REPLICATION_LEDGER_FORMAT,
  type ReplicationLedger,
  type TranslatedStatement,
  translateStatement,
  withRecordedEngine,
  ZERO_UUID,
} from './replicationEmulation.js';
import { type ExecuteOptions, type LiveAccessEntity, type LiveSchema, type ReadScope, type Target, TargetError } from './types.js';

/** Where, in the engine's data directory, ClickPlan keeps the emulated access control (see accessCatalog.ts). */
export const ACCESS_CATALOG_FILE = 'clickplan_access.json';

/** Where, in the engine's data directory, ClickPlan records the tables whose replication it emulates (see replicationEmulation.ts). */
export const REPLICATION_LEDGER_FILE = 'clickplan_replication.json';

/** Said wherever the embedded engine may hold tables or statements whose replication it emulates. */
const REPLICATION_NOTE =
  'Replication on the embedded engine is emulated: a Replicated*MergeTree table runs as its plain counterpart (MergeTree, ReplacingMergeTree, ...) and reads back with the Replicated engine it was created with (recorded in clickplan_replication.json of the data directory), and an ON CLUSTER statement runs once, locally, when the configuration defines the cluster. Nothing is replicated and no keeper runs.';

/** Said with the replication note when the engine started without the servers' configuration. */
const UNCONFIGURED_REPLICATION =
  "The engine started without the servers' configuration: set `server.config` in clickplan.yaml (or --server-config) to their config.xml, so that it knows their clusters, macros (`{shard}`, `{replica}`) and default replica path (`default_replica_path`).";

/** Said wherever the embedded engine shows users, roles or grants: they are ClickPlan's, not the engine's. */
const EMULATED_NOTE =
  'Users, roles, grants, quotas, settings profiles and row policies on the embedded engine are emulated: chDB has no writable access storage, so ClickPlan keeps them (in clickplan_access.json of the data directory) and nothing enforces them.';

/** Where the embedded engine keeps its data when `embedded` names no directory, under the project root (`defaultEmbeddedDir`). */
export const DEFAULT_EMBEDDED_DIR = '.clickplan/embedded';

export interface EmbeddedOptions {
  /**
   * A ClickHouse configuration file for the engine (`--config-file`), e.g. to give the default user
   * access management. Only used when the directory is opened first in this process.
   */
  configFile?: string;
  /**
   * The team's server configuration (`server.config`): without `configFile`, the engine starts from
   * the chDB configuration generated from it, written beside the directory (`<dir>.config/`).
   */
  server?: ServerConfig;
}

/** Server error codes a configuration fixes, and what in it would. */
const CONFIG_FIXES: [RegExp, string][] = [
  [/^Code: 478\b|UNKNOWN_POLICY/, 'the storage policy'],
  [/^Code: 701\b|CLUSTER_DOESNT_EXIST/, 'the cluster (`remote_servers`)'],
  [/No macro '|NO_ELEMENTS_IN_CONFIG/, 'the macro (`macros`)'],
  [/^Code: 225\b|NO_ZOOKEEPER/, 'ZooKeeper (`zookeeper`), which Replicated tables need'],
  [/background_pool_size|default values are defined in <merge_tree>/, 'the pool size (`background_pool_size`) or the `merge_tree` defaults'],
];

/**
 * Failures no configuration avoids: what chDB cannot do in process (measured on chDB 3.4,
 * ClickHouse 26.7; docs/server-config.md), and what to do instead.
 */
const ENGINE_LIMITS: [RegExp, string][] = [
  [
    /^Code: 392\b|Replicated DDL queries are disabled/,
    'The embedded engine runs no distributed DDL: chDB refuses ON CLUSTER (Code 392), and ClickPlan runs it once, locally, only in the DDL it reads (CREATE, ALTER, DROP, RENAME, EXCHANGE, TRUNCATE, OPTIMIZE, DELETE, GRANT...). Write this statement without ON CLUSTER for the embedded target, or use a server to try it.',
  ],
];

type ChdbSession = import('chdb').Session;

/**
 * The one chDB session of this process. chDB runs one engine per process with one data directory,
 * so every embedded target shares it; it is closed when the last target using it is closed.
 */
let shared: { dir: string; session: ChdbSession; users: number; engine: EngineConfig } | undefined;

/** How the engine of the shared session was started. */
interface EngineConfig {
  /** Whether a configuration file was given (the server's, generated, or a raw chDB one). */
  configured: boolean;
  /** Whether the servers' configuration has ZooKeeper or clusters: replication is emulated for its statements, and said from the start. */
  replicated: boolean;
  notes: string[];
}

/** The configuration file the engine starts with, writing the one generated from the server's configuration. */
function engineConfigOf(path: string, options: EmbeddedOptions): EngineConfig & { file?: string } {
  if (options.configFile) return { configured: true, replicated: false, notes: [], file: options.configFile };
  if (!options.server) return { configured: false, replicated: false, notes: [] };
  const directory = join(dirname(path), `${basename(path)}.config`);
  mkdirSync(directory, { recursive: true });
  const usersFile = join(directory, 'users.xml');
  const files = renderEmbeddedConfig(options.server, { dataDir: path, usersFile });
  writeFileSync(join(directory, 'config.xml'), files.config);
  writeFileSync(usersFile, files.users);
  const notes = files.dropped.map((d) => `The embedded engine leaves out of the server configuration ${d}`);
  const replicated = options.server.zookeeper !== undefined || options.server.clusters.size > 0;
  return { configured: true, replicated, notes, file: join(directory, 'config.xml') };
}

/**
 * The embedded engine (chDB, ClickHouse in-process) on a persistent data directory, created if
 * missing. chDB is loaded here, on first use, so nothing else pays for it. Opening the directory
 * that is already open shares its session; another directory is refused while it is open.
 */
export async function openEmbeddedTarget(dir: string = DEFAULT_EMBEDDED_DIR, options: EmbeddedOptions = {}): Promise<Target> {
  const path = resolve(dir);
  if (isFile(path))
    throw targetError({
      code: 'target-invalid',
      message: `The embedded engine keeps its data in a directory, and ${path} is a file.`,
      help: 'Name a directory after `embedded:` (it is created when missing), or remove the file.',
    });
  if (shared && shared.dir !== path)
    throw targetError({
      code: 'embedded-in-use',
      message: `The embedded engine already has ${shared.dir} open; it can open one data directory per process, so ${path} cannot be opened too.`,
      help: 'Use one embedded directory per command, or close the target that uses the other one first.',
    });
  if (!shared) {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw targetError({
        code: 'target-invalid',
        message: `The embedded engine cannot create its data directory ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        help: 'Name a directory after `embedded:` that can be created and written (not below a file).',
      });
    }
    const { Session } = await loadChdb();
    if (shared) return openEmbeddedTarget(dir, options); // another caller opened it while chDB loaded
    const { file, ...engine } = engineConfigOf(path, options);
    let session: ChdbSession;
    try {
      // Always a configuration file: without one, ClickHouse reads config.xml from the working directory.
      session = new Session(path, { connectionArgs: [`--config-file=${file ?? defaultConfigFile(path)}`] });
    } catch (error) {
      throw targetError({
        code: 'target-unreachable',
        message: `The embedded engine could not open ${path}: ${error instanceof Error ? error.message : String(error)}`,
        help: 'Check that the directory is writable and not used by another ClickPlan process.',
      });
    }
    // Servers quote 64-bit integers in JSON by default; chDB does not. Rows read the same from either.
    session.query('SET output_format_json_quote_64bit_integers = 1');
    shared = { dir: path, session, users: 0, engine };
  }
  shared.users += 1;
  return new EmbeddedTarget(shared.session, path, shared.engine);
}

/**
 * The configuration without the servers': clickhouse-local's own default user, with
 * `access_management` so that it may read `system.users` and `system.roles` (without it every plan of
 * a repository with users or roles says it could not read them). Always a file: without one, the
 * engine reads a config.xml that happens to be in the working directory.
 */
function defaultConfigFile(path: string): string {
  const directory = join(dirname(path), `${basename(path)}.config`);
  mkdirSync(directory, { recursive: true });
  const users = join(directory, 'default-users.xml');
  writeFileSync(
    users,
    '<clickhouse>\n  <profiles><default/></profiles>\n  <quotas><default/></quotas>\n  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota><access_management>1</access_management><named_collection_control>1</named_collection_control></default></users>\n</clickhouse>\n',
  );
  const file = join(directory, 'default.xml');
  writeFileSync(file, `<clickhouse>\n  <user_directories><users_xml><path>${users}</path></users_xml></user_directories>\n</clickhouse>\n`);
  return file;
}

/** Writes JSON whole or not at all: beside the file, then moved over it. */
function writeWhole(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // missing, or below a file: creating the directory says which
  }
}

/**
 * chDB, the embedded ClickHouse: an optional dependency of the published packages (a native module
 * of ~550 MB), so a missing one is a user's choice to explain, not a crash.
 */
async function loadChdb(): Promise<typeof import('chdb')> {
  try {
    return await import('chdb');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw targetError({
      code: 'engine-missing',
      message: 'The embedded target needs chDB (ClickHouse in-process, the npm package `chdb`, ~550 MB), which is not installed.',
      help: 'Install it beside clickplan (`npm install chdb`, or `npm install -g chdb` for a global clickplan), or plan against a server (`--target https://host:8443` or CLICKHOUSE_URL) or a snapshot (`--target schema.json`).',
    });
  }
}

class EmbeddedTarget implements Target {
  readonly kind = 'embedded';
  readonly writable = true;
  readonly emulatesClusters = true;
  readonly description: string;
  private closed = false;

  constructor(
    private readonly session: ChdbSession,
    readonly dir: string,
    private readonly engine: EngineConfig,
  ) {
    this.description = `embedded ClickHouse in ${dir}`;
  }

  /**
   * What is emulated or left out, read when asked: a command that creates the first Replicated
   * table or user learns it at the end (deployProject reports notes the target gained while it ran).
   */
  get notes(): readonly string[] {
    if (this.closed) return this.engine.notes;
    const catalog = this.readCatalog();
    const replication = this.engine.replicated || this.readLedger().tables.length > 0;
    return [
      ...this.engine.notes,
      ...(replication ? [this.engine.configured ? REPLICATION_NOTE : `${REPLICATION_NOTE} ${UNCONFIGURED_REPLICATION}`] : []),
      ...(catalog.entities.length > 0 || catalog.grants.length > 0 ? [EMULATED_NOTE] : []),
    ];
  }

  /**
   * What the engine holds (users of its configuration's users.xml included), and the users, roles
   * and grants of the emulated catalog, which win over a configured user of the same name.
   */
  async readSchema(scope: ReadScope): Promise<LiveSchema> {
    const catalog = this.readCatalog();
    const emulated = (kind: LiveAccessEntity['kind']) => (name: string) => catalog.entities.some((e) => e.kind === kind && e.name === name);
    // Configured users, profiles and quotas (users.xml) are read from the engine; the catalog's win.
    const live = await readLiveSchema((sql) => this.query(sql), {
      ...scope,
      users: (scope.users ?? []).filter((name) => !emulated('user')(name)),
      roles: (scope.roles ?? []).filter((name) => !emulated('role')(name)),
      rowPolicies: (scope.rowPolicies ?? []).filter((name) => !emulated('row-policy')(name)),
      quotas: (scope.quotas ?? []).filter((name) => !emulated('quota')(name)),
      settingsProfiles: (scope.settingsProfiles ?? []).filter((name) => !emulated('settings-profile')(name)),
    });
    const entities: LiveAccessEntity[] = [];
    const grants: string[] = [];
    for (const { kind, names } of accessKindsOf(scope))
      for (const name of names.filter(emulated(kind))) {
        const entity = catalog.entities.find((e) => e.kind === kind && e.name === name);
        if (!entity) continue;
        entities.push({ kind, name, createQuery: showCreate(entity, (sql) => this.format(sql)) });
        if (kind === 'user' || kind === 'role') grants.push(...showGrantsLines(catalog.grants, name));
      }
    const tables = await this.withRecordedEngines(live.tables, scope.databases);
    return { ...live, tables, accessEntities: [...live.accessEntities, ...entities], grants: [...live.grants, ...grants] };
  }

  /** Tables whose replication is emulated, as they were written: with their Replicated engine (replicationEmulation.ts). */
  private async withRecordedEngines(tables: LiveSchema['tables'], databases: readonly string[]): Promise<LiveSchema['tables']> {
    const ledger = this.readLedger();
    if (ledger.tables.length === 0 || databases.length === 0) return tables;
    const rows = await this.query<{ database: string; name: string; uuid: string }>(
      `SELECT database, name, toString(uuid) AS uuid FROM system.tables WHERE database IN (${databases.map(quoteString).join(', ')})`,
    );
    const uuids = new Map(rows.map((r) => [`${r.database}.${r.name}`, r.uuid]));
    const recordOf = (database: string, name: string) => {
      const uuid = uuids.get(`${database}.${name}`);
      if (uuid && uuid !== ZERO_UUID) return ledger.tables.find((t) => t.uuid === uuid);
      return ledger.tables.find((t) => t.uuid === ZERO_UUID && t.database === database && t.table === name);
    };
    return tables.map((table) => {
      // A materialized view's inner table (`.inner_id.<view uuid>`) has the view's engine.
      const innerOf = /^\.inner_id\.(.+)$/.exec(table.name)?.[1];
      const record = innerOf ? ledger.tables.find((t) => t.uuid === innerOf) : recordOf(table.database, table.name);
      const createQuery = record && withRecordedEngine(table.createQuery, record);
      if (!record || !createQuery) return table;
      return { ...table, engine: table.engine === 'MaterializedView' ? table.engine : record.engine, createQuery };
    });
  }

  /** ClickHouse's own formatting of a statement (what SHOW CREATE prints an entity with). */
  private format(sql: string): string {
    const text = this.session.query(`SELECT formatQuery(${quoteString(sql)})`, 'TSVRaw');
    return text.toString().trim();
  }

  private get catalogFile(): string {
    return join(this.dir, ACCESS_CATALOG_FILE);
  }

  private readCatalog(): AccessCatalog {
    if (!existsSync(this.catalogFile)) return emptyAccessCatalog();
    const catalog = JSON.parse(readFileSync(this.catalogFile, 'utf8')) as AccessCatalog;
    if (catalog.format !== ACCESS_CATALOG_FORMAT)
      throw targetError({
        code: 'target-invalid',
        message: `The emulated access control in ${this.catalogFile} has format ${catalog.format}; this ClickPlan reads format ${ACCESS_CATALOG_FORMAT}.`,
        help: 'Remove the file (the users, roles and grants in it are emulated: apply the migrations again to re-create them).',
      });
    return catalog;
  }

  private get ledgerFile(): string {
    return join(this.dir, REPLICATION_LEDGER_FILE);
  }

  private readLedger(): ReplicationLedger {
    if (!existsSync(this.ledgerFile)) return emptyReplicationLedger();
    const ledger = JSON.parse(readFileSync(this.ledgerFile, 'utf8')) as ReplicationLedger;
    if (ledger.format !== REPLICATION_LEDGER_FORMAT)
      throw targetError({
        code: 'target-invalid',
        message: `The emulated replication in ${this.ledgerFile} has format ${ledger.format}; this ClickPlan reads format ${REPLICATION_LEDGER_FORMAT}.`,
        help: 'Remove the embedded directory and apply again (the embedded engine is a stand-in: its tables are re-created from the repository).',
      });
    return ledger;
  }

  private writeLedger(ledger: ReplicationLedger): void {
    writeWhole(this.ledgerFile, ledger);
  }

  private writeCatalog(catalog: AccessCatalog): void {
    writeWhole(this.catalogFile, catalog);
  }

  /**
   * An access statement, on the emulated catalog: ClickHouse's parser must accept it first (EXPLAIN
   * AST), a cluster it names must be defined, then the catalog runs it with ClickHouse's refusals.
   */
  private async executeAccess(sql: string, statement: Statement, database: string | undefined): Promise<void> {
    await this.run(`EXPLAIN AST ${sql}`);
    const cluster = 'onCluster' in statement ? statement.onCluster : statement.kind === 'Other' ? statement.alteration?.onCluster : undefined;
    if (cluster) {
      const written = cluster.kind === 'Identifier' ? cluster.name : String(cluster.value);
      let name: string;
      try {
        // ON CLUSTER '{cluster}' names the cluster the macro gives, as on a server.
        name = expandClusterName(written, (await this.engineFacts()).macros);
      } catch (error) {
        if (error instanceof TargetError) throw this.refusal(sql, error);
        throw error;
      }
      const rows = await this.query(`SELECT 1 FROM system.clusters WHERE cluster = ${quoteString(name)} LIMIT 1`);
      if (rows.length === 0)
        throw this.refusal(
          sql,
          new TargetError(`Requested cluster '${name}' not found`, 701, 'target-statement-failed', undefined, `Requested cluster '${name}' not found`),
        );
    }
    const current = database ?? (await this.run('SELECT currentDatabase()', 'TSVRaw')).trim();
    try {
      this.writeCatalog(runAccessStatement(this.readCatalog(), statement, current));
    } catch (error) {
      if (error instanceof TargetError) throw this.refusal(sql, error);
      throw error;
    }
  }

  private refusal(sql: string, error: TargetError): TargetError {
    const code = error.code !== undefined ? `Code ${error.code}: ` : '';
    return targetError({
      code: 'target-statement-failed',
      ...(error.code !== undefined ? { serverCode: error.code } : {}),
      serverMessage: error.serverMessage ?? error.message,
      message: `The ${this.description} (access control emulated by ClickPlan) refused \`${oneLine(sql)}\`: ${code}${error.serverMessage ?? error.message}`,
      help:
        error.help ??
        (error.code === 701
          ? configHelp(`Code: 701. ${error.message}`, this.engine.configured).help
          : 'ClickHouse refuses this statement too: fix it, or create what it needs in an earlier statement.'),
    });
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    const text = await this.run(sql, 'JSONEachRow');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Row);
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<void> {
    const statements = parseSql(sql).statements;
    const statement = statements.length === 1 ? statements[0] : undefined;
    if (statement && isAccessStatement(statement)) return this.executeAccess(sql, statement, options.database);
    const settings = options.settings ?? {};
    const names = Object.keys(settings);
    const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    if (bad) throw targetError({ code: 'target-invalid', message: `\`${bad}\` is not a ClickHouse setting name.` });
    // A statement about a database names it: it runs whatever the session's database, even one
    // that does not exist yet (`CREATE DATABASE app` with `database: app`; USE app would fail, code 81).
    const database = statement && namesItsDatabase(statement) ? undefined : options.database;
    const current = (await this.run('SELECT currentDatabase()', 'TSVRaw')).trim();
    const translated = statement && needsTranslation(statement) ? await this.translate(sql, statement, database ?? current) : undefined;
    const before = translated?.replicated ? await this.tableUuid(translated.replicated.database, translated.replicated.table) : undefined;
    // chDB takes no per-query settings or database: set them on the session for this statement, then restore them.
    if (database) await this.run(`USE ${quoteName(database)}`);
    for (const name of names) await this.run(`SET ${name} = ${settingValue(settings[name] as string | number)}`);
    try {
      await this.run(withoutSecrets(translated?.sql ?? sql));
    } finally {
      for (const name of names) await this.run(`SET ${name} = DEFAULT`);
      if (database) await this.run(`USE ${quoteName(current)}`);
    }
    if (statement) await this.recordReplication(statement, translated, before, database ?? current);
  }

  /** The statement as the engine runs it when replication is emulated, or ClickHouse's refusal of it. */
  private async translate(sql: string, statement: Statement, database: string): Promise<TranslatedStatement> {
    const facts = await this.engineFacts();
    try {
      return translateStatement(sql, statement, database, facts);
    } catch (error) {
      if (!(error instanceof TargetError) || error.code === undefined) throw error;
      const failure = `Code: ${error.code}. ${error.serverMessage ?? error.message}`;
      throw targetError({
        code: 'target-statement-failed',
        serverCode: error.code,
        serverMessage: error.serverMessage ?? error.message,
        message: `The ${this.description} (replication emulated by ClickPlan) refused \`${oneLine(sql)}\`: Code ${error.code}: ${error.serverMessage ?? error.message}`,
        help: configHelp(failure, this.engine.configured).help ?? 'ClickHouse refuses this statement too: fix it, then run it again.',
      });
    }
  }

  /** What the engine's configuration defines: macros, clusters, the default replica path and name. */
  private async engineFacts(): Promise<EngineFacts> {
    const macros = await this.query<{ macro: string; substitution: string }>('SELECT macro, substitution FROM system.macros');
    const clusters = await this.query<{ cluster: string }>('SELECT DISTINCT cluster FROM system.clusters');
    const defaults = await this.query<{ name: string; value: string }>(
      "SELECT name, value FROM system.server_settings WHERE name IN ('default_replica_path', 'default_replica_name')",
    );
    const setting = (name: string) => defaults.find((d) => d.name === name)?.value ?? '';
    return {
      macros: new Map(macros.map((m) => [m.macro, m.substitution])),
      clusters: new Set(clusters.map((c) => c.cluster)),
      defaultReplicaPath: setting('default_replica_path'),
      defaultReplicaName: setting('default_replica_name'),
      // Always: chDB cannot run a writable Replicated table with any configuration (see replicationEmulation.ts).
      emulateReplication: true,
    };
  }

  private async tableUuid(database: string, table: string): Promise<string | undefined> {
    const rows = await this.query<{ uuid: string }>(
      `SELECT toString(uuid) AS uuid FROM system.tables WHERE database = ${quoteString(database)} AND name = ${quoteString(table)}`,
    );
    return rows[0]?.uuid;
  }

  /** Keeps the ledger of emulated Replicated tables up to date after a statement ran. */
  private async recordReplication(
    statement: Statement,
    translated: TranslatedStatement | undefined,
    before: string | undefined,
    database: string,
  ): Promise<void> {
    const ledger = this.readLedger();
    let next = ledgerAfter(ledger, statement, database);
    const created = translated?.replicated;
    if (created) {
      const uuid = await this.tableUuid(created.database, created.table);
      // `IF NOT EXISTS` on a table that was there created nothing: it keeps what it was.
      const made = uuid !== undefined && (before === undefined || uuid !== before || isReplacing(statement));
      const same = (t: EmulatedReplicatedTable) =>
        uuid === ZERO_UUID ? t.uuid === ZERO_UUID && t.database === created.database && t.table === created.table : t.uuid === uuid;
      if (uuid && made) next = { ...next, tables: [...next.tables.filter((t) => !same(t)), { uuid, ...created }] };
    }
    if (next !== ledger) this.writeLedger(next);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (shared && shared.session === this.session && shared.users === 1) {
      // chDB's shutdown waits forever on a Replicated table created by this process (seen with the
      // in-memory keeper); detached (not permanently), it is attached again at the next start.
      const replicated = await this.query<{ database: string; table: string }>('SELECT database, table FROM system.replicas').catch(() => []);
      for (const { database, table } of replicated) await this.run(`DETACH TABLE ${quoteName(database)}.${quoteName(table)} SYNC`).catch(() => undefined);
      shared = undefined;
      this.closed = true;
      this.session.close();
      return;
    }
    this.closed = true;
    if (shared && shared.session === this.session) shared.users -= 1;
  }

  private async run(sql: string, format = 'TSV'): Promise<string> {
    if (this.closed) throw targetError({ code: 'target-invalid', message: `The ${this.description} target was closed.` });
    try {
      return (await this.session.queryAsync(sql, { format })).text();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const { serverCode, message } = parseServerError(redactStatementSecrets(text, sql));
      throw targetError({
        code: 'target-statement-failed',
        serverCode,
        serverMessage: message,
        message: `The ${this.description} refused \`${oneLine(sql)}\`: ${serverCode !== undefined ? `Code ${serverCode}: ` : ''}${message}`,
        ...configHelp(`${serverCode !== undefined ? `Code: ${serverCode}. ` : ''}${message}`, this.engine.configured),
      });
    }
  }
}

/** What to do about a failure: what chDB cannot do at all, or which configuration key would avoid it. */
function configHelp(failure: string, configured: boolean): { help?: string } {
  const limit = ENGINE_LIMITS.find(([pattern]) => pattern.test(failure))?.[1];
  if (limit) return { help: limit };
  const fix = CONFIG_FIXES.find(([pattern]) => pattern.test(failure))?.[1];
  if (!fix) return {};
  return {
    help: configured
      ? `Define ${fix} in the configuration the embedded engine starts from (\`server.config\` or \`embedded.config\` in clickplan.yaml), as the servers do.`
      : `The embedded engine starts without the servers' configuration: set \`server.config\` in clickplan.yaml (or --server-config) to the servers' config.xml, which defines ${fix}, or \`embedded.config\` (--embedded-config) to a chDB configuration file.`,
  };
}

/**
 * What the engine gets in place of a secret it hides by position: letters and digits, so that a
 * format the engine checks at CREATE still parses (an AzureBlobStorage account key must be Base64:
 * `[HIDDEN]` is refused with code 1001).
 */
const PLACEHOLDER = 'HIDDEN00';

/**
 * The statement with its secrets replaced by what ClickHouse shows for them (`PASSWORD '[HIDDEN]'`).
 * The engine writes every CREATE in clear to its metadata files (`store/.../<table>.sql`,
 * `named_collections/<name>.sql`; measured on chDB 3.4), and it shows them hidden anyway, so the
 * schema it reads back is the same. Only a secret that is one string replaced by another: hiding
 * `encrypt`'s key drops an argument and changes the expression (it stays as written).
 * Of a named collection, only the values whose key names a secret: a table created from it reads
 * the others (`host`, `port`).
 */
function withoutSecrets(sql: string): string {
  const statement = parseSql(sql).statements[0];
  if (!statement) return sql;
  const pieces = findSecrets(statement, sql)
    .filter((secret) => secret.nodes.length === 1 && secret.values.length > 0 && !isNamedCollectionSetting(secret.where))
    .map((secret) => ({ start: secret.nodes[0].start, end: secret.nodes[0].end, text: quoteSqlString(secret.shown === HIDDEN ? PLACEHOLDER : secret.shown) }))
    .sort((a, b) => a.start - b.start);
  let masked = '';
  let position = 0;
  for (const piece of pieces) {
    if (piece.start < position) continue;
    masked += sql.slice(position, piece.start) + piece.text;
    position = piece.end;
  }
  return masked + sql.slice(position);
}

/**
 * A named collection's value that a table may need as it is (`host`, `port`, `user`): ClickHouse
 * hides every value of a collection, but one with a secret's name is the only one to hold a secret.
 */
function isNamedCollectionSetting(where: string): boolean {
  const key = /^named collection (.+)$/.exec(where)?.[1];
  return key !== undefined && key !== 'value' && !/pass(word)?|secret|token|credential|key|private/i.test(key);
}

function isReplacing(statement: Statement): boolean {
  return (statement.kind === 'CreateTable' || statement.kind === 'CreateView') && (statement.orReplace || statement.verb === 'REPLACE');
}

function settingValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
