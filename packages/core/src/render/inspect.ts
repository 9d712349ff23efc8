import { CANONICAL_CLICKHOUSE_VERSION, CANONICAL_FORMAT } from '../canon/canonical.js';
import { type TypeInferenceCoverage, typeInferenceCoverage } from '../canon/derivedColumns.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Dependency } from '../graph/dependencies.js';
import type { Analysis } from '../inspect/analyze.js';
import { plural } from '../plural.js';
import type { DetectedLayout } from '../project/detect.js';
import { displayPath } from '../project/files.js';
import { diagnosticJson, diagnosticText, Positions } from './positions.js';

/** Version of the `inspect --format json` document; bumped on any incompatible change. */
export const INSPECT_JSON_VERSION = 1;

/** What inspect shows about the project besides its SQL: the layout and why, and problems reading it. */
export interface InspectContext {
  layout?: DetectedLayout;
  /** Diagnostics of reading the project (layout, file names, files left out), shown before the analysis's. */
  projectDiagnostics?: readonly Diagnostic[];
}

function positionsOf(analysis: Analysis): Positions {
  return new Positions(new Map(analysis.files.map((f) => [f.file, f.text])));
}

/** Each object's dependencies on other objects (not on its database), grouped once: filtering the whole list per object was quadratic. */
function dependenciesByObject(analysis: Analysis): Map<string, Dependency[]> {
  const byObject = new Map<string, Dependency[]>();
  for (const d of analysis.graph.dependencies) {
    if (d.kind === 'database') continue;
    const list = byObject.get(d.from);
    if (list) list.push(d);
    else byObject.set(d.from, [d]);
  }
  return byObject;
}

/** The stable JSON document of `clickplan inspect` (documented in the README). */
export function renderInspectJson(analysis: Analysis, context: InspectContext = {}): string {
  const positions = positionsOf(analysis);
  const dependencies = dependenciesByObject(analysis);
  const objects = analysis.schema.objects.map((object) => {
    const definition = object.definition;
    const to =
      definition.kind === 'CreateView' && definition.to ? `${definition.to.database?.name ?? object.contextDatabase}.${definition.to.name.name}` : null;
    return {
      kind: object.kind,
      name: object.id,
      file: object.created.file,
      range: positions.range(object.created.file, object.created.range),
      depends_on: (dependencies.get(object.id) ?? []).map((d) => ({ name: d.to, kind: d.kind })),
      to,
      hash: analysis.hashes.get(object.id) ?? null,
    };
  });
  const document = {
    version: INSPECT_JSON_VERSION,
    canonical: { clickhouse: CANONICAL_CLICKHOUSE_VERSION, format: CANONICAL_FORMAT },
    ...(context.layout ? { layout: layoutJson(context.layout) } : {}),
    objects,
    creation_order: analysis.graph.creationOrder,
    type_inference: typeInferenceJson(typeInferenceCoverage(analysis.schema.objects)),
    diagnostics: [...(context.projectDiagnostics ?? []), ...analysis.diagnostics].map((d) => diagnosticJson(d, positions)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Coverage of the views' derived column types: a view's column list is compared only when all are inferred. */
function typeInferenceJson(coverage: TypeInferenceCoverage) {
  return {
    views: coverage.views,
    views_compared: coverage.completeViews,
    columns: coverage.columns,
    columns_inferred: coverage.inferred,
    not_inferable: coverage.notInferable,
  };
}

/** The text lines of the coverage: a summary, then each column not inferred and why. */
function typeInferenceText(coverage: TypeInferenceCoverage): string[] {
  if (coverage.views === 0) return [];
  const percent = coverage.columns ? ` (${((100 * coverage.inferred) / coverage.columns).toFixed(1)}%)` : '';
  return [
    '',
    `type inference: ${coverage.inferred} of ${plural(coverage.columns, 'view column')} inferred${percent}; column lists compared for ${coverage.completeViews} of ${plural(coverage.views, 'view')}`,
    ...coverage.notInferable.map((c) => `  not inferable: ${c.object}.${c.column}: ${c.reason}`),
  ];
}

function layoutJson(layout: DetectedLayout) {
  return { name: layout.name, reason: layout.reason, directory: displayPath(layout.directory) || '.' };
}

/** A readable listing: the layout, each object with what it needs, then the diagnostics. */
export function renderInspectText(analysis: Analysis, context: InspectContext = {}): string {
  const positions = positionsOf(analysis);
  const lines: string[] = [];
  const byObject = dependenciesByObject(analysis);
  if (context.layout) lines.push(`layout: ${context.layout.name} (${context.layout.reason})`, '');
  for (const object of analysis.schema.objects) {
    const { line } = positions.at(object.created.file, object.created.range.start);
    lines.push(`${object.kind} ${object.id}  (${object.created.file}:${line})  ${analysis.hashes.get(object.id)?.slice(0, 12)}`);
    for (const d of byObject.get(object.id) ?? []) lines.push(`  ${d.kind} → ${d.to}`);
  }
  lines.push(...typeInferenceText(typeInferenceCoverage(analysis.schema.objects)));
  const diagnostics = [...(context.projectDiagnostics ?? []), ...analysis.diagnostics];
  if (diagnostics.length) {
    lines.push('');
    for (const d of diagnostics) lines.push(diagnosticText(d, positions));
  }
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  const dependencies = analysis.graph.dependencies.filter((d) => d.kind !== 'database').length;
  lines.push(
    '',
    `${plural(analysis.schema.objects.length, 'object')}, ${plural(dependencies, 'dependency', 'dependencies')}, ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}
