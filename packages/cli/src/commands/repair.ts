import { repairUncertainStatement } from '@clickplan/core';
import { Command, Option } from 'commander';
import { type CliIo, CommandFailure, EXIT_FAILURE, loadAnalysis, openTargetOf, projectOptions, targetOptions } from '../context.js';

// `clickplan repair`: a person's decision, recorded in the registry with who, when and why. This
// file holds the part that resolves a statement whose outcome is unknown (deploy-statement-uncertain).

interface RepairOptions {
  registry?: string;
  database?: string;
  resolve?: 'applied' | 'not-applied';
  reason?: string;
  format?: 'text' | 'json';
  config?: string;
  environment?: string;
  tenant?: string;
  target?: string;
}

export function repairCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('repair')
        .description('record a decision the deploy cannot make: whether a statement of a deploy that died took effect (--resolve), with a --reason')
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)')
        .addOption(
          new Option('--resolve <outcome>', 'the statement a deploy stopped before (deploy-statement-uncertain) took effect, or did not').choices([
            'applied',
            'not-applied',
          ]),
        )
        .option('--reason <text>', 'why you know (required; kept in the registry with your name and the time)'),
    ),
  ).action(async (path: string, options: RepairOptions) => {
    if (!options.resolve) throw new CommandFailure('say what to record: --resolve applied (the statement took effect) or --resolve not-applied.');
    if (!options.reason?.trim()) throw new CommandFailure('give a --reason: how you know whether the statement took effect; it is kept in the registry.');
    const loaded = loadAnalysis(path, options, io);
    const target = await openTargetOf(options, loaded.project, io);
    try {
      const database = options.database ?? io.env?.CLICKHOUSE_DATABASE;
      const result = await repairUncertainStatement(loaded.project, loaded.analysis, target, {
        resolution: options.resolve,
        reason: options.reason.trim(),
        ...(options.registry ? { registry: options.registry } : {}),
        ...(database ? { database } : {}),
      });
      if (options.format === 'json') io.stdout(`${JSON.stringify({ repaired: result.repaired ?? null, failure: result.failure ?? null }, null, 2)}\n`);
      if (result.failure) {
        io.stderr(`clickplan repair: ${result.failure.message}\n  help: ${result.failure.help}\n`);
        setExit(EXIT_FAILURE);
        return;
      }
      const r = result.repaired;
      if (r && options.format !== 'json')
        io.stdout(
          `Recorded statement ${r.statement} of ${r.file} (${r.migration}) as ${r.resolution === 'applied' ? 'applied' : 'not applied'}, by ${r.by}: ${options.reason.trim()}\n` +
            `The next deploy ${r.resolution === 'applied' ? 'goes on after it' : 'runs it'}; the decision is kept in the registry's repairs table.\n`,
        );
    } finally {
      await target.close();
    }
  });
}
