import { bindQuery } from '../bind/binder.js';
import { mapTree } from '../model/mapTree.js';
import type { ObjectDefinition, SchemaObject } from '../model/schema.js';
import type { QualifiedName, SelectQuery, Statement } from '../syntax/ast.js';
import { qualifiedName } from './nodes.js';

/**
 * The desired definition as a CREATE statement the plan can run anywhere: under its qualified name
 * (or `name`), without the UUID, with the MV's TO target and the tables of a view's query qualified
 * with the database they meant (as ClickHouse stores them).
 * A `CREATE TABLE x AS y` whose columns the model copied is written with those columns and
 * without `AS y`: ClickHouse does not parse both, and the copy must not depend on `y` as it is live.
 */
export function createStatement(object: SchemaObject, options: { orReplace: boolean; ifNotExists: boolean; name?: QualifiedName }): Statement {
  const definition = { ...object.definition, verb: 'CREATE', orReplace: options.orReplace, ifNotExists: options.ifNotExists } as ObjectDefinition;
  if (definition.kind === 'CreateTable') {
    definition.uuid = undefined;
    if (definition.asTable && definition.elements?.length) definition.asTable = undefined;
  }
  if (definition.kind === 'CreateView') {
    definition.uuid = undefined;
    if (definition.to && !definition.to.database) definition.to = qualifiedName(object.contextDatabase, definition.to.name.name);
    if (definition.query) definition.query = qualifiedQuery(definition.query, object.contextDatabase);
  }
  const name = options.name ?? (object.database !== undefined ? qualifiedName(object.database, object.name) : undefined);
  if (name && 'name' in definition && definition.name.kind === 'QualifiedName') return { ...definition, name } as Statement;
  return definition as Statement;
}

/**
 * A query with its unqualified tables (not CTEs) qualified with `database`: what ClickHouse stores,
 * and unambiguous wherever it runs. Which names are tables is the binder's answer.
 */
export function qualifiedQuery(query: SelectQuery, database: string): SelectQuery {
  const { sources } = bindQuery(query, { database });
  return mapTree(query, (node) => {
    if (node.kind !== 'TableExpression') return undefined;
    const source = node.source;
    if (source.kind !== 'QualifiedName' || source.database || sources.get(node)?.kind !== 'table') return undefined;
    return { ...node, source: { ...source, database: { kind: 'Identifier', name: database, quoted: false, start: source.start, end: source.start } } };
  }) as SelectQuery;
}
