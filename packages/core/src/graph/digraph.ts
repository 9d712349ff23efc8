// A small directed graph for the schema graph: neighbours in arrays, the orders graphlib gave.
// graphlib (which this replaced) kept nodes and neighbours as keys of plain objects, at ~14 ms to
// build the graph of a 1,000-object schema; an editor builds it again whenever a dependency changes.
// Its orders are kept exactly, because creation orders and plans follow them: a JS object lists
// array-index keys (a database named `2024`) first, in ascending order, then the rest as inserted.

/**
 * Nodes are object ids; an edge goes from what is needed to what needs it. An edge added twice is
 * listed twice: a walk meets the second one as already seen, so no result changes, and building
 * the graph needs no set per node.
 */
export class Digraph {
  private readonly out = new Map<string, string[]>();
  private readonly in = new Map<string, string[]>();
  /** Whether some id is an array index, which changes the order nodes and neighbours are listed in. */
  private hasIndexKeys = false;

  addNode(id: string): void {
    if (this.out.has(id)) return;
    this.out.set(id, []);
    this.in.set(id, []);
    if (isArrayIndex(id)) this.hasIndexKeys = true;
  }

  /** Adds `from → to`, and the nodes. */
  addEdge(from: string, to: string): void {
    this.addNode(from);
    this.addNode(to);
    this.out.get(from)?.push(to);
    this.in.get(to)?.push(from);
  }

  hasEdge(from: string, to: string): boolean {
    return this.out.get(from)?.includes(to) ?? false;
  }

  get size(): number {
    return this.out.size;
  }

  nodes(): Iterable<string> {
    return this.ordered(this.out.keys());
  }

  /** The nodes `id` has an edge to; none for an unknown id. */
  successors(id: string): Iterable<string> {
    return this.ordered(this.out.get(id) ?? NONE);
  }

  /** The nodes that have an edge to `id`. */
  predecessors(id: string): Iterable<string> {
    return this.ordered(this.in.get(id) ?? NONE);
  }

  /** Whether `id` has an edge to any node. */
  hasSuccessors(id: string): boolean {
    return (this.out.get(id)?.length ?? 0) > 0;
  }

  copy(): Digraph {
    const copy = new Digraph();
    for (const id of this.out.keys()) copy.addNode(id);
    for (const [from, tos] of this.out) for (const to of tos) copy.addEdge(from, to);
    return copy;
  }

  /** The ids in graphlib's order: as inserted, unless some are array indexes. */
  private ordered(ids: Iterable<string>): Iterable<string> {
    if (!this.hasIndexKeys) return ids;
    const list = [...ids];
    const indexes = list.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
    return [...indexes, ...list.filter((id) => !isArrayIndex(id))];
  }
}

const NONE: readonly string[] = [];

/** Whether a JS object would list this key first: a canonical integer below 2^32 - 1. */
function isArrayIndex(id: string): boolean {
  const first = id.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  return /^(?:0|[1-9]\d*)$/.test(id) && Number(id) < 4294967295;
}

/**
 * The cycles of a graph: its strongly connected components (Tarjan) of more than one node, or of
 * one node with an edge to itself. Each lists its nodes in the order they left the DFS stack.
 */
export function findCycles(graph: Digraph): string[][] {
  let next = 0;
  const stack: string[] = [];
  const visited = new Map<string, { onStack: boolean; lowlink: number; index: number }>();
  const components: string[][] = [];
  const connect = (id: string): void => {
    const entry = { onStack: true, lowlink: next, index: next++ };
    visited.set(id, entry);
    stack.push(id);
    for (const successor of graph.successors(id)) {
      const seen = visited.get(successor);
      if (seen) {
        if (seen.onStack) entry.lowlink = Math.min(entry.lowlink, seen.index);
      } else {
        connect(successor);
        entry.lowlink = Math.min(entry.lowlink, (visited.get(successor) as { lowlink: number }).lowlink);
      }
    }
    if (entry.lowlink !== entry.index) return;
    const component: string[] = [];
    let popped: string;
    do {
      popped = stack.pop() as string;
      (visited.get(popped) as { onStack: boolean }).onStack = false;
      component.push(popped);
    } while (popped !== id);
    components.push(component);
  };
  for (const id of graph.nodes()) if (!visited.has(id)) connect(id);
  return components.filter((c) => c.length > 1 || graph.hasEdge(c[0], c[0]));
}

/**
 * The nodes in an order where every node comes after its predecessors: from each sink, its
 * predecessors depth first, each node after them. The graph must have no cycle (`findCycles`).
 */
export function topologicalOrder(graph: Digraph): string[] {
  const visited = new Set<string>();
  const order: string[] = [];
  const visit = (id: string): void => {
    if (visited.has(id)) return;
    visited.add(id);
    for (const predecessor of graph.predecessors(id)) visit(predecessor);
    order.push(id);
  };
  for (const id of graph.nodes()) if (!graph.hasSuccessors(id)) visit(id);
  if (order.length !== graph.size) throw new Error('topologicalOrder: the graph has a cycle');
  return order;
}
