import { alg, Graph } from '@dagrejs/graphlib';
import type { Diagnostic } from '../diagnostics.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import { type Dependency, dependenciesOf } from './dependencies.js';

/** The dependency DAG of a schema. Edges point from what is needed to what needs it (creation order). */
export interface SchemaGraph {
  /** Every dependency, including those on objects the schema does not define. */
  dependencies: Dependency[];
  /** Objects by id, as in the schema (databases, tables, views, dictionaries, functions...). */
  objects: Map<string, SchemaObject>;
  /** Ids in an order in which they can be created: everything after what it needs. */
  creationOrder: string[];
  diagnostics: Diagnostic[];
  /** Ids of everything that needs `id`, directly or through others (what a change to it may break). */
  downstreamOf(id: string): string[];
  /** Ids of everything `id` needs, directly or through others. */
  upstreamOf(id: string): string[];
}

/** Objects that take part in ordering: access entities and grants are ordered by the deploy separately. */
function isGraphObject(object: SchemaObject): boolean {
  return ['database', 'table', 'view', 'materialized-view', 'dictionary'].includes(object.kind);
}

export function buildGraph(schema: Schema): SchemaGraph {
  const members = schema.objects.filter(isGraphObject);
  const objects = new Map(members.map((o) => [o.id, o]));
  const graph = new Graph({ directed: true, multigraph: false });
  for (const object of members) graph.setNode(object.id);
  const dependencies = members.flatMap((o) => dependenciesOf(o, members));
  for (const d of dependencies) {
    // Only edges between objects of the schema order anything; the rest are for rules to judge.
    if (objects.has(d.to) && d.to !== d.from) graph.setEdge(d.to, d.from, d.kind);
  }
  const diagnostics: Diagnostic[] = [];
  for (const cycle of alg.findCycles(graph)) {
    const ids = [...cycle].reverse();
    const first = objects.get(ids[0]);
    if (!first) continue;
    diagnostics.push({
      code: 'dependency-cycle',
      severity: 'error',
      file: first.created.file,
      range: first.created.range,
      message: `These objects depend on each other in a cycle: ${[...ids, ids[0]].map((id) => `\`${id}\``).join(' → ')}. ClickHouse cannot create them in any order.`,
      help: 'Break the cycle: one of these objects must not read or write another.',
    });
  }
  const creationOrder = diagnostics.length === 0 ? alg.topsort(graph) : stableFallbackOrder(members);
  const walk = (start: string, next: (id: string) => string[] | undefined): string[] => {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      for (const n of next(id) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    seen.delete(start);
    return [...seen].sort();
  };
  return {
    dependencies,
    objects,
    creationOrder,
    diagnostics,
    downstreamOf: (id) => walk(id, (n) => graph.successors(n) ?? undefined),
    upstreamOf: (id) => walk(id, (n) => graph.predecessors(n) ?? undefined),
  };
}

/** With a cycle there is no valid order; keep the repository's own order so later stages still work. */
function stableFallbackOrder(objects: SchemaObject[]): string[] {
  return objects.map((o) => o.id);
}
