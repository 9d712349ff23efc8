export { CANONICAL_CLICKHOUSE_VERSION, CANONICAL_FORMAT, canonicalForm, hashObject } from './canon/canonical.js';
export { canonicalizeThroughEngine, describeDisagreement, type EngineCanonical, type SqlEngine, storedDefinition } from './canon/throughEngine.js';
export { type ApplyOptions, type ApplyResult, applyPlan } from './deploy/apply.js';
export { type CheckAnswer, type CheckItem, type CheckResult, type CheckStatus, checkProject } from './deploy/check.js';
export { checkClusterReady, DEFAULT_DDL_QUEUE_PATH, readDdlTask } from './deploy/cluster.js';
export { deployProject } from './deploy/deploy.js';
export type { DeployEvent } from './deploy/events.js';
export type { DeployErrorCode, DeployFailure } from './deploy/failure.js';
export { acquireLock, DeployLock, type LockOptions } from './deploy/lock.js';
export { migrationKey } from './deploy/migrations.js';
export { Registry, registryStatements } from './deploy/registry.js';
export { isTransient, type RetryPolicy, TRANSIENT_CODES, withRetry } from './deploy/retry.js';
export {
  bootstrapTenant,
  generateCredentials,
  generatePassword,
  kubernetesName,
  secretManifest,
  setPasswordStatement,
  TENANT_PRIVILEGES,
  tenantBootstrapStatements,
  tenantSecretName,
} from './deploy/tenants.js';
export type { DeployOptions, DeployResult, MigrationOutcome, StepOutcome } from './deploy/types.js';
export type { Diagnostic, Range, Severity } from './diagnostics.js';
export { type DiffInput, type Drift, diffSchemas, type ObjectChange, type PartDifference, type SchemaDiff } from './diff/diff.js';
export * from './editor/index.js';
export { ERROR_CODES, type ErrorCode } from './errors.js';
export { type Dependency, dependenciesOf, type EdgeKind } from './graph/dependencies.js';
export { buildGraph, type SchemaGraph } from './graph/graph.js';
export { type Analysis, analyzeFiles } from './inspect/analyze.js';
export { CONNECTION_ENV, resolveConnection } from './live/connection.js';
export { DEFAULT_EMBEDDED_DIR, openEmbeddedTarget } from './live/embedded.js';
export { modelLiveSchema } from './live/liveModel.js';
export { openSnapshotTarget, parseSnapshot, readSnapshot, renderSnapshot, writeSnapshot } from './live/snapshot.js';
export { defaultEmbeddedDir, type OpenTargetOptions, openTarget, projectRootOf } from './live/target.js';
export * from './live/types.js';
export { buildModel, type ModelOptions, type ParsedFile } from './model/replay.js';
export { applyReplicationConvention } from './model/replication.js';
export type { ObjectKind, Schema, SchemaObject } from './model/schema.js';
export { buildPlan, type PlanOptions } from './plan/plan.js';
export { planAgainstLive, planAgainstSchema, planAgainstTarget, scopeOf, type TargetPlan, type TargetPlanOptions } from './plan/planTarget.js';
export { maxRisk, type Plan, type PlanStep, RISK_ORDER, type Risk } from './plan/types.js';
export { type ClickPlanConfig, DEFAULT_REPLICATION, loadConfig, type ReplicationConvention } from './project/config.js';
export { readSqlFiles, type SourceFile } from './project/files.js';
export { layoutNamed } from './project/layouts/index.js';
export { type LoadProjectOptions, loadProject, type Project } from './project/project.js';
export { ansiColor, noColor, type Paint, paintFor, type Tone } from './render/color.js';
export type { CommentOptions, DeployReport, ReviewReport, ReviewSuppression } from './render/comment.js';
export {
  COMMENT_LIMIT,
  deployConverged,
  deployMarker,
  JOB_SUMMARY_LIMIT,
  renderDeployReport,
  renderReviewComment,
  reviewMarker,
  verdictLine,
} from './render/comment.js';
export { deployEventLine } from './render/deployEvent.js';
export { type GraphRenderOptions, renderGraphDot, renderGraphJson, renderGraphMermaid } from './render/graph.js';
export { INSPECT_JSON_VERSION, renderInspectJson, renderInspectText } from './render/inspect.js';
export { PLAN_JSON_VERSION, type PlanRenderContext, renderPlanJson, renderPlanMarkdown, renderPlanText } from './render/plan.js';
export { diagnosticJson, diagnosticText, Positions } from './render/positions.js';
export { renderSarif } from './render/sarif.js';
export { RULES } from './rules/index.js';
export { type LintOptions, lintAnalysis, type ProjectOptions } from './rules/lint.js';
export { appliedMigrationsFromRegistry, appliedMigrationsOf, lintOptionsOf } from './rules/projectOptions.js';
export { defineRule, type Rule, type RuleSeverity } from './rules/rule.js';
export { defineServerRule, lintServerConfig, type ServerRule } from './rules/serverRule.js';
export { SERVER_RULES } from './rules/serverRules.js';
export { readSuppressions, type Suppression } from './rules/suppressions.js';
export { type ServerFacts, serverFactsOf } from './server/facts.js';
export { readServerConfig, type ServerConfigResult } from './server/index.js';
export type { ServerConfig } from './server/model.js';
export type * from './syntax/ast.js';
export { lexSql } from './syntax/lexer.js';
export { LineIndex, type Position } from './syntax/lineIndex.js';
export { type ParseOptions, type ParseResult, parseSql } from './syntax/parser.js';
export { printStatement } from './syntax/printer.js';
export { isTrivia, type Token, type TokenKind } from './syntax/tokens.js';
