import { dependenciesOf } from '../graph/dependencies.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import type { ReplicationConvention } from '../project/config.js';
import type { CreateTableStatement, Expression } from '../syntax/ast.js';

// The ZooKeeper path convention of `replication:` in clickplan.yaml: a Replicated*MergeTree table
// written without arguments gets a path and a replica name, `sharded` when a Distributed table of
// the repository spreads over it, `unsharded` otherwise. {database} and {table} are written out.

const REPLICATED = /^Replicated\w*MergeTree$/;

/** Ids of the tables a Distributed table of the schema distributes to. */
export function shardedTables(schema: Schema): Set<string> {
  const tables = schema.objects.filter((o) => o.kind === 'table');
  return new Set(
    tables.flatMap((o) =>
      dependenciesOf(o, tables)
        .filter((d) => d.kind === 'distributed')
        .map((d) => d.to),
    ),
  );
}

/** Whether a CREATE TABLE leaves its Replicated engine's path and replica name to the server. */
export function hasDefaultReplication(definition: CreateTableStatement): boolean {
  const engine = definition.storage?.engine;
  return engine !== undefined && REPLICATED.test(engine.name.name) && (engine.arguments ?? []).length === 0;
}

/** The engine arguments the convention gives a table: its path and replica name, as string literals. */
export function replicationArguments(database: string, table: string, sharded: boolean, convention: ReplicationConvention): Expression[] {
  const path = (sharded ? convention.sharded : convention.unsharded).replaceAll('{database}', database).replaceAll('{table}', table);
  const literal = (value: string): Expression => ({ kind: 'Literal', type: 'string', value, start: 0, end: 0 });
  return [literal(path), literal(sharded ? convention.replica : convention.unshardedReplica)];
}

/** A CREATE TABLE with the convention's engine arguments, when it has none. */
export function withReplicationArguments(
  definition: CreateTableStatement,
  database: string,
  sharded: boolean,
  convention: ReplicationConvention,
): CreateTableStatement {
  const engine = definition.storage?.engine;
  if (!engine || !definition.storage || !hasDefaultReplication(definition)) return definition;
  const args = replicationArguments(database, definition.name.name.name, sharded, convention);
  return { ...definition, storage: { ...definition.storage, engine: { ...engine, arguments: args } } };
}

/** The schema as deployed under the convention: what a plan compares with the live tables. */
export function applyReplicationConvention(schema: Schema, convention: ReplicationConvention): Schema {
  const sharded = shardedTables(schema);
  const objects = schema.objects.map((object): SchemaObject => {
    if (object.definition.kind !== 'CreateTable' || !hasDefaultReplication(object.definition)) return object;
    const table = { ...object.definition, name: { ...object.definition.name, name: { ...object.definition.name.name, name: object.name } } };
    return { ...object, definition: withReplicationArguments(table, object.database ?? object.contextDatabase, sharded.has(object.id), convention) };
  });
  return { ...schema, objects };
}
