import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test support: runs the bundled Action (packages/action/dist/index.js) the way a runner does —
// INPUT_* variables, the event payload in GITHUB_EVENT_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
// files, GITHUB_API_URL — in a git repository the test writes. Payloads are real ones from
// @octokit/webhooks-examples, pointed at the test repository's commits. Not used by the product.

export const ACTION_ENTRY = fileURLToPath(new URL('../../packages/action/dist/index.js', import.meta.url));

const require = createRequire(import.meta.url);

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

/** A copy of a real webhook payload: `event` is the event name, `pick` chooses among its examples. */
export function examplePayload(event: string, pick: (payload: Record<string, unknown>) => boolean): Record<string, unknown> {
  const all = require('@octokit/webhooks-examples') as WebhookExamples[];
  const found = all.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

/** A `pull_request` payload (`action` e.g. opened, synchronize, labeled) for commits of the test repository. */
export function pullRequestPayload(
  action: string,
  commits: { base: string; head: string },
  options: { labels?: string[]; fork?: boolean; number?: number } = {},
) {
  const payload = examplePayload('pull_request', (p) => p.action === action) as {
    number: number;
    pull_request: { number: number; base: { sha: string }; head: { sha: string; repo: unknown }; labels: { name: string }[] };
  } & Record<string, unknown>;
  if (options.number) payload.number = payload.pull_request.number = options.number;
  payload.pull_request.base.sha = commits.base;
  payload.pull_request.head.sha = commits.head;
  if (options.labels) {
    const template = payload.pull_request.labels[0] ?? { id: 1, name: '', color: 'ededed', default: false };
    payload.pull_request.labels = options.labels.map((name, i) => ({ ...template, id: 1000 + i, name }));
  }
  // A fork's pull request: the head repository is the fork, as GitHub's `fork` event shows one.
  if (options.fork) payload.pull_request.head.repo = (examplePayload('fork', () => true) as { forkee: unknown }).forkee;
  return payload;
}

/** A `push` payload to the default branch, for a commit of the test repository. */
export function pushPayload(commit: string) {
  const payload = examplePayload('push', (p) => p.ref === 'refs/heads/master') as Record<string, unknown> & { head_commit: { id: string } };
  payload.after = commit;
  payload.head_commit.id = commit;
  return payload;
}

export interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

export interface RunOptions {
  /** The workspace: the checked-out repository. */
  cwd: string;
  event: string;
  payload: Record<string, unknown>;
  inputs: Record<string, string>;
  apiUrl: string;
  /** The commit the workflow runs on (GITHUB_SHA). */
  sha: string;
  env?: Record<string, string>;
  /** The bundle to run (default: packages/action/dist/index.js). */
  entry?: string;
}

/** Runs the bundled entry in a child process, as a runner would, and collects what it wrote. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-runner-'));
  try {
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(options.payload));
    const outputPath = join(dir, 'output');
    const summaryPath = join(dir, 'summary');
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');
    mkdirSync(join(dir, 'temp'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      GITHUB_RUN_ID: '4242',
      GITHUB_SHA: options.sha,
      GITHUB_WORKSPACE: options.cwd,
      RUNNER_TEMP: join(dir, 'temp'),
      ...options.env,
    };
    for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    const started = performance.now();
    const { status, stdout, stderr } = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [options.entry ?? ACTION_ENTRY], { cwd: options.cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        done({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    const ms = performance.now() - started;
    return { status, stdout, stderr, outputs: parseOutputs(readFileSync(outputPath, 'utf8')), summary: readFileSync(summaryPath, 'utf8'), ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, the value, the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
    outputs[name as string] = value.join('\n');
  }
  return outputs;
}

export interface TestRepository {
  dir: string;
  /** Commits a new state of the files (paths relative to the repository; null deletes) and returns its SHA. */
  commit(files: Record<string, string | null>, message?: string): string;
  /** Checks out a commit (detached), as actions/checkout leaves the workspace. */
  checkout(sha: string): void;
  cleanup(): void;
}

/** A git repository in a temporary directory, committed to by the test. */
export function createRepository(): TestRepository {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-repo-'));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '--quiet', '--initial-branch=main');
  return {
    dir,
    commit(files, message = 'change') {
      for (const [path, text] of Object.entries(files)) {
        const file = join(dir, path);
        if (text === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      }
      git('add', '--all');
      git('commit', '--quiet', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    checkout: (sha) => {
      git('checkout', '--quiet', '--detach', sha);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
