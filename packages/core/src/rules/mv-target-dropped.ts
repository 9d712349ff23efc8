import type { QualifiedName } from '../syntax/ast.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * A materialized view writes to its TO table by name. Once that name is gone (DROP, DETACH, RENAME),
 * ClickHouse refuses every insert into the view's source: "Target table ... of view ... doesn't
 * exist" (code 60). The view is not dropped with its target.
 */
export default defineRule({
  id: 'mv-target-dropped',
  severity: 'error',
  docs: { description: "A materialized view's TO table is dropped, detached or renamed while the view exists: every insert into its source fails." },
  messages: {
    insertsFail: {
      message:
        '`{view}` writes to `{target}`: after this {what}, every insert into `{source}` fails (code 60: the target table does not exist) until `{target}` exists again.',
      help: 'Drop or detach `{view}` first and recreate it afterwards, or build the new table aside and swap it in with EXCHANGE TABLES, which is atomic.',
    },
    refreshFails: {
      message: 'Refreshable view `{view}` writes to `{target}`: after this {what}, each of its refreshes fails until `{target}` exists again.',
      help: 'Drop `{view}` first and recreate it afterwards, or swap the new table in with EXCHANGE TABLES, which is atomic.',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    return {
      Statement(statement, { file, index }) {
        let names: QualifiedName[] = [];
        let what = '';
        if (statement.kind === 'Drop' && statement.objectKind === 'TABLE' && statement.verb !== 'UNDROP' && !statement.temporary) {
          names = statement.names;
          what = statement.verb;
        } else if (statement.kind === 'Rename' && statement.objectKind === 'TABLE') {
          names = statement.pairs.map((p) => p.from);
          what = 'RENAME';
        }
        if (names.length === 0) return;
        const state = timeline.before(index);
        const after = timeline.before(index + 1);
        const removed = new Set(names.map((n) => timeline.idAt(index, n)));
        for (const name of names) {
          const target = timeline.idAt(index, name);
          // `RENAME TABLE t TO t_old, t_new TO t` puts another table under the name at once.
          if (after.tables.has(target)) continue;
          for (const view of state.tables.values()) {
            const definition = view.definition;
            if (view.kind !== 'materialized-view' || definition.kind !== 'CreateView' || !definition.to || removed.has(view.id)) continue;
            if (`${definition.to.database?.name ?? view.contextDatabase}.${definition.to.name.name}` !== target) continue;
            const source = state.dependencies.find((d) => d.from === view.id && d.kind === 'trigger')?.to;
            if (definition.refresh) context.report({ file, node: name, messageId: 'refreshFails', data: { view: view.id, target, what } });
            else if (source) context.report({ file, node: name, messageId: 'insertsFail', data: { view: view.id, target, source, what } });
          }
        }
      },
    };
  },
});
