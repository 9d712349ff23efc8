import type { Diagnostic } from '../diagnostics.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import { inSession } from '../session.js';
import { type Dependency, dependenciesOf } from './dependencies.js';
import { Digraph, findCycles, topologicalOrder } from './digraph.js';

/** The dependency DAG of a schema. Edges point from what is needed to what needs it (creation order). */
export interface SchemaGraph {
  /** Every dependency, including those on objects the schema does not define. */
  dependencies: Dependency[];
  /** Objects by id, as in the schema (databases, tables, views, dictionaries, functions...). */
  objects: Map<string, SchemaObject>;
  /** Ids in an order in which they can be created: everything after what it needs. */
  readonly creationOrder: string[];
  /** Ids in an order in which they can be dropped: everything before what it needs. */
  readonly dropOrder: string[];
  diagnostics: Diagnostic[];
  /** Ids of everything that needs `id` or receives data from it, directly or through others (what a change to it may affect). */
  downstreamOf(id: string): string[];
  /** Ids of everything `id` needs or receives data from, directly or through others. */
  upstreamOf(id: string): string[];
}

/** The kinds that take part in ordering: access entities and grants are ordered by the deploy separately. */
export const GRAPH_KINDS: ReadonlySet<string> = new Set(['database', 'table', 'view', 'materialized-view', 'dictionary']);

export function buildGraph(schema: Schema): SchemaGraph {
  const members = schema.objects.filter((o) => GRAPH_KINDS.has(o.kind));
  return graphOf(
    members,
    inSession(() => members.flatMap((o) => dependenciesOf(o, members))),
  );
}

/** The graph of `members` (the schema's GRAPH_KINDS objects, in creation order) and their dependencies. */
export function graphOf(members: SchemaObject[], dependencies: Dependency[]): SchemaGraph {
  const objects = new Map(members.map((o) => [o.id, o]));
  const graph = new Digraph();
  for (const object of members) graph.addNode(object.id);
  for (const d of dependencies) {
    // Only edges between objects of the schema order anything; the rest are for rules to judge.
    if (objects.has(d.to) && d.to !== d.from) graph.addEdge(d.to, d.from);
  }
  const diagnostics: Diagnostic[] = [];
  const creationCycles = findCycles(graph);
  for (const cycle of creationCycles) diagnostics.push(cycleDiagnostic([...cycle].reverse(), objects, 'ClickHouse cannot create them in any order.'));
  for (const cycle of findCycles(dataFlowGraph(dependencies, objects))) {
    diagnostics.push(
      cycleDiagnostic([...cycle].reverse(), objects, 'ClickHouse creates them, but refuses every insert into any of them (code 306: dependencies are cyclic).'),
    );
  }
  // The orders are worked out when asked for: an editor's diagnostics never ask.
  let creationOrder: string[] | undefined;
  let dropOrder: string[] | undefined;
  // Impact follows both what an object needs and where its rows go: an MV feeds its TO target.
  // Built on the first walk: diagnostics never walk.
  let impactGraph: Digraph | undefined;
  const impact = (): Digraph => {
    if (!impactGraph) {
      impactGraph = graph.copy();
      for (const d of dependencies) if (d.kind === 'writes-to' && objects.has(d.to)) impactGraph.addEdge(d.from, d.to);
    }
    return impactGraph;
  };
  const walk = (start: string, next: (id: string) => Iterable<string>): string[] => {
    const seen = new Set<string>([start]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const n of next(queue[i])) {
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
    get creationOrder() {
      creationOrder ??= creationCycles.length === 0 ? topologicalOrder(graph) : stableFallbackOrder(members);
      return creationOrder;
    },
    get dropOrder() {
      dropOrder ??= [...this.creationOrder].reverse();
      return dropOrder;
    },
    diagnostics,
    downstreamOf: (id) => walk(id, (n) => impact().successors(n)),
    upstreamOf: (id) => walk(id, (n) => impact().predecessors(n)),
  };
}

/** Where inserted rows go: into the MVs a table triggers, from an MV into its target, through Buffer and Distributed tables. */
function dataFlowGraph(dependencies: Dependency[], objects: Map<string, SchemaObject>): Digraph {
  const flow = new Digraph();
  for (const d of dependencies) {
    if (!objects.has(d.to)) continue;
    if (d.kind === 'trigger') flow.addEdge(d.to, d.from);
    else if (d.kind === 'writes-to' || d.kind === 'buffer' || d.kind === 'distributed') flow.addEdge(d.from, d.to);
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
