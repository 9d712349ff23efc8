import { columnName, identifiersIn } from '../model/alterTable.js';
import { keyColumnsOf } from '../model/keyColumns.js';
import type { EngineClause } from '../syntax/ast.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * ClickHouse refuses to RENAME COLUMN a column a MergeTree table's storage depends on (code 524,
 * ALTER_OF_COLUMN_IS_FORBIDDEN): one its partition, sorting, primary or sampling key reads, and one
 * its engine names (ReplacingMergeTree's version and is_deleted, CollapsingMergeTree's sign, the
 * columns SummingMergeTree sums; VersionedCollapsingMergeTree's version is part of the sorting key
 * and fails with code 47). Checked on chDB 26.7; a skip index or a TTL over the column does not stop
 * the rename.
 */
export default defineRule({
  id: 'column-rename-refused',
  severity: 'error',
  docs: {
    description: "RENAME COLUMN of a column in a MergeTree table's key, or one its engine names (version, sign, summed columns): ClickHouse refuses the ALTER.",
  },
  messages: {
    key: {
      message:
        '`{column}` is in the partition, sorting, primary or sampling key of `{table}`: ClickHouse refuses to rename it (code 524), because the key on disk names it, so the migration fails here.',
      help: 'Keep the column name; to rename it anyway, create a new table with the new name, copy the rows (INSERT ... SELECT), then EXCHANGE TABLES. An ALIAS column can give readers the new name.',
    },
    engine: {
      message: '`{column}` is the {role} of `{table}` ({engine}): ClickHouse refuses to rename it (code {code}), so the migration fails here.',
      help: 'Keep the column name; to rename it anyway, create a new table with the new name, copy the rows (INSERT ... SELECT), then EXCHANGE TABLES. An ALIAS column can give readers the new name.',
    },
  },
  create(context) {
    return {
      AlterTable(statement, { file, index }) {
        if (statement.temporary || !statement.actions.some((a) => a.kind === 'RenameColumn')) return;
        const timeline = timelineOf(context);
        const id = timeline.idAt(index, statement.table);
        const table = timeline.before(index).tables.get(id);
        if (table?.kind !== 'table' || table.definition.kind !== 'CreateTable') return;
        const engine = table.definition.storage?.engine;
        if (!engine?.name.name.endsWith('MergeTree')) return;
        const key = keyColumnsOf(table.definition);
        const roles = engineColumnRoles(engine);
        for (const action of statement.actions) {
          if (action.kind !== 'RenameColumn') continue;
          const column = columnName(action.from);
          const role = roles.get(column);
          if (key.has(column)) context.report({ file, node: action, messageId: 'key', data: { table: id, column } });
          else if (role) context.report({ file, node: action, messageId: 'engine', data: { table: id, column, engine: engine.name.name, ...role } });
        }
      },
    };
  },
});

/** What the engine's parameters name, by column: `ReplacingMergeTree(ver, is_deleted)`, `SummingMergeTree((a, b))`... */
function engineColumnRoles(engine: EngineClause): Map<string, { role: string; code: string }> {
  const family = engine.name.name.replace(/^Replicated/, '');
  // A Replicated engine's first two arguments are the path and the replica name, when written.
  const written = engine.arguments ?? [];
  const args = engine.name.name.startsWith('Replicated') && written[0]?.kind === 'Literal' ? written.slice(2) : written;
  const roles = new Map<string, { role: string; code: string }>();
  const name = (i: number, role: string, code = '524') => {
    for (const column of identifiersIn(args[i])) roles.set(column, { role, code });
  };
  if (family === 'ReplacingMergeTree') {
    name(0, 'version column');
    name(1, 'is_deleted column');
  } else if (family === 'CollapsingMergeTree') name(0, 'sign column');
  else if (family === 'VersionedCollapsingMergeTree') {
    name(0, 'sign column');
    name(1, 'version column (part of the sorting key)', '47');
  } else if (family === 'SummingMergeTree') name(0, 'a column it sums');
  return roles;
}
