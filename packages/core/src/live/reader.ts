import { withExplicitStoredAggregateVersions } from '../semantics/functions.js';
import { parseServerError } from './failure.js';
import {
  type LiveAccessEntity,
  type LiveDatabase,
  type LiveFunction,
  type LiveGap,
  type LiveNamedCollection,
  type LiveSchema,
  type LiveTable,
  type ReadScope,
  SNAPSHOT_FORMAT,
  TargetError,
} from './types.js';

/** Runs one query and returns its rows as objects; throws TargetError when the server refuses it. */
export type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

/** ClickHouse error codes the reader turns into an explained gap rather than a failure. */
const ACCESS_DENIED = 497;
const UNKNOWN_TABLE = 60;
const UNKNOWN_USER = 192;
const UNKNOWN_ROLE = 511;

export const quoteString = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
export const quoteName = (name: string) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

/**
 * Reads what a ClickHouse holds in the databases of `scope`, through `query` (one reader for
 * servers over HTTP and for the embedded engine). It asks `system.columns` which columns the
 * server's system tables have, so old servers (18.16) are read with what they offer, and records
 * in `gaps` everything it could not read and why. Literals are inlined: 18.16 has no query parameters.
 */
export async function readLiveSchema(query: QueryRows, scope: ReadScope, options: { now?: Date } = {}): Promise<LiveSchema> {
  const reader = new LiveReader(query);
  const serverVersion = String((await query('SELECT version() AS version'))[0]?.version ?? '');
  await reader.readCapabilities();
  const databases = await reader.readDatabases(scope.databases);
  const tables = await reader.readTables(databases.map((d) => d.name));
  tables.push(
    ...(await reader.readDictionariesMissingFromTables(
      databases.map((d) => d.name),
      tables,
      serverVersion,
    )),
  );
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  tables.sort((a, b) => byText(a.database, b.database) || byText(a.name, b.name));
  const functions = scope.functions === false ? [] : await reader.readFunctions(serverVersion);
  const namedCollections = await reader.readNamedCollections(scope.namedCollections ?? [], serverVersion);
  const { entities, grants } = await reader.readAccess(scope, serverVersion);
  return {
    format: SNAPSHOT_FORMAT,
    serverVersion,
    readAt: (options.now ?? new Date()).toISOString(),
    databases,
    tables,
    functions,
    ...(namedCollections ? { namedCollections } : {}),
    accessEntities: entities,
    grants,
    gaps: reader.gaps,
  };
}

class LiveReader {
  readonly gaps: LiveGap[] = [];
  /** Columns of the system tables the reader uses, by table: absent columns are read another way. */
  private columns = new Map<string, Set<string>>();
  /** Tables of the `system` database. */
  private systemTables = new Set<string>();

  constructor(private readonly query: QueryRows) {}

  private has(table: string, column: string): boolean {
    return this.columns.get(table)?.has(column) ?? false;
  }

  private gap(what: string, reason: string): void {
    this.gaps.push({ what, reason });
  }

  /** Runs a query; a refusal becomes a gap about `what` and the result is undefined. */
  private async tryQuery(sql: string, what: string): Promise<Record<string, unknown>[] | undefined> {
    try {
      return await this.query(sql);
    } catch (error) {
      if (!(error instanceof TargetError) || error.errorCode !== 'target-statement-failed') throw error;
      this.gap(what, reasonOf(error));
      return undefined;
    }
  }

  async readCapabilities(): Promise<void> {
    const tables = ['tables', 'databases', 'functions', 'dictionaries', 'parts', 'users', 'roles', 'named_collections'];
    const rows = await this.tryQuery(
      `SELECT table, name FROM system.columns WHERE database = 'system' AND table IN (${tables.map(quoteString).join(', ')})`,
      'system table columns',
    );
    for (const row of rows ?? []) {
      const table = String(row.table);
      if (!this.columns.has(table)) this.columns.set(table, new Set());
      this.columns.get(table)!.add(String(row.name));
    }
    for (const table of this.columns.keys()) this.systemTables.add(table);
  }

  async readDatabases(names: readonly string[]): Promise<LiveDatabase[]> {
    if (names.length === 0) return [];
    const rows = await this.query(`SELECT name, engine FROM system.databases WHERE name IN (${names.map(quoteString).join(', ')}) ORDER BY name`);
    const databases: LiveDatabase[] = [];
    for (const row of rows) {
      const database: LiveDatabase = { name: String(row.name), engine: String(row.engine) };
      const shown = await this.tryQuery(`SHOW CREATE DATABASE ${quoteName(database.name)}`, `database ${database.name}: CREATE statement`);
      const text = shown && firstValue(shown);
      if (text) database.createQuery = text;
      databases.push(database);
    }
    return databases;
  }

  async readTables(databases: readonly string[]): Promise<LiveTable[]> {
    if (databases.length === 0) return [];
    const inScope = `database IN (${databases.map(quoteString).join(', ')})`;
    const hasQuery = this.has('tables', 'create_table_query');
    const hasTotals = this.has('tables', 'total_rows') && this.has('tables', 'total_bytes');
    const columns = ['database', 'name', 'engine', ...(hasQuery ? ['create_table_query'] : []), ...(hasTotals ? ['total_rows', 'total_bytes'] : [])];
    const rows = await this.query(`SELECT ${columns.join(', ')} FROM system.tables WHERE ${inScope} ORDER BY database, name`);
    const sizes = hasTotals ? undefined : await this.readPartSizes(inScope);
    const tables: LiveTable[] = [];
    for (const row of rows) {
      const table: LiveTable = {
        database: String(row.database),
        name: String(row.name),
        engine: String(row.engine),
        createQuery: withExplicitStoredAggregateVersions(String(row.create_table_query ?? '')),
      };
      if (!table.createQuery) {
        // 18.16 has no create_table_query for some engines; dictionaries need SHOW CREATE DICTIONARY on some versions.
        const what = table.engine === 'Dictionary' ? 'DICTIONARY' : 'TABLE';
        const shown = await this.tryQuery(
          `SHOW CREATE ${what} ${quoteName(table.database)}.${quoteName(table.name)}`,
          `${table.database}.${table.name}: CREATE statement`,
        );
        if (!shown) continue; // the refusal is a gap already
        table.createQuery = firstValue(shown);
        if (!table.createQuery) {
          this.gap(`${table.database}.${table.name}: CREATE statement`, `SHOW CREATE ${what} printed nothing`);
          continue;
        }
      }
      const size = hasTotals ? { rows: row.total_rows, bytes: row.total_bytes } : sizes?.get(`${table.database}.${table.name}`);
      if (size && size.rows !== null && size.rows !== undefined) table.totalRows = Number(size.rows);
      if (size && size.bytes !== null && size.bytes !== undefined) table.totalBytes = Number(size.bytes);
      tables.push(table);
    }
    return tables;
  }

  /** Rows and bytes of active parts, for servers whose system.tables has no total_rows/total_bytes. */
  private async readPartSizes(inScope: string): Promise<Map<string, { rows: unknown; bytes: unknown }> | undefined> {
    const bytes = this.has('parts', 'bytes_on_disk') ? 'bytes_on_disk' : 'bytes';
    const rows = await this.tryQuery(
      `SELECT database, table, sum(rows) AS rows, sum(${bytes}) AS bytes FROM system.parts WHERE active AND ${inScope} GROUP BY database, table`,
      'table sizes (system.parts)',
    );
    if (!rows) return undefined;
    return new Map(rows.map((row) => [`${row.database}.${row.table}`, { rows: row.rows, bytes: row.bytes }]));
  }

  async readFunctions(serverVersion: string): Promise<LiveFunction[]> {
    if (!this.has('functions', 'create_query') || !this.has('functions', 'origin')) {
      this.gap('user-defined functions', `system.functions has no create_query column: ClickHouse ${serverVersion} has no user-defined SQL functions`);
      return [];
    }
    const rows = await this.tryQuery("SELECT name, create_query FROM system.functions WHERE origin = 'SQLUserDefined' ORDER BY name", 'user-defined functions');
    return (rows ?? []).map((row) => ({ name: String(row.name), createQuery: String(row.create_query) }));
  }

  /**
   * The named collections of `names`, as `system.named_collections` shows them (22.12 and later;
   * every value `[HIDDEN]`). A server without the table has none: said as a gap. One whose table has
   * no `create_query` column (before 23.x) shows keys only: the statement is made of them, each
   * value hidden, with the overridability it cannot tell left out.
   */
  async readNamedCollections(names: readonly string[], serverVersion: string): Promise<LiveNamedCollection[] | undefined> {
    if (names.length === 0) return undefined;
    const list = `named collections ${[...names].sort().join(', ')}`;
    if (!this.systemTables.has('named_collections')) {
      this.gap(list, `ClickHouse ${serverVersion} has no named collections (no system.named_collections)`);
      return undefined;
    }
    const hasQuery = this.has('named_collections', 'create_query');
    const rows = await this.tryQuery(
      `SELECT name, ${hasQuery ? 'create_query' : 'mapKeys(collection) AS keys'} FROM system.named_collections WHERE name IN (${[...new Set(names)].map(quoteString).join(', ')}) ORDER BY name`,
      list,
    );
    if (!rows) return undefined;
    return rows.map((row) => {
      const name = String(row.name);
      if (hasQuery) return { name, createQuery: String(row.create_query) };
      const keys = (row.keys as string[]).map((key) => `${quoteName(key)} = '[HIDDEN]'`);
      return { name, createQuery: `CREATE NAMED COLLECTION ${quoteName(name)} AS ${keys.join(', ')}` };
    });
  }

  async readAccess(scope: ReadScope, serverVersion: string): Promise<{ entities: LiveAccessEntity[]; grants: string[] }> {
    const entities: LiveAccessEntity[] = [];
    const grants: string[] = [];
    for (const { kind, keyword, table, names } of accessKindsOf(scope)) {
      if (names.length === 0) continue;
      const list = `${table.replace('_', ' ')} ${names.join(', ')}`;
      if (!this.systemTables.has(table)) {
        this.gap(list, `ClickHouse ${serverVersion} has no SQL-driven access control (no system.${table}): access entities live in its configuration files`);
        continue;
      }
      const rows = await this.tryQuery(`SELECT name FROM system.${table} WHERE name IN (${names.map(quoteString).join(', ')}) ORDER BY name`, list);
      for (const row of rows ?? []) {
        const name = String(row.name);
        const shown = await this.tryQuery(`SHOW CREATE ${keyword} ${accessEntityName(kind, name)}`, `${kind} ${name}`);
        if (!shown) continue;
        const createQuery = firstValue(shown);
        if (!createQuery) {
          this.gap(`${kind} ${name}`, `SHOW CREATE ${keyword} printed nothing`);
          continue;
        }
        entities.push({ kind, name, createQuery });
        if (kind !== 'user' && kind !== 'role') continue;
        const granted = await this.tryQuery(`SHOW GRANTS FOR ${quoteName(name)}`, `grants of ${kind} ${name}`);
        for (const grant of granted ?? []) grants.push(firstValue([grant]));
      }
    }
    return { entities, grants };
  }

  /**
   * Dictionaries created by DDL are rows of system.tables (engine `Dictionary`) on current servers
   * and were read with the tables. Servers from before that (19.17 to about 20.x) list them only in
   * system.dictionaries: those are read with SHOW CREATE DICTIONARY. A server whose
   * system.dictionaries has no `database` column has no DDL dictionaries at all: its dictionaries
   * come from configuration files, which are not part of a schema, and that is said as a gap.
   */
  async readDictionariesMissingFromTables(databases: readonly string[], tables: readonly LiveTable[], serverVersion: string): Promise<LiveTable[]> {
    if (!this.systemTables.has('dictionaries')) return [];
    if (!this.has('dictionaries', 'database')) {
      this.gap(
        'dictionaries',
        `system.dictionaries has no database column: ClickHouse ${serverVersion} has no DDL dictionaries; dictionaries from its configuration files are not read`,
      );
      return [];
    }
    if (databases.length === 0) return [];
    const rows = await this.tryQuery(
      `SELECT database, name FROM system.dictionaries WHERE database IN (${databases.map(quoteString).join(', ')}) ORDER BY database, name`,
      'dictionaries',
    );
    const known = new Set(tables.map((t) => `${t.database}.${t.name}`));
    const found: LiveTable[] = [];
    for (const row of rows ?? []) {
      const [database, name] = [String(row.database), String(row.name)];
      if (known.has(`${database}.${name}`)) continue;
      const shown = await this.tryQuery(`SHOW CREATE DICTIONARY ${quoteName(database)}.${quoteName(name)}`, `dictionary ${database}.${name}: CREATE statement`);
      const createQuery = shown ? firstValue(shown) : '';
      if (createQuery) found.push({ database, name, engine: 'Dictionary', createQuery });
    }
    return found;
  }
}

/** The first column of the first row: `SHOW CREATE ...` answers in a column whose name varies by version. */
function firstValue(rows: Record<string, unknown>[]): string {
  const row = rows[0];
  if (!row) return '';
  const value = Object.values(row)[0];
  return value === null || value === undefined ? '' : String(value).trim();
}

/** Why the server refused: no privilege, no such system table, or its own words. */
function reasonOf(error: TargetError): string {
  const message = error.serverMessage ?? parseServerError(error.message).message;
  if (error.code === ACCESS_DENIED) return `no privilege: ${message}`;
  if (error.code === UNKNOWN_TABLE) return `no such system table: ${message}`;
  if (error.code === UNKNOWN_USER || error.code === UNKNOWN_ROLE) return `not found: ${message}`;
  return message;
}

/** The access entities a scope names, by kind, in the order a replay needs them (roles before the users holding them, users before what applies TO them). */
export function accessKindsOf(scope: ReadScope): { kind: LiveAccessEntity['kind']; keyword: string; table: string; names: string[] }[] {
  const sorted = (names: string[] | undefined) => [...new Set(names ?? [])].sort();
  return [
    { kind: 'role', keyword: 'ROLE', table: 'roles', names: sorted(scope.roles) },
    { kind: 'user', keyword: 'USER', table: 'users', names: sorted(scope.users) },
    { kind: 'settings-profile', keyword: 'SETTINGS PROFILE', table: 'settings_profiles', names: sorted(scope.settingsProfiles) },
    { kind: 'quota', keyword: 'QUOTA', table: 'quotas', names: sorted(scope.quotas) },
    { kind: 'row-policy', keyword: 'ROW POLICY', table: 'row_policies', names: sorted(scope.rowPolicies) },
  ];
}

/** An entity's name as SHOW CREATE takes it: a row policy's `name ON db.table` with each part quoted. */
function accessEntityName(kind: LiveAccessEntity['kind'], name: string): string {
  if (kind !== 'row-policy') return quoteName(name);
  const on = name.indexOf(' ON ');
  const table = name.slice(on + 4);
  const dot = table.indexOf('.');
  return `${quoteName(name.slice(0, on))} ON ${quoteName(table.slice(0, dot))}.${quoteName(table.slice(dot + 1))}`;
}
