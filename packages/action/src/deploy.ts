import * as core from '@actions/core';
import {
  type DeployReport,
  type DeployResult,
  deployConverged,
  deployEventLine,
  deployProject,
  diagnosticText,
  type Plan,
  plural,
  type Risk,
  renderPlanText,
  type Target,
} from '@clickplan/core';
import { ActionFailure, type ActionInputs } from './inputs.js';
import { asFailure, hasErrors, type LoadedProject, openActionTarget, planOnTarget, readProject, targetSpec } from './project.js';

// Deploy mode (a push to the main branch): show the plan, run the deploy engine (registry, lock,
// retries, ON CLUSTER polling, verification) with progress in the log, and report the result.

/** Where stop signals come from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * The one place the Action changes a target: core's deploy engine, as `clickplan apply` runs it.
 * The plan logged is the one the engine runs: for versioned layouts the pending files' SQL as it
 * will run, then the schema change.
 */
export async function runDeploy(
  loaded: LoadedProject,
  target: Target,
  options: { maxRisk?: Risk; stopRequested?: () => boolean; onPlan?: (plan: Plan) => void } = {},
): Promise<DeployResult> {
  return deployProject(loaded.project, loaded.analysis, target, {
    ...(loaded.cluster ? { cluster: loaded.cluster } : {}),
    ...(options.maxRisk ? { maxRisk: options.maxRisk } : {}),
    ...(options.stopRequested ? { stopRequested: options.stopRequested } : {}),
    onEvent: (event) => {
      if (event.kind === 'plan') options.onPlan?.(event.plan);
      const line = deployEventLine(event);
      if (line) core.info(line);
    },
  });
}

/**
 * Stops the deploy cleanly on SIGINT or SIGTERM, as Ctrl-C stops `clickplan apply`: the running
 * statement finishes, is recorded, the lock is released. A cancelled workflow run sends SIGINT, then
 * SIGTERM seconds later, then kills the process: neither signal aborts at once, so the statement
 * running gets all the time the runner gives. Returns whether a stop was asked, and the unhook.
 */
function watchStopSignals(signals: SignalSource): { requested: () => boolean; stop: () => void } {
  let requested = false;
  const listener = () => {
    if (!requested) core.warning('Stop requested: the deploy stops after the running statement, records it and releases the lock.');
    requested = true;
  };
  signals.on('SIGINT', listener);
  signals.on('SIGTERM', listener);
  return {
    requested: () => requested,
    stop: () => {
      signals.off('SIGINT', listener);
      signals.off('SIGTERM', listener);
    },
  };
}

export async function deployDirectory(
  path: string,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  commit: string | undefined,
  signals: SignalSource = process,
): Promise<DeployReport> {
  const loaded = readProject(path, inputs, env);
  for (const d of loaded.diagnostics) core.info(diagnosticText(d, loaded.positions));
  if (hasErrors(loaded.diagnostics)) throw new ActionFailure(`${path} has errors (listed above); nothing was deployed.`);
  const spec = targetSpec(inputs, loaded.project.config, env, 'deploy');
  if (!spec) throw new ActionFailure(`Deploy mode needs a target for ${path}: set the \`target\` input, CLICKHOUSE_URL, or \`target:\` in clickplan.yaml.`);
  const target = await openActionTarget(spec, inputs, env, loaded.project);
  const stop = watchStopSignals(signals);
  try {
    if (!target.writable) throw new ActionFailure(`${target.description} is read-only; deploy mode needs a server or the embedded engine.`);
    let plan: Plan | undefined;
    const result = await runDeploy(loaded, target, {
      ...(inputs.maxRisk ? { maxRisk: inputs.maxRisk } : {}),
      stopRequested: stop.requested,
      onPlan: (planned) => {
        plan = planned;
        core.startGroup(`ClickPlan plan for ${path}`);
        core.info(renderPlanText(planned, { target: target.description, positions: loaded.positions }));
        core.endGroup();
      },
    }).catch((error: unknown) => {
      // A target that refuses the credentials or a statement: one sentence, not an internal error.
      throw asFailure(error);
    });
    // A deploy that stopped before planning (the lock, the cluster) still reports what it would do.
    plan ??= await planOnTarget(loaded, target, undefined);
    for (const note of result.notes) core.info(note);
    const report: DeployReport = { project: path, target: target.description, plan, result, ...(commit ? { commit } : {}) };
    if (result.failure) core.error(`The deploy of ${path} stopped: ${result.failure.message} ${result.failure.state}`);
    else
      core.info(
        deployConverged(report)
          ? `Ran ${plural(result.statementsRun, 'statement')}; planning again finds nothing to do.`
          : 'Every statement ran, but planning again still finds differences.',
      );
    return report;
  } finally {
    stop.stop();
    await target.close();
  }
}
