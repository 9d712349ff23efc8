import { writeFileSync } from 'node:fs';
import {
  judgePlan,
  type Plan,
  planProject,
  RISK_ORDER,
  type Risk,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  type Schema,
  savePlan,
} from '@clickplan/core';
import { Command, Option } from 'commander';
import {
  type CliIo,
  CommandFailure,
  diagnosticsBlockPlanning,
  EXIT_FINDINGS,
  type LoadedProject,
  loadAnalysis,
  openTargetOf,
  type ProjectOptions,
  paintOf,
  projectOptions,
  type TargetOptions,
  targetOptions,
} from '../context.js';

export interface PlanOptions extends ProjectOptions, TargetOptions {
  format: string;
  cluster?: string;
  base?: string;
  failOn?: Risk;
  out?: string;
}

export function planCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('plan')
        .description("ordered steps to take the target to the repository's desired state, with their risk")
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
        .option('--cluster <name>', 'run every step ON CLUSTER <name> (default: cluster in the config)')
        .option('--base <path>', "the repository as last deployed (e.g. the pull request's base): live differences it explains are drift")
        .addOption(new Option('--fail-on <risk>', 'exit 1 when a step has this risk or higher').choices([...RISK_ORDER]))
        .option('--out <file>', 'save the plan with the hashes of the live state it was made from, for apply --plan <file>'),
    ),
  ).action(async (path: string, options: PlanOptions) => {
    const loaded = loadAnalysis(path, options, io);
    const { plan, description, save } = await planLoadedProject(loaded, options, io);
    if (options.out) writeFileSync(options.out, `${JSON.stringify(save(), null, 2)}\n`);
    const context = { target: description, positions: loaded.positions, paint: paintOf(io) };
    const render = { text: renderPlanText, markdown: renderPlanMarkdown, json: renderPlanJson }[options.format as 'text' | 'markdown' | 'json'];
    io.stdout(render(plan, context));
    if (judgePlan(plan, options.failOn).fails) setExit(EXIT_FINDINGS);
  });
}

/**
 * Plans a loaded project against the target it resolved to (workflow's planProject); `save` gives the
 * plan as `--out` writes it (it models and hashes the live schema again: a fifth of a plan's time at
 * 10,000 objects, so only when asked for).
 */
export async function planLoadedProject(
  loaded: LoadedProject,
  options: PlanOptions,
  io: CliIo,
): Promise<{ plan: Plan; description: string; save: () => ReturnType<typeof savePlan> }> {
  diagnosticsBlockPlanning(loaded, io);
  const base = options.base ? baseSchema(options.base, options, io) : undefined;
  const target = await openTargetOf(options, loaded, io);
  try {
    const { plan, live, registry } = await planProject(loaded, target, base ? { base } : {});
    const save = () => savePlan(plan, { target: target.description, registry: loaded.project.config.registry, live, registryState: registry });
    return { plan, description: target.description, save };
  } finally {
    await target.close();
  }
}

function baseSchema(path: string, options: PlanOptions, io: CliIo): Schema {
  const base = loadAnalysis(path, { ...options, config: undefined }, io);
  if (base.analysis.diagnostics.some((d) => d.severity === 'error'))
    throw new CommandFailure(`the base repository ${path} has errors; it must be a state that was deployed.`);
  return base.analysis.schema;
}
