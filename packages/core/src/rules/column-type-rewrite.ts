import { defineRule } from './rule.js';
import { typeChangesOf } from './typeChanges.js';

/**
 * MODIFY COLUMN to a type stored differently is a mutation: ClickHouse reads and rewrites the column
 * in every part, in the background, with the table's merges competing for the same disks. Only a few
 * changes are metadata-only, and ClickHouse refuses others outright (semantics/columnChanges.ts).
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
  create(context) {
    return {
      AlterTable(statement, at) {
        for (const { file, action, table, column, from, to, verdict } of typeChangesOf(context, at, statement)) {
          if (!/MergeTree$/.test(table.definition.storage?.engine?.name.name ?? '') || verdict.kind !== 'rewrite') continue;
          context.report({ file, node: action, messageId: 'rewrite', data: { table: table.id, column, from, to } });
        }
      },
    };
  },
});
