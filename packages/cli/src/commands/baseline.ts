import { baselineRows, defaultDeployer, Registry } from '@clickplan/core';
import { Command } from 'commander';
import { type CliIo, CommandFailure, loadAnalysis, openTargetOf, type ProjectOptions, projectOptions, type TargetOptions, targetOptions } from '../context.js';
import { withRegistryLock } from './repair.js';

// `clickplan baseline --version N` (Flyway's baseline): a database that already has what the
// migration files up to N create is adopted: those files are recorded as applied without running,
// and the next deploy runs the files after N.

interface BaselineOptions extends ProjectOptions, TargetOptions {
  version: string;
  registry?: string;
}

export function baselineCommand(io: CliIo): Command {
  return targetOptions(
    projectOptions(
      new Command('baseline')
        .description('adopt an existing database: record every versioned migration up to --version as applied without running it')
        .argument('[path]', 'project directory', '.')
        .requiredOption('--version <version>', 'the version of the last migration file whose changes the database already has')
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)'),
    ),
  ).action(async (path: string, options: BaselineOptions) => {
    const loaded = loadAnalysis(path, options, io);
    const { project } = loaded;
    const target = await openTargetOf(options, loaded, io);
    try {
      const name = options.registry ?? project.config.registry;
      const registry = new Registry(target, name, { id: `baseline-${Date.now()}`, by: defaultDeployer() });
      await withRegistryLock(target, registry, async () => {
        const decided = baselineRows(project, await registry.read(), options.version);
        if ('message' in decided) throw new CommandFailure(`${decided.message} ${decided.help}`);
        await registry.recordMigrations(decided.rows);
        await registry.recordRepairs(decided.repairs);
        for (const row of decided.rows) io.stdout(`baseline  ${row.file}\n`);
        io.stdout(
          `Recorded ${decided.rows.length} migration file${decided.rows.length === 1 ? '' : 's'} up to version ${options.version} as applied on ${target.description}; the next deploy runs the files after it.\n`,
        );
      });
    } finally {
      await target.close();
    }
  });
}
