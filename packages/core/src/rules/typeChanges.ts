import { columnName } from '../model/alterTable.js';
import { keyColumnsOf } from '../model/keyColumns.js';
import type { SchemaObject } from '../model/schema.js';
import { type TypeChangeVerdict, typeChangeVerdict } from '../semantics/columnChanges.js';
import type { AlterAction, AlterTableStatement, ColumnDefinition, CreateTableStatement } from '../syntax/ast.js';
import { columnTypeText } from './columnTypes.js';
import type { NodeAt, RuleContext } from './rule.js';
import { timelineOf } from './schemaAt.js';

/** One MODIFY COLUMN that gives a type, with the column as it stood before the statement. */
export interface TypeChange {
  file: string;
  statement: AlterTableStatement;
  action: Extract<AlterAction, { kind: 'ModifyColumn' }>;
  /** The table before the statement. */
  table: SchemaObject & { definition: CreateTableStatement };
  column: string;
  /** The column before the statement. */
  old: ColumnDefinition;
  /** Its type before and after, as canonical text. */
  from: string;
  to: string;
  /** Columns in the table's sorting, primary or partition key. */
  keys: Set<string>;
  /** What ClickHouse does with the change: metadata-only, rewrite, or refused. */
  verdict: TypeChangeVerdict;
}

/** Every column type change in the migrations; shared by the rules about what a type change does. */
export function typeChanges(context: Pick<RuleContext<string>, 'analysis' | 'statements'>): TypeChange[] {
  return context.statements.flatMap(({ file, statement }, index) =>
    statement.kind === 'AlterTable' ? typeChangesOf(context, { file, statement, index }, statement) : [],
  );
}

/**
 * The column type changes of one ALTER (statement `at.index` of the context's statements), with the
 * table as it stood before it: what a rule's `AlterTable` listener asks.
 */
export function typeChangesOf(
  context: Pick<RuleContext<string>, 'analysis' | 'statements'>,
  { file, index }: NodeAt,
  statement: AlterTableStatement,
): TypeChange[] {
  // Replaying up to a statement costs time: only for ALTERs that change a column's type.
  if (!statement.actions.some((a) => a.kind === 'ModifyColumn' && a.column.type)) return [];
  const timeline = timelineOf(context);
  const table = timeline.before(index).tables.get(timeline.idAt(index, statement.table));
  if (table?.definition.kind !== 'CreateTable') return [];
  const definition = table.definition;
  const keys = keyColumnsOf(definition);
  const changes: TypeChange[] = [];
  for (const action of statement.actions) {
    if (action.kind !== 'ModifyColumn' || !action.column.type) continue;
    const column = columnName(action.column.name);
    const old = (definition.elements ?? []).find((e) => e.kind === 'ColumnDefinition' && columnName(e.name) === column);
    if (old?.kind !== 'ColumnDefinition') continue;
    const from = columnTypeText(old);
    const to = columnTypeText(action.column);
    if (!from || !to) continue;
    const verdict = typeChangeVerdict(from, to, { key: keys.has(column), hasDefault: !!old.defaultKind || !!action.column.defaultKind });
    changes.push({ file, statement, action, table: { ...table, definition }, column, old, from, to, keys, verdict });
  }
  return changes;
}
