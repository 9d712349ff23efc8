import type { EngineClause, Literal, QualifiedName, Statement } from '../syntax/ast.js';

/** `ReplicatedMergeTree`, `ReplicatedReplacingMergeTree`, ... */
export function isReplicatedMergeTree(engine: EngineClause | undefined): boolean {
  // Asked of every table by several rules: the prefix test spares most of them the regular expression.
  const name = engine?.name.name ?? '';
  return name.startsWith('Replicated') && /^Replicated\w*MergeTree$/.test(name);
}

/** The ZooKeeper path and replica name of a Replicated*MergeTree engine, when both are written as string literals. */
export function replicationArguments(engine: EngineClause | undefined): { path: Literal; replica: Literal } | undefined {
  if (!isReplicatedMergeTree(engine)) return undefined;
  const [path, replica] = engine?.arguments ?? [];
  if (path?.kind !== 'Literal' || path.type !== 'string' || replica?.kind !== 'Literal' || replica.type !== 'string') return undefined;
  return { path, replica };
}

/** Where a table keeps its replicas in ZooKeeper, as ClickHouse stores it when the table is created. */
export interface StoredReplication {
  path: string;
  replica: string;
  /** The path literal, when the statement wrote it (not copied by `AS other`). */
  literal?: Literal;
}

/**
 * The path and replica name a CREATE stores. ClickHouse replaces `{database}` and `{table}` with the
 * table's names when it creates the table, so that the table can be renamed: a RENAME keeps the old
 * names in its path. `{shard}`, `{replica}` and other macros are expanded on each server and stay as
 * written, so two equal results are equal on every server.
 * https://github.com/ClickHouse/ClickHouse/blob/master/src/Storages/MergeTree/registerStorageMergeTree.cpp
 *
 * Undefined when the path cannot collide with another table's: it uses `{uuid}` (each table has its
 * own), or `{table}` stands for a name no other table has (the temporary `_tmp_replace_...` table of
 * CREATE OR REPLACE, the `.inner_id.<uuid>` table of a materialized view), or the arguments are not
 * literals (the server's `default_replica_path` is `/clickhouse/tables/{uuid}/{shard}`).
 *
 * `copiedEngine` is the engine `CREATE TABLE t AS other` copies from `other`: ClickHouse copies the
 * stored arguments, already expanded with `other`'s names.
 */
export function storedReplication(statement: Statement, database: string, copiedEngine?: EngineClause): StoredReplication | undefined {
  let engine: EngineClause | undefined;
  let copiedFrom: QualifiedName | undefined;
  if (statement.kind === 'CreateTable' && !statement.temporary) {
    engine = statement.storage?.engine;
    if (!engine && statement.asTable) {
      engine = copiedEngine;
      copiedFrom = statement.asTable;
    }
  } else if (statement.kind === 'CreateView' && statement.viewKind === 'MATERIALIZED') {
    engine = statement.storage?.engine;
  } else return undefined;
  // Asked of every statement: the names are worked out only for a Replicated engine.
  const args = replicationArguments(engine);
  if (!args) return undefined;
  const own = !copiedFrom;
  const names: { database: string; table?: string } = copiedFrom
    ? nameParts(copiedFrom, database)
    : {
        database: statement.name.database?.name ?? database,
        table: statement.kind === 'CreateTable' && !isReplace(statement) ? statement.name.name.name : undefined,
      };
  const path = expandTableMacros(args.path.value, names);
  const replica = expandTableMacros(args.replica.value, names);
  if (path === undefined || replica === undefined || path.includes('{uuid}')) return undefined;
  return { path: normalizePath(path), replica, ...(own ? { literal: args.path } : {}) };
}

/** Replaces `{database}` and `{table}`; undefined when `{table}` stands for a unique temporary name. */
function expandTableMacros(text: string, names: { database: string; table?: string }): string | undefined {
  if (names.table === undefined && text.includes('{table}')) return undefined;
  return text.replaceAll('{database}', names.database).replaceAll('{table}', names.table ?? '{table}');
}

/** ClickHouse drops a trailing `/` and adds a leading one (unless the path names an auxiliary ZooKeeper: `zk2:/path`). */
function normalizePath(path: string): string {
  let result = path.endsWith('/') ? path.slice(0, -1) : path;
  if (!result.startsWith('/') && !/^[\w-]+:\//.test(result)) result = `/${result}`;
  return result;
}

function isReplace(statement: { orReplace: boolean; verb: string }): boolean {
  return statement.orReplace || statement.verb === 'REPLACE';
}

function nameParts(name: QualifiedName, database: string): { database: string; table: string } {
  return { database: name.database?.name ?? database, table: name.name.name };
}
