import type { Range } from '../diagnostics.js';
import type { Dependency } from '../graph/dependencies.js';
import type { SchemaObject } from '../model/schema.js';
import type { SelectQuery } from '../syntax/ast.js';
import { defineRule, type LocatedStatement } from './rule.js';

/** Engines that keep their rows in memory for lookups: a join against them does not scan a table per block. */
const LOOKUP_ENGINES = new Set(['Join', 'Set', 'Dictionary']);

/**
 * A materialized view is fired only by inserts into the left-most table of its query. Any other
 * table it joins or reads in a subquery is read in full for every inserted block, and inserts into
 * that table never fire the view, so rows written earlier are not updated when it changes.
 * dictGet is not reported: a dictionary lookup reads memory, and is the usual fix.
 */
export default defineRule({
  id: 'mv-join-not-triggered',
  severity: 'warning',
  docs: {
    description: 'A materialized view joins or reads a second table: inserts into that table never fire it, and each inserted block reads that table in full.',
  },
  messages: {
    join: {
      message:
        '`{view}` is fired only by inserts into `{trigger}`: rows added to `{table}` later never update what it already wrote, and every block inserted into `{trigger}` reads `{table}` in full.',
      help: 'Look values up with dictGet from a dictionary over `{table}`, or use a Join-engine table; if `{table}` is small and never changes after the facts arrive, suppress with that reason.',
    },
    rereadsSource: {
      message: '`{view}` reads `{table}` again in a subquery: for every block inserted into `{table}`, the subquery scans the whole table, not just the block.',
      help: 'Compute from the inserted block only, or move the lookup to a dictionary or a refreshable materialized view.',
    },
  },
  // Whole project: it reads the dependency graph of the final schema: which table triggers a view and which it
  // only reads.
  check(context) {
    const { schema, graph } = context.analysis;
    const dependenciesFrom = new Map<string, Dependency[]>();
    for (const d of graph.dependencies) {
      const list = dependenciesFrom.get(d.from);
      if (list) list.push(d);
      else dependenciesFrom.set(d.from, [d]);
    }
    const queryFiles = filesOfQueries(context.statements);
    for (const object of schema.objects) {
      const definition = object.definition;
      if (object.kind !== 'materialized-view' || definition.kind !== 'CreateView' || definition.refresh || !definition.query) continue;
      const dependencies = dependenciesFrom.get(object.id) ?? [];
      const trigger = triggerOf(dependencies);
      if (!trigger) continue;
      const file = queryFiles.get(definition.query) ?? object.created.file;
      const reported: string[] = [];
      for (const read of dependencies) {
        if (read.kind !== 'reads' || reported.includes(read.to) || isLookup(graph.objects.get(read.to))) continue;
        reported.push(read.to);
        const messageId = read.to === trigger ? 'rereadsSource' : 'join';
        context.report({ file, node: read.range as Range, messageId, data: { view: object.id, trigger, table: read.to } });
      }
    }
  },
});

function triggerOf(dependencies: Dependency[]): string | undefined {
  for (const d of dependencies) if (d.kind === 'trigger') return d.to;
  return undefined;
}

function isLookup(object: SchemaObject | undefined): boolean {
  if (!object) return false;
  if (object.kind === 'dictionary') return true;
  return object.definition.kind === 'CreateTable' && LOOKUP_ENGINES.has(object.definition.storage?.engine?.name.name ?? '');
}

/** The file of the statement that wrote each query: the CREATE, or a later ALTER ... MODIFY QUERY. */
function filesOfQueries(statements: readonly LocatedStatement[]): Map<SelectQuery, string> {
  const files = new Map<SelectQuery, string>();
  for (const { file, statement } of statements) {
    if (statement.kind === 'CreateView' && statement.query) files.set(statement.query, file);
    if (statement.kind === 'AlterTable') for (const a of statement.actions) if (a.kind === 'ModifyQuery') files.set(a.query, file);
  }
  return files;
}
