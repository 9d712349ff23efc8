import type { Range } from '../diagnostics.js';
import { namespaceOf, type SchemaObject } from '../model/schema.js';
import type { EditorModel } from './model.js';
import { type Occurrence, parseKey, type SymbolKey } from './names.js';
import { touches } from './walk.js';

/** A place in the workspace: a file as the analysis names it, and a range in it. */
export interface Location {
  file: string;
  range: Range;
}

/** The names at an offset: the innermost, several when one name means two things (an MV's output column and its target's). */
export function occurrencesAt(model: EditorModel, file: string, offset: number): Occurrence[] {
  const found = (model.names.byFile.get(file) ?? []).filter((o) => touches(o.range, offset));
  if (found.length === 0) return [];
  const width = Math.min(...found.map((o) => o.range.end - o.range.start));
  return found.filter((o) => o.range.end - o.range.start === width);
}

/**
 * Where what the name at an offset means was defined, as the migrations stood at that statement:
 * the last CREATE (or RENAME ... TO, ADD COLUMN) before it, else the first one after it.
 */
export function definitionAt(model: EditorModel, file: string, offset: number): Location[] {
  const locations: Location[] = [];
  for (const occurrence of occurrencesAt(model, file, offset)) {
    const definition = definitionOf(model, occurrence);
    if (definition) locations.push({ file: definition.file, range: definition.range });
  }
  return locations;
}

export function definitionOf(model: EditorModel, occurrence: Occurrence): Occurrence | undefined {
  const definitions = (model.names.byKey.get(occurrence.key) ?? []).filter((o) => o.role === 'definition');
  const before = definitions.filter((d) => d.order <= occurrence.order);
  return before.length > 0 ? before[before.length - 1] : definitions[0];
}

/** Every place that names what the name at an offset means, in migration order. */
export function referencesAt(model: EditorModel, file: string, offset: number, options: { includeDeclaration: boolean }): Location[] {
  const seen = new Set<string>();
  const locations: Location[] = [];
  for (const occurrence of occurrencesAt(model, file, offset)) {
    for (const o of model.names.byKey.get(occurrence.key) ?? []) {
      if (!options.includeDeclaration && o.role === 'definition') continue;
      const id = `${o.file}:${o.range.start}:${o.range.end}`;
      if (seen.has(id)) continue;
      seen.add(id);
      locations.push({ file: o.file, range: o.range });
    }
  }
  return locations;
}

/** The object of the desired schema a key names (tables, views, dictionaries and databases). */
export function objectOf(model: EditorModel, key: SymbolKey): SchemaObject | undefined {
  const parsed = parseKey(key);
  if (parsed.kind === 'column') return undefined;
  const wanted = parsed.kind === 'database' ? 'database' : 'table';
  return model.analysis.schema.objects.find((o) => o.id === parsed.id && namespaceOf(o.kind) === wanted);
}
