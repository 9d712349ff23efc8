import type { Diagnostic, Range } from '../diagnostics.js';
import type {
  CreateAccessEntityStatement,
  CreateDatabaseStatement,
  CreateDictionaryStatement,
  CreateFunctionStatement,
  CreateNamedCollectionStatement,
  CreateTableStatement,
  CreateViewStatement,
  GrantStatement,
  SelectQuery,
} from '../syntax/ast.js';

export type ObjectKind =
  | 'database'
  | 'table'
  | 'view'
  | 'materialized-view'
  | 'dictionary'
  | 'function'
  | 'named-collection'
  | 'user'
  | 'role'
  | 'row-policy'
  | 'quota'
  | 'settings-profile';

export type ObjectDefinition =
  | CreateDatabaseStatement
  | CreateTableStatement
  | CreateViewStatement
  | CreateDictionaryStatement
  | CreateFunctionStatement
  | CreateNamedCollectionStatement
  | CreateAccessEntityStatement;

/** Where a statement that shaped an object stands. */
export interface SourceLocation {
  file: string;
  range: Range;
}

/** One object of the desired schema: its definition after every migration ran. */
export interface SchemaObject {
  kind: ObjectKind;
  /** `db.name` for tables, views and dictionaries; the bare name for everything else. */
  id: string;
  database?: string;
  name: string;
  /**
   * The CREATE statement with every later ALTER, RENAME and EXCHANGE applied. A copy: the parsed
   * tree is never changed. Ranges inside it still point into the file of the statement they came from.
   */
  definition: ObjectDefinition;
  /** The statement that created it. */
  created: SourceLocation;
  /** The database unqualified names in its definition meant when it was created (the USE in effect). */
  contextDatabase: string;
  /** The statements that changed it after creation, in order. */
  changes: SourceLocation[];
  /**
   * For a view or a materialized view without TO: the query its stored column list was derived from
   * (the one at CREATE: MODIFY QUERY keeps the list) and the tables, views and dictionaries its
   * queries read, by id, as they were when each query was set (canon/derivedColumns.ts).
   * `sourcesGone`: those dropped or renamed away since.
   */
  derivedFrom?: { query: SelectQuery; sources: ReadonlyMap<string, SchemaObject>; sourcesGone?: ReadonlySet<string> };
}

/** A GRANT or REVOKE as replayed, kept in order (grants are state, not objects). */
export interface GrantRecord {
  statement: GrantStatement;
  location: SourceLocation;
  /** The database unqualified places (`ON t`, `ON *`) meant when it ran (the USE in effect). */
  database: string;
}

/**
 * What the migrations did that the resulting state cannot show: a plan needs it to rename instead
 * of dropping and re-creating, and to drop only what the repository dropped.
 */
export type HistoryEvent =
  | { kind: 'renamed'; objectKind: ObjectKind; from: string; to: string; location: SourceLocation }
  | { kind: 'column-renamed'; table: string; from: string; to: string; location: SourceLocation }
  | { kind: 'dropped'; objectKind: ObjectKind; id: string; location: SourceLocation };

export interface Schema {
  /** Objects in creation order. */
  objects: SchemaObject[];
  grants: GrantRecord[];
  /** Renames and drops in the order they ran. */
  history: HistoryEvent[];
  /** Databases referenced but not created in the repository (managed elsewhere). */
  externalDatabases: string[];
  diagnostics: Diagnostic[];
}

/** Namespaces in which names must be unique: tables, views and dictionaries share one per database. */
export function namespaceOf(kind: ObjectKind): string {
  switch (kind) {
    case 'table':
    case 'view':
    case 'materialized-view':
    case 'dictionary':
      return 'table';
    default:
      return kind;
  }
}

export function objectKey(kind: ObjectKind, id: string): string {
  return `${namespaceOf(kind)}:${id}`;
}
