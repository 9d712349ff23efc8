import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  type AnalyzeSide,
  analyzeFiles,
  type ClickPlanConfig,
  type Diagnostic,
  displayPath,
  type FindingFix,
  isEmbeddedSpec,
  type LoadedWorkspace,
  lintOptionsOf,
  lintWithSuppressed,
  loadWorkspace,
  openTarget,
  type Plan,
  Positions,
  type Project,
  type ProjectServerConfig,
  planAgainstDeployed,
  planProject,
  projectRootOf,
  projectServerConfig,
  type Rule,
  resolveTarget,
  type Schema,
  SERVER_RULES,
  type Target,
  TargetError,
  underHeadNames,
} from '@clickplan/core';
import { loadChdb } from './chdb.js';
import { ActionFailure, type ActionInputs, givenTarget, type Mode } from './inputs.js';

// What the Action does with one project directory, through core only: read it, lint it, open the
// target and plan. The same calls as the CLI's commands, nothing parsed or built here.

export interface LoadedProject extends LoadedWorkspace {
  path: string;
  /** Configuration, layout, syntax and model diagnostics (and what reading `server.config` found wrong). */
  diagnostics: Diagnostic[];
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

/**
 * Reads a project directory: the workspace's, or the base commit's copy of it. Its target and
 * database resolve as in every front end: the inputs, then CLICKHOUSE_*, then clickplan.yaml.
 */
export function readProject(path: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, options: ReadOptions = {}): LoadedProject {
  const { base } = options;
  const at = (p: string) => (base ? inBase(p, base) : p);
  const loaded = loadWorkspace(at(path), {
    ...(inputs.config ? { configFile: at(inputs.config) } : {}),
    ...(inputs.environment ? { environment: inputs.environment } : {}),
    given: givenTarget(inputs),
    env,
    // The base's SQL under the names the workspace gives the same files: both sides' analyses share what did not change.
    ...(base ? { view: (read: Project) => underHeadNames(read, (file) => displayPath(resolve(base.top, relative(base.root, resolve(file))))) } : {}),
    ...(options.analyze ? { analyze: options.analyze } : {}),
  });
  const server = projectServerConfig(loaded.project.config);
  for (const f of server.files) loaded.texts.set(f.file, f.text);
  const rules = new Set(SERVER_RULES.map((r) => r.id));
  return {
    ...loaded,
    path,
    positions: new Positions(loaded.texts),
    diagnostics: [...loaded.diagnostics, ...server.diagnostics.filter((d) => !rules.has(d.code))],
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
/** The project's findings, and the fixes they offer (for SARIF). */
export function lintProject(
  loaded: LoadedProject,
  base?: Project,
  only?: readonly Rule[],
): { diagnostics: Diagnostic[]; fixes: ReadonlyMap<Diagnostic, readonly FindingFix[]> } {
  const options = lintOptionsOf(loaded.project, { cluster: loaded.cluster, base });
  if (loaded.server.facts) options.project = { ...options.project, server: loaded.server.facts };
  if (only) options.only = only;
  // The server-* rules' findings, as `clickplan lint` reports them.
  const rules = new Set(SERVER_RULES.map((r) => r.id));
  const { diagnostics, fixes } = lintWithSuppressed(loaded.analysis, options);
  return { diagnostics: [...diagnostics, ...loaded.server.diagnostics.filter((d) => rules.has(d.code))], fixes };
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The target to plan against or deploy to, resolved as in every front end: the `snapshot` or
 * `target` input, CLICKHOUSE_URL, or the configuration's target. In review mode a configured
 * `embedded` target is not used: a fresh engine on a runner holds nothing, so the base branch's
 * state says more.
 */
export function targetSpec(inputs: ActionInputs, config: ClickPlanConfig, env: NodeJS.ProcessEnv, mode: Mode): string | undefined {
  const resolved = resolveTarget({ given: givenTarget(inputs), env, config });
  if (mode === 'review' && resolved.source === 'config' && isEmbeddedSpec(resolved.spec)) return undefined;
  return resolved.spec;
}

/** Opens a target; the password comes from the inputs or CLICKHOUSE_PASSWORD and is masked. */
export async function openActionTarget(spec: string, inputs: ActionInputs, env: NodeJS.ProcessEnv, project?: Project): Promise<Target> {
  if (isEmbeddedSpec(spec)) loadChdb();
  const { connection } = resolveTarget({ given: givenTarget(inputs), env });
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

/** Plans against a target (the schema change; review adds a versioned project's pending files); the base schema, when known, tells drift from the pull request's changes. */
export async function planOnTarget(loaded: LoadedProject, target: Target, base: Schema | undefined): Promise<Plan> {
  try {
    // The one plan of the CLI: pending files for versioned layouts, changed secrets for declarative ones.
    return (await planProject(loaded, target, base ? { base } : {})).plan;
  } catch (error) {
    throw asFailure(error);
  }
}

/**
 * Plans against the base branch's state without an engine: the base commit's migrations, replayed by
 * the same model, stand for what is deployed (planAgainstDeployed; test/action-base-plan.test.ts
 * checks it against chDB).
 */
export function planAgainstBase(loaded: LoadedProject, base: Schema): Plan {
  return planAgainstDeployed(loaded, base, { migrations: false });
}

/** The state of nothing deployed yet: a project the base does not have. */
export function emptySchema(): Schema {
  return analyzeFiles([]).schema;
}

/** A target's refusal as the Action's one-sentence failure (no stack trace); anything else as it is. */
export function asFailure(error: unknown): unknown {
  if (error instanceof TargetError) return new ActionFailure(`${error.message}${error.help ? ` ${error.help}` : ''}`);
  return error;
}
