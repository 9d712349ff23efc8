import type { ObjectDefinition, SchemaObject } from '../model/schema.js';
import type { QualifiedName, Statement } from '../syntax/ast.js';
import { qualifiedName } from './nodes.js';

/**
 * The desired definition as a CREATE statement the plan can run anywhere: under its qualified name
 * (or `name`), without the UUID, with the MV's TO target qualified with the database it meant.
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
  }
  const name = options.name ?? (object.database !== undefined ? qualifiedName(object.database, object.name) : undefined);
  if (name && 'name' in definition && definition.name.kind === 'QualifiedName') return { ...definition, name } as Statement;
  return definition as Statement;
}
