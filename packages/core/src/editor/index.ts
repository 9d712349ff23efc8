// The editor's view of a repository: what a language server answers, as plain functions of the
// analysis. Offsets in, offsets out; line/column conversion is the front end's.

export { quoteXml } from '../server/quoteXml.js';
export { DATA_TYPES, DATABASE_ENGINES, MERGE_TREE_SETTINGS, QUERY_SETTINGS, TABLE_ENGINES, TYPE_CONSTRUCTORS } from './catalog.js';
export { type Completion, type CompletionEntry, type CompletionKind, completeAt } from './completion.js';
export { codeActionsAt, type EditorAction, REASON_PLACEHOLDER, type TextEdit } from './fixes.js';
export { type GraphEdge, type GraphNode, type GraphPicture, graphAround } from './graphSvg.js';
export { type HoverInfo, hoverAt } from './hover.js';
export { type DownstreamLens, downstreamLenses, objectAt } from './lenses.js';
export { AnalysisCache, analyzeCached, buildEditorModel, type EditorModel, type EditorModelOptions, type EditorModelRun, startEditorModel } from './model.js';
export { columnKey, databaseKey, type NameIndex, type Occurrence, parseKey, tableKey } from './names.js';
export { definitionAt, type Location, occurrencesAt, referencesAt } from './navigation.js';
export { documentSymbols, type EditorSymbol, type WorkspaceSymbol, workspaceSymbols } from './symbols.js';
