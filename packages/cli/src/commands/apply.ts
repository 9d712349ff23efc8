import { applyPlan, planAgainstTarget, renderPlanText } from '@clickplan/core';
import { Command, Option } from 'commander';
import {
  type CliIo,
  diagnosticsBlockPlanning,
  EXIT_FAILURE,
  EXIT_FINDINGS,
  loadAnalysis,
  openTargetOf,
  paintOf,
  projectOptions,
  targetOptions,
} from '../context.js';
import type { PlanOptions } from './plan.js';

export function applyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('apply')
        .description('execute the plan on the target, then plan again to verify nothing is left')
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--cluster <name>', 'run every step ON CLUSTER <name> (default: cluster in the config)')
        .option('--dry-run', 'validate every statement with the engine (EXPLAIN AST) without changing anything'),
    ),
  ).action(async (path: string, options: PlanOptions & { dryRun?: boolean }) => {
    const loaded = loadAnalysis(path, options, io);
    diagnosticsBlockPlanning(loaded, io);
    const cluster = options.cluster ?? loaded.project.config.cluster;
    const planOptions = cluster ? { cluster } : {};
    const target = await openTargetOf(options, loaded.project, io);
    try {
      const desired = loaded.analysis.schema;
      const { plan } = await planAgainstTarget(desired, target, planOptions);
      const json = options.format === 'json';
      if (!json) io.stdout(renderPlanText(plan, { target: target.description, positions: loaded.positions, paint: paintOf(io) }));
      const result = await applyPlan(plan, target, {
        dryRun: options.dryRun === true,
        onStep: (step, i, total) => {
          if (!json) io.stdout(`[${i + 1}/${total}] ${options.dryRun ? 'validate' : step.action} ${step.objectKind} ${step.object}\n`);
        },
      });
      let verified: boolean | undefined;
      if (!result.failure && !options.dryRun) verified = (await planAgainstTarget(desired, target, planOptions)).plan.steps.length === 0;
      if (json) {
        const failure = result.failure && { step: result.failure.index + 1, sql: result.failure.step.sql, error: result.failure.error.message };
        io.stdout(
          `${JSON.stringify({ version: 1, target: target.description, dry_run: options.dryRun === true, steps: plan.steps.length, done: result.done, failure, verified }, null, 2)}\n`,
        );
      }
      if (result.failure) {
        const { step, index, error } = result.failure;
        io.stderr(
          `clickplan apply: step ${index + 1} (${step.action} ${step.object}) failed: ${error.message}\n  ${result.done} step(s) before it ${options.dryRun ? 'validated' : 'ran and stay applied'}; fix the cause and run apply again: the plan starts from what is there now.\n`,
        );
        setExit(EXIT_FAILURE);
        return;
      }
      if (verified === false) {
        io.stderr('clickplan apply: every step ran, but planning again still finds differences; run clickplan plan to see them.\n');
        setExit(EXIT_FINDINGS);
        return;
      }
      if (!json)
        io.stdout(
          options.dryRun
            ? `Validated ${result.done} statement(s); nothing was changed.\n`
            : `Applied ${result.done} step(s); planning again finds nothing to do.\n`,
        );
    } finally {
      await target.close();
    }
  });
}
