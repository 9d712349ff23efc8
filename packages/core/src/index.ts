// `@clickplan/core`: every layer's entry point at once (packages/core/src/entries/, one per layer,
// are what the published package's `exports` map offers as `@clickplan/core/<layer>`).
export * from './entries/canon.js';
export * from './entries/deploy.js';
export * from './entries/diagnostics.js';
export * from './entries/diff.js';
export * from './entries/editor.js';
export * from './entries/graph.js';
export * from './entries/inspect.js';
export * from './entries/live.js';
// Both the syntax tree and the model name a type ObjectKind; the model's (kinds of schema objects)
// is the one this entry has always offered.
export type { ObjectKind } from './entries/model.js';
export * from './entries/model.js';
export * from './entries/plan.js';
export * from './entries/project.js';
export * from './entries/render.js';
export * from './entries/rules.js';
export * from './entries/server.js';
export * from './entries/syntax.js';
export * from './entries/workflow.js';
