import { SessionCache, sessionStore } from '../session.js';
import type { QualifiedName } from '../syntax/ast.js';
import { objectKey } from './schema.js';

/** `db.name` of a name as the replay resolves it. */
export interface QualifiedId {
  database: string;
  name: string;
  id: string;
  /** `objectKey('table', id)`: tables, views and dictionaries share the namespace. */
  tableKey: string;
}

/**
 * The id a name node was last resolved to. An editor replays the migrations after every keystroke:
 * giving the same name the same string each time makes comparing and hashing ids immediate (a
 * string built anew is compared and hashed character by character, after being flattened).
 */
const QUALIFIED_IDS = new SessionCache<QualifiedName, QualifiedId>('model: qualified ids by name');

/** `db.name` of a name, unqualified names in `current`: the same object each time for the same node and database. */
export function qualifiedId(name: QualifiedName, current: string): QualifiedId {
  const database = name.database?.name ?? current;
  const qualifiedIds = sessionStore(QUALIFIED_IDS);
  let found = qualifiedIds.get(name);
  if (found?.database !== database) {
    const id = `${database}.${name.name.name}`;
    qualifiedIds.set(name, (found = { database, name: name.name.name, id, tableKey: objectKey('table', id) }));
  }
  return found;
}
