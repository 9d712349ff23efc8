import type { ObjectKind } from '../model/schema.js';
import { quoteXml } from '../server/quoteXml.js';
import type { EditorModel } from './model.js';

// The dependency graph as an SVG an editor can show without a diagram library: objects in layers from
// what is needed to what needs it (left to right), ordered to keep arrows short. Each node carries
// its object id (`data-id`) so a click can open the definition.

export interface GraphNode {
  id: string;
  kind: ObjectKind;
  /** Where the object is created (file as the analysis names it). */
  file: string;
  start: number;
  end: number;
  /** The object asked about. */
  focus: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: string;
}

export interface GraphPicture {
  nodes: GraphNode[];
  edges: GraphEdge[];
  svg: string;
}

/** The graph around some objects (upstream and downstream of each), or all of it when none are given. */
export function graphAround(model: EditorModel, focus: string[]): GraphPicture {
  const { graph } = model.analysis;
  const all = [...graph.objects.values()].filter((o) => o.kind !== 'database');
  const wanted = new Set(focus.length === 0 ? all.map((o) => o.id) : focus.flatMap((id) => [id, ...graph.upstreamOf(id), ...graph.downstreamOf(id)]));
  const nodes: GraphNode[] = all
    .filter((o) => wanted.has(o.id))
    .map((o) => ({ id: o.id, kind: o.kind, file: o.created.file, start: o.created.range.start, end: o.created.range.end, focus: focus.includes(o.id) }));
  const shown = new Set(nodes.map((n) => n.id));
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const d of graph.dependencies) {
    if (d.kind === 'database' || !shown.has(d.from) || !shown.has(d.to) || d.from === d.to) continue;
    // Arrows follow the data: an MV writes into its target; everything else flows from what is read to what reads it.
    const edge = d.kind === 'writes-to' ? { from: d.from, to: d.to, kind: d.kind } : { from: d.to, to: d.from, kind: d.kind };
    const key = `${edge.from}|${edge.to}|${edge.kind}`;
    if (!seen.has(key)) {
      seen.add(key);
      edges.push(edge);
    }
  }
  return { nodes, edges, svg: renderSvg(nodes, edges) };
}

const COLORS: Partial<Record<ObjectKind, string>> = { table: '#2f6fb0', view: '#5a9e4b', 'materialized-view': '#b5702c', dictionary: '#8a55b0' };
const NODE_HEIGHT = 34;
const GAP_X = 70;
const GAP_Y = 18;
const CHAR_WIDTH = 7.2;

function renderSvg(nodes: GraphNode[], edges: GraphEdge[]): string {
  if (nodes.length === 0)
    return '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40"><text x="10" y="25" font-family="sans-serif" font-size="13">No objects to show.</text></svg>';
  const layers = layerOf(nodes, edges);
  const columns: GraphNode[][] = [];
  for (const node of nodes) (columns[layers.get(node.id) ?? 0] ??= []).push(node);
  // Order each layer by the mean position of its predecessors (one barycentric sweep).
  const row = new Map<string, number>();
  columns.forEach((column, c) => {
    if (c > 0) {
      const mean = (id: string) => {
        const from = edges.filter((e) => e.to === id && row.has(e.from)).map((e) => row.get(e.from) as number);
        return from.length ? from.reduce((a, b) => a + b, 0) / from.length : Number.MAX_SAFE_INTEGER;
      };
      column.sort((a, b) => mean(a.id) - mean(b.id) || a.id.localeCompare(b.id));
    }
    for (const [r, n] of column.entries()) row.set(n.id, r);
  });
  const width = (n: GraphNode) => Math.max(90, n.id.length * CHAR_WIDTH + 24);
  const columnWidths = columns.map((column) => Math.max(...(column ?? []).map(width)));
  const position = new Map<string, { x: number; y: number; w: number }>();
  let x = 10;
  columns.forEach((column, c) => {
    for (const [r, n] of (column ?? []).entries()) position.set(n.id, { x, y: 10 + r * (NODE_HEIGHT + GAP_Y), w: width(n) });
    x += columnWidths[c] + GAP_X;
  });
  const height = Math.max(...columns.map((column) => (column?.length ?? 0) * (NODE_HEIGHT + GAP_Y))) + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(x - GAP_X + 10)}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
  ];
  for (const e of edges) {
    const a = position.get(e.from);
    const b = position.get(e.to);
    if (!a || !b) continue;
    const [x1, y1, x2, y2] = [a.x + a.w, a.y + NODE_HEIGHT / 2, b.x, b.y + NODE_HEIGHT / 2];
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    parts.push(
      `<path class="edge" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" fill="none" stroke="#888" stroke-width="1.3" marker-end="url(#arrow)"><title>${quoteXml(`${e.from} → ${e.to} (${e.kind})`)}</title></path>`,
    );
  }
  for (const n of nodes) {
    const p = position.get(n.id) as { x: number; y: number; w: number };
    const color = COLORS[n.kind] ?? '#666';
    const radius = n.kind === 'view' || n.kind === 'materialized-view' ? 14 : 4;
    parts.push(
      `<g class="node" data-id="${quoteXml(n.id)}" style="cursor:pointer"><title>${quoteXml(`${n.kind} ${n.id} — click to open its definition`)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${NODE_HEIGHT}" rx="${radius}" fill="${color}" fill-opacity="${n.focus ? 1 : 0.82}" stroke="${n.focus ? '#000' : color}" stroke-width="${n.focus ? 2.5 : 1}"/>` +
        `<text x="${p.x + p.w / 2}" y="${p.y + NODE_HEIGHT / 2 + 4}" text-anchor="middle" fill="#fff">${quoteXml(n.id)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Longest path from a source: each node one layer right of everything it comes from (cycles are cut). */
function layerOf(nodes: GraphNode[], edges: GraphEdge[]): Map<string, number> {
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const next = (layer.get(e.from) ?? 0) + 1;
      if (next > (layer.get(e.to) ?? 0) && next < nodes.length) {
        layer.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}
