import { pathToFileURL } from 'node:url';
import type { Diagnostic as CoreDiagnostic, EditorSymbol, ObjectKind, Range as OffsetRange } from '@clickplan/core';
import { LineIndex } from '@clickplan/core';
import { type Diagnostic, DiagnosticSeverity, type Range, SymbolKind } from 'vscode-languageserver';

// Offsets are the core's currency; LSP speaks lines and UTF-16 columns. Conversion happens here, at
// the edge, with one LineIndex per text.

const indexes = new Map<string, { text: string; index: LineIndex }>();

/** The line index of a file's text, rebuilt only when the text changed. */
export function lineIndexOf(file: string, text: string): LineIndex {
  const cached = indexes.get(file);
  if (cached && cached.text === text) return cached.index;
  const index = new LineIndex(text);
  indexes.set(file, { text, index });
  return index;
}

/** Forgets line indexes of files no longer in the workspace. */
export function retainLineIndexes(files: Set<string>): void {
  for (const file of indexes.keys()) if (!files.has(file)) indexes.delete(file);
}

export function toRange(index: LineIndex, range: OffsetRange): Range {
  const start = index.positionAt(range.start);
  const end = index.positionAt(range.end);
  return { start: { line: start.line, character: start.column }, end: { line: end.line, character: end.column } };
}

export function toOffset(index: LineIndex, position: { line: number; character: number }): number {
  return index.offsetAt({ line: position.line, column: position.character });
}

const SEVERITIES = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/**
 * A core diagnostic as LSP carries it: the rule id or error code as `code`, a link to its page, the
 * help sentence after the message (editors show both), the help alone in `data` for code actions.
 */
export function toDiagnostic(index: LineIndex, diagnostic: CoreDiagnostic, docsUrl: (code: string) => string | undefined): Diagnostic {
  const href = docsUrl(diagnostic.code);
  return {
    range: toRange(index, diagnostic.range),
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'clickplan',
    message: diagnostic.help ? `${diagnostic.message}\n${diagnostic.help}` : diagnostic.message,
  };
}

const KINDS: Record<ObjectKind | 'column' | 'statement', SymbolKind> = {
  database: SymbolKind.Namespace,
  table: SymbolKind.Class,
  view: SymbolKind.Interface,
  'materialized-view': SymbolKind.Event,
  dictionary: SymbolKind.Struct,
  function: SymbolKind.Function,
  'named-collection': SymbolKind.Object,
  user: SymbolKind.Key,
  role: SymbolKind.Key,
  'row-policy': SymbolKind.Key,
  quota: SymbolKind.Key,
  'settings-profile': SymbolKind.Key,
  column: SymbolKind.Field,
  statement: SymbolKind.Event,
};

export function symbolKindOf(kind: EditorSymbol['kind']): SymbolKind {
  return KINDS[kind] ?? SymbolKind.Object;
}

/** URIs by path (the workspace's files): diagnostics go to every file after each edit, and pathToFileURL takes ~3 µs. */
const uris = new Map<string, string>();

export function uriOfPath(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) uris.set(path, (uri = pathToFileURL(path).href));
  return uri;
}
