import { bindQuery, type Catalog } from '../bind/binder.js';
import { dictionaryQueryOf, hasDictionaryQuery } from '../bind/dictionaryQuery.js';
import type { Range } from '../diagnostics.js';
import { columnName, identifiersIn } from '../model/alterTable.js';
import { keyColumnsOf } from '../model/keyColumns.js';
import type { SchemaObject } from '../model/schema.js';
import { typeChangeVerdict } from '../semantics/columnChanges.js';
import { parseDataType, printDataType } from '../semantics/dataTypes.js';
import type { AlterAction, ColumnDefinition, SelectQuery } from '../syntax/ast.js';
import { forEachChild, type SyntaxNode } from '../syntax/nodes.js';
import { columnTypeText } from './columnTypes.js';
import { defineRule } from './rule.js';
import { type SchemaState, timelineOf } from './schemaAt.js';

type MessageId = 'dropRefused' | 'insertsFail' | 'viewFails' | 'dictionaryFails' | 'stateTypeChanges' | 'starRenamed';

/**
 * Views, materialized views and dictionaries name the columns they read. ClickHouse checks only
 * materialized views fired by the table when a column is dropped (code 524); everything else breaks
 * when it next runs: inserts into an MV's source, queries of a view, loads of a dictionary.
 */
export default defineRule({
  id: 'column-change-breaks-dependent',
  severity: 'error',
  docs: { description: 'A column that a view, materialized view or dictionary reads is dropped, renamed or retyped: the dependent breaks.' },
  messages: {
    dropRefused: {
      message: '`{dependent}` reads `{table}.{column}`: ClickHouse refuses to drop a column that a materialized view fired by the table reads (code 524).',
      help: 'Change the view first (ALTER TABLE {dependent} MODIFY QUERY without `{column}`), then drop the column.',
    },
    insertsFail: {
      message:
        '`{dependent}` reads `{table}.{column}`: after this {what}, every insert into `{source}` fails (code 47: unknown identifier) until the view is changed.',
      help: 'Change the view in the same migration, right after this ALTER (ALTER TABLE {dependent} MODIFY QUERY ...), or keep the old name as an ALIAS column.',
    },
    viewFails: {
      message: '`{dependent}` reads `{table}.{column}`: after this {what}, every query of `{dependent}` fails (code 47: unknown identifier).',
      help: 'Recreate `{dependent}` without `{column}` in the same migration, or keep the old name as an ALIAS column.',
    },
    dictionaryFails: {
      message:
        'Dictionary `{dependent}` loads `{column}` from `{table}`: after this {what}, every load of it fails (code 47), so it serves stale rows, or none if it was not loaded yet.',
      help: 'Recreate `{dependent}` to match the new columns in the same migration, or keep the old name as an ALIAS column.',
    },
    stateTypeChanges: {
      message:
        '`{dependent}` aggregates `{table}.{column}` with `{function}`: after this type change the state it produces has another type than its target column, and every insert into `{table}` fails (code 70).',
      help: 'Cast the argument to the old type in the view (`{function}(CAST({column} AS ...))`) with MODIFY QUERY in the same migration, or change the target column too.',
    },
    starRenamed: {
      message:
        '`{dependent}` selects `*` from `{table}` into `{target}`: after this RENAME COLUMN the values arrive as `{newName}`, which `{target}` does not have, so `{target}.{column}` gets its default in every new row.',
      help: 'Rename the column of `{target}` too, in the same migration (ALTER TABLE {target} RENAME COLUMN {column} TO {newName}), or list the columns in the view.',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    const changes = (a: AlterAction) => a.kind === 'DropColumn' || a.kind === 'RenameColumn' || (a.kind === 'ModifyColumn' && !!a.column.type);
    return {
      AlterTable(statement, { file, index }) {
        if (!statement.actions.some(changes)) return;
        const table = timeline.idAt(index, statement.table);
        const state = timeline.before(index);
        const object = state.tables.get(table);
        const columns = columnsOf(object);
        if (object?.definition.kind !== 'CreateTable' || !columns) return;
        const keys = keyColumnsOf(object.definition);
        for (const action of statement.actions) {
          const change = describeChange(action, columns, keys);
          if (!change) continue;
          for (const dependency of state.dependenciesOn(table)) {
            if (!['trigger', 'reads', 'dictionary-source'].includes(dependency.kind)) continue;
            const dependent = state.tables.get(dependency.from);
            if (!dependent) continue;
            const uses = usesOf(dependent, table, state).filter((u) => isUseOf(u, change.column));
            if (uses.length === 0) continue;
            const messageId = effectOf(change, dependent, dependency.kind, uses, state);
            if (!messageId) continue;
            // ClickHouse refuses a refused change on the spot; anything else counts only if the file leaves the dependent broken.
            const end = timeline.before(timeline.endOfFile(index));
            if (messageId !== 'dropRefused' && !isStillBroken(end, dependent.id, table, change, messageId)) continue;
            const source = state.dependencies.find((d) => d.from === dependent.id && d.kind === 'trigger')?.to ?? table;
            const stateFunction = uses.find((u) => u.stateFunction)?.stateFunction ?? '';
            context.report({
              file,
              node: action,
              messageId,
              data: {
                dependent: dependent.id,
                table,
                column: change.column,
                what: change.what,
                source,
                function: stateFunction,
                target: targetOf(dependent) ?? '',
                newName: change.newName ?? '',
              },
            });
          }
        }
      },
    };
  },
});

interface Change {
  column: string;
  what: 'DROP COLUMN' | 'RENAME COLUMN' | 'MODIFY COLUMN';
  /** For RENAME COLUMN: the new name. */
  newName?: string;
}

/** The column an action removes, renames or retypes, if it exists at this point (and ClickHouse accepts the change). */
function describeChange(action: AlterAction, columns: Map<string, ColumnDefinition>, keys: Set<string>): Change | undefined {
  if (action.kind === 'DropColumn' && columns.has(columnName(action.column))) return { column: columnName(action.column), what: 'DROP COLUMN' };
  if (action.kind === 'RenameColumn' && columns.has(columnName(action.from))) {
    return { column: columnName(action.from), what: 'RENAME COLUMN', newName: columnName(action.to) };
  }
  if (action.kind === 'ModifyColumn' && action.column.type) {
    const old = columns.get(columnName(action.column.name));
    const before = old && columnTypeText(old);
    const after = columnTypeText(action.column);
    const name = columnName(action.column.name);
    if (
      before &&
      after &&
      before !== after &&
      typeChangeVerdict(before, after, { key: keys.has(name), hasDefault: !!old.defaultKind || !!action.column.defaultKind }).kind !== 'refused'
    )
      return { column: name, what: 'MODIFY COLUMN' };
  }
  return undefined;
}

function effectOf(change: Change, dependent: SchemaObject, kind: string, uses: ColumnUse[], state: SchemaState): MessageId | undefined {
  const isFired = dependent.kind === 'materialized-view' && dependent.definition.kind === 'CreateView' && !dependent.definition.refresh;
  if (uses.every((u) => u.column === '*')) {
    // `SELECT *` adapts to the columns the table has, except in a view fired by the table: ClickHouse
    // refuses the drop, and a renamed column reaches the target under its new name.
    if (!isFired || kind !== 'trigger') return undefined;
    if (change.what === 'DROP COLUMN') return 'dropRefused';
    return change.what === 'RENAME COLUMN' && isTargetMissing(state, dependent, change) ? 'starRenamed' : undefined;
  }
  if (dependent.kind === 'dictionary') return change.what === 'MODIFY COLUMN' ? undefined : 'dictionaryFails';
  if (!isFired) return change.what === 'MODIFY COLUMN' ? undefined : 'viewFails';
  if (change.what === 'MODIFY COLUMN') return kind === 'trigger' && uses.some((u) => u.stateFunction) ? 'stateTypeChanges' : undefined;
  return change.what === 'DROP COLUMN' && kind === 'trigger' ? 'dropRefused' : 'insertsFail';
}

/** The view's TO table has the renamed column's old name and not its new one. */
function isTargetMissing(state: SchemaState, view: SchemaObject, change: Change): boolean {
  const target = targetOf(view);
  const columns = target ? columnsOf(state.tables.get(target)) : undefined;
  return !!columns && columns.has(change.column) && !columns.has(change.newName ?? '');
}

function targetOf(view: SchemaObject): string | undefined {
  const definition = view.definition;
  return definition.kind === 'CreateView' && definition.to ? `${definition.to.database?.name ?? view.contextDatabase}.${definition.to.name.name}` : undefined;
}

/** At the end of the file: the dependent still reads the column from the table, and the table has no column of that name. */
function isStillBroken(state: SchemaState, dependentId: string, table: string, change: Change, messageId: MessageId): boolean {
  const dependent = state.tables.get(dependentId);
  if (!dependent) return false;
  const uses = usesOf(dependent, table, state).filter((u) => isUseOf(u, change.column));
  if (messageId === 'starRenamed')
    return uses.length > 0 && isTargetMissing(state, dependent, change) && !columnsOf(state.tables.get(table))?.has(change.column);
  if (messageId !== 'stateTypeChanges') return uses.length > 0 && !columnsOf(state.tables.get(table))?.has(change.column);
  const current = columnsOf(state.tables.get(table))?.get(change.column);
  const type = current && columnTypeText(current);
  return uses.some((u) => u.stateFunction && !isStateOf(state, dependent, u.output, type));
}

/** The view's target column for this output is `AggregateFunction(f, ...)` over the column's current type. */
function isStateOf(state: SchemaState, view: SchemaObject, output: string | undefined, type: string | undefined): boolean {
  const definition = view.definition;
  if (definition.kind !== 'CreateView' || !definition.to || !output || !type) return false;
  const target = columnsOf(state.tables.get(`${definition.to.database?.name ?? view.contextDatabase}.${definition.to.name.name}`))?.get(output);
  const targetType = target && columnTypeText(target);
  if (!targetType) return false;
  const parsed = parseDataType(targetType);
  return parsed.name === 'AggregateFunction' && parsed.args.slice(1).some((a) => a.kind === 'type' && printDataType(a.type) === type);
}

function columnNamesOf(object: SchemaObject | undefined): ReadonlySet<string> | undefined {
  const columns = columnsOf(object);
  return columns && new Set(columns.keys());
}

function columnsOf(object: SchemaObject | undefined): Map<string, ColumnDefinition> | undefined {
  if (object?.definition.kind !== 'CreateTable') return undefined;
  const columns = new Map<string, ColumnDefinition>();
  for (const element of object.definition.elements ?? []) if (element.kind === 'ColumnDefinition') columns.set(columnName(element.name), element);
  return columns;
}

/** A use of the column: by name (`items`, a Nested column, covers `items.sku` and the other way round), or by `*` that does not EXCEPT it. */
function isUseOf(use: ColumnUse, column: string): boolean {
  if (use.column === '*') return !use.except?.includes(column);
  return use.column === column || use.column.startsWith(`${column}.`) || column.startsWith(`${use.column}.`);
}

// ---------------------------------------------------------------- columns a dependent reads

interface ColumnUse {
  column: string;
  range: Range;
  /** Set when the column is a direct argument of an aggregate `-State` function (whose state type follows the argument type). */
  stateFunction?: string;
  /** The SELECT alias of the expression the column is used in. */
  output?: string;
  /** For `*` (column `*`): the columns of `* EXCEPT (...)`. */
  except?: string[];
}

/** The columns of `table` that a view's query or a dictionary's source names, resolved against the columns of `state`. */
function usesOf(object: SchemaObject, table: string, state: SchemaState): ColumnUse[] {
  const definition = object.definition;
  const catalog: Catalog = { columnsOf: (id) => columnNamesOf(state.tables.get(id)) };
  if (definition.kind === 'CreateView' && definition.query) return columnsReadFrom(definition.query, table, object.contextDatabase, catalog);
  if (definition.kind !== 'CreateDictionary' || definition.source?.name.name.toUpperCase() !== 'CLICKHOUSE') return [];
  const query = dictionaryQueryOf(definition);
  if (query) return columnsReadFrom(query, table, object.database ?? object.contextDatabase, catalog);
  if (hasDictionaryQuery(definition)) return [];
  // SOURCE(CLICKHOUSE(TABLE 't')) selects the key, the range bounds and every attribute by name.
  const range = { start: definition.start, end: definition.start };
  const names = [
    ...definition.attributes.filter((a) => !a.expression).map((a) => a.name.name),
    ...definition.attributes.flatMap((a) => (a.expression ? identifiersIn(a.expression) : [])),
    ...definition.primaryKey.flatMap(identifiersIn),
    ...(definition.range ? [definition.range.min.name, definition.range.max.name] : []),
  ];
  return names.map((column) => ({ column, range }));
}

/**
 * The uses of `table`'s columns in a query, as the binder resolved its names: column references
 * that can mean a column of the table (SELECT aliases, WITH names and lambda parameters are not
 * columns), and each `*` that expands the table alone.
 */
function columnsReadFrom(query: SelectQuery, table: string, database: string, catalog: Catalog): ColumnUse[] {
  const binding = bindQuery(query, { database, catalog });
  const uses: ColumnUse[] = [];
  const visit = (node: SyntaxNode, parent: SyntaxNode | undefined, output: string | undefined): void => {
    if (node.kind === 'Asterisk') {
      const star = binding.stars.get(node);
      const only = star?.sources.length === 1 ? star.sources[0] : undefined;
      if (star && only?.kind === 'table' && only.id === table)
        uses.push({ column: '*', range: { start: node.start, end: node.end }, except: [...star.except] });
      return;
    }
    if (node.kind === 'ColumnRef') {
      const symbol = binding.symbols.get(node);
      if (symbol?.kind !== 'column' || !symbol.tables.includes(table)) return;
      const call = parent?.kind === 'FunctionCall' ? parent.name.name : '';
      const stateFunction = /State$/.test(call) && !/SimpleState$/.test(call) ? call : undefined;
      uses.push({
        column: symbol.column,
        range: { start: node.start, end: node.end },
        ...(stateFunction ? { stateFunction } : {}),
        ...(output ? { output } : {}),
      });
      return;
    }
    // An expression of the SELECT list lands in the output column its alias names.
    const named = node.kind === 'AliasExpression' && parent?.kind === 'Select' ? node.alias.name : output;
    forEachChild(node, (child) => visit(child, node, named));
  };
  visit(query, undefined, undefined);
  return uses;
}
