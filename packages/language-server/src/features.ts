import {
  type Location as CoreLocation,
  codeActionsAt,
  completeAt,
  definitionAt,
  documentSymbols,
  downstreamLenses,
  type EditorSymbol,
  graphAround,
  hoverAt,
  type LineIndex,
  objectAt,
  REASON_PLACEHOLDER,
  referencesAt,
  workspaceSymbols,
} from '@clickplan/core';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type CodeLens,
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  type DefinitionParams,
  type DocumentSymbol,
  type Hover,
  type HoverParams,
  type Location,
  MarkupKind,
  type Position,
  type ReferenceParams,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver';
import { lineIndexOf, symbolKindOf, toOffset, toRange } from './convert.js';
import type { Snapshot } from './workspace.js';

// LSP handlers as plain functions from a request's parameters to its result, over one analysed
// snapshot of the workspace. The server wires them to the connection; tests call them directly.

/** What every handler needs: the snapshot, the document asked about, and how to name files as URIs. */
export interface FeatureContext {
  snapshot: Snapshot;
  /** The document's file name as the analysis shows it. */
  file: string;
  /** The document's current text. */
  text: string;
  uriOf(path: string): string;
}

function indexOf(context: FeatureContext): LineIndex {
  return lineIndexOf(context.file, context.text);
}

function offsetOf(context: FeatureContext, position: Position): number {
  return toOffset(indexOf(context), position);
}

function toLocation(context: FeatureContext, location: CoreLocation): Location | undefined {
  const path = context.snapshot.paths.get(location.file);
  const text = context.snapshot.model.analysis.files.find((f) => f.file === location.file)?.text;
  if (!path || text === undefined) return undefined;
  return { uri: context.uriOf(path), range: toRange(lineIndexOf(location.file, text), location.range) };
}

export function hover(context: FeatureContext, params: HoverParams): Hover | null {
  const info = hoverAt(context.snapshot.model, context.file, offsetOf(context, params.position));
  if (!info) return null;
  return { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: toRange(indexOf(context), info.range) };
}

export function definition(context: FeatureContext, params: DefinitionParams): Location[] {
  return definitionAt(context.snapshot.model, context.file, offsetOf(context, params.position)).flatMap((l) => toLocation(context, l) ?? []);
}

export function references(context: FeatureContext, params: ReferenceParams): Location[] {
  const found = referencesAt(context.snapshot.model, context.file, offsetOf(context, params.position), {
    includeDeclaration: params.context.includeDeclaration,
  });
  return found.flatMap((l) => toLocation(context, l) ?? []);
}

export function documentSymbol(context: FeatureContext): DocumentSymbol[] {
  const index = indexOf(context);
  const convert = (symbol: EditorSymbol): DocumentSymbol => ({
    name: symbol.name,
    detail: symbol.detail,
    kind: symbolKindOf(symbol.kind),
    range: toRange(index, symbol.range),
    selectionRange: toRange(index, symbol.selectionRange),
    children: symbol.children.map(convert),
  });
  return documentSymbols(context.snapshot.model, context.file).map(convert);
}

export function workspaceSymbol(snapshot: Snapshot, query: string, uriOf: (path: string) => string): SymbolInformation[] {
  return workspaceSymbols(snapshot.model, query).flatMap((symbol) => {
    const location = toLocation({ snapshot, file: symbol.file, text: '', uriOf }, { file: symbol.file, range: symbol.range });
    return location ? [{ name: symbol.name, kind: symbolKindOf(symbol.kind), containerName: symbol.container, location }] : [];
  });
}

const COMPLETION_KINDS = {
  database: CompletionItemKind.Module,
  table: CompletionItemKind.Class,
  view: CompletionItemKind.Interface,
  'materialized-view': CompletionItemKind.Event,
  dictionary: CompletionItemKind.Struct,
  column: CompletionItemKind.Field,
  type: CompletionItemKind.TypeParameter,
  engine: CompletionItemKind.Constructor,
  setting: CompletionItemKind.Property,
  keyword: CompletionItemKind.Keyword,
} as const;

export function completion(context: FeatureContext, position: Position): CompletionList {
  const result = completeAt(context.snapshot.model, context.file, context.text, offsetOf(context, position));
  const range = toRange(indexOf(context), result.range);
  const items = result.items.map(
    (item, i): CompletionItem => ({
      label: item.label,
      kind: COMPLETION_KINDS[item.kind],
      ...(item.detail ? { detail: item.detail } : {}),
      ...(item.documentation ? { documentation: item.documentation } : {}),
      textEdit: { range, newText: item.insertText ?? item.label },
      sortText: String(i).padStart(5, '0'),
      data: { expected: result.expected },
    }),
  );
  return { isIncomplete: false, items };
}

export function codeAction(context: FeatureContext, params: CodeActionParams, options: { snippets: boolean }): CodeAction[] {
  const index = indexOf(context);
  const range = { start: offsetOf(context, params.range.start), end: offsetOf(context, params.range.end) };
  const only = params.context.only;
  return codeActionsAt(context.snapshot.model, context.file, context.text, range)
    .filter((a) => !only || only.some((k) => (a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor).startsWith(k) || k.startsWith(a.kind)))
    .map((action) => {
      const edits: TextEdit[] = action.edits.map((e) => ({ range: toRange(index, e.range), newText: e.newText }));
      const diagnostics = params.context.diagnostics.filter(
        (d) => action.diagnostic && d.code === action.diagnostic.code && toOffset(index, d.range.start) === action.diagnostic.range.start,
      );
      const uri = params.textDocument.uri;
      const result: CodeAction = {
        title: action.title,
        kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
        edit: { changes: { [uri]: edits } },
        ...(diagnostics.length ? { diagnostics } : {}),
        ...(action.preferred ? { isPreferred: true } : {}),
      };
      // Clients that take snippet edits select the reason, ready to be typed over.
      if (options.snippets && action.placeholder === REASON_PLACEHOLDER && edits.length === 1) {
        const [edit] = edits;
        const snippet = edit.newText.replace(/\$/g, '\\$').replace(`: ${REASON_PLACEHOLDER}`, `: \${1:${REASON_PLACEHOLDER}}`);
        result.edit = {
          documentChanges: [{ textDocument: { uri, version: null }, edits: [{ range: edit.range, snippet: { kind: 'snippet', value: snippet } }] }],
        } as unknown as CodeAction['edit'];
      }
      return result;
    });
}

/** CodeLens on each CREATE (objects downstream) and at the top of a migration file (plan against the target). */
export function codeLens(context: FeatureContext, options: { target: string | undefined; planCommand: string; graphCommand: string; uri: string }): CodeLens[] {
  const index = indexOf(context);
  const lenses: CodeLens[] = [];
  const isMigration = context.snapshot.model.analysis.files.some((f) => f.file === context.file);
  if (isMigration) {
    const target = options.target ?? 'embedded';
    lenses.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      command: { title: `Plan against ${target}`, command: options.planCommand, arguments: [{ uri: options.uri, show: true }] },
    });
  }
  for (const lens of downstreamLenses(context.snapshot.model, context.file)) {
    const offset = lens.range.start;
    lenses.push({
      range: toRange(index, { start: offset, end: offset }),
      command: { title: lens.title, command: options.graphCommand, arguments: [{ uri: options.uri, objectId: lens.objectId }] },
    });
  }
  return lenses;
}

/** The dependency graph of an object, or of every object a file creates, with where each node is defined. */
export function graph(context: FeatureContext, request: { objectId?: string; offset?: number }) {
  const model = context.snapshot.model;
  let focus: string[];
  if (request.objectId) focus = [request.objectId];
  else {
    const at = request.offset !== undefined ? objectAt(model, context.file, request.offset) : undefined;
    const graphed = (id: string) => model.analysis.graph.objects.has(id);
    // The object at the cursor, else what the file creates, else what it names (an ALTER-only migration).
    const created = model.analysis.schema.objects.filter((o) => o.created.file === context.file && graphed(o.id)).map((o) => o.id);
    const named = (model.names.byFile.get(context.file) ?? []).filter((o) => o.key.startsWith('table:')).map((o) => o.key.slice('table:'.length));
    focus = at && graphed(at) ? [at] : created.length > 0 ? created : [...new Set(named.filter(graphed))];
  }
  const picture = graphAround(model, focus);
  return {
    focus,
    svg: picture.svg,
    edges: picture.edges,
    nodes: picture.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      location: toLocation(context, { file: n.file, range: { start: n.start, end: n.end } }) ?? null,
    })),
  };
}
