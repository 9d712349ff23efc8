import type { Range } from '../diagnostics.js';
import { columnName } from '../model/alterTable.js';
import type { SettingAssignment } from '../syntax/ast.js';
import { printExpression } from '../syntax/printer/expressions.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * With the default `materialize_ttl_after_modify = 1`, MODIFY TTL (and a new column TTL in MODIFY
 * COLUMN) is followed by MATERIALIZE TTL: a mutation over every part that applies the new rule,
 * deleting or moving rows. The setting is a query setting, not a table setting (MODIFY SETTING
 * refuses it), so only the ALTER's SETTINGS clause or a SET before it in the file turn it off.
 */
export default defineRule({
  id: 'modify-ttl-materializes',
  severity: 'warning',
  docs: { description: 'MODIFY TTL also runs MATERIALIZE TTL: a mutation that rewrites every part of the table.' },
  messages: {
    materializes: {
      message:
        '{what} on `{table}` also runs MATERIALIZE TTL (materialize_ttl_after_modify = 1 by default): a mutation that rewrites every part to apply the new TTL, deleting or moving rows as it goes.',
      help: 'Append `SETTINGS materialize_ttl_after_modify = 0` to the ALTER so that merges apply the TTL as parts are rewritten anyway; run ALTER TABLE {table} MATERIALIZE TTL in a quiet hour if old parts must follow sooner.',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    let disabledIn: string | undefined;
    return {
      Statement(statement, { file, index }) {
        if (disabledIn !== file) disabledIn = undefined;
        if (statement.kind === 'Set') {
          const setting = findSetting(statement.settings);
          if (setting !== undefined) disabledIn = setting ? undefined : file;
          return;
        }
        if (statement.kind !== 'AlterTable' || disabledIn === file || findSetting(statement.querySettings) === false) return;
        if (!statement.actions.some((a) => a.kind === 'ModifyTtl' || (a.kind === 'ModifyColumn' && a.column.ttl))) return;
        const table = timeline.before(index).tables.get(timeline.idAt(index, statement.table));
        if (table?.definition.kind !== 'CreateTable' || !/MergeTree$/.test(table.definition.storage?.engine?.name.name ?? '')) return;
        const columns = table.definition.elements ?? [];
        for (const action of statement.actions) {
          let node: Range | undefined;
          let what = '';
          if (action.kind === 'ModifyTtl') {
            node = action;
            what = 'MODIFY TTL';
          } else if (action.kind === 'ModifyColumn' && action.column.ttl) {
            // A column TTL is materialized too, unless it is the one the column already has.
            const name = columnName(action.column.name);
            const old = columns.find((c) => c.kind === 'ColumnDefinition' && columnName(c.name) === name);
            if (old?.kind === 'ColumnDefinition' && old.ttl && printExpression(old.ttl) === printExpression(action.column.ttl)) continue;
            node = action;
            what = `A new TTL for column \`${name}\``;
          }
          if (node) context.report({ file, node, messageId: 'materializes', data: { table: table.id, what } });
        }
      },
    };
  },
});

/** The value of materialize_ttl_after_modify among settings: true/false, or undefined when absent. */
function findSetting(settings: SettingAssignment[] | undefined): boolean | undefined {
  const setting = settings?.find((s) => s.name.name === 'materialize_ttl_after_modify');
  if (setting?.value?.kind !== 'Literal') return undefined;
  return !['0', 'false'].includes(setting.value.value.toLowerCase());
}
