// `@clickplan/core/render`: Plans, findings and graphs as text, Markdown, JSON, SARIF, Mermaid and DOT.

export { plural } from '../plural.js';
export { ansiColor, noColor, type Paint, paintFor, type Tone } from '../render/color.js';
export type { CommentOptions, DeployReport, ReviewReport, ReviewSuppression } from '../render/comment.js';
export {
  COMMENT_LIMIT,
  deployConverged,
  deployMarker,
  JOB_SUMMARY_LIMIT,
  renderDeployReport,
  renderReviewComment,
  reviewMarker,
  verdictLine,
} from '../render/comment.js';
export { deployEventLine } from '../render/deployEvent.js';
export { type GraphRenderOptions, renderGraphDot, renderGraphJson, renderGraphMermaid } from '../render/graph.js';
export { INSPECT_JSON_VERSION, renderInspectJson, renderInspectText } from '../render/inspect.js';
export { PLAN_JSON_VERSION, type PlanRenderContext, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../render/plan.js';
export { diagnosticJson, diagnosticText, Positions } from '../render/positions.js';
export { renderSarif } from '../render/sarif.js';
