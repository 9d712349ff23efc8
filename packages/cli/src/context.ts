import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Diagnostic,
  diagnosticText,
  type LoadedWorkspace,
  loadWorkspace,
  openWorkspaceTarget,
  type Paint,
  Positions,
  type ProjectServerConfig,
  paintFor,
  plural,
  projectServerConfig,
  type Target,
  TargetError,
} from '@clickplan/core';
import type { Command } from 'commander';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './exitCodes.js';

// What every command shares: reading the project, opening the target, reporting failures as one
// clear sentence (never a stack trace), and the exit codes.

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Environment variables (CLICKHOUSE_*, NO_COLOR, FORCE_COLOR); tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Whether stdout is a terminal: only then is text output coloured. */
  isTerminal?: boolean;
  /** Asks a person at a terminal and returns the answer; absent where nobody can answer (CI, pipes). */
  ask?: (question: string) => Promise<string>;
  /** Calls `handler` on each interrupt (Ctrl-C, SIGINT) until the returned function is called; absent in tests that pass none. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** Colour for text output: on a terminal unless NO_COLOR is set, or wherever FORCE_COLOR says (paintFor). */
export function paintOf(io: CliIo): Paint {
  return paintFor(io.isTerminal === true, io.env ?? {});
}

export { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './exitCodes.js';

/** A user-caused failure that ends the command with EXIT_FAILURE after its message (if any: diagnostics may have said it all) is shown. */
export class CommandFailure extends Error {}

export interface ProjectOptions {
  config?: string;
  database?: string;
  environment?: string;
  tenant?: string;
}

export interface TargetOptions {
  target?: string;
  user?: string;
  password?: string;
  serverConfig?: string;
  embeddedConfig?: string;
}

export function projectOptions(command: Command): Command {
  return command
    .option('--config <file>', 'configuration file (default: clickplan.yaml in the project directory)')
    .option('--database <name>', 'database that unqualified names resolve to (default: CLICKHOUSE_DATABASE, then database in the config, else default)')
    .option('--environment <name>', 'environment of the environment layout (migrations/<env>/...)')
    .option('--tenant <slug>', 'only this tenant of the environment layout');
}

export function targetOptions(command: Command): Command {
  return command
    .option('--target <target>', 'http(s)://host:port, a snapshot .json file, or embedded[:dir] (default: CLICKHOUSE_URL, the config, or embedded)')
    .option('--user <name>', 'ClickHouse user (default: CLICKHOUSE_USER)')
    .option('--password <password>', 'ClickHouse password (prefer CLICKHOUSE_PASSWORD: flags show in process lists)')
    .option('--server-config <file>', "the servers' config.xml or config.yaml; the embedded engine starts from it (default: server.config)")
    .option('--embedded-config <file>', 'a chDB configuration file for the embedded engine, used as it is (default: embedded.config)');
}

/** A loaded project: its analysis, the target and database this run resolved to, positions of every file diagnostics may point into. */
export type LoadedProject = LoadedWorkspace;

/**
 * Reads the project and its SQL; configuration and layout problems end the command (exit 2). Its
 * warnings go to stderr, unless the command shows them in its own output (`showsWarnings`). The
 * target and database resolve as everywhere: the flags, then CLICKHOUSE_*, then clickplan.yaml.
 */
export function loadAnalysis(
  path: string,
  options: ProjectOptions & Partial<TargetOptions> & { cluster?: string },
  io: CliIo,
  { showsWarnings = false } = {},
): LoadedProject {
  const loaded = loadWorkspace(path, {
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    given: {
      ...(options.target !== undefined ? { target: options.target } : {}),
      ...(options.database !== undefined ? { database: options.database } : {}),
      ...(options.user !== undefined ? { user: options.user } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    },
    env: io.env ?? {},
  });
  const { project, positions } = loaded;
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  for (const d of showsWarnings ? errors : project.diagnostics) io.stderr(`${diagnosticText(d, positions)}\n`);
  if (errors.length) throw new CommandFailure('');
  return loaded;
}

/** Opens the target the project resolved to (the embedded engine by default), started from the server configuration the flags or clickplan.yaml name. */
export async function openTargetOf(options: TargetOptions, loaded: Pick<LoadedProject, 'project' | 'target'>, io: CliIo): Promise<Target> {
  const { project } = loaded;
  const embeddedConfig = options.embeddedConfig ? resolve(options.embeddedConfig) : project.config.embedded?.config;
  if (embeddedConfig && !isFile(embeddedConfig)) throw new CommandFailure(`the embedded configuration file \`${embeddedConfig}\` does not exist.`);
  const server = projectServerConfig(project.config, {
    ...(options.serverConfig ? { serverConfig: options.serverConfig } : {}),
    ...(embeddedConfig ? { embeddedConfig } : {}),
    lint: false,
  });
  reportServerConfig(server, io);
  const target = await openWorkspaceTarget(loaded, { embedded: server.embedded });
  for (const note of target.notes ?? []) io.stderr(`note: ${note}\n`);
  return target;
}

/** Prints what reading the server configuration found; a configuration that cannot be read ends the command (exit 2). */
export function reportServerConfig(server: ProjectServerConfig, io: CliIo): void {
  const positions = new Positions(new Map(server.files.map((f) => [f.file, f.text])));
  for (const d of server.diagnostics) io.stderr(`${diagnosticText(d, positions)}\n`);
  if (server.unreadable) throw new CommandFailure('');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Ends a command: known failures become one sentence on stderr and exit 2; bugs propagate. */
export function reportFailure(error: unknown, io: CliIo, command: string): number {
  if (error instanceof TargetError) {
    io.stderr(`clickplan ${command}: ${error.message}\n${error.help ? `  help: ${error.help}\n` : ''}`);
    return EXIT_FAILURE;
  }
  if (error instanceof CommandFailure) {
    if (error.message) io.stderr(`clickplan ${command}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  throw error;
}

/** Syntax errors make the input unreadable (2); model errors are findings about it (1). */
export function exitCodeOf(diagnostics: Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => d.code === 'syntax-error')) return EXIT_FAILURE;
  return errors.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Planning from a repository with errors would deploy a broken state: show them and stop. */
export function diagnosticsBlockPlanning({ analysis, positions }: LoadedProject, io: CliIo): void {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  for (const d of errors) io.stderr(`${diagnosticText(d, positions)}\n`);
  throw new CommandFailure(`the repository has ${plural(errors.length, 'error')}; fix ${errors.length === 1 ? 'it' : 'them'} before planning.`);
}
