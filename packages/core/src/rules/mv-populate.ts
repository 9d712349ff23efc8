import { defineRule } from './rule.js';

/** POPULATE copies existing rows while the view starts; inserts during the copy are lost or doubled. */
export default defineRule({
  id: 'mv-populate',
  severity: 'error',
  docs: { description: 'A materialized view created with POPULATE loses or doubles the rows inserted while it is being filled.' },
  messages: {
    populate: {
      message:
        'POPULATE fills `{view}` from the rows already in its source; rows inserted while it runs are missed or counted twice, and a failure leaves it half filled.',
      help: 'Create the view without POPULATE (with TO a target table), then backfill the target with INSERT INTO ... SELECT over a closed time range.',
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, statement } of context.statements) {
      if (statement.kind !== 'CreateView' || !statement.populate) continue;
      context.report({ file, node: statement.name, messageId: 'populate', data: { view: statement.name.name.name } });
    }
  },
});
