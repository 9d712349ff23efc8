import { plural, renderSnapshot, scopeOf, writeSnapshot } from '@clickplan/core';
import { Command } from 'commander';
import { type CliIo, loadAnalysis, openTargetOf, type ProjectOptions, projectOptions, type TargetOptions, targetOptions } from '../context.js';

export function snapshotCommand(io: CliIo): Command {
  return targetOptions(
    projectOptions(
      new Command('snapshot')
        .description("write the target's schema (the databases, users and roles the repository manages) to a snapshot JSON file")
        .argument('[path]', 'project directory (says which databases to read)', '.')
        .option('--output <file>', 'where to write the snapshot (default: standard output)'),
    ),
  ).action(async (path: string, options: ProjectOptions & TargetOptions & { output?: string }) => {
    const loaded = loadAnalysis(path, options, io);
    const { analysis } = loaded;
    const target = await openTargetOf(options, loaded, io);
    try {
      const live = await target.readSchema(scopeOf(analysis.schema));
      for (const gap of live.gaps) io.stderr(`clickplan snapshot: could not read ${gap.what}: ${gap.reason}\n`);
      if (options.output) {
        writeSnapshot(live, options.output);
        io.stderr(
          `Wrote ${plural(live.tables.length, 'table')} of ${plural(live.databases.length, 'database')} from ${target.description} to ${options.output}.\n`,
        );
      } else io.stdout(renderSnapshot(live));
    } finally {
      await target.close();
    }
  });
}
