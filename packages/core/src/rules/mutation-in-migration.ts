import { defineRule } from './rule.js';

/**
 * ALTER UPDATE/DELETE and DELETE FROM are mutations: they rewrite every part they touch and can pile
 * up; whether the statement waits is up to mutations_sync (1, wait for this server, in ClickHouse 26.7).
 * A lightweight UPDATE writes patch parts instead.
 */
export default defineRule({
  id: 'mutation-in-migration',
  severity: 'warning',
  docs: {
    description: 'A migration changes data: a mutation (ALTER UPDATE/DELETE, DELETE FROM) that rewrites parts in the background, or a lightweight UPDATE.',
  },
  messages: {
    mutation: {
      message:
        '{what} on `{table}` is a mutation: ClickHouse rewrites every part of it that holds matching rows, on every replica; depending on mutations_sync the migration blocks until this server is done or moves on while the rewrite still runs.',
      help: 'Run data fixes outside schema migrations, in small partitions, and watch system.mutations; suppress with a reason if this one is small and intended.',
    },
    lightweightUpdate: {
      message:
        'UPDATE on `{table}` is a lightweight update: ClickHouse refuses it (code 48) unless the table has enable_block_number_column = 1 and enable_block_offset_column = 1, and otherwise writes patch parts that reads of `{table}` apply until merges fold them in.',
      help: 'Run data fixes outside schema migrations; suppress with a reason if this one is small and intended.',
    },
  },
  schema: {
    lightweightUpdates: {
      type: 'boolean',
      description: 'Report lightweight UPDATE statements too: they write patch parts, not mutations (default true).',
    },
  },
  defaultOptions: { lightweightUpdates: true },
  create(context) {
    return {
      Statement(statement, { file }) {
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
        } else if (statement.kind === 'Delete') {
          // A lightweight DELETE is a mutation too: it shows in system.mutations as `UPDATE _row_exists = 0`.
          context.report({ file, node: statement, messageId: 'mutation', data: { what: 'DELETE FROM', table: statement.table.name.name } });
        } else if (statement.kind === 'Update' && context.options.lightweightUpdates) {
          // A lightweight UPDATE is no mutation: it writes patch parts (nothing in system.mutations).
          context.report({ file, node: statement, messageId: 'lightweightUpdate', data: { table: statement.table.name.name } });
        }
      },
    };
  },
});
