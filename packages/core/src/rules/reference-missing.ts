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
      if (d.kind === 'database' || known.has(d.to)) continue;
      const database = d.to.slice(0, d.to.indexOf('.'));
      if (!managed.has(database)) continue;
      const how = HOW[d.kind] ?? 'depends on';
      const effect = d.kind === 'writes-to' ? 'every insert into its source fails.' : d.kind === 'trigger' ? 'it is never fired.' : 'queries that use it fail.';
      context.report({ file: d.file, node: d.range, messageId: 'missing', data: { from: d.from, how, to: d.to, database, effect } });
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
