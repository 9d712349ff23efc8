import { canonicalExpression } from '../canon/expressions.js';
import { columnName, identifiersIn } from '../model/alterTable.js';
import { keyElements } from '../model/keyColumns.js';
import type { SchemaObject } from '../model/schema.js';
import type { CreateTableStatement, Expression } from '../syntax/ast.js';
import { creatingStatement } from './migrationState.js';
import { defineRule, type LocatedStatement } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * MODIFY ORDER BY changes only metadata: the rows on disk stay sorted as they were. ClickHouse
 * therefore accepts a new sorting key only if the primary key is still its prefix and every
 * expression it inserts uses only columns added by the same ALTER (MergeTreeData::checkProperties).
 * The model already reports a column that was not in the key before (`order-by-existing-column`);
 * this rule reports the refusals it misses: the primary key shortened or reordered, and a column of
 * the old key moved or left behind by a removed column.
 */
export default defineRule({
  id: 'order-by-change-refused',
  severity: 'error',
  docs: { description: 'MODIFY ORDER BY removes or reorders sorting-key columns: ClickHouse refuses the ALTER, because it rewrites no data.' },
  messages: {
    primaryKey: {
      message:
        'The new sorting key of `{table}` does not start with its primary key ({primaryKey}): ClickHouse refuses the ALTER (code 36), because MODIFY ORDER BY rewrites no data and the rows on disk stay sorted by the primary key.',
      help: 'Keep the primary key first and append only columns added in the same ALTER; for another order, create a new table with it, copy the rows, then EXCHANGE TABLES.',
    },
    moved: {
      message:
        'The new sorting key of `{table}` moves `{column}`, which was already in the key, to a new position: ClickHouse refuses the ALTER (code 36: an existing column is used in an expression added to the sorting key), because the rows on disk are not sorted that way.',
      help: 'Keep the existing key columns in their order (dropping only trailing ones) and append only columns added in the same ALTER; otherwise create a new table, copy the rows, then EXCHANGE TABLES.',
    },
  },
  create(context) {
    const { statements } = context;
    return {
      AlterTable(statement, { file, index }) {
        if (statement.temporary || !statement.actions.some((a) => a.kind === 'ModifyOrderBy')) return;
        const timeline = timelineOf(context);
        const id = timeline.idAt(index, statement.table);
        const table = timeline.before(index).tables.get(id);
        if (table?.kind !== 'table' || table.definition.kind !== 'CreateTable' || !table.definition.storage?.engine?.name.name.endsWith('MergeTree')) return;
        const print = (e: Expression) => canonicalExpression(e, { database: table.contextDatabase });
        const primaryKey = primaryKeyOf(table, statements)?.map(print);
        const existing = new Set((table.definition.elements ?? []).flatMap((e) => (e.kind === 'ColumnDefinition' ? [columnName(e.name)] : [])));
        const addedHere = new Set<string>();
        let sortingKey = table.definition.storage.orderBy;
        for (const action of statement.actions) {
          if (action.kind === 'AddColumn') addedHere.add(columnName(action.column.name));
          if (action.kind !== 'ModifyOrderBy') continue;
          const next = keyElements(action.expression).map((e) => ({ expression: e, text: print(e) }));
          const data = { table: id, primaryKey: primaryKey?.join(', ') ?? '' };
          if (primaryKey && (primaryKey.length > next.length || primaryKey.some((p, i) => next[i].text !== p))) {
            context.report({ file, node: action.expression, messageId: 'primaryKey', data });
          } else {
            const moved = movedColumn(
              keyElements(sortingKey).map(print),
              next,
              (c) => existing.has(c) && !addedHere.has(c),
              new Set(identifiersIn(sortingKey)),
            );
            if (moved) context.report({ file, node: action.expression, messageId: 'moved', data: { ...data, column: moved } });
          }
          sortingKey = action.expression;
        }
      },
    };
  },
});

/**
 * The first column of the old key that an added expression of the new key uses. ClickHouse walks both
 * keys in step: an element of the new key that is not the next element of the old one is added.
 * Columns that were not in the old key at all are the model's `order-by-existing-column`.
 */
function movedColumn(
  old: string[],
  next: { expression: Expression; text: string }[],
  isExisting: (column: string) => boolean,
  oldKeyColumns: Set<string>,
): string | undefined {
  let o = 0;
  for (const element of next) {
    if (o < old.length && element.text === old[o]) {
      o++;
      continue;
    }
    for (const column of identifiersIn(element.expression)) if (isExisting(column) && oldKeyColumns.has(column)) return column;
  }
  return undefined;
}

/** `(a, b)`, `tuple(a, b)` and `a` as a list of key expressions. */

/**
 * The primary key never changes after CREATE: the explicit PRIMARY KEY, or else the ORDER BY the table
 * was created with. Undefined when it cannot be known (a table created `AS` another, or swapped by EXCHANGE).
 */
function primaryKeyOf(table: SchemaObject, statements: readonly LocatedStatement[]): Expression[] | undefined {
  const created = creatingStatement(statements, table);
  if (created?.kind !== 'CreateTable' || !created.storage) return undefined;
  if (table.changes.some((c) => statements.find((s) => s.file === c.file && s.statement.start === c.range.start)?.statement.kind === 'Exchange'))
    return undefined;
  const explicit = explicitPrimaryKey(created);
  if (explicit) return explicit;
  return created.storage.orderBy ? keyElements(created.storage.orderBy) : undefined;
}

function explicitPrimaryKey(created: CreateTableStatement): Expression[] | undefined {
  if (created.storage?.primaryKey) return keyElements(created.storage.primaryKey);
  const element = created.elements?.find((e) => e.kind === 'PrimaryKeyElement');
  if (element?.kind === 'PrimaryKeyElement') return keyElements(element.expression);
  const columns = created.elements?.filter((e) => e.kind === 'ColumnDefinition' && e.primaryKey) ?? [];
  if (columns.length === 0) return undefined;
  return columns.map((c) => ({ kind: 'ColumnRef', parts: c.kind === 'ColumnDefinition' ? c.name : [], start: c.start, end: c.end }));
}
