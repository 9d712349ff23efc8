import { enumValues, parseDataType } from '../semantics/dataTypes.js';
import { defineRule } from './rule.js';
import { typeChangesOf } from './typeChanges.js';

/**
 * ClickHouse refuses some MODIFY COLUMN type changes outright, before any mutation: a key column
 * whose stored representation would change (code 524), and types with no CAST between them (codes
 * 43, 44, 48, 53, 70). The migration stops there. Enum renumbering and dropping Nullable without a
 * DEFAULT are reported by enum-value-removed and column-type-narrowing. What ClickHouse refuses
 * comes from semantics/columnChanges.ts, checked against chDB over every pair of its probe types.
 */
export default defineRule({
  id: 'column-type-change-refused',
  severity: 'error',
  docs: { description: 'MODIFY COLUMN asks for a type change ClickHouse refuses (a key column, or types with no CAST between them): the migration fails.' },
  messages: {
    key: {
      message:
        '`{table}.{column}` is in the sorting, primary or partition key: ClickHouse refuses to change its type from {from} to {to} (code 524), because the key on disk would no longer match, so the migration fails here.',
      help: 'Keep the key column as it is; for another type, create a new table with it, copy the rows (INSERT ... SELECT), then EXCHANGE TABLES.',
    },
    cast: {
      message: 'ClickHouse has no conversion from {from} to {to}: it refuses to change `{table}.{column}` (code {code}), so the migration fails here.',
      help: 'Add a new column of the new type, fill it with an explicit conversion (DEFAULT + MATERIALIZE COLUMN), and switch readers over.',
    },
  },
  create(context) {
    return {
      AlterTable(statement, at) {
        for (const { file, action, table, column, from, to, verdict } of typeChangesOf(context, at, statement)) {
          if (verdict.kind !== 'refused' || verdict.code === 36 || isEnumRenumbered(from, to)) continue;
          const data = { table: table.id, column, from, to, code: String(verdict.code) };
          context.report({ file, node: action, messageId: verdict.code === 524 ? 'key' : 'cast', data });
        }
      },
    };
  },
});

/** An Enum label given another number: enum-value-removed reports it (also on a key column). */
function isEnumRenumbered(from: string, to: string): boolean {
  const before = enumValues(parseDataType(from));
  const after = enumValues(parseDataType(to));
  return !!before && !!after && [...before].some(([label, value]) => after.has(label) && after.get(label) !== value);
}
