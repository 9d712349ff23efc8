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
  /** Ids in an order in which they can be dropped: everything before what it needs. */
  dropOrder: string[];
  diagnostics: Diagnostic[];
  /** Ids of everything that needs `id` or receives data from it, directly or through others (what a change to it may affect). */
  downstreamOf(id: string): string[];
  /** Ids of everything `id` needs or receives data from, directly or through others. */
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
  const creationCycles = alg.findCycles(graph);
  for (const cycle of creationCycles) diagnostics.push(cycleDiagnostic([...cycle].reverse(), objects, 'ClickHouse cannot create them in any order.'));
  for (const cycle of alg.findCycles(dataFlowGraph(dependencies, objects))) {
    diagnostics.push(
      cycleDiagnostic([...cycle].reverse(), objects, 'ClickHouse creates them, but refuses every insert into any of them (code 306: dependencies are cyclic).'),
    );
  }
  const creationOrder = creationCycles.length === 0 ? alg.topsort(graph) : stableFallbackOrder(members);
  // Impact follows both what an object needs and where its rows go: an MV feeds its TO target.
  const impact = new Graph({ directed: true });
  for (const e of graph.edges()) impact.setEdge(e.v, e.w);
  for (const d of dependencies) if (d.kind === 'writes-to' && objects.has(d.to)) impact.setEdge(d.from, d.to);
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
    dropOrder: [...creationOrder].reverse(),
    diagnostics,
    downstreamOf: (id) => walk(id, (n) => impact.successors(n) ?? undefined),
    upstreamOf: (id) => walk(id, (n) => impact.predecessors(n) ?? undefined),
  };
}

/** Where inserted rows go: into the MVs a table triggers, from an MV into its target, through Buffer and Distributed tables. */
function dataFlowGraph(dependencies: Dependency[], objects: Map<string, SchemaObject>): Graph {
  const flow = new Graph({ directed: true });
  for (const d of dependencies) {
    if (!objects.has(d.to)) continue;
    if (d.kind === 'trigger') flow.setEdge(d.to, d.from);
    else if (d.kind === 'writes-to' || d.kind === 'buffer' || d.kind === 'distributed') flow.setEdge(d.from, d.to);
  }
  return flow;
}

function cycleDiagnostic(ids: string[], objects: Map<string, SchemaObject>, effect: string): Diagnostic {
  // Start the cycle at the object defined first, so the message is the same however the graph is walked.
  const first = ids.reduce((a, b) => (objectOrder(objects, a) <= objectOrder(objects, b) ? a : b));
  const rotated = [...ids.slice(ids.indexOf(first)), ...ids.slice(0, ids.indexOf(first))];
  const object = objects.get(first) as SchemaObject;
  return {
    code: 'dependency-cycle',
    severity: 'error',
    file: object.created.file,
    range: object.created.range,
    message: `These objects depend on each other in a cycle: ${[...rotated, first].map((id) => `\`${id}\``).join(' → ')}. ${effect}`,
    help: 'Break the cycle: one of these objects must not read or write another.',
  };
}

function objectOrder(objects: Map<string, SchemaObject>, id: string): number {
  return [...objects.keys()].indexOf(id);
}

/** With a cycle there is no valid order; keep the repository's own order so later stages still work. */
function stableFallbackOrder(objects: SchemaObject[]): string[] {
  return objects.map((o) => o.id);
}
