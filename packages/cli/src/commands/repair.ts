import {
  type Analysis,
  acceptChecksumRows,
  acquireLock,
  type DeployFailure,
  DeployLock,
  defaultDeployer,
  migrationStatuses,
  type Project,
  Registry,
  type RegistryState,
  resolveUncertainStatement,
  type Target,
} from '@clickplan/core';
import { Command, Option } from 'commander';
import { type CliIo, CommandFailure, loadAnalysis, openTargetOf, type ProjectOptions, projectOptions, type TargetOptions, targetOptions } from '../context.js';

// `clickplan repair --reason <why>`: a person's decision about the registry, recorded with the
// reason, who and when (the registry's `repairs` table). Each kind of repair is one function of the
// shape of `acceptChangedChecksums` below, run in `repairs()` under the deploy lock:
// - resolving a statement whose outcome is unknown after an interrupted deploy (--resolve);
// - accepting the new checksum of an applied migration whose file changed.

interface RepairOptions extends ProjectOptions, TargetOptions {
  reason: string;
  migration?: string[];
  registry?: string;
  resolve?: 'applied' | 'not-applied';
}

/** The project a repair decides about, with the target and who decides. */
interface RepairInput {
  project: Project;
  analysis: Analysis;
  target: Target;
  by: string;
  /** The database unqualified names of migrations resolve in (--database, CLICKHOUSE_DATABASE). */
  database?: string;
}

/** What one kind of repair did: lines to print. Refusals throw CommandFailure. */
type RepairStep = (input: RepairInput, registry: Registry, state: RegistryState, options: RepairOptions) => Promise<string[]>;

/** With --resolve: records whether the statement a deploy stopped before (deploy-statement-uncertain) took effect. */
export const resolveUncertain: RepairStep = async (input, registry, state, options) => {
  if (!options.resolve) return [];
  const result = await resolveUncertainStatement(input.project, input.analysis, input.target, registry, state, {
    resolution: options.resolve,
    reason: options.reason,
    by: input.by,
    ...(input.database ? { database: input.database } : {}),
  });
  if (result.failure) throw new CommandFailure(`${result.failure.message} ${result.failure.help}`);
  const r = result.repaired;
  if (!r) return [];
  return [
    `resolved  ${r.migration}: statement ${r.statement} of ${r.file} ${r.resolution === 'applied' ? 'took effect' : 'did not take effect'}; the next deploy ${r.resolution === 'applied' ? 'goes on after it' : 'runs it'}`,
  ];
};

/** Accepts the file's bytes of applied migrations that changed since (all, or those named by --migration). */
export const acceptChangedChecksums: RepairStep = async ({ project }, registry, state, options) => {
  const hasChanged = migrationStatuses(project, state).some((s) => s.state === 'changed');
  if (!hasChanged && !options.migration?.length) return [];
  const decided = acceptChecksumRows(project, state, options.reason, options.migration ?? []);
  if ('message' in decided) throw new CommandFailure(`${decided.message} ${decided.help}`);
  await registry.recordMigrations(decided.rows);
  await registry.recordRepairs(decided.repairs);
  return decided.repairs.map((r) => `accepted  ${r.migration}: checksum ${r.oldChecksum.slice(0, 12)} -> ${r.newChecksum.slice(0, 12)}`);
};

/** Every kind of repair, in order. */
const REPAIRS: readonly RepairStep[] = [resolveUncertain, acceptChangedChecksums];

export function repairCommand(io: CliIo): Command {
  return targetOptions(
    projectOptions(
      new Command('repair')
        .description(
          "record a decision the deploy cannot make, with the reason, who and when: accept an applied migration's changed checksum, or whether a statement of a deploy that died took effect (--resolve)",
        )
        .argument('[path]', 'project directory', '.')
        .requiredOption('--reason <text>', 'why you know (recorded in the registry with who and when)')
        .option('--migration <file...>', 'only these migrations (file or registry name; default: every one that changed)')
        .addOption(
          new Option('--resolve <outcome>', 'the statement a deploy stopped before (deploy-statement-uncertain) took effect, or did not').choices([
            'applied',
            'not-applied',
          ]),
        )
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)'),
    ),
  ).action(async (path: string, options: RepairOptions) => {
    options.reason = options.reason.trim();
    if (!options.reason) throw new CommandFailure('--reason must say why: it is recorded in the registry with who and when.');
    const loaded = loadAnalysis(path, options, io);
    const { project, analysis } = loaded;
    const target = await openTargetOf(options, loaded, io);
    try {
      const by = defaultDeployer();
      const registry = new Registry(target, options.registry ?? project.config.registry, { id: `repair-${Date.now()}`, by });
      const input: RepairInput = { project, analysis, target, by, database: loaded.target.database };
      await withRegistryLock(target, registry, async () => {
        const state = await registry.read();
        const done: string[] = [];
        for (const repair of REPAIRS) done.push(...(await repair(input, registry, state, options)));
        if (done.length === 0)
          throw new CommandFailure(
            'Nothing to repair: no applied migration changed. clickplan status shows every migration; --resolve records the outcome of a statement a deploy stopped before (deploy-statement-uncertain).',
          );
        io.stdout(`${done.join('\n')}\nRecorded ${done.length} repair${done.length === 1 ? '' : 's'} by ${by}: ${options.reason}\n`);
      });
    } finally {
      await target.close();
    }
  });
}

/** Runs `work` holding the deploy lock, so that no deploy reads the registry half repaired. */
export async function withRegistryLock(target: Target, registry: Registry, work: () => Promise<void>): Promise<void> {
  await registry.ensure();
  const lock = await acquireLock(target, registry.database, {});
  if (!(lock instanceof DeployLock)) throw new CommandFailure(`${(lock as DeployFailure).message} ${(lock as DeployFailure).help}`);
  try {
    await work();
  } finally {
    await lock.release().catch(() => undefined);
  }
}
