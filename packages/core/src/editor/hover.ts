import type { Range } from '../diagnostics.js';
import type { SchemaObject } from '../model/schema.js';
import { plural } from '../plural.js';
import type { ColumnDefinition, DictionaryAttribute, TableElement } from '../syntax/ast.js';
import { LineIndex } from '../syntax/lineIndex.js';
import { printColumnDefinition, printStorage } from '../syntax/printer/create.js';
import { printDataType } from '../syntax/printer/dataTypes.js';
import type { EditorModel } from './model.js';
import { columnKey, outputNames, parseKey } from './names.js';
import { definitionOf, objectOf, occurrencesAt } from './navigation.js';

/** Markdown about the name at an offset, and the range of that name. */
export interface HoverInfo {
  markdown: string;
  range: Range;
}

const KIND_NAMES: Record<string, string> = { 'materialized-view': 'materialized view' };

/**
 * What a person wants to know about an object where its name is written: its kind, columns with
 * types, engine and keys, hash, what it reads and what reads it, and where it is defined. About a
 * column: its table, type, default and comment. Objects are shown as the migrations leave them.
 */
export function hoverAt(model: EditorModel, file: string, offset: number): HoverInfo | undefined {
  const occurrences = occurrencesAt(model, file, offset);
  if (occurrences.length === 0) return undefined;
  const sections = occurrences.map((o) => {
    const key = parseKey(o.key);
    if (key.kind === 'column') return describeColumn(model, key.table, key.column);
    const object = objectOf(model, o.key);
    if (object) return describeObject(model, object);
    const definition = definitionOf(model, o);
    const where = definition ? ` It was defined in ${locationText(model, definition.file, definition.range.start)}.` : '';
    return `**${key.kind}** \`${key.id}\`\n\nNot in the desired schema: no migration creates it, or a later one drops or renames it.${where}`;
  });
  return { markdown: sections.join('\n\n---\n\n'), range: occurrences[0].range };
}

function describeObject(model: EditorModel, object: SchemaObject): string {
  const { graph } = model.analysis;
  const definition = object.definition;
  const lines: string[] = [];
  const kind = KIND_NAMES[object.kind] ?? object.kind;
  let title = `**${kind}** \`${object.id}\``;
  if (definition.kind === 'CreateView' && definition.to) title += ` → \`${definition.to.database?.name ?? object.contextDatabase}.${definition.to.name.name}\``;
  lines.push(title);
  if (object.kind === 'database') {
    const members = model.analysis.schema.objects.filter((o) => o.database === object.name);
    const engine = definition.kind === 'CreateDatabase' && definition.engine ? definition.engine.name.name : 'Atomic';
    lines.push(`Engine \`${engine}\` · ${members.length} object${members.length === 1 ? '' : 's'}`);
  }
  const columns = columnRows(definition);
  if (columns.length > 0) lines.push(['| column | type |', '| --- | --- |', ...columns.map(([name, type]) => `| \`${name}\` | \`${type}\` |`)].join('\n'));
  else if (definition.kind === 'CreateView') {
    const outputs = outputNames(definition.query).map((parts) => parts.map((p) => p.name).join('.'));
    if (outputs.length > 0) lines.push(`Columns: ${outputs.map((o) => `\`${o}\``).join(', ')}`);
  }
  const storage = definition.kind === 'CreateTable' || definition.kind === 'CreateView' ? definition.storage : undefined;
  if (storage) lines.push(`\`\`\`sql\n${printStorage(storage).join('\n')}\n\`\`\``);
  if (definition.kind === 'CreateDictionary') {
    const keys = definition.primaryKey.map((k) => ('name' in k && typeof k.name === 'object' ? (k.name as { name: string }).name : '')).filter(Boolean);
    const parts = [definition.source ? `source \`${definition.source.name.name}\`` : '', definition.layout ? `layout \`${definition.layout.name.name}\`` : ''];
    if (keys.length) parts.unshift(`primary key ${keys.map((k) => `\`${k}\``).join(', ')}`);
    lines.push(parts.filter(Boolean).join(' · '));
  }
  if (graph.objects.has(object.id)) {
    const reads = [...new Set(graph.dependencies.filter((d) => d.from === object.id && d.kind !== 'database').map((d) => d.to))];
    const readBy = [...new Set(graph.dependencies.filter((d) => d.to === object.id && d.kind !== 'database').map((d) => d.from))];
    const list = (ids: string[]) => (ids.length ? ids.map((id) => `\`${id}\``).join(', ') : 'nothing');
    if (object.kind !== 'database') lines.push(`**Reads** ${list(reads)}  \n**Read by** ${list(readBy)}`);
    const count = (ids: string[]) => ids.filter((id) => graph.objects.get(id)?.kind !== 'database').length;
    lines.push(
      `**Downstream** ${plural(count(graph.downstreamOf(object.id)), 'object')} · **Upstream** ${plural(count(graph.upstreamOf(object.id)), 'object')}`,
    );
  }
  const hash = model.analysis.hashes.get(object.id);
  if (hash) lines.push(`**Hash** \`${hash.slice(0, 12)}\``);
  const place = `Created in ${locationText(model, object.created.file, object.created.range.start)}`;
  lines.push(object.changes.length ? `${place}, changed by ${plural(object.changes.length, 'later statement')}` : place);
  return lines.join('\n\n');
}

function columnRows(definition: SchemaObject['definition']): [string, string][] {
  const columnsOf = (elements: TableElement[] | undefined) =>
    (elements ?? []).flatMap((e): [string, string][] =>
      e.kind === 'ColumnDefinition' ? [[e.name.map((p) => p.name).join('.'), e.type ? printDataType(e.type) : '']] : [],
    );
  switch (definition.kind) {
    case 'CreateTable':
    case 'CreateView':
      return columnsOf(definition.elements);
    case 'CreateDictionary':
      return definition.attributes.map((a) => [a.name.name, printDataType(a.type)]);
    default:
      return [];
  }
}

function describeColumn(model: EditorModel, tableId: string, column: string): string {
  const object = objectOf(model, `table:${tableId}`) ?? renamedTo(model, tableId);
  const found = object ? findColumn(object.definition, column) : undefined;
  const owner = object?.id ?? tableId;
  if (!found) {
    const known = (model.names.byKey.get(columnKey(tableId, column)) ?? []).some((o) => o.role === 'definition');
    return `**column** \`${owner}.${column}\`\n\n${known ? 'Not in the desired schema: a later migration drops or renames it.' : 'Unknown column.'}`;
  }
  const text = found.kind === 'ColumnDefinition' ? printColumnDefinition(found) : `${found.name.name} ${printDataType(found.type)}`;
  return `**column** of ${KIND_NAMES[object?.kind ?? ''] ?? object?.kind} \`${owner}\`\n\n\`\`\`sql\n${text}\n\`\`\``;
}

/** A table renamed after its columns were keyed: columns are keyed by the id the table was created with. */
function renamedTo(model: EditorModel, originalId: string): SchemaObject | undefined {
  let id = originalId;
  for (const event of model.analysis.schema.history) if (event.kind === 'renamed' && event.from === id) id = event.to;
  return id === originalId ? undefined : objectOf(model, `table:${id}`);
}

function findColumn(definition: SchemaObject['definition'], column: string): ColumnDefinition | DictionaryAttribute | undefined {
  if (definition.kind === 'CreateDictionary') return definition.attributes.find((a) => a.name.name === column);
  if (definition.kind !== 'CreateTable' && definition.kind !== 'CreateView') return undefined;
  return definition.elements?.find((e): e is ColumnDefinition => e.kind === 'ColumnDefinition' && e.name.map((p) => p.name).join('.') === column);
}

function locationText(model: EditorModel, file: string, offset: number): string {
  const text = model.analysis.files.find((f) => f.file === file)?.text ?? '';
  return `\`${file}:${new LineIndex(text).positionAt(offset).line + 1}\``;
}
