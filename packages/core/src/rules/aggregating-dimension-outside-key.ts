import { keyColumnsOf } from '../model/keyColumns.js';
import type { CreateTableStatement } from '../syntax/ast.js';
import { defineRule, perStatement, type StatementFinding } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * An AggregatingMergeTree collapses the rows of one sorting key into one row at each merge: a column
 * that is neither in a key nor an aggregate keeps the value of an arbitrary row. ClickHouse 26.x
 * refuses such a table (code 36) when it has an aggregate column at all, unless
 * `allow_dimensions_outside_sorting_key = 1`; older servers
 * accept it and give wrong results for queries that group or filter on the column. Checked with chDB
 * in the test.
 */
const rule = defineRule({
  id: 'aggregating-dimension-outside-key',
  severity: 'error',
  docs: {
    description:
      'An AggregatingMergeTree has a plain column outside its keys: ClickHouse 26.x refuses the table, older servers keep an arbitrary value per key.',
  },
  messages: {
    dimension: {
      message:
        '`{column}` of the AggregatingMergeTree `{table}` is neither in its sorting or partition key nor an aggregate (AggregateFunction, SimpleAggregateFunction): ClickHouse 26.x refuses the CREATE (code 36), and older servers keep the value of an arbitrary row for each key after merges.',
      help: 'Add `{column}` to ORDER BY, make it an aggregate (`SimpleAggregateFunction(any, ...)` if any value will do), or add SETTINGS allow_dimensions_outside_sorting_key = 1 if it depends only on the key.',
    },
    added: {
      message:
        '`{column}` added to the AggregatingMergeTree `{table}` is neither in its sorting or partition key nor an aggregate (AggregateFunction, SimpleAggregateFunction): ClickHouse accepts the ALTER (it checks only at CREATE), but merges keep the value of an arbitrary row for each key.',
      help: 'Make the column an aggregate (`SimpleAggregateFunction(sum, UInt64)`, or `SimpleAggregateFunction(any, ...)` if any value will do).',
    },
  },
  create(context) {
    return {
      CreateTable(statement, { file }) {
        for (const finding of findingsOf(statement)) context.report({ file, ...finding });
      },
      AlterTable(statement, { file, index }) {
        if (!statement.actions.some((a) => (a.kind === 'AddColumn' || a.kind === 'ModifyColumn') && a.column.type)) return;
        const timeline = timelineOf(context);
        const id = timeline.idAt(index, statement.table);
        const table = timeline.before(index).tables.get(id);
        if (table?.definition.kind !== 'CreateTable' || !aggregatesPerKey(table.definition)) return;
        const keys = keyColumnsOf(table.definition);
        for (const action of statement.actions) {
          if ((action.kind !== 'AddColumn' && action.kind !== 'ModifyColumn') || !action.column.type) continue;
          if (action.column.defaultKind && action.column.defaultKind !== 'DEFAULT') continue;
          const column = action.column.name.map((n) => n.name).join('.');
          if (keys.has(column) || isAggregate(action.column.type.name)) continue;
          context.report({ file, node: action.column, messageId: 'added', data: { column, table: id } });
        }
      },
    };
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/** Column types that merges aggregate instead of picking one row's value. */
const AGGREGATE_TYPES = new Set(['AggregateFunction', 'SimpleAggregateFunction']);

const isAggregate = (type: string | undefined) => AGGREGATE_TYPES.has(type ?? '');

/**
 * Whether an AggregatingMergeTree aggregates per key: it has an aggregate column, and does not
 * allow dimensions outside the key. Without any aggregate column, ClickHouse takes the table as one
 * that keeps a row per key (it accepts it), so every column is meant to be that row's.
 */
function aggregatesPerKey(statement: CreateTableStatement): boolean {
  const storage = statement.storage;
  if (!storage?.engine?.name.name.endsWith('AggregatingMergeTree') || !statement.elements) return false;
  const allowed = storage.settings?.some(
    (s) => s.name.name === 'allow_dimensions_outside_sorting_key' && s.value?.kind === 'Literal' && !['0', 'false'].includes(s.value.value),
  );
  return !allowed && statement.elements.some((e) => e.kind === 'ColumnDefinition' && isAggregate(e.type?.name));
}

const findingsOf = perStatement((statement: CreateTableStatement): StatementFinding<Messages>[] => {
  if (!aggregatesPerKey(statement) || !statement.elements) return [];
  const keys = keyColumnsOf(statement);
  const found: StatementFinding<Messages>[] = [];
  for (const element of statement.elements) {
    // ALIAS, MATERIALIZED and EPHEMERAL columns are computed, not merged: ClickHouse accepts them.
    if (element.kind !== 'ColumnDefinition' || (element.defaultKind && element.defaultKind !== 'DEFAULT')) continue;
    const column = element.name.map((n) => n.name).join('.');
    if (keys.has(column) || isAggregate(element.type?.name)) continue;
    found.push({ node: element, messageId: 'dimension', data: { column, table: statement.name.name.name } });
  }
  return found;
});
