import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { deployProject } from '../../packages/core/src/deploy/deploy.js';
import type { DeployEvent } from '../../packages/core/src/deploy/events.js';
import { planAgainstTarget } from '../../packages/core/src/deploy/planTarget.js';
import { Registry } from '../../packages/core/src/deploy/registry.js';
import { compareSecrets } from '../../packages/core/src/deploy/secretFingerprints.js';
import type { DeployOptions, DeployResult } from '../../packages/core/src/deploy/types.js';
import { analyzeFiles } from '../../packages/core/src/inspect/analyze.js';
import type { ExecuteOptions, Target } from '../../packages/core/src/live/types.js';
import { TargetError } from '../../packages/core/src/live/types.js';
import { type LoadProjectOptions, loadProject } from '../../packages/core/src/project/project.js';
import { ForwardingTarget } from './forwardingTarget.js';

// Test support for deploys: repositories written to temporary directories, a deploy of one in a
// call, and a Target wrapper that injects failures where a test says.

/** Writes files (path → text) into a new temporary directory, removed when the test ends. */
export function writeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-deploy-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Loads, analyzes and deploys a repository; the events it reported come back with the report. */
export async function deploy(
  dir: string,
  target: Target,
  options: DeployOptions = {},
  load: LoadProjectOptions = {},
): Promise<DeployResult & { events: DeployEvent[] }> {
  const project = loadProject(dir, load);
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`project errors: ${errors.map((d) => d.message).join('; ')}`);
  const analysis = analyzeFiles(project.files, { defaultDatabase: options.database ?? project.config.database });
  const events: DeployEvent[] = [];
  const report = await deployProject(project, analysis, target, {
    retry: { initialDelayMs: 1 },
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { ...report, events };
}

/** A rule of the failing target: statements matching `match` fail `times` times with `code` (or a network error). */
export interface Injection {
  match: RegExp;
  times: number;
  code?: number;
  network?: boolean;
  /** Run the statement first, then fail (the answer was lost). */
  afterRunning?: boolean;
  /** Throw a plain Error instead of a TargetError: the process "dies" there. */
  crash?: boolean;
}

/**
 * A Target that passes everything to a real one, except that statements matching an injection fail
 * the given number of times: transient server errors, lost answers, crashes. `log` keeps every
 * statement executed, for assertions on what ran.
 */
export class FailingTarget extends ForwardingTarget {
  readonly log: string[] = [];
  /** Every statement executed with its options (database, settings). */
  readonly executed: { sql: string; options?: ExecuteOptions }[] = [];
  readonly injections: Injection[] = [];
  override async execute(sql: string, options?: ExecuteOptions): Promise<void> {
    const injection = this.injections.find((i) => i.times > 0 && i.match.test(sql));
    if (injection) {
      injection.times -= 1;
      if (injection.afterRunning) await this.inner.execute(sql, options);
      if (injection.crash) throw new Error(`injected crash at ${sql}`);
      if (injection.network) throw new TargetError(`Cannot reach ${this.description}: socket hang up (injected)`, undefined, 'target-unreachable');
      throw new TargetError(
        `injected Code ${injection.code}`,
        injection.code,
        'target-statement-failed',
        undefined,
        `injected failure with code ${injection.code}`,
      );
    }
    this.log.push(sql);
    this.executed.push({ sql, ...(options ? { options } : {}) });
    await this.inner.execute(sql, options);
  }
}

/** A declarative repository (schema/01.sql) with its own registry, in a temporary directory. */
export function declarativeRepo(registry: string, text: string): string {
  return writeRepo({ 'clickplan.yaml': `registry: ${registry}\npaths:\n  schema: schema\n`, 'schema/01.sql': text });
}

/** What `clickplan plan` shows: the plan against the target, with the registry's secrets fingerprints. */
export async function planWithSecrets(dir: string, target: Target) {
  const project = loadProject(dir);
  const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
  const state = await new Registry(target, project.config.registry, { id: 'plan', by: 'test' }).read();
  const { plan } = await planAgainstTarget(analysis.schema, target, { secrets: compareSecrets(analysis.schema, state) });
  return plan;
}
