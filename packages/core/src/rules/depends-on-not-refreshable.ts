import type { SchemaObject } from '../model/schema.js';
import type { RefreshClause } from '../syntax/ast.js';
import { defineRule, type LocatedStatement } from './rule.js';

const KIND_NAMES: Record<string, string> = {
  table: 'a table',
  view: 'a view',
  'materialized-view': 'a materialized view without REFRESH',
  dictionary: 'a dictionary',
};

/**
 * `REFRESH ... DEPENDS ON x` makes a refreshable view wait for x's refreshes. An object that is not a
 * refreshable view never refreshes, so the scheduler leaves the view in MissingDependencies and its
 * scheduled refreshes never run (checked with chDB in the test). Missing objects are reference-missing's.
 */
export default defineRule({
  id: 'depends-on-not-refreshable',
  severity: 'error',
  docs: { description: 'A refreshable materialized view DEPENDS ON an object that is not a refreshable view: its scheduled refreshes never run.' },
  messages: {
    notRefreshable: {
      message:
        '`{view}` DEPENDS ON `{target}`, which is {kind}: it never refreshes, so ClickHouse keeps `{view}` waiting (MissingDependencies) and its scheduled refreshes never run.',
      help: 'Remove `{target}` from DEPENDS ON: a refresh always reads the current rows of tables and views; list only refreshable views it must run after.',
    },
  },
  // Whole project: a view's DEPENDS ON is judged against what the names are in the final schema (any file may
  // create or replace the target).
  check(context) {
    const { schema } = context.analysis;
    let tables: Map<string, SchemaObject> | undefined;
    for (const object of schema.objects) {
      const refresh = object.definition.kind === 'CreateView' ? object.definition.refresh : undefined;
      if (!refresh) continue;
      tables ??= new Map(schema.objects.filter((o) => o.id.includes('.')).map((o) => [o.id, o]));
      const file = fileOfRefresh(context.statements, refresh) ?? object.created.file;
      for (const name of refresh.dependsOn) {
        const id = `${name.database?.name ?? object.contextDatabase}.${name.name.name}`;
        const target = tables.get(id);
        if (!target || (target.definition.kind === 'CreateView' && target.definition.refresh)) continue;
        context.report({ file, node: name, messageId: 'notRefreshable', data: { view: object.id, target: id, kind: KIND_NAMES[target.kind] ?? target.kind } });
      }
    }
  },
});

/** The file of the statement that wrote this REFRESH clause: the CREATE, or a later ALTER ... MODIFY REFRESH. */
function fileOfRefresh(statements: readonly LocatedStatement[], refresh: RefreshClause): string | undefined {
  for (const { file, statement } of statements) {
    if (statement.kind === 'CreateView' && statement.refresh === refresh) return file;
    if (statement.kind === 'AlterTable' && statement.actions.some((a) => a.kind === 'ModifyRefresh' && a.refresh === refresh)) return file;
  }
  return undefined;
}
