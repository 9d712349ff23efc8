import type { Dependency } from '../graph/dependencies.js';
import type { SchemaObject } from '../model/schema.js';
import { defineRule } from './rule.js';
import { type SchemaState, timelineOf } from './schemaAt.js';

type MessageId = 'refused' | 'stopsFiring' | 'insertsFail' | 'queriesFail' | 'refreshFails' | 'refreshWaits';

/** Kinds of dependency that follow a name; a materialized view's TO target is mv-target-dropped's. */
const BY_NAME = new Set(['trigger', 'reads', 'dict-get', 'join-get', 'dictionary-source', 'distributed', 'depends-on']);

/**
 * Views, materialized views, dictionaries and Distributed tables name the objects they use, and a
 * RENAME does not update them. ClickHouse refuses the rename only for dependencies it tracks for
 * loading (a dictionary's source, dictGet in a column default: code 630); every other dependent
 * breaks, and a materialized view fired by the renamed table silently stops receiving rows.
 */
export default defineRule({
  id: 'rename-breaks-dependents',
  severity: 'error',
  docs: { description: 'RENAME of a table or dictionary that views, materialized views or dictionaries still use by its old name.' },
  messages: {
    refused: {
      message: '`{dependent}` depends on `{name}`: ClickHouse refuses to rename it (code 630: some tables depend on it), so the migration fails here.',
      help: 'Recreate `{dependent}` on the new name first, or keep `{name}` and rename the dependent along with it in a planned order.',
    },
    stopsFiring: {
      message:
        '`{dependent}` is fired by inserts into `{name}`: after this RENAME it silently stops receiving rows, because it still waits for inserts into `{name}`.',
      help: 'Change the view in the same migration (ALTER TABLE {dependent} MODIFY QUERY ... FROM {newName}), or recreate it on the new name.',
    },
    insertsFail: {
      message: '`{dependent}` reads `{name}`: after this RENAME, every insert into `{source}` fails ({code}) until the view is changed.',
      help: 'Change the view in the same migration (ALTER TABLE {dependent} MODIFY QUERY ...), right after the RENAME.',
    },
    queriesFail: {
      message: '`{dependent}` reads `{name}`: after this RENAME, every query of `{dependent}` fails ({code}).',
      help: 'Recreate `{dependent}` on the new name in the same migration, or create a view under the old name.',
    },
    refreshFails: {
      message: 'Refreshable view `{dependent}` reads `{name}`: after this RENAME, each of its refreshes fails ({code}).',
      help: 'Change the view in the same migration (ALTER TABLE {dependent} MODIFY QUERY ... FROM {newName}), right after the RENAME.',
    },
    refreshWaits: {
      message:
        '`{dependent}` DEPENDS ON `{name}`: after this RENAME it waits for a view that no longer exists (MissingDependencies), and its scheduled refreshes stop.',
      help: 'Change its DEPENDS ON in the same migration (ALTER TABLE {dependent} MODIFY REFRESH ... DEPENDS ON {newName}).',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    return {
      Rename(statement, { file, index }) {
        if (statement.objectKind === 'DATABASE') return;
        const state = timeline.before(index);
        for (const { from, to } of statement.pairs) {
          const name = timeline.idAt(index, from);
          const newName = timeline.idAt(index, to);
          const findings = state.dependencies.flatMap((dependency) => {
            const dependent = state.tables.get(dependency.from);
            return dependency.to === name && BY_NAME.has(dependency.kind) && dependent
              ? [{ dependency, dependent, messageId: effectOf(dependency, dependent) }]
              : [];
          });
          // One refusing dependent makes ClickHouse refuse the whole RENAME: nothing else happens then.
          const refused = findings.filter((f) => f.messageId === 'refused');
          for (const { dependency, dependent, messageId } of refused.length > 0 ? refused : findings) {
            if (messageId !== 'refused' && !isStillBroken(timeline.before(timeline.endOfFile(index)), dependency)) continue;
            const source = state.dependencies.find((d) => d.from === dependent.id && d.kind === 'trigger')?.to ?? '';
            const code = dependency.kind === 'dict-get' ? 'code 36: dictionary not found' : 'code 60: unknown table';
            context.report({ file, node: from, messageId, data: { dependent: dependent.id, name, newName, source, code } });
          }
        }
      },
    };
  },
});

function effectOf(dependency: Dependency, dependent: SchemaObject): MessageId {
  // ClickHouse tracks these as loading dependencies (check_table_dependencies) and refuses the rename.
  if (dependency.kind === 'dictionary-source' || (dependency.kind === 'dict-get' && dependent.kind === 'table')) return 'refused';
  if (dependency.kind === 'trigger') return 'stopsFiring';
  if (dependency.kind === 'depends-on') return 'refreshWaits';
  if (dependent.kind !== 'materialized-view' || dependent.definition.kind !== 'CreateView') return 'queriesFail';
  return dependent.definition.refresh ? 'refreshFails' : 'insertsFail';
}

/** At the end of the file the dependent still uses the old name, and nothing took that name again. */
function isStillBroken(state: SchemaState, dependency: Dependency): boolean {
  if (state.tables.has(dependency.to)) return false;
  return state.dependencies.some((d) => d.from === dependency.from && d.to === dependency.to && d.kind === dependency.kind);
}
