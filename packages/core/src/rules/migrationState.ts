import type { SchemaObject, SourceLocation } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Statement } from '../syntax/ast.js';
import type { LocatedStatement } from './rule.js';

const CREATIONS = new SessionCache<readonly LocatedStatement[], Map<string, number>>('rules: statement index by creation');

/** The index in `statements` of the statement that created an object (its `created` location), or -1. */
export function indexOfCreation(statements: readonly LocatedStatement[], object: SchemaObject): number {
  return indexOfStatementAt(statements, object.created);
}

/** The index in `statements` of the statement that starts at a location (an object's `created` or one of its `changes`), or -1. */
export function indexOfStatementAt(statements: readonly LocatedStatement[], location: SourceLocation): number {
  const creations = sessionStore(CREATIONS);
  let byLocation = creations.get(statements);
  if (!byLocation) {
    byLocation = new Map(statements.map((s, i) => [`${s.file}\0${s.statement.start}`, i]));
    creations.set(statements, byLocation);
  }
  return byLocation.get(`${location.file}\0${location.range.start}`) ?? -1;
}

/** The statement that created an object: what a CREATE wrote before any ALTER, RENAME or EXCHANGE changed it. */
export function creatingStatement(statements: readonly LocatedStatement[], object: SchemaObject): Statement | undefined {
  const index = indexOfCreation(statements, object);
  return index < 0 ? undefined : statements[index].statement;
}
