import { defineRule } from './rule.js';

/** Without TO, an MV stores rows in a hidden `.inner` table that lives and dies with the view. */
export default defineRule({
  id: 'mv-implicit-inner-table',
  severity: 'warning',
  docs: { description: 'A materialized view without TO keeps its rows in a hidden inner table that is dropped with the view.' },
  messages: {
    implicit: {
      message:
        '`{view}` has no TO table, so its rows live in a hidden `.inner_id.<uuid>` table that ClickHouse drops with the view: DROP VIEW or CREATE OR REPLACE deletes them, and MODIFY QUERY refuses a query with a new column (code 16).',
      help: 'Create the target table yourself and write `CREATE MATERIALIZED VIEW ... TO that_table AS SELECT ...`.',
    },
  },
  create(context) {
    return {
      CreateView(statement, { file }) {
        // Refreshable views without TO are replaced atomically on each refresh; the risk here is about insert-triggered views.
        if (statement.viewKind !== 'MATERIALIZED' || statement.to || statement.refresh) return;
        context.report({ file, node: statement.name, messageId: 'implicit', data: { view: statement.name.name.name } });
      },
    };
  },
});
