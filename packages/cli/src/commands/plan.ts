import { writeFileSync } from 'node:fs';
import {
  compareSecrets,
  credentialUsers,
  isVersionedProject,
  type Plan,
  planAgainstTarget,
  RISK_ORDER,
  type Risk,
  readPendingMigrations,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  type Schema,
  savePlan,
  versionedPlan,
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
    const { plan, description, saved } = await planProject(loaded, options, io);
    if (options.out) writeFileSync(options.out, `${JSON.stringify(saved, null, 2)}\n`);
    const context = { target: description, positions: loaded.positions, paint: paintOf(io) };
    const render = { text: renderPlanText, markdown: renderPlanMarkdown, json: renderPlanJson }[options.format as 'text' | 'markdown' | 'json'];
    io.stdout(render(plan, context));
    const failing =
      options.failOn &&
      RISK_ORDER.indexOf(plan.risk) >= RISK_ORDER.indexOf(options.failOn as Risk) &&
      (plan.steps.length > 0 || (plan.migrations ?? []).length > 0);
    if (plan.drift.length > 0 || failing) setExit(EXIT_FINDINGS);
  });
}

/**
 * Plans a loaded project against the target the options name. Versioned layouts: the pending files
 * as they will run (from the target's registry), then the schema change they make. `saved` is the
 * plan as `--out` writes it.
 */
export async function planProject(
  loaded: LoadedProject,
  options: PlanOptions,
  io: CliIo,
): Promise<{ plan: Plan; description: string; saved: ReturnType<typeof savePlan> }> {
  diagnosticsBlockPlanning(loaded, io);
  const base = options.base ? baseSchema(options.base, options, io) : undefined;
  const target = await openTargetOf(options, loaded.project, io);
  try {
    const cluster = options.cluster ?? loaded.project.config.cluster;
    const { project } = loaded;
    const registry = project.config.registry;
    const pending = await readPendingMigrations(project, loaded.analysis, target, {
      registry,
      database: options.database ?? io.env?.CLICKHOUSE_DATABASE ?? project.config.database,
      ...(cluster ? { cluster } : {}),
      ...(project.config.deploy.alterCluster ? { alterCluster: project.config.deploy.alterCluster } : {}),
    });
    const { plan: schemaChange, live } = await planAgainstTarget(loaded.analysis.schema, target, {
      ...(cluster ? { cluster } : {}),
      ...(base ? { base } : {}),
      replication: loaded.project.config.replication,
      credentials: credentialUsers(loaded.project),
      // Declarative: a password changed in the repository is a step, as apply plans it.
      ...(isVersionedProject(project) ? {} : { secrets: compareSecrets(loaded.analysis.schema, pending.state) }),
    });
    const plan = isVersionedProject(project) ? versionedPlan(schemaChange, pending) : schemaChange;
    const saved = savePlan(plan, { target: target.description, registry, live, registryState: pending.state });
    return { plan, description: target.description, saved };
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
