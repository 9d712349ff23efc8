// `@clickplan/core/inspect`: Analysis of SQL files: parse, model, graph and hashes in one call.
export { type Analysis, analyzeFiles } from '../inspect/analyze.js';
