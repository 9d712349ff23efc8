import {
  diagnosticText,
  type GivenTarget,
  loadWorkspace,
  openWorkspaceTarget,
  Positions,
  planProject,
  plural,
  projectServerConfig,
  renderPlanMarkdown,
  TargetError,
} from '@clickplan/core';

// Planning talks to a ClickHouse (a server, a snapshot, or chDB loaded into the process), so it runs
// in a child process of its own: a hung connection or a crash of the embedded engine ends that
// child, never the language server and its diagnostics. The child reads the project as the CLI
// does (core's loadWorkspace, with the open documents' texts) and plans it with core's planProject.

export interface PlanRequest {
  /** The workspace folder: the project's directory. */
  root: string;
  /** Where relative targets (`production.json`, `embedded:.clickplan/x`) are resolved: the project root. */
  projectRoot: string;
  /** The server's working directory: file names are shown relative to it, as in its diagnostics. */
  cwd: string;
  /** The `configFile` setting, absolute. */
  configFile?: string;
  /** Open documents' texts by absolute path (.sql files): read instead of what is saved. */
  unsaved: [string, string][];
  /** What the editor's settings give (the `target` setting): it wins over CLICKHOUSE_* and clickplan.yaml. */
  given: GivenTarget;
  /** The CLICKHOUSE_* variables the server sees. */
  env: Record<string, string | undefined>;
}

export type PlanResponse = { ok: true; markdown: string; target: string; steps: number } | { ok: false; message: string };

/** Plans the workspace against its target; failures a user causes come back as a message, never a stack trace. */
export async function runPlan(request: PlanRequest): Promise<PlanResponse> {
  process.chdir(request.cwd);
  const workspace = loadWorkspace(request.root, {
    ...(request.configFile ? { configFile: request.configFile } : {}),
    unsaved: new Map(request.unsaved),
    given: request.given,
    env: request.env,
  });
  process.chdir(request.projectRoot);
  const errors = workspace.analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const list = errors.map((d) => `- ${diagnosticText(d, workspace.positions)}`).join('\n');
    return {
      ok: false,
      message: `The repository has ${plural(errors.length, 'error')}; fix ${errors.length === 1 ? 'it' : 'them'} before planning.\n\n${list}`,
    };
  }
  try {
    const server = projectServerConfig(workspace.project.config, { lint: false });
    if (server.unreadable) {
      const list = server.diagnostics.map((d) => `- ${diagnosticText(d, new Positions(new Map(server.files.map((f) => [f.file, f.text]))))}`).join('\n');
      return { ok: false, message: `The server configuration (server.config) cannot be read, so the embedded engine cannot start from it.\n\n${list}` };
    }
    const target = await openWorkspaceTarget(workspace, { embedded: server.embedded });
    try {
      // The schema change, as the editor has always shown it (a versioned project's pending files are the CLI's plan).
      const { plan } = await planProject(workspace, target, { migrations: false });
      return {
        ok: true,
        markdown: renderPlanMarkdown(plan, { target: target.description, positions: workspace.positions }),
        target: target.description,
        steps: plan.steps.length,
      };
    } finally {
      await target.close();
    }
  } catch (error) {
    if (error instanceof TargetError) return { ok: false, message: `${error.message}${error.help ? `\n\n${error.help}` : ''}` };
    throw error;
  }
}

/** The child's side: one request from the parent, one answer, then exit. */
export function servePlanRequest(): void {
  process.once('message', (request: PlanRequest) => {
    runPlan(request)
      .catch((error: unknown): PlanResponse => ({ ok: false, message: `Planning failed: ${error instanceof Error ? error.message : String(error)}` }))
      .then((response) => process.send?.(response, () => process.exit(0)));
  });
}
