import {
  acceptChecksumRows,
  acquireLock,
  type DeployFailure,
  DeployLock,
  defaultDeployer,
  migrationStatuses,
  type Project,
  Registry,
  type RegistryState,
  type Target,
} from '@clickplan/core';
import { Command } from 'commander';
import { type CliIo, CommandFailure, loadAnalysis, openTargetOf, type ProjectOptions, projectOptions, type TargetOptions, targetOptions } from '../context.js';

// `clickplan repair --reason <why>`: a person's decision about the registry, recorded with the
// reason, who and when (the registry's `repairs` table). Each kind of repair is one function of the
// shape of `acceptChangedChecksums` below, run in `repairs()` under the deploy lock:
// - accepting the new checksum of an applied migration whose file changed (here);
// - resolving a statement whose outcome is unknown after an interrupted deploy (issue 18, item 1:
//   joined here from the deploy-data work).

interface RepairOptions extends ProjectOptions, TargetOptions {
  reason: string;
  migration?: string[];
  registry?: string;
}

/** What one kind of repair did: lines to print. Refusals throw CommandFailure. */
type RepairStep = (project: Project, registry: Registry, state: RegistryState, options: RepairOptions) => Promise<string[]>;

/** Accepts the file's bytes of applied migrations that changed since (all, or those named by --migration). */
export const acceptChangedChecksums: RepairStep = async (project, registry, state, options) => {
  const hasChanged = migrationStatuses(project, state).some((s) => s.state === 'changed');
  if (!hasChanged && !options.migration?.length) return [];
  const decided = acceptChecksumRows(project, state, options.reason, options.migration ?? []);
  if ('message' in decided) throw new CommandFailure(`${decided.message} ${decided.help}`);
  await registry.recordMigrations(decided.rows);
  await registry.recordRepairs(decided.repairs);
  return decided.repairs.map((r) => `accepted  ${r.migration}: checksum ${r.oldChecksum.slice(0, 12)} -> ${r.newChecksum.slice(0, 12)}`);
};

/** Every kind of repair, in order. */
const REPAIRS: readonly RepairStep[] = [acceptChangedChecksums];

export function repairCommand(io: CliIo): Command {
  return targetOptions(
    projectOptions(
      new Command('repair')
        .description("accept an applied migration's changed checksum, recorded in the registry with the reason, who and when")
        .argument('[path]', 'project directory', '.')
        .requiredOption('--reason <text>', 'why the change is accepted (recorded in the registry)')
        .option('--migration <file...>', 'only these migrations (file or registry name; default: every one that changed)')
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)'),
    ),
  ).action(async (path: string, options: RepairOptions) => {
    if (!options.reason.trim()) throw new CommandFailure('--reason must say why: it is recorded in the registry with who and when.');
    const { project } = loadAnalysis(path, options, io);
    const target = await openTargetOf(options, project, io);
    try {
      const registry = new Registry(target, options.registry ?? project.config.registry, { id: `repair-${Date.now()}`, by: defaultDeployer() });
      await withRegistryLock(target, registry, async () => {
        const state = await registry.read();
        const done: string[] = [];
        for (const repair of REPAIRS) done.push(...(await repair(project, registry, state, options)));
        if (done.length === 0) throw new CommandFailure('Nothing to repair: no applied migration changed. clickplan status shows every migration.');
        io.stdout(`${done.join('\n')}\nRecorded ${done.length} repair${done.length === 1 ? '' : 's'} by ${defaultDeployer()}: ${options.reason}\n`);
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
