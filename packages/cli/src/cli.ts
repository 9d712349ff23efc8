import { Command, CommanderError, Help } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { CliIo } from './context.js';
import { EXIT_FAILURE, EXIT_OK } from './exitCodes.js';

export type { CliIo } from './context.js';
export { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './exitCodes.js';

/** The version `clickplan --version` prints: the package's, which scripts/release.ts sets. */
export const VERSION: string = packageJson.version;

type CommandOf = (io: CliIo, setExit: (code: number) => void) => Command;

/**
 * Every command, as the top-level help lists it, and how to load it. A command's module (and with
 * it core, commander's options, the engines' clients) is imported only when that command runs or
 * its own help is asked for: `clickplan --help` and `--version` then start in about the time node
 * itself takes (bench/startup.bench.ts). test/cli-startup.test.ts checks that these lines are the
 * ones the modules give.
 */
export const COMMANDS: Record<string, { term: string; description: string; load: () => Promise<CommandOf> }> = {
  inspect: {
    term: 'inspect [options] [path]',
    description: 'objects, dependencies, hashes and diagnostics of a repository or file',
    load: async () => (await import('./commands/inspect.js')).inspectCommand,
  },
  lint: {
    term: 'lint [options] [path]',
    description: 'rule findings for a repository or file',
    load: async () => (await import('./commands/lint.js')).lintCommand,
  },
  graph: {
    term: 'graph [options] [path]',
    description: 'dependency graph of a repository: what reads, triggers, writes and looks up what',
    load: async () => (await import('./commands/graph.js')).graphCommand,
  },
  plan: {
    term: 'plan [options] [path]',
    description: "ordered steps to take the target to the repository's desired state, with their risk",
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  apply: {
    term: 'apply [options] [path]',
    description: 'deploy: run pending migrations (versioned layouts) or the plan (declarative), under a lock, recorded in the registry, then verify',
    load: async () => (await import('./commands/apply.js')).applyCommand,
  },
  snapshot: {
    term: 'snapshot [options] [path]',
    description: "write the target's schema (the databases, users and roles the repository manages) to a snapshot JSON file",
    load: async () => (await import('./commands/snapshot.js')).snapshotCommand,
  },
  check: {
    term: 'check [options] [path]',
    description: 'drift: applied migrations, access (databases, users, roles, grants) and managed objects against the repository',
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  status: {
    term: 'status [options] [path]',
    description: 'every migration file with its state on the target (applied, pending, failed, changed, out-of-order, missing), checksum and when it ran',
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  baseline: {
    term: 'baseline [options] [path]',
    description: 'adopt an existing database: record every versioned migration up to --version as applied without running it',
    load: async () => (await import('./commands/baseline.js')).baselineCommand,
  },
  repair: {
    term: 'repair [options] [path]',
    description:
      "record a decision the deploy cannot make, with the reason, who and when: accept an applied migration's changed checksum, or whether a statement of a deploy that died took effect (--resolve)",
    load: async () => (await import('./commands/repair.js')).repairCommand,
  },
  unlock: {
    term: 'unlock [options] [path]',
    description: 'release the deploy lock after showing its holder; asks on a terminal, --yes elsewhere',
    load: async () => (await import('./commands/unlock.js')).unlockCommand,
  },
  'bootstrap-tenant': {
    term: 'bootstrap-tenant [options] <slug> [path]',
    description:
      "create a tenant's database, role and user with base grants (SELECT, INSERT, ALTER, CREATE, DROP on its database); names from tenants: in the config",
    load: async () => (await import('./commands/tenant.js')).bootstrapTenantCommand,
  },
  'generate-credentials': {
    term: 'generate-credentials [options] <slug> [path]',
    description:
      "set or rotate a tenant user's password to a strong random one and write a Kubernetes Secret manifest (database, username, password); the password goes only into that file",
    load: async () => (await import('./commands/tenant.js')).generateCredentialsCommand,
  },
};

export interface RunOptions {
  /** Load every command's module, as if each one ran (tests compare the lazy help with this). */
  loadAll?: boolean;
}

/** Runs `clickplan` with the given arguments (without `node` and the script) and returns the exit code. */
export async function run(argv: string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const output = { writeOut: io.stdout, writeErr: io.stderr };
  const program = new Command('clickplan')
    .description('Review ClickHouse schema-as-code: parse, model, plan and deploy migrations.')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError()
    // Options before the command are clickplan's, after it the command's: `baseline --version N`.
    .enablePositionalOptions();
  // A command that is not loaded is listed with its catalogue line; it never runs, since the
  // command that is named is the one loaded.
  const placeholders = new Set<Command>();
  const help = new Help();
  program.configureHelp({ subcommandTerm: (command) => (placeholders.has(command) ? COMMANDS[command.name()].term : help.subcommandTerm(command)) });

  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] ?? 'clickplan';
  // `clickplan help lint` shows lint's own help: lint is the command to load.
  const wanted = name === 'help' ? words[1] : name;
  for (const [commandName, entry] of Object.entries(COMMANDS)) {
    if (options.loadAll || commandName === wanted) program.addCommand((await entry.load())(io, setExit).exitOverride().configureOutput(output));
    else {
      const placeholder = new Command(commandName).description(entry.description);
      placeholders.add(placeholder);
      program.addCommand(placeholder);
    }
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    const { reportFailure } = await import('./context.js');
    return reportFailure(error, io, name);
  }
  return exitCode;
}
