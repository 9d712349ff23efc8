import { defineRule } from './rule.js';

/** ALTER UPDATE/DELETE rewrite every part they touch, in the background, and can pile up. */
export default defineRule({
  id: 'mutation-in-migration',
  severity: 'warning',
  docs: { description: 'A migration runs a mutation (ALTER UPDATE/DELETE, DELETE FROM, UPDATE) that rewrites data parts in the background.' },
  messages: {
    mutation: {
      message:
        '{what} on `{table}` is a mutation: ClickHouse rewrites every part that holds matching rows, in the background, after the migration has "finished".',
      help: 'Run data fixes outside schema migrations, in small partitions, and watch system.mutations; suppress with a reason if this one is small and intended.',
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, statement } of context.statements) {
      if (statement.kind === 'AlterTable') {
        for (const action of statement.actions) {
          if (action.kind === 'Update' || action.kind === 'Delete') {
            context.report({
              file,
              node: action,
              messageId: 'mutation',
              data: { what: `ALTER ${action.kind.toUpperCase()}`, table: statement.table.name.name },
            });
          }
        }
      } else if (statement.kind === 'Delete' || statement.kind === 'Update') {
        const what = statement.kind === 'Delete' ? 'DELETE FROM' : 'UPDATE';
        context.report({ file, node: statement, messageId: 'mutation', data: { what, table: statement.table.name.name } });
      }
    }
  },
});
