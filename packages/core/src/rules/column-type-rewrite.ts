import { enumValues, isMetadataOnlyChange, isNullableType, isRefusedForKey, parseTypeText } from './columnTypes.js';
import { defineRule } from './rule.js';
import { typeChanges } from './typeChanges.js';

/**
 * MODIFY COLUMN to a type stored differently is a mutation: ClickHouse reads and rewrites the column
 * in every part, in the background, with the table's merges competing for the same disks. Only a few
 * changes are metadata-only (see isMetadataOnlyChange).
 */
export default defineRule({
  id: 'column-type-rewrite',
  severity: 'warning',
  docs: { description: 'MODIFY COLUMN changes a column to a type stored differently: a mutation rewrites the column in every part.' },
  messages: {
    rewrite: {
      message: 'Changing the type of `{table}.{column}` from {from} to {to} starts a mutation that rewrites the column in every part of `{table}`.',
      help: 'Run it when the table is quiet and watch system.mutations; for a large table, add a new column with the new type, fill it (DEFAULT + MATERIALIZE COLUMN) and switch readers over.',
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, action, table, column, old, from, to, keys } of typeChanges(context)) {
      if (!/MergeTree$/.test(table.definition.storage?.engine?.name.name ?? '')) continue;
      if (isMetadataOnlyChange(from, to) || isRefused(from, to, !!old.defaultKind, !!action.column.defaultKind)) continue;
      if (keys.has(column) && isRefusedForKey(from, to)) continue;
      context.report({ file, node: action, messageId: 'rewrite', data: { table: table.id, column, from, to } });
    }
  },
});

/**
 * Changes ClickHouse refuses before any mutation starts: renumbering an Enum label (code 70), and
 * Nullable to non-Nullable without a DEFAULT (code 36), like most type changes of key columns (code 524).
 */
function isRefused(from: string, to: string, hadDefault: boolean, hasDefault: boolean): boolean {
  const oldValues = enumValues(parseTypeText(from));
  const newValues = enumValues(parseTypeText(to));
  if (oldValues && newValues && [...oldValues].some(([label, value]) => newValues.has(label) && newValues.get(label) !== value)) return true;
  return isNullableType(from) && !isNullableType(to) && !hadDefault && !hasDefault;
}
