import type { EngineClause, Expression, Statement, StorageClauses } from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import { parseSql } from '../syntax/parser.js';
import { isTrivia } from '../syntax/tokens.js';
import { targetError } from './failure.js';
import { quoteString } from './reader.js';

// Replication on the embedded engine, emulated. chDB (ClickHouse 26.7 in process) cannot run it: on
// its in-memory keeper (`testkeeper`) a Replicated*MergeTree table is read-only (ALTER fails with
// code 242, INSERT waits without end), an in-process `<keeper_server>` never starts, and every ON
// CLUSTER statement is refused with code 392, whatever clusters the configuration defines. So the
// embedded target runs a translated statement: ON CLUSTER dropped when the engine's configuration
// defines the cluster (the statement runs once, locally), a Replicated engine as its plain counterpart
// (ReplicatedReplacingMergeTree('/p', 'r', v) as ReplacingMergeTree(v)). What ClickHouse refuses
// about them is refused here, with its codes: an undefined macro (139), `{uuid}` outside ON CLUSTER
// (36), an unknown cluster (701). It records the Replicated engine as a server stores it, so the
// table reads back as it was written and hashes equal to the repository.

/** Bumped when the ledger's JSON changes incompatibly. */
export const REPLICATION_LEDGER_FORMAT = 1;

/** The tables the embedded engine holds as plain counterparts of the Replicated engines they were created with. */
export interface ReplicationLedger {
  format: typeof REPLICATION_LEDGER_FORMAT;
  tables: EmulatedReplicatedTable[];
}

/** A table (or materialized view) created with a Replicated engine and run with its plain counterpart. */
export interface EmulatedReplicatedTable {
  /**
   * `system.tables.uuid`, which stays through RENAME and changes when the table is created again.
   * The zero UUID in databases without table UUIDs (chDB's `default`, `Memory`): `database` and
   * `table` then name it, and DROP, RENAME and EXCHANGE keep them up to date.
   */
  uuid: string;
  database: string;
  table: string;
  /** The engine as written: `ReplicatedReplacingMergeTree`. */
  engine: string;
  /** The keeper path and replica name as a server stores them: `{database}` and `{table}` written out. */
  path: string;
  replica: string;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export function emptyReplicationLedger(): ReplicationLedger {
  return { format: REPLICATION_LEDGER_FORMAT, tables: [] };
}

/** What the engine's configuration defines, which the translation needs. */
export interface EngineFacts {
  /** `system.macros`. */
  macros: ReadonlyMap<string, string>;
  /** `system.clusters`, by name. */
  clusters: ReadonlySet<string>;
  /** `default_replica_path` and `default_replica_name`, for Replicated engines written without arguments. */
  defaultReplicaPath: string;
  defaultReplicaName: string;
  /** Whether Replicated engines run as their plain counterparts (the servers' configuration has ZooKeeper). */
  emulateReplication: boolean;
}

export interface TranslatedStatement {
  /** What the engine runs. */
  sql: string;
  /** The cluster of a dropped ON CLUSTER, macros expanded. */
  cluster?: string;
  /** A table created with a Replicated engine, to record once it exists. */
  replicated?: Omit<EmulatedReplicatedTable, 'uuid'>;
}

/** `ReplicatedReplacingMergeTree` → `ReplacingMergeTree`; undefined for other engines. */
export function plainEngineOf(name: string): string | undefined {
  return /^Replicated(\w*MergeTree)$/.exec(name)?.[1];
}

/** Whether the statement needs the translation: it has ON CLUSTER or may create a Replicated table. */
export function needsTranslation(statement: Statement): boolean {
  return clusterNode(statement) !== undefined || replicatedEngineOf(statement) !== undefined || isReplicatedDatabase(statement);
}

/** `CREATE DATABASE d ENGINE = Replicated(...)`. */
function isReplicatedDatabase(statement: Statement): boolean {
  return statement.kind === 'CreateDatabase' && statement.engine?.name.name === 'Replicated';
}

/**
 * The statement as the embedded engine runs it, or ClickHouse's refusal (a TargetError with its
 * code). `text` is the statement's text, `statement` its parse, `database` the one unqualified names mean.
 */
export function translateStatement(text: string, statement: Statement, database: string, facts: EngineFacts): TranslatedStatement {
  // Not emulated: chDB refuses a Replicated database without a keeper (225), and its tables would be
  // read-only on the in-memory one; a server also turns each MergeTree created in it into a
  // ReplicatedMergeTree, which the embedded engine cannot show as a server stores it.
  if (isReplicatedDatabase(statement))
    throw targetError({
      code: 'target-statement-failed',
      message: 'The embedded engine does not run the Replicated database engine (ClickPlan emulates Replicated tables, not databases).',
      help: 'Try this migration against a server (--target http(s)://... or CLICKHOUSE_URL). On the embedded engine, a database with the default engine (Atomic) runs, and the Replicated*MergeTree tables in it are emulated.',
    });
  const edits: { start: number; end: number; text: string }[] = [];
  const result: TranslatedStatement = { sql: text };
  const onCluster = clusterNode(statement);
  if (onCluster) {
    const written = onCluster.kind === 'Identifier' ? onCluster.name : onCluster.value;
    const cluster = expandMacros(written, (name) => facts.macros.get(name));
    if (!facts.clusters.has(cluster)) refuse(701, `Requested cluster '${cluster}' not found`);
    result.cluster = cluster;
    edits.push({ start: onClusterStart(text, onCluster.start), end: onCluster.end, text: '' });
  }
  const engine = facts.emulateReplication ? replicatedEngineOf(statement) : undefined;
  if (engine && (statement.kind === 'CreateTable' || statement.kind === 'CreateView')) {
    const plain = plainEngineOf(engine.name.name) as string;
    const { path, replica, rest } = replicaArguments(engine, plain, facts);
    const table = statement.name.name.name;
    const tableDatabase = statement.name.database?.name ?? database;
    // `{uuid}` needs a UUID the statement gives or ON CLUSTER assigns (measured on chDB: code 36).
    const hasUuid = statement.uuid !== undefined || onCluster !== undefined;
    const stored = (value: string) => storedReplicaArgument(value, { database: tableDatabase, table, hasUuid, macros: facts.macros });
    result.replicated = { database: tableDatabase, table, engine: engine.name.name, path: stored(path), replica: stored(replica) };
    const args = rest.map((arg) => text.slice(arg.start, arg.end)).join(', ');
    edits.push({ start: engine.name.start, end: engine.end, text: rest.length > 0 ? `${plain}(${args})` : plain });
  }
  for (const edit of edits.sort((a, b) => b.start - a.start)) result.sql = result.sql.slice(0, edit.start) + edit.text + result.sql.slice(edit.end);
  return result;
}

function clusterNode(statement: Statement) {
  return 'onCluster' in statement ? statement.onCluster : undefined;
}

function replicatedEngineOf(statement: Statement): EngineClause | undefined {
  const storage: StorageClauses | undefined =
    statement.kind === 'CreateTable' || (statement.kind === 'CreateView' && statement.viewKind === 'MATERIALIZED') ? statement.storage : undefined;
  const engine = storage?.engine;
  return engine && plainEngineOf(engine.name.name) ? engine : undefined;
}

/** Where `ON CLUSTER` starts, from the cluster name after it. */
function onClusterStart(text: string, nameStart: number): number {
  const words = lexSql(text.slice(0, nameStart)).filter((t) => !isTrivia(t) && t.kind !== 'EndOfInput');
  const [on, cluster] = words.slice(-2);
  if (!on || !cluster || text.slice(cluster.start, cluster.end).toUpperCase() !== 'CLUSTER' || text.slice(on.start, on.end).toUpperCase() !== 'ON')
    throw new Error(`no ON CLUSTER before offset ${nameStart} of: ${text}`);
  return on.start;
}

/**
 * The keeper path, replica name and other arguments of a Replicated engine, by ClickHouse's rule
 * (registerStorageMergeTree.cpp): two leading string literals are the path and the replica name;
 * without them (no arguments, or a first argument that is not a literal) the server's defaults are used.
 */
function replicaArguments(engine: EngineClause, plain: string, facts: EngineFacts): { path: string; replica: string; rest: Expression[] } {
  const args = engine.arguments ?? [];
  const [first, second] = args;
  const isString = (e: Expression | undefined) => e?.kind === 'Literal' && e.type === 'string';
  const graphiteRollupOnly = plain === 'GraphiteMergeTree' && args.length === 1;
  if (!isString(first) || graphiteRollupOnly) return { path: facts.defaultReplicaPath, replica: facts.defaultReplicaName, rest: args };
  if (!isString(second)) refuse(36, 'Expected two string literal arguments: zookeeper_path and replica_name.');
  return { path: (first as { value: string }).value, replica: (second as { value: string }).value, rest: args.slice(2) };
}

/**
 * A keeper path or replica name as a server stores it: `{database}` and `{table}` written out (so a
 * renamed table keeps its replica), other macros kept; one the configuration does not define is
 * refused as ClickHouse refuses it (code 139).
 */
function storedReplicaArgument(value: string, context: { database: string; table: string; hasUuid: boolean; macros: ReadonlyMap<string, string> }): string {
  return expandMacros(value, (name) => {
    if (name === 'database') return context.database;
    if (name === 'table') return context.table;
    if (name === 'uuid') {
      if (!context.hasUuid)
        refuse(
          36,
          "Macro 'uuid' in engine arguments is only supported when the UUID is explicitly specified, used within an ON CLUSTER query, or when using the Replicated database engine.",
        );
      return '{uuid}';
    }
    return context.macros.has(name) ? `{${name}}` : undefined;
  });
}

/** A cluster name as ON CLUSTER names it, macros expanded (`'{cluster}'`); an undefined macro is refused (139). */
export function expandClusterName(written: string, macros: ReadonlyMap<string, string>): string {
  return expandMacros(written, (name) => macros.get(name));
}

/**
 * `{name}` replaced by `lookup(name)`, scanning as ClickHouse's Macros::expand does: a `{` without
 * a `}` after it is a syntax error (62), an unknown name is NO_ELEMENTS_IN_CONFIG (139).
 */
function expandMacros(value: string, lookup: (name: string) => string | undefined): string {
  let expanded = '';
  let at = 0;
  for (;;) {
    const begin = value.indexOf('{', at);
    if (begin < 0) return expanded + value.slice(at);
    const end = value.indexOf('}', begin + 1);
    if (end < 0) refuse(62, `Unbalanced { and } in string with macros: '${value}'.`);
    const name = value.slice(begin + 1, end);
    const replacement = lookup(name);
    if (replacement === undefined)
      refuse(139, `No macro '${name}' in config while processing substitutions in '${value}' at '${begin + 1}' or macro is not supported here.`);
    expanded += value.slice(at, begin) + replacement;
    at = end + 1;
  }
}

function refuse(serverCode: number, serverMessage: string): never {
  throw targetError({ code: 'target-statement-failed', serverCode, serverMessage, message: serverMessage });
}

/**
 * A CREATE as the engine stores it for a plain table, with the Replicated engine it was created
 * with: `ENGINE = ReplacingMergeTree(v)` becomes `ENGINE = ReplicatedReplacingMergeTree('/p', 'r', v)`,
 * the rest as the engine printed it. Undefined when the stored engine is not the recorded one's
 * plain counterpart (the table was replaced behind ClickPlan's back).
 */
export function withRecordedEngine(createQuery: string, recorded: EmulatedReplicatedTable): string | undefined {
  const statement = parseSql(createQuery).statements[0];
  const storage = statement?.kind === 'CreateTable' || statement?.kind === 'CreateView' ? statement.storage : undefined;
  const engine = storage?.engine;
  if (!engine || engine.name.name !== plainEngineOf(recorded.engine)) return undefined;
  const args = [quoteString(recorded.path), quoteString(recorded.replica), ...(engine.arguments ?? []).map((a) => createQuery.slice(a.start, a.end))];
  return `${createQuery.slice(0, engine.name.start)}${recorded.engine}(${args.join(', ')})${createQuery.slice(engine.end)}`;
}

/**
 * The ledger after a statement ran, for tables without a UUID (named by database and table): a
 * dropped one is forgotten, a renamed or exchanged one follows its name, one replaced (`CREATE OR
 * REPLACE`) by a table of another engine is forgotten. Tables with a UUID need nothing: a new table
 * gets a new UUID. (A CREATE of a Replicated table is recorded by the caller, which knows whether it created one.)
 */
export function ledgerAfter(ledger: ReplicationLedger, statement: Statement, database: string): ReplicationLedger {
  const qualified = (name: { database?: { name: string }; name: { name: string } }) => `${name.database?.name ?? database}.${name.name.name}`;
  const key = (t: EmulatedReplicatedTable) => `${t.database}.${t.table}`;
  const unnamed = (t: EmulatedReplicatedTable) => t.uuid === ZERO_UUID;
  let tables = ledger.tables;
  switch (statement.kind) {
    case 'Drop':
      if (statement.objectKind === 'DATABASE') {
        const dropped = new Set(statement.names.map((n) => n.name.name));
        tables = tables.filter((t) => !(unnamed(t) && dropped.has(t.database)));
      } else {
        const dropped = new Set(statement.names.map(qualified));
        tables = tables.filter((t) => !(unnamed(t) && dropped.has(key(t))));
      }
      break;
    case 'CreateTable':
    case 'CreateView':
    case 'CreateDictionary':
      if (statement.orReplace || statement.verb === 'REPLACE') tables = tables.filter((t) => !(unnamed(t) && key(t) === qualified(statement.name)));
      break;
    case 'Rename':
    case 'Exchange': {
      if (statement.objectKind === 'DATABASE') break;
      const moves = new Map<string, string>();
      for (const pair of statement.pairs) {
        moves.set(qualified(pair.from), qualified(pair.to));
        if (statement.kind === 'Exchange') moves.set(qualified(pair.to), qualified(pair.from));
      }
      tables = tables.map((t) => {
        const to = unnamed(t) ? moves.get(key(t)) : undefined;
        if (!to) return t;
        const dot = to.indexOf('.');
        return { ...t, database: to.slice(0, dot), table: to.slice(dot + 1) };
      });
      break;
    }
    default:
      return ledger;
  }
  return tables === ledger.tables ? ledger : { ...ledger, tables };
}
