import type { SchemaObject } from '../model/schema.js';
import { defineRule } from './rule.js';
import { type SchemaState, timelineOf } from './schemaAt.js';

/**
 * A materialized view fired by inserts only sees the blocks inserted while it exists. DROP + CREATE
 * leaves a window without it; so does CREATE OR REPLACE, which ClickHouse runs as a DROP of the old
 * view followed by a CREATE (InterpreterCreateQuery: `replace_view`), not as an atomic swap.
 */
export default defineRule({
  id: 'mv-recreate-loses-inserts',
  severity: 'error',
  docs: { description: 'A materialized view that receives inserts is dropped and created again: rows inserted in between never reach it.' },
  messages: {
    dropRecreate: {
      message:
        'Dropping `{view}` and creating it again leaves a window without it: rows inserted into `{source}` between this DROP and the CREATE never reach `{view}`.',
      help: 'Change the query in place with ALTER TABLE {view} MODIFY QUERY; if the view must be recreated, stop writes to `{source}` or backfill the window, and suppress with that plan.',
    },
    replace: {
      message:
        'CREATE OR REPLACE drops `{view}` before it creates the new one, so rows inserted into `{source}` in between never reach it: the replacement is not atomic.',
      help: 'Change the query in place with ALTER TABLE {view} MODIFY QUERY; if the view must be recreated, stop writes to `{source}` or backfill the window, and suppress with that plan.',
    },
    replaceInner: {
      message:
        'CREATE OR REPLACE drops `{view}` with its inner table and creates it empty: every row it held is deleted, and rows inserted into `{source}` meanwhile are missed.',
      help: 'Give the view a TO table of its own so its rows survive the view; to change the query of a view that has one, use ALTER TABLE {view} MODIFY QUERY.',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    const { statements } = context;
    return {
      Statement(statement, { file, index }) {
        if (statement.kind === 'Drop' && statement.verb === 'DROP' && (statement.objectKind === 'TABLE' || statement.objectKind === 'VIEW')) {
          for (const name of statement.names) {
            const id = timeline.idAt(index, name);
            const source = triggerOf(timeline.before(index), id);
            if (!source || resumesAfterGap(timeline.before(index), source)) continue;
            const recreated = statements.some(
              (later, j) =>
                j > index &&
                later.statement.kind === 'CreateView' &&
                later.statement.viewKind === 'MATERIALIZED' &&
                timeline.idAt(j, later.statement.name) === id,
            );
            if (recreated) context.report({ file, node: name, messageId: 'dropRecreate', data: { view: id, source } });
          }
        } else if (statement.kind === 'CreateView' && statement.viewKind === 'MATERIALIZED' && (statement.orReplace || statement.verb === 'REPLACE')) {
          const id = timeline.idAt(index, statement.name);
          const state = timeline.before(index);
          const source = triggerOf(state, id);
          if (!source) return;
          const old = state.tables.get(id) as SchemaObject;
          const hasTarget = old.definition.kind === 'CreateView' && old.definition.to !== undefined;
          if (hasTarget && resumesAfterGap(state, source)) return;
          context.report({ file, node: statement.name, messageId: hasTarget ? 'replace' : 'replaceInner', data: { view: id, source } });
        }
      },
    };
  },
});

/**
 * Streaming engines that keep their place outside the view: with no view attached a Kafka table
 * stops consuming and its consumer group keeps the committed offsets; S3Queue and AzureQueue keep
 * the processed files in Keeper, FileLog its offsets on disk. A view created again resumes where the
 * old one stopped, so nothing is missed in between (ClickHouse's Kafka docs: detach the view to
 * change the target table).
 */
const RESUMING_ENGINES = new Set(['Kafka', 'S3Queue', 'AzureQueue', 'FileLog']);

function resumesAfterGap(state: SchemaState, source: string): boolean {
  const table = state.tables.get(source);
  return table?.definition.kind === 'CreateTable' && RESUMING_ENGINES.has(table.definition.storage?.engine?.name.name ?? '');
}

/** The table whose inserts fire the object `id`, when it is a materialized view fired by inserts (not a refreshable one). */
function triggerOf(state: SchemaState, id: string): string | undefined {
  const object = state.tables.get(id);
  if (object?.kind !== 'materialized-view' || object.definition.kind !== 'CreateView' || object.definition.refresh) return undefined;
  return state.dependencies.find((d) => d.from === id && d.kind === 'trigger')?.to;
}
