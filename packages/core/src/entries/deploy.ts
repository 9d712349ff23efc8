// `@clickplan/core/deploy`: The deploy engine: registry, checksums, lock, retries, ON CLUSTER, tenants.
export { type ApplyOptions, type ApplyResult, applyPlan } from '../deploy/apply.js';
export { type CheckAnswer, type CheckItem, type CheckResult, type CheckStatus, checkProject } from '../deploy/check.js';
export { checkClusterReady, DEFAULT_DDL_QUEUE_PATH, readDdlTask } from '../deploy/cluster.js';
export { defaultDeployer, deployProject } from '../deploy/deploy.js';
export type { DeployEvent } from '../deploy/events.js';
export type { DeployErrorCode, DeployFailure } from '../deploy/failure.js';
export {
  acceptChecksumRows,
  baselineRows,
  type LifecycleRefusal,
  type MigrationState,
  type MigrationStatus,
  migrationStatuses,
} from '../deploy/lifecycle.js';
export { acquireLock, breakLock, DeployLock, type Holder, type LockOptions, readHolder, runningQuery } from '../deploy/lock.js';
export { migrationKey } from '../deploy/migrations.js';
export {
  isVersionedProject,
  pendingFromRegistry,
  pendingMigrations,
  pendingRisk,
  type RiskyStep,
  RULE_RISK,
  readPendingMigrations,
  registryOfProject,
  riskyStepsOf,
  versionedPlan,
} from '../deploy/pending.js';
export { type MigrationRow, Registry, type RegistryState, type RepairRow, registryStatements } from '../deploy/registry.js';
export {
  repairUncertainStatement,
  resolveUncertainStatement,
  type UncertainRepairOptions,
  type UncertainRepairResult,
} from '../deploy/repair.js';
export { isTransient, type RetryPolicy, TRANSIENT_CODES, withRetry } from '../deploy/retry.js';
export {
  appliedState,
  liveStateHashes,
  parseSavedPlan,
  planRun,
  runDifferences,
  SAVED_PLAN_FORMAT,
  type SavedPlan,
  savePlan,
  staleness,
} from '../deploy/savedPlan.js';
export { compareSecrets, type SecretComparison, secretFingerprint } from '../deploy/secretFingerprints.js';
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
} from '../deploy/tenants.js';
export type { DeployOptions, DeployResult, MigrationOutcome, StepOutcome } from '../deploy/types.js';
