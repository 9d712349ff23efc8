import type { AlterAction, Statement } from '../syntax/ast.js';
import { defineRule, type RuleContext } from './rule.js';
import { timelineOf } from './schemaAt.js';

/** What a MATERIALIZE command is called and does to each part it runs over; undefined for other actions. */
function effectOf(action: AlterAction): { what: string; work: string } | undefined {
  switch (action.kind) {
    case 'MaterializeIndex':
      return { what: `MATERIALIZE INDEX ${action.name.name}`, work: 'reads the indexed columns and writes the index' };
    case 'MaterializeProjection':
      return { what: `MATERIALIZE PROJECTION ${action.name.name}`, work: 'reads the part and writes the projection' };
    case 'MaterializeColumn':
      return { what: `MATERIALIZE COLUMN ${action.column.map((c) => c.name).join('.')}`, work: 'computes and writes the column' };
    case 'MaterializeTtl':
      return { what: 'MATERIALIZE TTL', work: 'rewrites the part to apply the TTL, deleting or moving rows' };
    case 'Statistics':
      return action.verb === 'MATERIALIZE' ? { what: 'MATERIALIZE STATISTICS', work: 'reads the columns and writes their statistics' } : undefined;
    default:
      return undefined;
  }
}

/**
 * MATERIALIZE INDEX/PROJECTION/COLUMN/TTL/STATISTICS are mutations: they run in the background over
 * every part (or every part of one partition) after the ALTER has returned, and show in system.mutations.
 */
const rule = defineRule({
  id: 'materialize-mutation',
  severity: 'warning',
  docs: { description: 'A migration runs MATERIALIZE INDEX, PROJECTION, COLUMN, TTL or STATISTICS: a mutation over every part of the table.' },
  messages: {
    mutation: {
      message: '{what} on `{table}` is a mutation: for {scope}, ClickHouse {work}, in the background, after the migration has "finished".',
      help: 'Run it outside the schema migration, partition by partition (IN PARTITION ...) in a quiet hour, and watch system.mutations; suppress with a reason if the table is small.',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    // One migration file runs at once, so a table it created is still empty when its ALTER runs. Only
    // files known to be migrations: a test or an editor buffer may stand for several deployments.
    const migrations = new Set((context.project.migrations ?? []).filter((m) => m.kind !== 'declarative').map((m) => m.file));
    /** Tables created empty earlier in the current migration and not written since: a mutation on them has no part to run over. */
    const empty = new Set<string>();
    let currentFile: string | undefined;
    return {
      Statement(statement, { file, index }) {
        if (file !== currentFile) {
          empty.clear();
          currentFile = file;
        }
        if (!migrations.has(file)) {
          reportMaterializes(context, file, statement);
          return;
        }
        if (statement.kind === 'CreateTable' && !statement.temporary && (!statement.asSelect || statement.empty) && !statement.asTable && !statement.clone)
          empty.add(timeline.idAt(index, statement.name));
        else if (statement.kind === 'Insert' && statement.table) empty.delete(timeline.idAt(index, statement.table));
        else if (statement.kind === 'Rename') for (const { from } of statement.pairs) empty.delete(timeline.idAt(index, from));
        if (statement.kind === 'AlterTable' && !empty.has(timeline.idAt(index, statement.table))) reportMaterializes(context, file, statement);
      },
    };
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

function reportMaterializes(context: RuleContext<Messages>, file: string, statement: Statement): void {
  if (statement.kind !== 'AlterTable') return;
  for (const action of statement.actions) {
    const effect = effectOf(action);
    if (!effect) continue;
    const scope = 'partition' in action && action.partition ? 'every part of the partition' : 'every part';
    const table = `${statement.table.database ? `${statement.table.database.name}.` : ''}${statement.table.name.name}`;
    context.report({ file, node: action, messageId: 'mutation', data: { what: effect.what, table, scope, work: effect.work } });
  }
}
