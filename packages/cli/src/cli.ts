import { Command, CommanderError } from 'commander';
import { applyCommand } from './commands/apply.js';
import { checkCommand } from './commands/check.js';
import { graphCommand } from './commands/graph.js';
import { inspectCommand } from './commands/inspect.js';
import { lintCommand } from './commands/lint.js';
import { planCommand } from './commands/plan.js';
import { snapshotCommand } from './commands/snapshot.js';
import { bootstrapTenantCommand, generateCredentialsCommand } from './commands/tenant.js';
import { type CliIo, EXIT_FAILURE, EXIT_OK, reportFailure } from './context.js';

export { type CliIo, EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './context.js';

/** Every command of `clickplan`, in the order `--help` lists them (the README's table lists the same). */
export function cliCommands(io: CliIo, setExit: (code: number) => void): Command[] {
  return [
    inspectCommand,
    lintCommand,
    graphCommand,
    planCommand,
    applyCommand,
    snapshotCommand,
    checkCommand,
    bootstrapTenantCommand,
    generateCredentialsCommand,
  ].map((command) => command(io, setExit));
}

/** Runs `clickplan` with the given arguments (without `node` and the script) and returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('clickplan')
    .description('Review ClickHouse schema-as-code: parse, model, plan and deploy migrations.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  for (const command of cliCommands(io, setExit)) program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));

  const name = argv.find((a) => !a.startsWith('-')) ?? 'clickplan';
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    return reportFailure(error, io, name);
  }
  return exitCode;
}
