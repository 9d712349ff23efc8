import { nestedEnum, parseDataType } from '../semantics/dataTypes.js';
import { narrowingOf } from '../semantics/narrowing.js';
import { defineRule } from './rule.js';
import { typeChangesOf } from './typeChanges.js';

/**
 * MODIFY COLUMN converts stored values with CAST. Into a narrower type, ClickHouse does not check:
 * integers wrap around, fractions are truncated; a value that cannot convert at all (a string too
 * long for FixedString) fails the mutation, which then blocks the table's later mutations and keeps
 * failing reads of the column until it is killed. Checked with chDB in the test.
 */
export default defineRule({
  id: 'column-type-narrowing',
  severity: 'error',
  docs: { description: 'MODIFY COLUMN converts a column to a type that cannot hold all of its values: values change silently or the mutation fails.' },
  messages: {
    narrowing: {
      message: 'Changing `{table}.{column}` from {from} to {to} narrows it: {effect}.',
      help: 'Check the data first (count the values that do not fit), or add a new column of the new type and fill it with an explicit, checked conversion.',
    },
    nullableWithoutDefault: {
      message:
        'Changing `{table}.{column}` from {from} to {to} drops Nullable without a DEFAULT: ClickHouse refuses the ALTER (code 36), so the migration fails here.',
      help: 'Give the column a DEFAULT in the same MODIFY COLUMN (`{column} {to} DEFAULT ...`): NULLs become that value.',
    },
  },
  create(context) {
    return {
      AlterTable(statement, at) {
        for (const { file, action, table, column, from, to, verdict } of typeChangesOf(context, at, statement)) {
          // Enum to Enum is enum-value-removed's.
          if (nestedEnum(parseDataType(from)) && nestedEnum(parseDataType(to))) continue;
          const data = { table: table.id, column, from, to };
          if (verdict.kind === 'refused' && verdict.code === 36) context.report({ file, node: action, messageId: 'nullableWithoutDefault', data });
          // A refused ALTER (a key column: code 524; no CAST between the types) changes no value.
          if (verdict.kind === 'refused') continue;
          const narrowing = narrowingOf(from, to);
          if (narrowing) context.report({ file, node: action, messageId: 'narrowing', data: { ...data, effect: narrowing.effect } });
        }
      },
    };
  },
});
