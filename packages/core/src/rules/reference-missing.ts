import type { EdgeKind } from '../graph/dependencies.js';
import type { ObjectKind } from '../model/schema.js';
import { quoteIdentifier } from '../syntax/printer/text.js';
import { defineRule, type Fixer, type RuleContext } from './rule.js';
import { timelineOf } from './schemaAt.js';
import { isBareName } from './statementEdits.js';

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
  fixes: { qualify: 'Qualify as {qualified}' },
  // Whole project: a name is missing only when no file of the whole schema creates it (the graph's dependencies
  // against the final schema).
  check(context) {
    const { schema, graph } = context.analysis;
    const managed = managedDatabases(context);
    const known = new Set(schema.objects.map((o) => o.id));
    for (const d of graph.dependencies) {
      if (d.kind === 'database') continue;
      const from = graph.objects.get(d.from);
      // The graph resolves unqualified names against the USE in effect at CREATE, as ClickHouse does.
      const to = d.to;
      if (known.has(to)) continue;
      const database = to.slice(0, to.indexOf('.'));
      if (!managed.has(database)) continue;
      const how = HOW[d.kind] ?? 'depends on';
      // The same name in other databases: qualifying a bare name with one of them is the likely fix.
      const name = to.slice(database.length + 1);
      const range = d.range;
      const qualifications = schema.objects
        .filter((o) => o.name === name && o.database !== undefined && QUALIFIABLE.has(o.kind))
        .map((o) => {
          const qualifier = `${quoteIdentifier(o.database as string)}.`;
          return {
            messageId: 'qualify' as const,
            data: { qualified: `${qualifier}${quoteIdentifier(name)}` },
            fix: (fixer: Fixer) =>
              isBareName(fixer.text, range) ? fixer.replace(range, `${qualifier}${fixer.text.slice(range.start, range.end)}`) : undefined,
          };
        });
      context.report({
        file: d.file,
        node: d.range,
        messageId: 'missing',
        data: { from: d.from, how, to, database, effect: effectOf(d.kind, from?.kind) },
        ...(qualifications.length === 1 ? { fix: qualifications[0] } : qualifications.length > 1 ? { suggest: qualifications } : {}),
      });
    }
  },
});

/** The kinds of objects a table reference can name. */
const QUALIFIABLE = new Set<ObjectKind>(['table', 'view', 'materialized-view', 'dictionary']);

/** Databases whose objects ClickHouse itself provides: never made by migrations. */
const SYSTEM_DATABASES = new Set(['system', 'information_schema', 'INFORMATION_SCHEMA']);

/**
 * Databases the repository manages, whose objects it is expected to make: those it creates, and
 * those it creates a table, view or dictionary in at any point of the migrations (`default` when
 * everything is unqualified, or a database created by a provisioning script). A database the
 * repository only reads from is managed elsewhere (issue 19).
 */
function managedDatabases(context: Pick<RuleContext<unknown>, 'analysis' | 'statements'>): Set<string> {
  const managed = new Set(context.analysis.schema.objects.filter((o) => o.kind === 'database').map((o) => o.name));
  const timeline = timelineOf(context);
  context.statements.forEach(({ statement }, index) => {
    if ((statement.kind === 'CreateTable' && !statement.temporary) || statement.kind === 'CreateView' || statement.kind === 'CreateDictionary') {
      const id = timeline.idAt(index, statement.name);
      managed.add(id.slice(0, id.indexOf('.')));
    }
  });
  for (const database of SYSTEM_DATABASES) managed.delete(database);
  return managed;
}

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
