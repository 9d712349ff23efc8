import { CANONICAL_CLICKHOUSE_VERSION, CANONICAL_FORMAT } from '../canon/canonical.js';
import type { Analysis } from '../inspect/analyze.js';
import { diagnosticJson, diagnosticText, Positions } from './positions.js';

/** Version of the `inspect --format json` document; bumped on any incompatible change. */
export const INSPECT_JSON_VERSION = 1;

function positionsOf(analysis: Analysis): Positions {
  return new Positions(new Map(analysis.files.map((f) => [f.file, f.text])));
}

/** The stable JSON document of `clickplan inspect` (documented in the README). */
export function renderInspectJson(analysis: Analysis): string {
  const positions = positionsOf(analysis);
  const objects = analysis.schema.objects.map((object) => {
    const definition = object.definition;
    const to =
      definition.kind === 'CreateView' && definition.to ? `${definition.to.database?.name ?? object.contextDatabase}.${definition.to.name.name}` : null;
    return {
      kind: object.kind,
      name: object.id,
      file: object.created.file,
      range: positions.range(object.created.file, object.created.range),
      depends_on: analysis.graph.dependencies.filter((d) => d.from === object.id && d.kind !== 'database').map((d) => ({ name: d.to, kind: d.kind })),
      to,
      hash: analysis.hashes.get(object.id) ?? null,
    };
  });
  const document = {
    version: INSPECT_JSON_VERSION,
    canonical: { clickhouse: CANONICAL_CLICKHOUSE_VERSION, format: CANONICAL_FORMAT },
    objects,
    creation_order: analysis.graph.creationOrder,
    diagnostics: analysis.diagnostics.map((d) => diagnosticJson(d, positions)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A readable listing: each object with what it needs, then the diagnostics. */
export function renderInspectText(analysis: Analysis): string {
  const positions = positionsOf(analysis);
  const lines: string[] = [];
  for (const object of analysis.schema.objects) {
    const { line } = positions.at(object.created.file, object.created.range.start);
    lines.push(`${object.kind} ${object.id}  (${object.created.file}:${line})  ${analysis.hashes.get(object.id)?.slice(0, 12)}`);
    for (const d of analysis.graph.dependencies.filter((x) => x.from === object.id && x.kind !== 'database')) lines.push(`  ${d.kind} → ${d.to}`);
  }
  if (analysis.diagnostics.length) {
    lines.push('');
    for (const d of analysis.diagnostics) lines.push(diagnosticText(d, positions));
  }
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  lines.push(
    '',
    `${analysis.schema.objects.length} objects, ${analysis.graph.dependencies.filter((d) => d.kind !== 'database').length} dependencies, ${errors} errors`,
  );
  return `${lines.join('\n')}\n`;
}
