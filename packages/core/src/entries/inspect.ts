// `@clickplan/core/inspect`: Analysis of SQL files: parse, model, graph and hashes in one call.
export { type Analysis, analyzeFiles } from '../inspect/analyze.js';
export { type AnalyzeSide, type PullRequestAnalyzer, pullRequestAnalyzer, rulesToTellOld, underHeadNames } from '../workflow/reviewPullRequest.js';
