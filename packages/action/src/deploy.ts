import * as core from '@actions/core';
import {
  type DeployReport,
  type DeployResult,
  deployConverged,
  deployEventLine,
  deployProject,
  diagnosticText,
  plural,
  type Risk,
  renderPlanText,
  type Target,
} from '@clickplan/core';
import { ActionFailure, type ActionInputs } from './inputs.js';
import { hasErrors, type LoadedProject, openActionTarget, planOnTarget, readProject, targetSpec } from './project.js';

// Deploy mode (a push to the main branch): show the plan, run the deploy engine (registry, lock,
// retries, ON CLUSTER polling, verification) with progress in the log, and report the result.

/** The one place the Action changes a target: core's deploy engine, as `clickplan apply` runs it. */
export async function runDeploy(loaded: LoadedProject, target: Target, maxRisk?: Risk): Promise<DeployResult> {
  return deployProject(loaded.project, loaded.analysis, target, {
    ...(loaded.cluster ? { cluster: loaded.cluster } : {}),
    ...(maxRisk ? { maxRisk } : {}),
    onEvent: (event) => {
      const line = deployEventLine(event);
      if (line) core.info(line);
    },
  });
}

export async function deployDirectory(path: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, commit: string | undefined): Promise<DeployReport> {
  const loaded = readProject(path, inputs, env);
  for (const d of loaded.diagnostics) core.info(diagnosticText(d, loaded.positions));
  if (hasErrors(loaded.diagnostics)) throw new ActionFailure(`${path} has errors (listed above); nothing was deployed.`);
  const spec = targetSpec(inputs, loaded.project.config, env, 'deploy');
  if (!spec) throw new ActionFailure(`Deploy mode needs a target for ${path}: set the \`target\` input, CLICKHOUSE_URL, or \`target:\` in clickplan.yaml.`);
  const target = await openActionTarget(spec, inputs, env, loaded.project);
  try {
    if (!target.writable) throw new ActionFailure(`${target.description} is read-only; deploy mode needs a server or the embedded engine.`);
    const plan = await planOnTarget(loaded, target, undefined);
    core.startGroup(`ClickPlan plan for ${path}`);
    core.info(renderPlanText(plan, { target: target.description, positions: loaded.positions }));
    core.endGroup();
    const result = await runDeploy(loaded, target, inputs.maxRisk);
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
    await target.close();
  }
}
