import { bindQuery, type Catalog, outputNames, type QueryBinding } from '../bind/binder.js';
import type { Range } from '../diagnostics.js';
import { dependenciesOf } from '../graph/dependencies.js';
import { collectQueryReferences } from '../graph/references.js';
import type { Analysis } from '../inspect/analyze.js';
import type { ObjectDefinition, ObjectKind, SchemaObject } from '../model/schema.js';
import type { AlterAction, Expression, Identifier, QualifiedName, SelectQuery, Statement, TableElement } from '../syntax/ast.js';

export { outputNames } from '../bind/binder.js';

type Push = (key: SymbolKey, range: Range, role: Occurrence['role']) => void;

import { forEachDescendant } from '../syntax/nodes.js';

// Where every name of a repository stands: each CREATE, ALTER, DROP, RENAME and query that names a
// database, a table (view, dictionary) or a column, resolved the way ClickHouse resolves it at that
// point of the migrations (the file's database, then USE). Definition, references, hover and rename
// safety all read this one index.

/** `table:db.t` (tables, views and dictionaries share a namespace), `database:db`, `column:db.t:c`. */
export type SymbolKey = string;

export interface Occurrence {
  key: SymbolKey;
  file: string;
  /** The name as written (for a column, its parts without a table qualifier). */
  range: Range;
  /** Where the name is defined (CREATE, ADD COLUMN, RENAME ... TO) or used. */
  role: 'definition' | 'reference';
  /** The statement's place in migration order, across files. */
  order: number;
}

/** A statement with what it needs to be read on its own. */
export interface IndexedStatement {
  file: string;
  statement: Statement;
  /** The database unqualified names in it resolve to. */
  database: string;
  order: number;
}

export interface NameIndex {
  statements: IndexedStatement[];
  /** By file, sorted by offset. */
  byFile: Map<string, Occurrence[]>;
  byKey: Map<SymbolKey, Occurrence[]>;
}

export function tableKey(id: string): SymbolKey {
  return `table:${id}`;
}

export function databaseKey(name: string): SymbolKey {
  return `database:${name}`;
}

export function columnKey(tableId: string, column: string): SymbolKey {
  return `column:${tableId}:${column}`;
}

/** What a key names: `{ kind: 'column', table: 'db.t', column: 'c' }`. */
export function parseKey(key: SymbolKey): { kind: 'table' | 'database'; id: string } | { kind: 'column'; table: string; column: string } {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (kind === 'column') {
    const split = rest.indexOf(':');
    return { kind: 'column', table: rest.slice(0, split), column: rest.slice(split + 1) };
  }
  return { kind: kind as 'table' | 'database', id: rest };
}

/** Indexes the names of an analysed repository; `defaultDatabase` is the one given to `analyzeFiles`. */
export function indexNames(analysis: Analysis, defaultDatabase: string): NameIndex {
  const builder = new IndexBuilder();
  const fileDatabases = new Map(analysis.files.map((f) => [f.file, f.defaultDatabase ?? defaultDatabase]));
  let order = 0;
  for (const { file, statements } of analysis.parsed) {
    let database = fileDatabases.get(file) ?? defaultDatabase;
    for (const statement of statements) {
      builder.statements.push({ file, statement, database, order });
      builder.add(file, statement, database, order);
      if (statement.kind === 'Use') database = statement.database.name;
      order++;
    }
  }
  for (const list of builder.byFile.values()) list.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { statements: builder.statements, byFile: builder.byFile, byKey: builder.byKey };
}

class IndexBuilder {
  readonly statements: IndexedStatement[] = [];
  readonly byFile = new Map<string, Occurrence[]>();
  readonly byKey = new Map<SymbolKey, Occurrence[]>();
  /** The id a table had when it was created, by its id now: columns are keyed by that, so a RENAME keeps them. */
  private readonly origin = new Map<string, string>();
  /** Column keys defined so far (CREATE columns, ADD COLUMN), to resolve names in queries. */
  private readonly columns = new Set<SymbolKey>();
  /** The same columns by the table's origin id, for the binder. */
  private readonly tableColumns = new Map<string, Set<string>>();
  private readonly catalog: Catalog = { columnsOf: (tableId) => this.tableColumns.get(this.originOf(tableId)) };
  private lastBinding: { query: SelectQuery; database: string; binding: QueryBinding } | undefined;

  add(file: string, statement: Statement, database: string, order: number): void {
    const push = (key: SymbolKey, range: Range, role: Occurrence['role']) => {
      if (range.end <= range.start) return; // a Missing name, or a name the model made up
      const occurrence: Occurrence = { key, file, range: { start: range.start, end: range.end }, role, order };
      let list = this.byFile.get(file);
      if (!list) this.byFile.set(file, (list = []));
      list.push(occurrence);
      let same = this.byKey.get(key);
      if (!same) this.byKey.set(key, (same = []));
      same.push(occurrence);
    };
    const idOf = (name: QualifiedName) => `${name.database?.name ?? database}.${name.name.name}`;
    const table = (name: QualifiedName, role: Occurrence['role']) => {
      if (name.database) push(databaseKey(name.database.name), name.database, 'reference');
      push(tableKey(idOf(name)), name.name, role);
    };
    const column = (tableId: string, parts: Identifier[], role: Occurrence['role']) => {
      if (parts.length === 0) return;
      const origin = this.originOf(tableId);
      const name = parts.map((p) => p.name).join('.');
      const key = columnKey(origin, name);
      if (role === 'definition') this.defineColumn(origin, name);
      push(key, { start: parts[0].start, end: parts[parts.length - 1].end }, role);
    };
    const dependencies = (kind: ObjectKind, name: QualifiedName, definition: ObjectDefinition) => {
      const id = idOf(name);
      const object: SchemaObject = {
        kind,
        id,
        database: name.database?.name ?? database,
        name: name.name.name,
        definition,
        created: { file, range: { start: statement.start, end: statement.end } },
        contextDatabase: database,
        changes: [],
      };
      for (const d of dependenciesOf(object, [])) if (d.kind !== 'database') push(tableKey(d.to), d.range, 'reference');
    };
    const elements = (tableId: string, list: TableElement[] | undefined, role: Occurrence['role']) => {
      for (const element of list ?? []) if (element.kind === 'ColumnDefinition') column(tableId, element.name, role);
    };

    switch (statement.kind) {
      case 'CreateDatabase':
        push(databaseKey(statement.name.name), statement.name, 'definition');
        return;
      case 'CreateTable': {
        if (statement.temporary) return;
        const id = idOf(statement.name);
        this.origin.delete(id);
        table(statement.name, 'definition');
        if (statement.asTable) table(statement.asTable, 'reference');
        elements(id, statement.elements, 'definition');
        dependencies('table', statement.name, statement);
        // `AS other` copies its columns: they are the same columns under another table.
        if (statement.asTable && !statement.elements) this.copyColumns(idOf(statement.asTable), id);
        this.queryColumns(statement.asSelect, database, push);
        this.keyColumns(id, statement, push);
        return;
      }
      case 'CreateView': {
        const id = idOf(statement.name);
        this.origin.delete(id);
        table(statement.name, 'definition');
        if (statement.to) table(statement.to, 'reference');
        for (const d of statement.refresh?.dependsOn ?? []) table(d, 'reference');
        elements(id, statement.elements, 'definition');
        dependencies(statement.viewKind === 'MATERIALIZED' ? 'materialized-view' : 'view', statement.name, statement);
        this.queryColumns(statement.query, database, push);
        if (statement.to) {
          const target = idOf(statement.to);
          elements(target, statement.toColumns, 'reference');
          // An MV's SELECT names the columns of its TO table: each output column lands in the target column of that name.
          for (const output of outputNames(statement.query)) column(target, output, 'reference');
        }
        return;
      }
      case 'CreateDictionary': {
        const id = idOf(statement.name);
        this.origin.delete(id);
        table(statement.name, 'definition');
        for (const attribute of statement.attributes) column(id, [attribute.name], 'definition');
        dependencies('dictionary', statement.name, statement);
        return;
      }
      case 'AlterTable': {
        const id = idOf(statement.table);
        table(statement.table, 'reference');
        for (const action of statement.actions) this.alterAction(id, action, database, column, push);
        return;
      }
      case 'AlterDatabase':
        push(databaseKey(statement.name.name), statement.name, 'reference');
        return;
      case 'Drop':
        for (const name of statement.names) {
          if (statement.objectKind === 'DATABASE') push(databaseKey(name.name.name), name.name, 'reference');
          else if (['TABLE', 'VIEW', 'DICTIONARY'].includes(statement.objectKind)) table(name, 'reference');
        }
        for (const name of statement.on ?? []) table(name, 'reference');
        return;
      case 'Rename':
      case 'Exchange':
        for (const { from, to } of statement.pairs) {
          if (statement.objectKind === 'DATABASE') {
            push(databaseKey(from.name.name), from.name, 'reference');
            push(databaseKey(to.name.name), to.name, statement.kind === 'Rename' ? 'definition' : 'reference');
            continue;
          }
          table(from, 'reference');
          table(to, statement.kind === 'Rename' ? 'definition' : 'reference');
          if (statement.kind === 'Rename') this.origin.set(idOf(to), this.originOf(idOf(from)));
        }
        return;
      case 'Truncate':
        if (statement.objectKind === 'DATABASE') push(databaseKey(statement.name.name.name), statement.name.name, 'reference');
        else table(statement.name, 'reference');
        return;
      case 'Attach':
        if (statement.objectKind === 'DATABASE') push(databaseKey(statement.name.name.name), statement.name.name, 'reference');
        else table(statement.name, 'reference');
        return;
      case 'Optimize':
      case 'Delete':
      case 'Update':
        table(statement.table, 'reference');
        return;
      case 'Insert':
        if (statement.table) table(statement.table, 'reference');
        if (statement.table && statement.columns) {
          const id = idOf(statement.table);
          for (const c of statement.columns) if (c.kind === 'ColumnRef') column(id, c.parts, 'reference');
        }
        if (statement.select) this.queryTables(statement.select, database, push);
        this.queryColumns(statement.select, database, push);
        return;
      case 'CreateAccessEntity':
        for (const name of statement.on ?? []) table(name, 'reference');
        return;
      case 'Use':
        push(databaseKey(statement.database.name), statement.database, 'reference');
        return;
      case 'SelectStatement':
        this.queryTables(statement.query, database, push);
        this.queryColumns(statement.query, database, push);
        return;
      default:
        return;
    }
  }

  private originOf(id: string): string {
    return this.origin.get(id) ?? id;
  }

  private defineColumn(origin: string, name: string): void {
    this.columns.add(columnKey(origin, name));
    let names = this.tableColumns.get(origin);
    if (!names) this.tableColumns.set(origin, (names = new Set()));
    names.add(name);
  }

  private copyColumns(from: string, to: string): void {
    for (const name of this.tableColumns.get(this.originOf(from)) ?? []) this.defineColumn(to, name);
  }

  private alterAction(
    id: string,
    action: AlterAction,
    database: string,
    column: (tableId: string, parts: Identifier[], role: Occurrence['role']) => void,
    push: (key: SymbolKey, range: Range, role: Occurrence['role']) => void,
  ): void {
    switch (action.kind) {
      case 'AddColumn':
        column(id, action.column.name, 'definition');
        if (action.position && 'after' in action.position) column(id, [action.position.after], 'reference');
        return;
      case 'ModifyColumn':
        column(id, action.column.name, 'reference');
        return;
      case 'RenameColumn':
        column(id, action.from, 'reference');
        column(id, action.to, 'definition');
        return;
      case 'DropColumn':
      case 'ClearColumn':
      case 'CommentColumn':
      case 'MaterializeColumn':
      case 'ModifyColumnRemove':
      case 'ModifyColumnSettings':
      case 'ModifyColumnAddEnumValues':
        column(id, action.column, 'reference');
        return;
      case 'ModifyQuery':
        this.queryTables(action.query, database, push);
        this.queryColumns(action.query, database, push);
        return;
      case 'PartitionOperation':
        for (const other of [action.fromTable, action.toTable]) {
          if (!other) continue;
          if (other.database) push(databaseKey(other.database.name), other.database, 'reference');
          push(tableKey(`${other.database?.name ?? database}.${other.name.name}`), other.name, 'reference');
        }
        return;
      default:
        return;
    }
  }

  /** Tables a standalone query (INSERT ... SELECT, ALTER ... MODIFY QUERY, SELECT) reads. */
  private queryTables(query: SelectQuery, database: string, push: Push): void {
    const refs = collectQueryReferences(query, this.bind(query, database));
    for (const r of [...(refs.trigger ? [refs.trigger] : []), ...refs.reads]) push(tableKey(`${r.database ?? database}.${r.name}`), r.range, 'reference');
  }

  /** ORDER BY, PARTITION BY, PRIMARY KEY, SAMPLE BY and TTL name the table's own columns. */
  private keyColumns(
    id: string,
    statement: { storage?: { orderBy?: Expression; partitionBy?: Expression; primaryKey?: Expression; sampleBy?: Expression } },
    push: Push,
  ): void {
    const storage = statement.storage;
    if (!storage) return;
    for (const expression of [storage.orderBy, storage.partitionBy, storage.primaryKey, storage.sampleBy]) {
      if (!expression) continue;
      forEachDescendant(expression, (node) => {
        if (node.kind !== 'ColumnRef') return undefined;
        const parts = node.parts;
        const key = columnKey(this.originOf(id), parts.map((p) => p.name).join('.'));
        if (this.columns.has(key)) push(key, { start: parts[0].start, end: parts[parts.length - 1].end }, 'reference');
        return undefined;
      });
    }
  }

  /** The binding of a query against the columns defined so far; bound once for its tables and its columns. */
  private bind(query: SelectQuery, database: string): QueryBinding {
    if (this.lastBinding?.query !== query || this.lastBinding.database !== database)
      this.lastBinding = { query, database, binding: bindQuery(query, { database, catalog: this.catalog }) };
    return this.lastBinding.binding;
  }

  /** Columns a query names, as the binder resolved them: in each table that has the column (two for `USING (k)`). */
  private queryColumns(query: SelectQuery | undefined, database: string, push: Push): void {
    if (!query) return;
    for (const symbol of this.bind(query, database).symbols.values()) {
      if (symbol.kind !== 'column' || symbol.parts.length === 0) continue;
      for (const table of symbol.tables) {
        const key = columnKey(this.originOf(table), symbol.column);
        if (!this.columns.has(key)) continue;
        push(key, { start: symbol.parts[0].start, end: symbol.parts[symbol.parts.length - 1].end }, 'reference');
      }
    }
  }
}
