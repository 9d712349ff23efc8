import type { Range } from '../diagnostics.js';
import { defineRule } from './rule.js';

/** Statements that delete data: DROP of tables, views with data, databases and columns; TRUNCATE; DROP PARTITION. */
export default defineRule({
  id: 'destructive-statement',
  severity: 'error',
  docs: { description: 'A migration deletes data: DROP TABLE/DATABASE/DICTIONARY/VIEW, DROP COLUMN, TRUNCATE or DROP PARTITION.' },
  messages: {
    drop: {
      message: '{what} deletes `{name}` and its data; nothing in ClickHouse can bring it back once the drop is final.',
      help: 'Rename it aside first (RENAME TABLE ... TO ..._old) and drop it in a later release, or suppress with the reason it is safe.',
    },
    dropColumn: {
      message: 'DROP COLUMN deletes `{name}` and its data from every part of `{table}`.',
      help: 'Stop writing and reading the column first, keep a copy if it matters, and suppress with the reason it is safe.',
    },
    truncate: {
      message: 'TRUNCATE deletes every row of `{name}`.',
      help: 'Suppress with the reason it is safe, or delete only what must go.',
    },
    dropPartition: {
      message: '{what} deletes a partition of `{table}` and its rows.',
      help: 'Detach it instead (DETACH PARTITION) so it can be attached back, or suppress with the reason it is safe.',
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, statement } of context.statements) {
      const report = (node: Range, messageId: 'drop' | 'dropColumn' | 'truncate' | 'dropPartition', data: Record<string, string>) =>
        context.report({ file, node, messageId, data });
      switch (statement.kind) {
        case 'Drop':
          // Dropping a temporary table, a function or an access entity loses no stored data.
          if (statement.verb !== 'DROP' || statement.temporary) break;
          if (!['TABLE', 'VIEW', 'DICTIONARY', 'DATABASE'].includes(statement.objectKind)) break;
          for (const name of statement.names) report(name, 'drop', { what: `DROP ${statement.objectKind}`, name: name.name.name });
          break;
        case 'Truncate':
          report(statement, 'truncate', { name: statement.name.name.name });
          break;
        case 'AlterTable':
          for (const action of statement.actions) {
            if (action.kind === 'DropColumn')
              report(action, 'dropColumn', { name: action.column.map((c) => c.name).join('.'), table: statement.table.name.name });
            else if (action.kind === 'PartitionOperation' && /^DROP (PARTITION|PART)$/.test(action.operation)) {
              report(action, 'dropPartition', { what: action.operation, table: statement.table.name.name });
            }
          }
          break;
      }
    }
  },
});
