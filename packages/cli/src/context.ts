import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Analysis,
  analyzeFiles,
  type ConnectionSettings,
  type Diagnostic,
  diagnosticText,
  loadProject,
  openTarget,
  type Paint,
  Positions,
  type Project,
  type ProjectServerConfig,
  paintFor,
  plural,
  projectRootOf,
  projectServerConfig,
  resolveConnection,
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
    .option('--database <name>', 'database that unqualified names resolve to (default: config, CLICKHOUSE_DATABASE, or default)')
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

export interface LoadedProject {
  project: Project;
  analysis: Analysis;
  /** Every file diagnostics may point into: SQL, clickplan.yaml, tenants.txt. */
  positions: Positions;
}

/**
 * Reads the project and its SQL; configuration and layout problems end the command (exit 2). Its
 * warnings go to stderr, unless the command shows them in its own output (`showsWarnings`).
 */
export function loadAnalysis(path: string, options: ProjectOptions, io: CliIo, { showsWarnings = false } = {}): LoadedProject {
  const project = loadProject(path, {
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
  });
  const positions = new Positions(new Map([...project.configFiles, ...project.files].map((f) => [f.file, f.text])));
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  for (const d of showsWarnings ? errors : project.diagnostics) io.stderr(`${diagnosticText(d, positions)}\n`);
  if (errors.length) throw new CommandFailure('');
  const defaultDatabase = options.database ?? io.env?.CLICKHOUSE_DATABASE ?? project.config.database;
  const analysis = analyzeFiles(project.files, { defaultDatabase });
  return { project, analysis, positions };
}

/** Opens the target named by the flag, CLICKHOUSE_URL or the configuration (the embedded engine by default). */
export async function openTargetOf(options: TargetOptions, project: Project | undefined, io: CliIo): Promise<Target> {
  const flags: ConnectionSettings = {};
  if (options.user !== undefined) flags.user = options.user;
  if (options.password !== undefined) flags.password = options.password;
  const connection = resolveConnection({ flags, env: io.env ?? {} });
  const embeddedConfig = options.embeddedConfig ? resolve(options.embeddedConfig) : project?.config.embedded?.config;
  if (embeddedConfig && !isFile(embeddedConfig)) throw new CommandFailure(`the embedded configuration file \`${embeddedConfig}\` does not exist.`);
  const server = projectServerConfig(project?.config ?? {}, {
    ...(options.serverConfig ? { serverConfig: options.serverConfig } : {}),
    ...(embeddedConfig ? { embeddedConfig } : {}),
    lint: false,
  });
  reportServerConfig(server, io);
  const target = await openTarget(options.target ?? connection.url ?? project?.config.target, connection, {
    ...(project ? { root: projectRootOf(project) } : {}),
    embedded: server.embedded,
  });
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
