import type { Dependency } from '../graph/dependencies.js';
import type { SchemaGraph } from '../graph/graph.js';
import type { ObjectKind } from '../model/schema.js';

/** One arrow per dependency, pointing the way data and definitions flow: from what is needed to what needs it. */
interface Arrow {
  from: string;
  to: string;
  kind: Dependency['kind'];
}

export interface GraphRenderOptions {
  /** Only this object and everything upstream and downstream of it. */
  focus?: string;
}

/** The objects and arrows to draw: everything but databases, or one object's neighbourhood. */
function selection(graph: SchemaGraph, options: GraphRenderOptions): { nodes: { id: string; kind: ObjectKind }[]; arrows: Arrow[] } {
  let ids = [...graph.objects.values()].filter((o) => o.kind !== 'database').map((o) => o.id);
  if (options.focus) {
    const related = new Set([options.focus, ...graph.upstreamOf(options.focus), ...graph.downstreamOf(options.focus)]);
    ids = ids.filter((id) => related.has(id));
  }
  const shown = new Set(ids);
  const arrows: Arrow[] = [];
  const seen = new Set<string>();
  for (const d of graph.dependencies) {
    if (d.kind === 'database' || !shown.has(d.from) || !shown.has(d.to)) continue;
    // An MV writes into its target; everything else is needed by the object that names it.
    const arrow = d.kind === 'writes-to' ? { from: d.from, to: d.to, kind: d.kind } : { from: d.to, to: d.from, kind: d.kind };
    const key = `${arrow.from}|${arrow.to}|${arrow.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    arrows.push(arrow);
  }
  const nodes = ids.map((id) => ({ id, kind: (graph.objects.get(id) as { kind: ObjectKind }).kind }));
  return { nodes, arrows };
}

/** Mermaid node shapes by kind, so a reader tells tables, views and dictionaries apart. */
const MERMAID_SHAPES: Partial<Record<ObjectKind, [string, string]>> = {
  table: ['[', ']'],
  view: ['(', ')'],
  'materialized-view': ['[[', ']]'],
  dictionary: ['[(', ')]'],
};

/** A Mermaid flowchart (GitHub renders it in comments and Markdown files). */
export function renderGraphMermaid(graph: SchemaGraph, options: GraphRenderOptions = {}): string {
  const { nodes, arrows } = selection(graph, options);
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of nodes) {
    const [open, close] = MERMAID_SHAPES[node.kind] ?? ['[', ']'];
    lines.push(`  ${ids.get(node.id)}${open}"${node.id}"${close}`);
  }
  for (const a of arrows) lines.push(`  ${ids.get(a.from)} -->|${a.kind}| ${ids.get(a.to)}`);
  return `${lines.join('\n')}\n`;
}

/** A Graphviz digraph. */
export function renderGraphDot(graph: SchemaGraph, options: GraphRenderOptions = {}): string {
  const { nodes, arrows } = selection(graph, options);
  const quote = (s: string) => JSON.stringify(s);
  const shapes: Partial<Record<ObjectKind, string>> = { table: 'box', view: 'ellipse', 'materialized-view': 'box3d', dictionary: 'cylinder' };
  const lines = ['digraph schema {', '  rankdir=LR;'];
  for (const node of nodes) lines.push(`  ${quote(node.id)} [shape=${shapes[node.kind] ?? 'box'}];`);
  for (const a of arrows) lines.push(`  ${quote(a.from)} -> ${quote(a.to)} [label=${quote(a.kind)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The graph as data: nodes with their kinds, edges as drawn (from what is needed to what needs it). */
export function renderGraphJson(graph: SchemaGraph, options: GraphRenderOptions = {}): string {
  const { nodes, arrows } = selection(graph, options);
  return `${JSON.stringify({ version: 1, nodes, edges: arrows }, null, 2)}\n`;
}
