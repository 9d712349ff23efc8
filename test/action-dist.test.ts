import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction } from '../packages/action/scripts/build.js';
import { scopeOf } from '../packages/core/src/deploy/planTarget.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import { writeSnapshot } from '../packages/core/src/live/snapshot.js';
import { ACTION_ENTRY, createRepository, pullRequestPayload, pushPayload, runAction, type TestRepository } from './support/githubAction.js';
import { type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// The committed bundle: built from the sources as they are (never stale), and able to run where a
// runner puts it — a checkout of the Action without node_modules, where chDB is found only in the
// workspace or not at all.

describe('packages/action/dist', () => {
  it('is what the sources build (after any change to the Action or core: npm run build:action -w packages/action)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'clickplan-dist-'));
    try {
      await buildAction(out);
      const fresh = readFileSync(join(out, 'index.js'), 'utf8');
      const committed = readFileSync(ACTION_ENTRY, 'utf8');
      // Not toBe: a 3 MB diff helps nobody; the message says what to do.
      expect(fresh === committed, 'packages/action/dist/index.js is stale: run `npm run build:action -w packages/action` and commit it').toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('is one file of a few MB', () => {
    const size = statSync(ACTION_ENTRY).size;
    expect(size).toBeGreaterThan(1 << 20);
    expect(size).toBeLessThan(6 << 20);
  });
});

describe('the bundle outside this repository, without node_modules', () => {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-dist-alone-'));
  const entry = join(root, 'action', 'packages', 'action', 'dist', 'index.js');
  const engine = join(root, 'engine');
  let api: GitHubApiServer;
  let repo: TestRepository;
  let base: string;
  let head: string;

  beforeAll(async () => {
    mkdirSync(dirname(entry), { recursive: true });
    copyFileSync(ACTION_ENTRY, entry);
    api = await startGitHubApi();
    repo = createRepository();
    base = repo.commit({ 'db/schema/001.sql': 'CREATE DATABASE app;\nCREATE TABLE app.t (id UInt64) ENGINE = MergeTree ORDER BY id;\n' });
    head = repo.commit({ 'db/schema/002.sql': 'ALTER TABLE app.t ADD COLUMN name String;\n' });
  });

  afterAll(async () => {
    await api.close();
    repo.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  const run = (event: string, payload: Record<string, unknown>, sha: string, inputs: Record<string, string>) =>
    runAction({ cwd: repo.dir, event, payload, sha, apiUrl: api.url, inputs: { path: 'db', 'github-token': 'ghs_x', ...inputs }, entry });

  it('says what to do when an embedded target needs chDB and it is nowhere', async () => {
    const result = await run('push', pushPayload(head), head, { mode: 'deploy', target: `embedded:${engine}` });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '::error::An `embedded` target needs chDB, which the bundled Action does not contain (a native module of ~550 MB). Add a step `npm install chdb` before ClickPlan, or give a server `target` or a `snapshot`.',
    );
  });

  it('finds chDB installed in the workspace and deploys to the embedded engine', async () => {
    symlinkSync(fileURLToPath(new URL('../node_modules', import.meta.url)), join(repo.dir, 'node_modules'));
    try {
      repo.checkout(base);
      const result = await run('push', pushPayload(base), base, { mode: 'deploy', target: `embedded:${engine}` });
      expect(result.status).toBe(0);
      expect(result.outputs).toEqual({ 'has-changes': 'true', steps: '2', deployed: '2', risk: 'safe', converged: 'true' });
    } finally {
      rmSync(join(repo.dir, 'node_modules'));
    }
  });

  it('reviews against a snapshot with no engine at all, and refuses to deploy to it', async () => {
    // The snapshot of what the deploy above left in the engine, as `clickplan snapshot` writes it.
    const target = await openEmbeddedTarget(engine);
    const snapshot = join(root, 'production.json');
    writeSnapshot(await target.readSchema(scopeOf(analyzeFiles([{ file: 'x.sql', text: 'CREATE DATABASE app;' }]).schema)), snapshot);
    await target.close();

    repo.checkout(head);
    const review = await run('pull_request', pullRequestPayload('opened', { base, head }), head, { snapshot });
    expect(review.status).toBe(0);
    expect(review.outputs).toMatchObject({ 'has-changes': 'true', steps: '1', risk: 'safe', failing: 'false' });
    expect(api.comments.at(-1)?.body).toContain(
      `✅ **ClickPlan passes** · 1 step, highest risk **safe** · 0 errors, 0 warnings, 0 notes · against snapshot ${snapshot}`,
    );

    const deploy = await run('push', pushPayload(head), head, { mode: 'deploy', snapshot });
    expect(deploy.status).toBe(1);
    expect(deploy.stdout).toContain('is read-only; deploy mode needs a server or the embedded engine.');
  });
});
