import { canonicalExpression } from '../canon/expressions.js';
import { canonicalType } from '../canon/types.js';
import type { Dependency } from '../graph/dependencies.js';
import { columnName } from '../model/alterTable.js';
import type { SchemaObject } from '../model/schema.js';
import type { ColumnDefinition, Expression } from '../syntax/ast.js';
import { indexOfCreation, indexOfStatementAt } from './migrationState.js';
import { defineRule, type LocatedStatement, type RuleContext } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * A Distributed table stores nothing: it sends queries and inserts to its local table on every
 * shard, by column name. The local table must exist before the Distributed table is used, and the
 * two must agree on columns. A local table missing from the schema altogether is reference-missing's.
 */
const rule = defineRule({
  id: 'distributed-local-mismatch',
  severity: 'warning',
  docs: { description: 'A Distributed table and its local table disagree: the local table comes later, or their columns differ.' },
  messages: {
    createdLater: {
      message:
        '`{distributed}` distributes to `{local}`, which is created only later (in {file}): until then queries through `{distributed}` fail on every shard with UNKNOWN_TABLE (code 60), and inserts through it are not delivered.',
      help: 'Create `{local}` before `{distributed}`, in the same or an earlier migration.',
    },
    missingInLocal: {
      message:
        '`{distributed}` has column `{column}`, which its local table `{local}` lacks: queries through `{distributed}` that read `{column}` fail on the shards (code 47, UNKNOWN_IDENTIFIER), and inserts through it are refused there.',
      help: 'Add `{column}` to `{local}` (ON CLUSTER), or drop it from `{distributed}`.',
    },
    missingInDistributed: {
      message:
        '`{local}` has column `{column}`, which its Distributed table `{distributed}` lacks: `{column}` cannot be read through `{distributed}`, and rows inserted through it get the default for `{column}`.',
      help: 'Add `{column}` to `{distributed}` in the migration that adds it to `{local}`, with the same type.',
    },
    typeDiffers: {
      message:
        '`{column}` is `{distributedType}` in `{distributed}` but `{localType}` in its local table `{local}`: ClickHouse converts between the two on every read and insert through `{distributed}`, and values that do not fit fail or change.',
      help: 'Give `{column}` the same type in both tables (ALTER TABLE {distributed} MODIFY COLUMN).',
    },
  },
  // Whole project: it compares a Distributed table with its local table as the final schema has them (the
  // graph's `distributed` edges).
  check(context) {
    const { graph } = context.analysis;
    for (const d of graph.dependencies) {
      if (d.kind !== 'distributed') continue;
      const distributed = graph.objects.get(d.from);
      const found = graph.objects.get(d.to);
      const local = found?.kind === 'table' ? found : undefined;
      if (distributed && local) checkPair(context, d, distributed, local);
    }
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/** A Distributed table against its local table. */
function checkPair(context: RuleContext<Messages>, d: Dependency, distributed: SchemaObject, local: SchemaObject): void {
  const { statements } = context;
  const pair = { distributed: distributed.id, local: local.id };
  const at = { file: d.file, node: d.range };
  const index = indexOfCreation(statements, distributed);
  if (index >= 0 && isLater(local, index, statements) && !timelineOf(context).before(index).tables.has(local.id)) {
    context.report({ ...at, messageId: 'createdLater', data: { ...pair, file: local.created.file } });
  }
  const ours = columnsOf(distributed);
  const theirs = columnsOf(local);
  // Without its own columns, ClickHouse takes the Distributed table's structure from the local table.
  if (ours.size === 0 || theirs.size === 0) return;
  for (const [name, column] of ours) {
    const other = theirs.get(name);
    if (!other) {
      if (column.defaultKind !== 'ALIAS') context.report({ ...at, messageId: 'missingInLocal', data: { ...pair, column: name } });
      continue;
    }
    const distributedType = typeText(column, distributed);
    const localType = typeText(other, local);
    if (distributedType && localType && distributedType !== localType)
      context.report({ ...at, messageId: 'typeDiffers', data: { ...pair, column: name, distributedType, localType } });
  }
  for (const [name, column] of theirs) {
    // MATERIALIZED, ALIAS and EPHEMERAL columns are computed by the local table itself.
    if (!ours.has(name) && (column.defaultKind === undefined || column.defaultKind === 'DEFAULT'))
      context.report({ ...at, messageId: 'missingInDistributed', data: { ...pair, column: name } });
  }
}

/**
 * Whether `local` may not have existed at statement `index`: created after it, or renamed (or
 * exchanged) into its name after it. Otherwise the object existed from its CREATE on, and the
 * migrations need not be replayed to know it.
 */
function isLater(local: SchemaObject, index: number, statements: readonly LocatedStatement[]): boolean {
  if (indexOfCreation(statements, local) > index) return true;
  return local.changes.some((c) => {
    const i = indexOfStatementAt(statements, c);
    const kind = statements[i]?.statement.kind;
    return i > index && (kind === 'Rename' || kind === 'Exchange');
  });
}

function columnsOf(object: SchemaObject): Map<string, ColumnDefinition> {
  const columns = new Map<string, ColumnDefinition>();
  if (object.definition.kind !== 'CreateTable') return columns;
  for (const e of object.definition.elements ?? []) if (e.kind === 'ColumnDefinition') columns.set(columnName(e.name), e);
  return columns;
}

/** The type as ClickHouse stores it; `String NULL` is `Nullable(String)`. */
function typeText(column: ColumnDefinition, object: SchemaObject): string | undefined {
  if (!column.type) return undefined;
  const text = canonicalType(column.type, (e: Expression) => canonicalExpression(e, { database: object.contextDatabase }));
  return column.nullable ? `Nullable(${text})` : text;
}
