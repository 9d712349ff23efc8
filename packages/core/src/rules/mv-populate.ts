import { defineRule } from './rule.js';
import { keywordRange } from './statementEdits.js';

/**
 * POPULATE copies the source's rows when the view is created. An INSERT already running at that
 * moment does not know the view: its blocks committed after the copy's snapshot reach neither
 * (https://github.com/ClickHouse/ClickHouse/issues/119040). A failed copy leaves the view created.
 */
export default defineRule({
  id: 'mv-populate',
  severity: 'error',
  docs: { description: 'A materialized view created with POPULATE misses rows that inserts already running write while it is being filled.' },
  messages: {
    populate: {
      message:
        'POPULATE fills `{view}` with a copy of the rows already in its source: rows that an INSERT already running writes after the copy starts reach neither the copy nor the view, and if the copy fails the view stays created without the old rows.',
      help: 'Create the view without POPULATE (with TO a target table), then backfill the target with INSERT INTO ... SELECT over a closed time range.',
    },
  },
  fixes: { removePopulate: 'Remove POPULATE (backfill with INSERT ... SELECT after creating the view)' },
  create(context) {
    return {
      CreateView(statement, { file }) {
        if (!statement.populate) return;
        context.report({
          file,
          node: statement.name,
          messageId: 'populate',
          data: { view: statement.name.name.name },
          fix: {
            messageId: 'removePopulate',
            fix: (fixer) => {
              const populate = keywordRange(statement, fixer.text, 'POPULATE');
              return populate && fixer.remove(populate);
            },
          },
        });
      },
    };
  },
});
