import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  type Analysis,
  type AnalyzeSide,
  analyzeFiles,
  applyReplicationConvention,
  type ClickPlanConfig,
  credentialUsers,
  type Diagnostic,
  displayPath,
  lintAnalysis,
  lintOptionsOf,
  loadProject,
  openTarget,
  type Plan,
  Positions,
  type Project,
  type ProjectServerConfig,
  planAgainstSchema,
  planAgainstTarget,
  projectRootOf,
  projectServerConfig,
  type Rule,
  resolveConnection,
  type Schema,
  SERVER_RULES,
  type Target,
  TargetError,
  underHeadNames,
} from '@clickplan/core';
import { loadChdb } from './chdb.js';
import { ActionFailure, type ActionInputs, type Mode } from './inputs.js';

// What the Action does with one project directory, through core only: read it, lint it, open the
// target and plan. The same calls as the CLI's commands, nothing parsed or built here.

export interface LoadedProject {
  path: string;
  project: Project;
  analysis: Analysis;
  /** Every file a diagnostic may point into (SQL, clickplan.yaml, tenants.txt). */
  positions: Positions;
  texts: Map<string, string>;
  /** Configuration, layout, syntax and model diagnostics (and what reading `server.config` found wrong). */
  diagnostics: Diagnostic[];
  cluster?: string;
  /** The server configuration (`server.config`): its rule findings, facts for SQL rules, and how the embedded engine starts. */
  server: ProjectServerConfig;
}

/** Where a base commit's files were written: `root` holds them at their places relative to the repository's `top`. */
export interface BaseCopy {
  root: string;
  top: string;
}

/** How `readProject` reads a project: from the base commit's copy (its SQL files under the workspace's names), and with which analysis. */
export interface ReadOptions {
  base?: BaseCopy;
  analyze?: AnalyzeSide;
}

/** Reads a project directory: the workspace's, or the base commit's copy of it. */
export function readProject(path: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, options: ReadOptions = {}): LoadedProject {
  const { base, analyze = (files, defaultDatabase) => analyzeFiles(files, { defaultDatabase }) } = options;
  const at = (p: string) => (base ? inBase(p, base) : p);
  const read = loadProject(at(path), {
    ...(inputs.config ? { configFile: at(inputs.config) } : {}),
    ...(inputs.environment ? { environment: inputs.environment } : {}),
  });
  // The base's SQL under the names the workspace gives the same files: both sides' analyses share what did not change.
  const project = base ? underHeadNames(read, (file) => displayPath(resolve(base.top, relative(base.root, resolve(file))))) : read;
  const server = projectServerConfig(project.config);
  const texts = new Map([...project.configFiles, ...project.files, ...server.files].map((f) => [f.file, f.text]));
  const defaultDatabase = inputs.database ?? env.CLICKHOUSE_DATABASE ?? project.config.database;
  const analysis = analyze(project.files, defaultDatabase);
  const cluster = inputs.cluster ?? project.config.cluster;
  const rules = new Set(SERVER_RULES.map((r) => r.id));
  return {
    path,
    project,
    analysis,
    positions: new Positions(texts),
    texts,
    diagnostics: [...project.diagnostics, ...analysis.diagnostics, ...server.diagnostics.filter((d) => !rules.has(d.code))],
    ...(cluster ? { cluster } : {}),
    server,
  };
}

/** Whether a base commit's copy of the project exists (a pull request may add the project). */
export function baseHasProject(path: string, base: BaseCopy): boolean {
  return existsSync(inBase(path, base));
}

function inBase(path: string, base: BaseCopy): string {
  return join(base.root, relative(base.top, resolve(path)));
}

/**
 * Rule findings, after suppression comments; with the base's project, its versioned migrations count
 * as applied. `only`: the rules to run, instead of all.
 */
export function lintProject(loaded: LoadedProject, base?: Project, only?: readonly Rule<string, unknown>[]): Diagnostic[] {
  const options = lintOptionsOf(loaded.project, { cluster: loaded.cluster, base });
  if (loaded.server.facts) options.project = { ...options.project, server: loaded.server.facts };
  if (only) options.only = only;
  // The server-* rules' findings, as `clickplan lint` reports them.
  const rules = new Set(SERVER_RULES.map((r) => r.id));
  return [...lintAnalysis(loaded.analysis, options), ...loaded.server.diagnostics.filter((d) => rules.has(d.code))];
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The target to plan against or deploy to: the `snapshot` or `target` input, CLICKHOUSE_URL, or the
 * configuration's target. In review mode a configured `embedded` target is not used: a fresh engine on
 * a runner holds nothing, so the base branch's state says more.
 */
export function targetSpec(inputs: ActionInputs, config: ClickPlanConfig, env: NodeJS.ProcessEnv, mode: Mode): string | undefined {
  const spec = inputs.snapshot ?? inputs.target ?? (env.CLICKHOUSE_URL || undefined) ?? config.target;
  if (mode === 'review' && spec === config.target && spec?.startsWith('embedded')) return undefined;
  return spec;
}

/** Opens a target; the password comes from the inputs or CLICKHOUSE_PASSWORD and is masked. */
export async function openActionTarget(spec: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, project?: Project): Promise<Target> {
  if (spec === 'embedded' || spec.startsWith('embedded:')) loadChdb();
  const connection = resolveConnection({
    flags: { ...(inputs.user ? { user: inputs.user } : {}), ...(inputs.password ? { password: inputs.password } : {}) },
    env,
  });
  if (connection.password) core.setSecret(connection.password);
  try {
    return await openTarget(spec, connection, project ? { root: projectRootOf(project), embedded: embeddedOptionsOf(project) } : {});
  } catch (error) {
    throw asFailure(error);
  }
}

/** How the embedded engine starts: `embedded.config` as it is, else from `server.config`. */
function embeddedOptionsOf(project: Project) {
  const server = projectServerConfig(project.config, { lint: false });
  const [error] = server.diagnostics.filter((d) => d.severity === 'error');
  if (server.unreadable)
    throw new ActionFailure(`The server configuration cannot be read: ${error ? `${error.file}: ${error.message}` : project.config.server?.config}`);
  return server.embedded;
}

/** Plans against a target; the base schema, when known, tells drift from the pull request's changes. */
export async function planOnTarget(loaded: LoadedProject, target: Target, base: Schema | undefined): Promise<Plan> {
  try {
    const { plan } = await planAgainstTarget(loaded.analysis.schema, target, {
      ...(loaded.cluster ? { cluster: loaded.cluster } : {}),
      ...(base ? { base } : {}),
      replication: loaded.project.config.replication,
      credentials: credentialUsers(loaded.project),
    });
    return plan;
  } catch (error) {
    throw asFailure(error);
  }
}

/**
 * Plans against the base branch's state without an engine: the base commit's migrations, replayed by
 * the same model, stand for what is deployed. This is planAgainstLive after its modelling step: the
 * live side there is the server's DDL replayed by this model, and the canonical hash makes the
 * repository's DDL and the server's stored DDL compare equal, so the diff and the steps are the same
 * (test/action-base-plan.test.ts checks this against chDB).
 */
export function planAgainstBase(loaded: LoadedProject, base: Schema): Plan {
  const replication = loaded.project.config.replication;
  // What the base deployed carries the convention's replication arguments, as the repository's tables will.
  const deployed = replication ? applyReplicationConvention(base, replication) : base;
  return planAgainstSchema(loaded.analysis.schema, deployed, { ...(loaded.cluster ? { cluster: loaded.cluster } : {}), replication });
}

/** The state of nothing deployed yet: a project the base does not have. */
export function emptySchema(): Schema {
  return analyzeFiles([]).schema;
}

function asFailure(error: unknown): unknown {
  if (error instanceof TargetError) return new ActionFailure(`${error.message}${error.help ? ` ${error.help}` : ''}`);
  return error;
}
