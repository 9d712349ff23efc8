import type { Range } from '../diagnostics.js';
import { namespaceOf } from '../model/schema.js';
import type { EditorModel } from './model.js';

/** A CodeLens on a CREATE: how many objects are downstream of what it creates. */
export interface DownstreamLens {
  range: Range;
  /** The object's id as it stands in the desired schema. */
  objectId: string;
  downstream: string[];
  title: string;
}

/**
 * One lens per CREATE of a table, view, dictionary or database in the file whose object is in the
 * desired schema: the objects a change to it may affect (what reads it, what its rows flow into).
 */
export function downstreamLenses(model: EditorModel, file: string): DownstreamLens[] {
  const { graph, schema } = model.analysis;
  const lenses: DownstreamLens[] = [];
  for (const object of schema.objects) {
    if (object.created.file !== file || !graph.objects.has(object.id)) continue;
    const downstream = graph.downstreamOf(object.id).filter((id) => graph.objects.get(id)?.kind !== 'database');
    const range = object.created.range;
    // Several objects from one statement (never for tables) would stack; one lens per statement.
    if (lenses.some((l) => l.range.start === range.start)) continue;
    const count = downstream.length;
    const title = count === 0 ? 'nothing downstream' : `${count} downstream object${count === 1 ? '' : 's'}`;
    lenses.push({ range: { start: range.start, end: range.start }, objectId: object.id, downstream, title });
  }
  return lenses;
}

/** The object a CREATE at an offset of a file defines, for commands that act on "this object". */
export function objectAt(model: EditorModel, file: string, offset: number): string | undefined {
  const object = model.analysis.schema.objects.find(
    (o) => o.created.file === file && o.created.range.start <= offset && offset <= o.created.range.end && namespaceOf(o.kind) === 'table',
  );
  if (object) return object.id;
  const occurrence = (model.names.byFile.get(file) ?? []).find((o) => o.key.startsWith('table:') && o.range.start <= offset && offset <= o.range.end);
  return occurrence?.key.slice('table:'.length);
}
