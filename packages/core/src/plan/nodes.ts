import type {
  AlterAction,
  AlterTableStatement,
  DropStatement,
  Expression,
  Identifier,
  InsertStatement,
  Literal,
  ObjectKind,
  QualifiedName,
  RenameStatement,
  SelectQuery,
  SettingAssignment,
} from '../syntax/ast.js';

// Syntax nodes for the statements a plan writes. The plan builds trees and the printer prints
// them, so there is one way to print SQL; built nodes have no source range.

const at = { start: 0, end: 0 };

export function identifier(name: string): Identifier {
  return { kind: 'Identifier', name, quoted: false, ...at };
}

export function stringLiteral(value: string): Literal {
  return { kind: 'Literal', type: 'string', value, ...at };
}

/** `db.name`, or `name` for objects outside databases. */
export function qualifiedName(database: string | undefined, name: string): QualifiedName {
  const node: QualifiedName = { kind: 'QualifiedName', name: identifier(name), ...at };
  if (database !== undefined) node.database = identifier(database);
  return node;
}

/** A dotted column name (`n.a`) as the parser splits it. */
export function columnPath(name: string): Identifier[] {
  return name.split('.').map(identifier);
}

export function alterTable(table: QualifiedName, actions: AlterAction[]): AlterTableStatement {
  return { kind: 'AlterTable', temporary: false, table, actions, ...at };
}

export function dropStatement(objectKind: ObjectKind, name: QualifiedName, options: { sync?: boolean } = {}): DropStatement {
  return {
    kind: 'Drop',
    verb: 'DROP',
    objectKind,
    temporary: false,
    ifExists: true,
    ifEmpty: false,
    names: [name],
    sync: options.sync ?? false,
    permanently: false,
    ...at,
  };
}

export function renameStatement(
  kind: 'Rename' | 'Exchange',
  objectKind: 'TABLE' | 'DICTIONARY' | 'DATABASE',
  from: QualifiedName,
  to: QualifiedName,
): RenameStatement {
  return { kind, objectKind, ifExists: false, pairs: [{ from, to }], ...at };
}

/** `INSERT INTO target (columns) SELECT columns FROM source`. */
/** `INSERT INTO target (columns) SELECT sourceColumns FROM source` (the same names unless given). */
/** `INSERT INTO target (columns) SELECT sourceColumns FROM source [SETTINGS ...]`; `settings` are the read's (name to value). */
export function copyRows(
  target: QualifiedName,
  source: QualifiedName,
  columns: string[],
  sourceColumns: string[] = columns,
  settings: Readonly<Record<string, number | string>> = {},
): InsertStatement {
  const refs: Expression[] = columns.map((c) => ({ kind: 'ColumnRef', parts: [identifier(c)], ...at }));
  const read: Expression[] = sourceColumns.map((c) => ({ kind: 'ColumnRef', parts: [identifier(c)], ...at }));
  const select: SelectQuery = {
    kind: 'SelectQuery',
    with: [],
    operators: [],
    selects: [
      {
        kind: 'Select',
        with: [],
        distinct: false,
        columns: read,
        from: { kind: 'FromClause', table: { kind: 'TableExpression', source, final: false, ...at }, joins: [], ...at },
        window: [],
        ...at,
      },
    ],
    ...at,
  };
  const items: SettingAssignment[] = Object.entries(settings).map(([name, value]) => ({
    kind: 'SettingAssignment',
    name: identifier(name),
    value: typeof value === 'number' ? { kind: 'Literal', type: 'number', value: String(value), ...at } : stringLiteral(value),
    ...at,
  }));
  if (items.length) select.settings = { kind: 'Settings', items, ...at };
  return { kind: 'Insert', table: target, columns: refs, select, ...at };
}
