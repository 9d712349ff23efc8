import { randomBytes } from 'node:crypto';
import type { Analysis } from '../inspect/analyze.js';
import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { maxRisk, type Plan } from '../plan/types.js';
import { plural } from '../plural.js';
import { DEPLOY_DEFAULTS, type DeployConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { quoteString } from '../syntax/printer.js';
import { checkClusterReady, DEFAULT_DDL_QUEUE_PATH, nodeDifferences, readNodeSchemas } from './cluster.js';
import { type DeployContext, describeFailure, validatorFor } from './context.js';
import { runDeclarative } from './declarative.js';
import type { DeployEvent } from './events.js';
import { type DeployFailure, deployFailure } from './failure.js';
import { acquireLock, DeployLock } from './lock.js';
import { migrationUnits, runMigrations } from './migrations.js';
import { pendingMigrations, riskyStepsOf, versionedPlan } from './pending.js';
import { planAgainstTarget, scopeOf } from './planTarget.js';
import { Registry, type RegistryState } from './registry.js';
import { appliedState, liveStateHashes, planRun, runDifferences, staleness } from './savedPlan.js';
import type { DeployOptions, DeployResult } from './types.js';

/**
 * Deploys a project to a target: versioned layouts run their pending migration files statement by
 * statement; declarative layouts apply the plan. Both under the deploy lock, with the registry,
 * retries for transient failures, ON CLUSTER polling, and verification after the last step.
 * Never throws for what the target or repository does: the report's `failure` says what stopped it.
 */
export async function deployProject(project: Project, analysis: Analysis, target: Target, given: DeployOptions = {}): Promise<DeployResult> {
  const options = withDeployConfig(given, project.config.deploy);
  const started = Date.now();
  const mode = project.migrations.some((m) => m.kind !== 'declarative') ? 'versioned' : 'declarative';
  const registryName = options.registry ?? project.config.registry;
  const onEvent = options.onEvent ?? (() => {});
  const notes: string[] = [];
  const report: DeployResult = {
    mode,
    dryRun: options.dryRun === true,
    target: target.description,
    registry: registryName,
    migrations: [],
    steps: [],
    converged: [],
    drift: [],
    statementsRun: 0,
    retries: 0,
    notes,
    diagnostics: [],
    durationMs: 0,
  };
  // What the target says it emulates or leaves out was said when it opened; what it starts to say
  // while this deploy runs (the first emulated Replicated table or user) is said with the result.
  const targetNotes = new Set(target.notes ?? []);
  const finish = (failure?: DeployFailure) => {
    for (const note of target.notes ?? []) if (!targetNotes.has(note)) notes.push(note);
    if (failure) report.failure = failure;
    report.durationMs = Date.now() - started;
    return report;
  };
  const cluster = options.cluster ?? project.config.cluster;
  const registry = new Registry(target, registryName, { id: randomBytes(8).toString('hex'), by: options.lock?.owner ?? defaultDeployer() });
  const stats = { retries: 0, notes };
  const context: DeployContext = {
    target,
    registry,
    dryRun: options.dryRun === true,
    ...(cluster ? { cluster } : {}),
    ...(options.alterCluster ? { alterCluster: options.alterCluster } : {}),
    execution: {
      target,
      retry: options.retry ?? {},
      ddlPollMs: (options.ddlPollSeconds ?? DEPLOY_DEFAULTS.ddlPoll) * 1000,
      ddlPollIntervalMs: options.ddlPollIntervalMs ?? 500,
      onEvent,
      stats,
    },
    syncSettings: {},
    clusterSettings: (): Record<string, number> =>
      cluster && options.ddlTaskTimeoutSeconds !== undefined ? { distributed_ddl_task_timeout: options.ddlTaskTimeoutSeconds } : {},
    onEvent,
    statementsRun: 0,
    insertDeduplication: false,
    outOfOrder: options.outOfOrder === true,
    queryIdPrefix: '',
    ...(options.stopRequested ? { stopRequested: options.stopRequested } : {}),
    validate: validatorFor(target, notes),
    describeFailure,
  };
  const defaultDatabase = options.database ?? project.config.database;

  // Everything that can be refused without touching the target is refused first.
  const units = mode === 'versioned' ? migrationUnits(project, analysis, context, defaultDatabase) : undefined;
  if (units && units.diagnostics.length > 0) {
    report.diagnostics = units.diagnostics;
    return finish(
      deployFailure({
        code: 'deploy-statement-failed',
        message: `${plural(units.diagnostics.length, 'statement')} cannot run ON CLUSTER ${cluster} as written.`,
        help: 'Write ON CLUSTER in those statements.',
        state: 'Nothing ran.',
        diagnostics: units.diagnostics,
      }),
    );
  }

  if (cluster && !options.skipClusterChecks && !context.dryRun && !target.emulatesClusters) {
    const refused = await checkCluster(target, cluster, options.ddlQueuePath ?? DEFAULT_DDL_QUEUE_PATH, notes);
    if (refused) return finish(refused);
  }

  let lock: DeployLock | undefined;
  try {
    let state: RegistryState;
    if (context.dryRun) {
      state = await registry.read();
    } else {
      await registry.ensure();
      const acquired = await acquireLock(target, registryName, options.lock ?? {}, (event) => onEvent(event));
      if (!(acquired instanceof DeployLock)) return finish(acquired);
      lock = acquired;
      context.lock = lock;
      const upgraded = await registry.upgrade();
      if (upgraded.length > 0)
        notes.push(
          `The registry's ${upgraded.join(', ')} ${upgraded.length === 1 ? 'table was' : 'tables were'} upgraded to the current columns (rows copied).`,
        );
      context.queryIdPrefix = lock.queryIdPrefix;
      context.syncSettings = await syncSettings(target, options);
      context.insertDeduplication = await knowsSetting(target, 'insert_deduplication_token');
      state = await registry.read();
      if (state.interrupted)
        notes.push(
          `The previous deploy (${state.interrupted.deployId} by ${state.interrupted.deployedBy}, started ${state.interrupted.at}) did not finish: statements it may have run without recording them count as done when their effect is already there; one that cannot be told stops the deploy (clickplan repair).`,
        );
      await registry.recordDeploy('started', lock.queryIdPrefix);
    }

    // What runs is checked before the first statement: a saved plan must still describe the target,
    // and nothing riskier than allowed runs without a confirmation.
    const approve = approver(options, context.dryRun);
    let failure: DeployFailure | undefined;
    if (options.savedPlan) {
      const live = liveStateHashes(await target.readSchema(scopeOf(analysis.schema)));
      const stale = staleness(options.savedPlan, { live, applied: appliedState(state) });
      if (stale.length > 0) failure = stalePlan(`the target changed since the plan was saved (${options.savedPlan.created_at})`, stale);
    }
    if (!failure && units) {
      const pending = pendingMigrations(analysis, units.units, state);
      if (pending.refused.length === 0) {
        const { plan: schemaChange } = await planAgainstTarget(analysis.schema, target, {
          ...(cluster ? { cluster } : {}),
          replication: project.config.replication,
        });
        const plan = versionedPlan(schemaChange, pending);
        onEvent({ kind: 'plan', plan });
        failure = await approve(plan);
      }
      if (!failure) {
        const run = await runMigrations(context, units.units, state);
        report.migrations = run.outcomes;
        failure = run.failure;
        if (failure?.diagnostics) report.diagnostics = failure.diagnostics;
      }
    } else if (!failure) {
      const run = await runDeclarative(context, analysis, state, cluster, project.config.replication, approve);
      report.steps = run.steps;
      report.converged = run.converged;
      report.drift = run.drift;
      failure = run.failure;
    }
    report.statementsRun = context.statementsRun;
    report.retries = stats.retries;
    // A deploy that lost the lock leaves its `started` row: the one that took over decides.
    if (!context.dryRun && failure?.code !== 'deploy-lock-lost') await registry.recordDeploy('finished', lock?.queryIdPrefix);
    if (failure) return finish(failure);

    if (!context.dryRun && options.verify !== false) {
      onEvent({ kind: 'verify' });
      const again = await planAgainstTarget(analysis.schema, target, { ...(cluster ? { cluster } : {}), replication: project.config.replication });
      report.verification = { remaining: again.plan.steps };
      if (cluster && !target.emulatesClusters) {
        const databases = scopeOf(analysis.schema).databases;
        report.verification.nodes = nodeDifferences(await readNodeSchemas(target, cluster, databases));
      }
    }
    return finish();
  } finally {
    if (lock) await lock.release().catch(() => undefined);
  }
}

/**
 * The check of a plan before its first step: with a saved plan, the same steps must be planned now;
 * then no step may be riskier than `maxRisk` unless `confirm` says yes. Dry runs are not gated.
 */
function approver(options: DeployOptions, dryRun: boolean): (plan: Plan) => Promise<DeployFailure | undefined> {
  return async (plan) => {
    if (options.savedPlan) {
      const changed = runDifferences(options.savedPlan.run, planRun(plan));
      if (changed.length > 0) return stalePlan('the repository plans other steps than the saved plan', changed);
    }
    if (dryRun) return undefined;
    const allowed = options.maxRisk ?? DEPLOY_DEFAULTS.maxRisk;
    const risky = riskyStepsOf(plan, allowed);
    if (risky.length === 0 || (options.confirm && (await options.confirm(risky)))) return undefined;
    return deployFailure({
      code: 'deploy-risk-refused',
      message: `${plural(risky.length, 'step')} ${risky.length === 1 ? 'is' : 'are'} riskier than ${allowed}, the most this deploy runs without asking: ${risky.map((r) => `${r.where} (${r.risk}${r.reason ? `: ${r.reason}` : ''})`).join('; ')}.`,
      help: `Review ${risky.length === 1 ? 'it' : 'them'}, then deploy with --max-risk ${maxRisk(risky.map((r) => r.risk))}${plan.migrations ? ', or suppress each finding with the reason it is safe (-- clickplan-ignore <rule>: <reason>): a reviewed statement passes' : ''}.`,
      state: 'Nothing ran.',
    });
  };
}

function stalePlan(why: string, differences: string[]): DeployFailure {
  const shown = differences.slice(0, 10).join('; ');
  return deployFailure({
    code: 'saved-plan-stale',
    message: `The saved plan is out of date: ${why}: ${shown}${differences.length > 10 ? `; and ${differences.length - 10} more` : ''}.`,
    help: 'Plan again (clickplan plan --out <file>), review the new plan, and apply that one.',
    state: 'Nothing ran.',
  });
}

/** The options with `deploy:` of clickplan.yaml under them: an option given (a flag) wins over the file. */
export function withDeployConfig(options: DeployOptions, config: DeployConfig): DeployOptions {
  return {
    ...(config.alterCluster ? { alterCluster: config.alterCluster } : {}),
    ...(config.mutationsSync !== undefined ? { mutationsSync: config.mutationsSync } : {}),
    ...(config.alterSync !== undefined ? { alterSync: config.alterSync } : {}),
    ...(config.ddlTimeout !== undefined ? { ddlTaskTimeoutSeconds: config.ddlTimeout } : {}),
    ...(config.ddlPoll !== undefined ? { ddlPollSeconds: config.ddlPoll } : {}),
    ...(config.outOfOrder !== undefined ? { outOfOrder: config.outOfOrder } : {}),
    ...(config.maxRisk !== undefined ? { maxRisk: config.maxRisk } : {}),
    ...options,
    lock: {
      ...(config.lockWait !== undefined ? { waitSeconds: config.lockWait } : {}),
      ...(config.lockTtl !== undefined ? { ttlSeconds: config.lockTtl } : {}),
      ...options.lock,
    },
    retry: { ...(config.retries !== undefined ? { attempts: config.retries } : {}), ...options.retry },
  };
}

async function checkCluster(target: Target, cluster: string, ddlQueuePath: string, notes: string[]): Promise<DeployFailure | undefined> {
  const readiness = await checkClusterReady(target, cluster, ddlQueuePath);
  notes.push(...readiness.notes);
  if (readiness.hosts.length === 0)
    return deployFailure({
      code: 'cluster-not-ready',
      message: `${target.description} has no cluster named ${cluster} in its remote_servers.`,
      help: 'Name a cluster of system.clusters (cluster: in clickplan.yaml, or --cluster).',
      state: 'Nothing ran.',
    });
  const problems: string[] = [];
  if (readiness.unreachable.length > 0) problems.push(`${readiness.unreachable.join(', ')} did not answer`);
  for (const replica of readiness.inactiveReplicas)
    problems.push(`${replica.table} on ${replica.host} has ${replica.active} of ${replica.total} replicas active`);
  for (const task of readiness.pendingTasks) problems.push(`${task.task} is not finished on ${task.unfinished.join(', ')}`);
  if (problems.length === 0) return undefined;
  return deployFailure({
    code: 'cluster-not-ready',
    message: `Cluster ${cluster} is not ready for an ON CLUSTER deploy: ${problems.join('; ')}.`,
    help: 'Start the hosts that are down and let the DDL queue drain (every host runs its queued tasks when it comes back), then deploy again; --skip-cluster-checks deploys anyway, and statements then wait for the missing hosts until distributed_ddl_task_timeout.',
    state: 'Nothing ran.',
  });
}

/** The sync settings the server knows, with the configured values: 18.x has only `replication_alter_partitions_sync`. */
async function syncSettings(target: Target, options: DeployOptions): Promise<Record<string, number>> {
  const wanted: Record<string, number> = {
    mutations_sync: options.mutationsSync ?? DEPLOY_DEFAULTS.mutationsSync,
    alter_sync: options.alterSync ?? DEPLOY_DEFAULTS.alterSync,
    replication_alter_partitions_sync: options.alterSync ?? DEPLOY_DEFAULTS.alterSync,
  };
  try {
    const rows = await target.query<{ name: string }>(`SELECT name FROM system.settings WHERE name IN (${Object.keys(wanted).map(quoteString).join(', ')})`);
    const known = new Set(rows.map((r) => r.name));
    // alter_sync is the newer name of replication_alter_partitions_sync: send one of them.
    if (known.has('alter_sync')) known.delete('replication_alter_partitions_sync');
    return Object.fromEntries(Object.entries(wanted).filter(([name]) => known.has(name)));
  } catch (error) {
    if (error instanceof TargetError) return {};
    throw error;
  }
}

async function knowsSetting(target: Target, name: string): Promise<boolean> {
  const rows = await target.query(`SELECT name FROM system.settings WHERE name = ${quoteString(name)}`).catch(() => []);
  return rows.length > 0;
}

/** Who deploys, as the registry records it: the GitHub actor in Actions, else the user. */
export function defaultDeployer(): string {
  return process.env.GITHUB_ACTOR ? `${process.env.GITHUB_ACTOR} (GitHub Actions)` : (process.env.USER ?? 'unknown');
}

export type { DeployEvent };
