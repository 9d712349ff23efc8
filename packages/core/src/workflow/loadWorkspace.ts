import type { Diagnostic } from '../diagnostics.js';
import { type Analysis, analyzeFiles } from '../inspect/analyze.js';
import { type OpenTargetOptions, openTarget, projectRootOf } from '../live/target.js';
import type { Target } from '../live/types.js';
import type { SourceFile } from '../project/files.js';
import { type LoadProjectOptions, loadProject, type Project } from '../project/project.js';
import { Positions } from '../render/positions.js';
import { RULE_IDS, ruleOptionProblems } from '../rules/docsLink.js';
import { type GivenTarget, type ResolvedTarget, resolveTarget } from './resolveTarget.js';

// A project as every front end reads it: its configuration and files, the target and database this
// run resolves to (resolveTarget's one precedence), the cluster, and the analysis of its SQL.

export interface WorkspaceOptions extends Pick<LoadProjectOptions, 'configFile' | 'environment' | 'tenant' | 'unsaved'> {
  /** What was given for this run (flags, Action inputs, editor settings): target, database, user, password. */
  given?: GivenTarget & { cluster?: string };
  /** The environment (CLICKHOUSE_*); none when left out. */
  env?: Record<string, string | undefined>;
  /** The project as analysed, from the project read (the Action names a base checkout's files as the workspace names them). */
  view?: (project: Project) => Project;
  /** How the SQL is analysed (default: analyzeFiles); the Action's review shares one analysis between the base and the head. */
  analyze?: (files: SourceFile[], defaultDatabase: string) => Analysis;
}

export interface LoadedWorkspace {
  project: Project;
  analysis: Analysis;
  /** The target and database this run uses. */
  target: ResolvedTarget;
  /** The cluster statements run ON CLUSTER: given, else `cluster:` of clickplan.yaml. */
  cluster?: string;
  /** Every file diagnostics may point into: SQL, clickplan.yaml, tenants.txt. */
  texts: Map<string, string>;
  positions: Positions;
  /** Configuration, layout, syntax and model diagnostics, in that order. */
  diagnostics: Diagnostic[];
}

/** Reads a project (a directory or one .sql file of it), resolves its target and analyses its SQL with the resolved database. */
export function loadWorkspace(path: string, options: WorkspaceOptions = {}): LoadedWorkspace {
  const read = loadProject(path, {
    ruleIds: RULE_IDS,
    ruleOptionProblems,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(options.unsaved ? { unsaved: options.unsaved } : {}),
  });
  const project = options.view ? options.view(read) : read;
  const target = resolveTarget({ given: options.given ?? {}, env: options.env ?? {}, config: project.config });
  const analysis = options.analyze ? options.analyze(project.files, target.database) : analyzeFiles(project.files, { defaultDatabase: target.database });
  const cluster = options.given?.cluster || project.config.cluster;
  const texts = new Map([...project.configFiles, ...project.files].map((f) => [f.file, f.text]));
  return {
    project,
    analysis,
    target,
    ...(cluster ? { cluster } : {}),
    texts,
    positions: new Positions(texts),
    diagnostics: [...project.diagnostics, ...analysis.diagnostics],
  };
}

/** Opens the workspace's resolved target; the embedded engine lives under the project root and starts as `embedded` says. */
export function openWorkspaceTarget(
  workspace: Pick<LoadedWorkspace, 'project' | 'target'>,
  options: Pick<OpenTargetOptions, 'embedded'> = {},
): Promise<Target> {
  return openTarget(workspace.target.spec, workspace.target.connection, { root: projectRootOf(workspace.project), ...options });
}
