import type { Range } from '../diagnostics.js';
import type { ObjectKind } from '../model/schema.js';
import type { Statement, TableElement } from '../syntax/ast.js';
import type { EditorModel } from './model.js';

/** What an outline shows for a statement: CREATEs with their columns, other statements by verb and object. */
export interface EditorSymbol {
  name: string;
  /** `ALTER TABLE`, `DROP`, the engine of a table... */
  detail: string;
  kind: ObjectKind | 'column' | 'statement';
  /** The whole statement (or column definition). */
  range: Range;
  /** The name in it. */
  selectionRange: Range;
  children: EditorSymbol[];
}

/** The outline of one file. */
export function documentSymbols(model: EditorModel, file: string): EditorSymbol[] {
  return model.names.statements.filter((s) => s.file === file).flatMap((s) => symbolOf(s.statement, s.database));
}

function symbolOf(statement: Statement, database: string): EditorSymbol[] {
  const range = { start: statement.start, end: statement.end };
  const qualified = (name: { database?: { name: string }; name: { name: string } }) => `${name.database?.name ?? database}.${name.name.name}`;
  const symbol = (name: string, kind: EditorSymbol['kind'], detail: string, selection: Range, children: EditorSymbol[] = []): EditorSymbol[] => [
    { name, kind, detail, range, selectionRange: { start: selection.start, end: selection.end }, children },
  ];
  switch (statement.kind) {
    case 'CreateTable':
      return symbol(qualified(statement.name), 'table', statement.storage?.engine?.name.name ?? 'table', statement.name, columnsOf(statement.elements));
    case 'CreateView': {
      const kind = statement.viewKind === 'MATERIALIZED' ? 'materialized-view' : 'view';
      const detail = statement.to ? `materialized view → ${qualified(statement.to)}` : kind.replace('-', ' ');
      return symbol(qualified(statement.name), kind, detail, statement.name, columnsOf(statement.elements));
    }
    case 'CreateDictionary':
      return symbol(
        qualified(statement.name),
        'dictionary',
        'dictionary',
        statement.name,
        statement.attributes.map((a) => ({
          name: a.name.name,
          kind: 'column' as const,
          detail: a.type.name,
          range: { start: a.start, end: a.end },
          selectionRange: { start: a.name.start, end: a.name.end },
          children: [],
        })),
      );
    case 'CreateDatabase':
      return symbol(statement.name.name, 'database', statement.engine?.name.name ?? 'database', statement.name);
    case 'CreateFunction':
      return symbol(statement.name.name, 'function', 'function', statement.name);
    case 'AlterTable':
      return symbol(
        qualified(statement.table),
        'statement',
        `ALTER TABLE (${statement.actions.length} change${statement.actions.length === 1 ? '' : 's'})`,
        statement.table,
      );
    case 'Drop':
      return statement.names[0] ? symbol(qualified(statement.names[0]), 'statement', `${statement.verb} ${statement.objectKind}`, statement.names[0]) : [];
    case 'Rename':
    case 'Exchange':
      return statement.pairs[0]
        ? symbol(
            `${qualified(statement.pairs[0].from)} → ${qualified(statement.pairs[0].to)}`,
            'statement',
            statement.kind.toUpperCase(),
            statement.pairs[0].from,
          )
        : [];
    case 'Insert':
      return statement.table ? symbol(qualified(statement.table), 'statement', 'INSERT', statement.table) : [];
    default:
      return [];
  }
}

function columnsOf(elements: TableElement[] | undefined): EditorSymbol[] {
  return (elements ?? []).flatMap((e) =>
    e.kind === 'ColumnDefinition' && e.name.length > 0
      ? [
          {
            name: e.name.map((p) => p.name).join('.'),
            kind: 'column' as const,
            detail: e.type?.name ?? '',
            range: { start: e.start, end: e.end },
            selectionRange: { start: e.name[0].start, end: e.name[e.name.length - 1].end },
            children: [],
          },
        ]
      : [],
  );
}

/** An object of the workspace for a symbol search. */
export interface WorkspaceSymbol {
  name: string;
  kind: ObjectKind | 'column';
  /** The database, or the table of a column. */
  container: string;
  file: string;
  range: Range;
}

/**
 * Objects of the desired schema whose name contains the query's characters in order (as editors
 * match), where each was created. An empty query lists them all.
 */
export function workspaceSymbols(model: EditorModel, query: string): WorkspaceSymbol[] {
  const wanted = query.toLowerCase();
  const matches = (name: string) => {
    let i = 0;
    for (const c of name.toLowerCase()) if (c === wanted[i]) i++;
    return i === wanted.length;
  };
  const symbols: WorkspaceSymbol[] = [];
  for (const object of model.analysis.schema.objects) {
    if (!matches(object.id)) continue;
    const definition = (model.names.byKey.get(object.kind === 'database' ? `database:${object.id}` : `table:${object.id}`) ?? [])
      .filter((o) => o.role === 'definition')
      .at(-1);
    symbols.push({
      name: object.name,
      kind: object.kind,
      container: object.database ?? '',
      file: definition?.file ?? object.created.file,
      range: definition?.range ?? object.created.range,
    });
  }
  return symbols;
}
