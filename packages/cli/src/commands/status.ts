import { type MigrationStatus, migrationStatuses, plural, Registry } from '@clickplan/core';
import { Command, Option } from 'commander';
import {
  type CliIo,
  CommandFailure,
  EXIT_FINDINGS,
  loadAnalysis,
  openTargetOf,
  type ProjectOptions,
  projectOptions,
  type TargetOptions,
  targetOptions,
} from '../context.js';

// `clickplan status` (Flyway's info): every migration file and what the target's registry says of
// it. Exit 1 when the next deploy would stop on one (failed or changed) or one is missing.

/** Bumped when the JSON document of `clickplan status` changes incompatibly (docs/deploy.md). */
export const STATUS_JSON_VERSION = 1;

interface StatusOptions extends ProjectOptions, TargetOptions {
  format: string;
  registry?: string;
}

export function statusCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('status')
        .description('every migration file with its state on the target (applied, pending, failed, changed, out-of-order, missing), checksum and when it ran')
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)'),
    ),
  ).action(async (path: string, options: StatusOptions) => {
    const loaded = loadAnalysis(path, options, io);
    const { project } = loaded;
    if (!project.migrations.some((m) => m.kind !== 'declarative'))
      throw new CommandFailure(`${path} has no migration files (its layout is declarative): clickplan check and clickplan plan show what is deployed.`);
    const target = await openTargetOf(options, loaded, io);
    try {
      const registry = options.registry ?? project.config.registry;
      const state = await new Registry(target, registry, { id: 'status', by: 'clickplan status' }).read();
      const statuses = migrationStatuses(project, state);
      io.stdout(
        options.format === 'json'
          ? `${JSON.stringify(statusJson(statuses, target.description, registry), null, 2)}\n`
          : statusText(statuses, target.description, registry),
      );
      if (statuses.some((s) => s.state === 'failed' || s.state === 'changed' || s.state === 'missing')) setExit(EXIT_FINDINGS);
    } finally {
      await target.close();
    }
  });
}

const STATES: readonly MigrationStatus['state'][] = ['applied', 'pending', 'out-of-order', 'failed', 'changed', 'missing'];

function statusText(statuses: MigrationStatus[], target: string, registry: string): string {
  const lines = [`Migrations on ${target} (registry ${registry}):`, ''];
  const width = Math.max(4, ...statuses.map((s) => s.file.length));
  lines.push(`  ${'state'.padEnd(12)} ${'file'.padEnd(width)}  ${'checksum'.padEnd(12)}  applied`);
  for (const s of statuses) {
    const checksum = (s.checksum ?? s.applied?.checksum ?? '').slice(0, 12);
    const applied = s.applied ? `${s.applied.at} by ${s.applied.by}${s.state === 'changed' ? ` (checksum then ${s.applied.checksum.slice(0, 12)})` : ''}` : '';
    lines.push(`  ${s.state.padEnd(12)} ${s.file.padEnd(width)}  ${checksum.padEnd(12)}  ${applied}`.trimEnd());
  }
  const counts = STATES.map((state) => [state, statuses.filter((s) => s.state === state).length] as const).filter(([, n]) => n > 0);
  lines.push('', `${plural(statuses.length, 'migration')}: ${counts.map(([state, n]) => `${n} ${state}`).join(', ') || 'none'}.`);
  return `${lines.join('\n')}\n`;
}

function statusJson(statuses: MigrationStatus[], target: string, registry: string) {
  return {
    version: STATUS_JSON_VERSION,
    target,
    registry,
    migrations: statuses.map((s) => ({
      migration: s.migration,
      file: s.file,
      kind: s.kind,
      ...(s.version ? { version: s.version } : {}),
      description: s.description,
      ...(s.tenant ? { tenant: s.tenant } : {}),
      state: s.state,
      ...(s.checksum ? { checksum: s.checksum } : {}),
      ...(s.applied
        ? { applied_checksum: s.applied.checksum, applied_at: s.applied.at, applied_by: s.applied.by, applied_statements: s.applied.statements }
        : {}),
    })),
    counts: Object.fromEntries(STATES.map((state) => [state.replace(/-/g, '_'), statuses.filter((s) => s.state === state).length])),
  };
}
