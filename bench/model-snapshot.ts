import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { type LiveSchema, SNAPSHOT_FORMAT } from '../packages/core/src/live/types.js';
import { createStatement } from '../packages/core/src/plan/create.js';
import { printStatement } from '../packages/core/src/syntax/printer.js';

// A snapshot of a generated repository without an engine, for growth benchmarks at sizes a replay
// into chDB cannot reach in a benchmark's time (100,000 objects: ~15 minutes): each object's
// definition after its ALTERs, printed as the plan prints a CREATE. It is not what a server stores
// (plan.bench.ts measures against that); a plan against it has the steps where our printed form and
// the written one hash differently, which the benchmark reports.

/** The snapshot of what `sql` creates: databases, tables, views, dictionaries and functions. */
export function modelSnapshot(sql: string): LiveSchema {
  const { schema } = analyzeFiles([{ file: 'schema.sql', text: sql }]);
  const live: LiveSchema = {
    format: SNAPSHOT_FORMAT,
    serverVersion: '26.7.2.1',
    readAt: '2026-12-08T00:00:00Z',
    databases: [],
    tables: [],
    functions: [],
    accessEntities: [],
    grants: [],
    gaps: [],
  };
  for (const object of schema.objects) {
    const createQuery = printStatement(createStatement(object, { orReplace: false, ifNotExists: false }));
    const definition = object.definition;
    if (definition.kind === 'CreateDatabase') live.databases.push({ name: object.name, engine: 'Atomic', createQuery });
    else if (definition.kind === 'CreateFunction') live.functions.push({ name: object.name, createQuery });
    else if (
      object.database !== undefined &&
      (definition.kind === 'CreateTable' || definition.kind === 'CreateView' || definition.kind === 'CreateDictionary')
    ) {
      const engine =
        definition.kind === 'CreateDictionary'
          ? 'Dictionary'
          : definition.kind === 'CreateView'
            ? definition.viewKind === 'MATERIALIZED'
              ? 'MaterializedView'
              : 'View'
            : (definition.storage?.engine?.name.name ?? 'MergeTree');
      live.tables.push({ database: object.database, name: object.name, engine, createQuery });
    }
  }
  return live;
}
