import {
  analyzeFiles,
  type Diagnostic,
  diagnosticText,
  openTarget,
  Positions,
  planAgainstTarget,
  plural,
  projectServerConfig,
  type ReplicationConvention,
  renderPlanMarkdown,
  resolveConnection,
  type SourceFile,
  TargetError,
} from '@clickplan/core';

// Planning talks to a ClickHouse (a server, a snapshot, or chDB loaded into the process), so it runs
// in a child process of its own: a hung connection or a crash of the embedded engine ends that
// child, never the language server and its diagnostics.

export interface PlanRequest {
  /** Where relative targets (`production.json`, `embedded:.clickplan/x`) are resolved. */
  root: string;
  files: SourceFile[];
  defaultDatabase: string;
  cluster?: string;
  /** `replication:` of clickplan.yaml: paths for Replicated tables written without arguments. */
  replication?: ReplicationConvention;
  target?: string;
  /** `server:` and `embedded:` of clickplan.yaml: how the embedded engine starts. */
  server?: { config: string };
  embedded?: { config: string };
  /** Users whose password and hosts generate-credentials sets (`credentialUsers`). */
  credentials?: string[];
}

export type PlanResponse = { ok: true; markdown: string; target: string; steps: number } | { ok: false; message: string };

/** Plans the files against the target; failures a user causes come back as a message, never a stack trace. */
export async function runPlan(request: PlanRequest): Promise<PlanResponse> {
  process.chdir(request.root);
  const analysis = analyzeFiles(request.files, { defaultDatabase: request.defaultDatabase });
  const positions = new Positions(new Map(request.files.map((f) => [f.file, f.text])));
  const errors = analysis.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (errors.length > 0) {
    const list = errors.map((d) => `- ${diagnosticText(d, positions)}`).join('\n');
    return {
      ok: false,
      message: `The repository has ${plural(errors.length, 'error')}; fix ${errors.length === 1 ? 'it' : 'them'} before planning.\n\n${list}`,
    };
  }
  try {
    const server = projectServerConfig(
      { ...(request.server ? { server: request.server } : {}), ...(request.embedded ? { embedded: request.embedded } : {}) },
      { lint: false },
    );
    if (server.unreadable) {
      const list = server.diagnostics.map((d) => `- ${diagnosticText(d, new Positions(new Map(server.files.map((f) => [f.file, f.text]))))}`).join('\n');
      return { ok: false, message: `The server configuration (server.config) cannot be read, so the embedded engine cannot start from it.\n\n${list}` };
    }
    const target = await openTarget(request.target, resolveConnection({ env: process.env }), { root: request.root, embedded: server.embedded });
    try {
      const { plan } = await planAgainstTarget(analysis.schema, target, {
        ...(request.cluster ? { cluster: request.cluster } : {}),
        replication: request.replication,
        ...(request.credentials ? { credentials: request.credentials } : {}),
      });
      return { ok: true, markdown: renderPlanMarkdown(plan, { target: target.description, positions }), target: target.description, steps: plan.steps.length };
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
