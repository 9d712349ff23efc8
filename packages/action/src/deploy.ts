import * as core from '@actions/core';
import { type ApplyResult, applyPlan, type DeployReport, diagnosticText, type Plan, renderPlanText, type Target } from '@clickplan/core';
import { ActionFailure, type ActionInputs } from './inputs.js';
import { hasErrors, openActionTarget, planOnTarget, readProject, targetSpec } from './project.js';

// Deploy mode (a push to the main branch): plan the project against its target, run the steps with
// progress in the log, then plan again to check that nothing is left.

/**
 * The one place the Action changes a target. Today core's applyPlan (steps in order, stop at the first
 * failure); the deploy engine's registry and lock replace it here when they land.
 */
export async function deployPlan(plan: Plan, target: Target): Promise<ApplyResult> {
  return applyPlan(plan, target, {
    onStep: (step, i, total) => core.info(`[${i + 1}/${total}] ${step.action} ${step.objectKind} ${step.object} (${step.risk})`),
  });
}

export async function deployProject(path: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, commit: string | undefined): Promise<DeployReport> {
  const loaded = readProject(path, inputs, env);
  for (const d of loaded.diagnostics) core.info(diagnosticText(d, loaded.positions));
  if (hasErrors(loaded.diagnostics)) throw new ActionFailure(`${path} has errors (listed above); nothing was deployed.`);
  const spec = targetSpec(inputs, loaded.project.config, env, 'deploy');
  if (!spec) throw new ActionFailure(`Deploy mode needs a target for ${path}: set the \`target\` input, CLICKHOUSE_URL, or \`target:\` in clickplan.yaml.`);
  const target = await openActionTarget(spec, inputs, env);
  try {
    if (!target.writable) throw new ActionFailure(`${target.description} is read-only; deploy mode needs a server or the embedded engine.`);
    const plan = await planOnTarget(loaded, target, undefined);
    core.startGroup(`ClickPlan plan for ${path}`);
    core.info(renderPlanText(plan, { target: target.description, positions: loaded.positions }));
    core.endGroup();
    const result = await deployPlan(plan, target);
    const report: DeployReport = { project: path, target: target.description, plan, done: result.done, ...(commit ? { commit } : {}) };
    if (result.failure) {
      report.failure = { index: result.failure.index, message: result.failure.error.message };
      core.error(`Step ${result.failure.index + 1} (${result.failure.step.action} ${result.failure.step.object}) failed: ${result.failure.error.message}`);
      return report;
    }
    report.verified = (await planOnTarget(loaded, target, undefined)).steps.length === 0;
    core.info(
      report.verified ? `Applied ${result.done} step(s); planning again finds nothing to do.` : 'Every step ran, but planning again still finds differences.',
    );
    return report;
  } finally {
    await target.close();
  }
}
