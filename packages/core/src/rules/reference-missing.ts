import type { EdgeKind } from '../graph/dependencies.js';
import type { ObjectKind, SchemaObject } from '../model/schema.js';
import { defineRule } from './rule.js';

/** A view, MV, dictionary or engine names an object that the desired schema does not have. */
export default defineRule({
  id: 'reference-missing',
  severity: 'error',
  docs: { description: 'An object reads from, writes to or depends on an object that does not exist in the desired schema.' },
  messages: {
    missing: {
      message: '`{from}` {how} `{to}`, which does not exist in `{database}` after the migrations: {effect}',
      help: 'Create `{to}` in an earlier migration, or fix the name.',
    },
  },
  defaultOptions: {},
  check(context) {
    const { schema, graph } = context.analysis;
    // Only databases the repository creates are known in full; others are managed elsewhere.
    const managed = new Set(schema.objects.filter((o) => o.kind === 'database').map((o) => o.name));
    const known = new Set(schema.objects.map((o) => o.id));
    for (const d of graph.dependencies) {
      if (d.kind === 'database') continue;
      const from = graph.objects.get(d.from);
      const to = from ? resolveAsClickHouse(from, d.kind, d.to, d.range) : d.to;
      if (known.has(to)) continue;
      const database = to.slice(0, to.indexOf('.'));
      if (!managed.has(database)) continue;
      const how = HOW[d.kind] ?? 'depends on';
      context.report({ file: d.file, node: d.range, messageId: 'missing', data: { from: d.from, how, to, database, effect: effectOf(d.kind, from?.kind) } });
    }
  },
});

const HOW: Record<string, string> = {
  trigger: 'is fired by inserts into',
  reads: 'reads',
  'writes-to': 'writes to',
  distributed: 'distributes to',
  buffer: 'flushes to',
  'dictionary-source': 'loads from',
  'dict-get': 'looks up',
  'join-get': 'looks up',
  'as-table': 'copies the structure of',
  'depends-on': 'depends on',
};

/** What ClickHouse 26.7 does, as shown on chDB in reference-missing.test.ts. */
function effectOf(kind: EdgeKind, fromKind: ObjectKind | undefined): string {
  switch (kind) {
    case 'trigger':
      return 'ClickHouse refuses to create the view while its source is missing (code 60), and if the source is dropped later the view is never fired.';
    case 'writes-to':
      return 'ClickHouse refuses to create the view while its target is missing (code 60), and if the target is dropped later every insert into the source fails (code 60) and writes nothing.';
    case 'reads':
      if (fromKind === 'materialized-view')
        return "ClickHouse refuses to create the view while it is missing (code 60), and if it is dropped later every insert into the view's source fails (code 60).";
      if (fromKind === 'view')
        return 'ClickHouse refuses to create the view while it is missing (code 60), and if it is dropped later every query of the view fails.';
      return 'ClickHouse refuses the CREATE while it is missing, and if it is dropped later every query that reads it fails.';
    case 'dict-get':
      return 'ClickHouse refuses the CREATE while the dictionary is missing (code 36), and if it is dropped later every query or insert that evaluates the dictGet fails (code 36).';
    case 'join-get':
      return 'ClickHouse refuses the CREATE while the table is missing (code 60), and if it is dropped later everything that evaluates the joinGet fails.';
    case 'dictionary-source':
      return 'ClickHouse creates the dictionary, but it cannot load, so every lookup fails (code 60).';
    case 'buffer':
      return 'ClickHouse accepts inserts into the Buffer table and discards the rows when it flushes them.';
    case 'distributed':
      return 'ClickHouse creates the Distributed table, but every shard where the table is missing refuses the queries and inserts it forwards.';
    case 'as-table':
      return 'ClickHouse refuses the CREATE (code 390).';
    case 'depends-on':
      return 'ClickHouse creates the view, but it never refreshes (system.view_refreshes shows MissingDependencies).';
    default:
      return 'queries that use it fail.';
  }
}

/** Dependencies named by a table name in a query, TO, DEPENDS ON or `AS table` (not by an engine argument or a string). */
const NAMED_IN_QUERY: ReadonlySet<EdgeKind> = new Set(['trigger', 'reads', 'writes-to', 'depends-on', 'as-table']);

/**
 * ClickHouse resolves an unqualified table name in a query, TO, DEPENDS ON or `AS table` against the
 * database in use when the CREATE ran (`USE raw; CREATE VIEW mart.v AS SELECT * FROM events` reads
 * `raw.events`; without USE, `default.events`), not against the new object's database, which is
 * what the graph assumed.
 */
function resolveAsClickHouse(from: SchemaObject, kind: EdgeKind, to: string, range: { start: number; end: number }): string {
  if (from.database === undefined || from.contextDatabase === from.database || !NAMED_IN_QUERY.has(kind)) return to;
  if (!findNameAt(from.definition, range)) return to;
  return `${from.contextDatabase}.${to.slice(to.indexOf('.') + 1)}`;
}

/** An unqualified table name exactly at `range`: a `QualifiedName` without database, or a one-part `x IN t` in a view. */
function findNameAt(root: object, range: { start: number; end: number }): object | undefined {
  const isView = (root as { kind?: string }).kind === 'CreateView';
  let found: object | undefined;
  const visit = (value: unknown): void => {
    if (found || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const node = value as { kind?: string; start?: number; end?: number; database?: unknown; parts?: unknown[] };
    if (node.start === range.start && node.end === range.end) {
      if ((node.kind === 'QualifiedName' && !node.database) || (isView && node.kind === 'ColumnRef' && node.parts?.length === 1)) {
        found = node;
        return;
      }
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(root);
  return found;
}
