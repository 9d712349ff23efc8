import { createHash } from 'node:crypto';
import type { Schema } from '../model/schema.js';
import { identifier } from '../plan/nodes.js';
import { hasDefaultReplication, shardedTables, withReplicationArguments } from '../plan/replication.js';
import type { ReplicationConvention } from '../project/config.js';
import type { QualifiedName, Statement } from '../syntax/ast.js';
import { ON_CLUSTER_KINDS, withOnCluster } from '../syntax/onCluster.js';
import { printExpression, printStatement } from '../syntax/printer.js';
import { type Rerun, rerunOf } from './uncertain.js';

// A migration file as the deploy runs it: one executable statement at a time, each with the
// database its unqualified names mean and the settings a SET before it gave. USE and SET are not
// sent (over HTTP each statement is its own session): they change what the next statements run with.

export interface MigrationStatement {
  /** 0-based among the file's executable statements: what the registry records. */
  ordinal: number;
  /** 1-based line of the file where the statement starts: where a failure points. */
  line: number;
  /** The statement as written in the file (what its hash covers). */
  text: string;
  /** SHA-256 of `text`: an applied statement whose text changed is refused. */
  hash: string;
  /** What runs: `text`, or the statement printed with ON CLUSTER when a cluster is configured. */
  sql: string;
  database: string;
  settings: Record<string, string | number>;
  kind: Statement['kind'];
  /** Whether running it again after it took effect is harmless (see `isRerunnable`): its registry row may wait for a batch. */
  rerunnable: boolean;
  /** What may be done when its outcome is unknown (uncertain.ts). */
  rerun: Rerun;
}

export interface ClusterOptions {
  /** Cluster for every statement that takes ON CLUSTER. */
  cluster?: string;
  /**
   * Cluster for ALTER of tables that are not Replicated* (Distributed, plain MergeTree): servers
   * refuse those on a cluster whose shards replicate internally (code 371), so they go to a cluster
   * that lists every host as its own shard. Default: `cluster`.
   */
  alterCluster?: string;
  /** Paths for Replicated tables written without arguments (`replication:` in clickplan.yaml). */
  replication?: ReplicationConvention | undefined;
}

export interface PreparedFile {
  statements: MigrationStatement[];
  /** Statements that could not be given ON CLUSTER, as messages (nothing runs then). */
  problems: { ordinal: number; message: string }[];
}

/**
 * The executable statements of one parsed file. `schema` (the repository's final state) tells
 * which tables are replicated, for the ALTER cluster.
 */
export function prepareFile(
  text: string,
  statements: readonly Statement[],
  defaultDatabase: string,
  options: ClusterOptions & { schema?: Schema } = {},
): PreparedFile {
  const prepared: MigrationStatement[] = [];
  const problems: PreparedFile['problems'] = [];
  let database = defaultDatabase;
  let settings: Record<string, string | number> = {};
  let sharded: Set<string> | undefined;
  // Lines counted as the statements go, once over the text.
  let line = 1;
  let counted = 0;
  for (const statement of statements) {
    if (statement.kind === 'Use') {
      database = statement.database.name;
      continue;
    }
    if (statement.kind === 'Set') {
      settings = { ...settings };
      for (const assignment of statement.settings) if (assignment.value) settings[assignment.name.name] = settingValue(assignment.value);
      continue;
    }
    const source = text.slice(statement.start, statement.end);
    for (; counted < statement.start; counted++) if (text.charCodeAt(counted) === 10) line++;
    const ordinal = prepared.length;
    let sql = source;
    const cluster = clusterFor(statement, database, options);
    const replicated = options.replication && statement.kind === 'CreateTable' && hasDefaultReplication(statement);
    if (replicated && statement.kind === 'CreateTable' && options.replication) {
      // The convention's path, with this statement's database and table written out.
      const table = statement.name.database?.name ?? database;
      sharded ??= options.schema ? shardedTables(options.schema) : new Set();
      const withPath = withReplicationArguments(statement, table, sharded.has(`${table}.${statement.name.name.name}`), options.replication);
      const qualified = qualify(withPath, database);
      sql = printStatement(cluster && !statement.onCluster ? withOnCluster(qualified, cluster) : qualified);
    } else if (cluster && !('onCluster' in statement && statement.onCluster) && ON_CLUSTER_KINDS.has(statement.kind)) {
      try {
        sql = printStatement(withOnCluster(qualify(statement, database), cluster));
      } catch (error) {
        problems.push({
          ordinal,
          message: `${(error as Error).message}; write ON CLUSTER ${cluster} in the statement itself so it runs on every host.`,
        });
      }
    }
    const rerunnable = isRerunnable(statement);
    prepared.push({
      ordinal,
      line,
      text: source,
      hash: hashStatement(source),
      sql,
      database,
      settings,
      kind: statement.kind,
      rerunnable,
      rerun: rerunOf(statement, text, rerunnable),
    });
  }
  return { statements: prepared, problems };
}

/**
 * The statement with its database written into the names it creates, changes or copies: an ON
 * CLUSTER statement runs on every host in that host's default database, not in the session's of the
 * server that received it (ClickHouse 18.16 qualifies only the main name, not `AS other_table`).
 * Names inside SELECT queries of views are left as written.
 */
function qualify(statement: Statement, database: string): Statement {
  const q = (name: QualifiedName | undefined): QualifiedName | undefined =>
    name && !name.database && name.name.name !== '*' ? { ...name, database: identifier(database) } : name;
  switch (statement.kind) {
    case 'CreateTable':
      return { ...statement, name: q(statement.name) as QualifiedName, ...(statement.asTable ? { asTable: q(statement.asTable) } : {}) };
    case 'CreateView':
      return { ...statement, name: q(statement.name) as QualifiedName, ...(statement.to ? { to: q(statement.to) } : {}) };
    case 'CreateDictionary':
      return { ...statement, name: q(statement.name) as QualifiedName };
    case 'AlterTable':
    case 'Optimize':
      return { ...statement, table: q(statement.table) as QualifiedName };
    case 'Truncate':
    case 'Attach':
      return { ...statement, name: q(statement.name) as QualifiedName };
    case 'Drop':
      return statement.objectKind === 'TABLE' || statement.objectKind === 'VIEW' || statement.objectKind === 'DICTIONARY'
        ? { ...statement, names: statement.names.map((n) => q(n) as QualifiedName) }
        : statement;
    case 'Rename':
    case 'Exchange':
      return statement.objectKind === 'DATABASE'
        ? statement
        : { ...statement, pairs: statement.pairs.map((p) => ({ from: q(p.from) as QualifiedName, to: q(p.to) as QualifiedName })) };
    default:
      return statement;
  }
}

export function hashStatement(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function clusterFor(statement: Statement, database: string, options: ClusterOptions & { schema?: Schema }): string | undefined {
  if (!options.cluster) return undefined;
  if (statement.kind !== 'AlterTable' || !options.alterCluster) return options.cluster;
  const id = `${statement.table.database?.name ?? database}.${statement.table.name.name}`;
  const object = options.schema?.objects.find((o) => o.id === id);
  const engine = object && object.definition.kind === 'CreateTable' ? object.definition.storage?.engine?.name.name : undefined;
  return engine?.startsWith('Replicated') ? options.cluster : options.alterCluster;
}

function settingValue(value: NonNullable<import('../syntax/ast.js').SettingAssignment['value']>): string | number {
  if (value.kind === 'Literal') return value.type === 'number' ? Number(value.value) : value.value;
  return printExpression(value);
}

/** ALTER TABLE actions that, run again, change nothing or fail with an error saying so (column 15/44, index 44). */
const RERUNNABLE_ACTIONS = new Set(['AddColumn', 'AddIndex', 'ModifyComment', 'CommentColumn', 'ModifySetting']);

/**
 * Whether running the statement a second time, after it took effect and after other rerunnable
 * statements ran, leaves everything as it was or fails with an error that says its effect is
 * already there (`ALREADY_IN_EFFECT_CODES`): CREATE without REPLACE TABLE, GRANT, ALTER that adds
 * columns or indexes. A deploy that dies may leave such statements unrecorded and run them again.
 * Not DROP, RENAME, INSERT, mutations, TRUNCATE or REPLACE TABLE: run twice, they lose or duplicate rows.
 */
export function isRerunnable(statement: Statement): boolean {
  switch (statement.kind) {
    case 'CreateTable':
      return statement.verb !== 'REPLACE' && !statement.orReplace;
    case 'CreateView':
    case 'CreateDictionary':
    case 'CreateFunction':
      // Replacing a view, dictionary or function by the same definition again changes nothing.
      return statement.verb !== 'REPLACE';
    case 'CreateDatabase':
    case 'CreateNamedCollection':
    case 'CreateAccessEntity':
      // CREATE OR REPLACE USER drops the user's grants.
      return !statement.orReplace;
    case 'Grant':
      return true;
    case 'AlterNamedCollection':
      // SET of the same values again changes nothing; a DELETE of a key that is gone fails (code 36, chDB 26.7).
      return statement.delete.length === 0;
    case 'AlterTable':
      return statement.actions.every((a) => RERUNNABLE_ACTIONS.has(a.kind) || ('ifNotExists' in a && a.ifNotExists));
    default:
      return false;
  }
}

/** Whether a statement starts a mutation or an ALTER that replicas apply: it runs with the configured sync settings. */
export function isAlterOrMutation(kind: Statement['kind']): boolean {
  return kind === 'AlterTable' || kind === 'Delete' || kind === 'Update';
}
