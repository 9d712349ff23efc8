import { describe, expect, it } from 'vitest';
import { Digraph, findCycles, topologicalOrder } from './digraph.js';

// The orders graphlib gave, which creation orders and plans follow: nodes and neighbours as a JS
// object lists its keys (array indexes first, ascending; then the rest as inserted).

function graphOf(edges: [string, string][], nodes: string[] = []): Digraph {
  const graph = new Digraph();
  for (const id of nodes) graph.addNode(id);
  for (const [from, to] of edges) graph.addEdge(from, to);
  return graph;
}

describe('Digraph', () => {
  it('lists nodes and neighbours as inserted, array-index ids first in ascending order', () => {
    const graph = graphOf(
      [
        ['b', 'x.t'],
        ['b', '10'],
        ['b', '2'],
      ],
      ['b', '2024', 'a', '7'],
    );
    const object: Record<string, true> = {};
    for (const id of ['b', '2024', 'a', '7', 'x.t', '10', '2']) object[id] = true;
    expect([...graph.nodes()]).toEqual(Object.keys(object));
    expect([...graph.nodes()]).toEqual(['2', '7', '10', '2024', 'b', 'a', 'x.t']);
    expect([...graph.successors('b')]).toEqual(['2', '10', 'x.t']);
    // `01` and `1.5` are not array indexes: they keep their place.
    expect([
      ...graphOf([
        ['z', '01'],
        ['z', '1.5'],
        ['z', '3'],
      ]).successors('z'),
    ]).toEqual(['3', '01', '1.5']);
  });

  it('orders every node after its predecessors, from the sinks', () => {
    const graph = graphOf(
      [
        ['db', 'db.t'],
        ['db', 'db.mv'],
        ['db.t', 'db.mv'],
        ['db', 'db.target'],
        ['db.target', 'db.mv'],
      ],
      ['db', 'db.t', 'db.target', 'db.mv'],
    );
    expect(topologicalOrder(graph)).toEqual(['db', 'db.t', 'db.target', 'db.mv']);
  });

  it('finds cycles, an edge to itself included, and counts an edge added twice once', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'a'],
      ['a', 'b'],
      ['c', 'c'],
      ['c', 'd'],
    ]);
    expect(findCycles(graph)).toEqual([['b', 'a'], ['c']]);
    expect(() => topologicalOrder(graph)).toThrow();
  });
});
