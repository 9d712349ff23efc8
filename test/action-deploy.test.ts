import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChdbHttp, startChdbHttp } from './support/chdbHttp.js';
import { type ActionRun, createRepository, pushPayload, runAction, type TestRepository } from './support/githubAction.js';
import { type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// Deploy mode end to end: the bundled dist/ on a push to the main branch, against the embedded engine
// in this test's own data directory and against a password-protected server (chDB behind a ClickHouse
// HTTP front), with the reply on the merged pull request sent to a local GitHub API that validates it.

const TOKEN = 'ghs_DeployTokenNeverPrinted42';
const PASSWORD = 'pw-deploy-Secret-0815';

const quickstart = (name: string) => readFileSync(join('fixtures/quickstart/schema', name), 'utf8');

let api: GitHubApiServer;
let repo: TestRepository;
let dataDir: string;

beforeAll(async () => {
  api = await startGitHubApi();
  repo = createRepository();
  dataDir = mkdtempSync(join(tmpdir(), 'clickplan-action-deploy-'));
});

afterAll(async () => {
  await api.close();
  repo.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

function deploy(commit: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    cwd: repo.dir,
    event: 'push',
    payload: pushPayload(commit),
    inputs: { mode: 'deploy', path: 'db', 'github-token': TOKEN, ...inputs },
    apiUrl: api.url,
    sha: commit,
  });
}

describe('deploy to the embedded engine', () => {
  let merged: string;
  let first: ActionRun;
  let from: number;

  beforeAll(async () => {
    merged = repo.commit(
      { 'db/schema/001_events.sql': quickstart('001_events.sql'), 'db/schema/002_countries.sql': quickstart('002_countries.sql') },
      'Merge pull request #7',
    );
    api.commitPulls.set(merged, [{ number: 7, merged_at: '2026-11-20T10:00:00Z' }]);
    from = api.requests.length;
    first = await deploy(merged, { target: `embedded:${join(dataDir, 'engine')}` });
  });

  it('runs every step through the deploy engine, streaming progress to the log, and converges', () => {
    expect(first.status).toBe(0);
    expect(first.stdout.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l))).toEqual([
      '[1/7] create database analytics',
      '[2/7] create table analytics.events',
      '[3/7] create table analytics.events_daily',
      '[4/7] create materialized-view analytics.events_daily_mv',
      '[5/7] create table analytics.countries',
      '[6/7] create dictionary analytics.country_names',
      '[7/7] create view analytics.events_by_country',
    ]);
    expect(first.stdout).toContain('Ran 7 statements; planning again finds nothing to do.');
    expect(first.outputs).toEqual({ 'has-changes': 'true', steps: '7', deployed: '7', risk: 'safe', converged: 'true' });
  });

  it('writes the result to the job summary and replies on the merged pull request', () => {
    const engine = `embedded ClickHouse in ${join(dataDir, 'engine')}`;
    expect(first.summary).toContain(`✅ **ClickPlan deployed \`db\`** to ${engine} at ${merged.slice(0, 7)}: 7 steps; planning again finds nothing to do.`);
    expect(first.summary).toContain('| 7 | create view | `analytics.events_by_country` | 🟢 safe | ✅ applied |');
    const made = api.requests.slice(from);
    expect(made.map((r) => `${r.method} ${r.operationId} ${r.errors ?? 'valid'}`)).toEqual([
      'GET repos/list-pull-requests-associated-with-commit valid',
      'POST issues/create-comment valid',
    ]);
    expect(made[1]?.params.issue_number).toBe(7);
    expect((made[1]?.body as { body: string } | undefined)?.body.startsWith('<!-- clickplan-deploy: db -->\n✅ **ClickPlan deployed `db`**')).toBe(true);
  });

  it('plans nothing on the next run: the target holds what the repository says', async () => {
    const start = api.requests.length;
    const again = await deploy(merged, { target: `embedded:${join(dataDir, 'engine')}` });
    expect(again.status).toBe(0);
    expect(again.outputs).toEqual({ 'has-changes': 'false', steps: '0', deployed: '0', risk: 'safe', converged: 'true' });
    expect(again.summary).toContain('✅ **ClickPlan: `db` is up to date**');
    expect(api.requests.length).toBe(start);
  });

  it('deploys the next merged change as one step', async () => {
    const next = repo.commit(
      { 'db/schema/003_session.sql': 'ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS session_id UInt64 DEFAULT 0;\n' },
      'Merge pull request #8',
    );
    const run = await deploy(next, { target: `embedded:${join(dataDir, 'engine')}` });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[1/1] alter table analytics.events');
    expect(run.outputs).toEqual({ 'has-changes': 'true', steps: '1', deployed: '1', risk: 'safe', converged: 'true' });
  });

  it('refuses to deploy without a target, in one sentence', async () => {
    const noTarget = await deploy(repo.commit({}, 'empty'), {});
    expect(noTarget.status).toBe(1);
    expect(noTarget.stdout).toContain('::error::Deploy mode needs a target for db: set the `target` input, CLICKHOUSE_URL, or `target:` in clickplan.yaml.');
  });
});

describe('deploy of a versioned repository', () => {
  it('runs the pending migration files and reports each with its statements', async () => {
    const merged = repo.commit(
      {
        'mig/clickplan.yaml': 'layout: flyway\ndatabase: shop\n',
        'mig/migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS shop;\n',
        'mig/migrations/V2__orders.sql':
          'CREATE TABLE shop.orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id;\nALTER TABLE shop.orders ADD COLUMN customer String;\n',
      },
      'Merge pull request #9',
    );
    const run = await deploy(merged, { path: 'mig', target: `embedded:${join(dataDir, 'versioned')}` });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l))).toEqual([
      '[1/3] mig/migrations/V1__database.sql statement 1/1',
      '[2/3] mig/migrations/V2__orders.sql statement 1/2',
      '[3/3] mig/migrations/V2__orders.sql statement 2/2',
    ]);
    expect(run.summary).toContain(
      `✅ **ClickPlan deployed \`mig\`** to embedded ClickHouse in ${join(dataDir, 'versioned')} at ${merged.slice(0, 7)}: 3 statements of 2 migration files; planning again finds nothing to do.`,
    );
    expect(run.summary).toContain('| 2 | `mig/migrations/V2__orders.sql` | 2 of 2 | ✅ applied |');
    expect(run.outputs).toMatchObject({ deployed: '3', converged: 'true' });
  });
});

describe('deploy to a server with a password', () => {
  let session: Session;
  let front: ChdbHttp;

  beforeAll(async () => {
    session = new Session(join(dataDir, 'server'));
    front = await startChdbHttp(session, { user: 'default', password: PASSWORD });
  });

  afterAll(async () => {
    await front.close();
    session.close();
  });

  it('deploys, and the password appears nowhere it wrote', async () => {
    const commit = repo.commit({}, 'Merge pull request #9');
    const run = await deploy(commit, { target: front.url, user: 'default', password: PASSWORD });
    expect(run.status).toBe(0);
    expect(run.outputs.converged).toBe('true');
    expect(run.outputs.deployed).toBe('7');
    expect(front.queries.filter((q) => q.startsWith('CREATE TABLE IF NOT EXISTS analytics.events\n'))).toHaveLength(1);
    const written = [
      run.stdout.replace(/^::add-mask::.*$/gm, ''),
      run.stderr,
      JSON.stringify(run.outputs),
      run.summary,
      JSON.stringify(api.requests.map((r) => r.body)),
    ].join('\n');
    expect(written).not.toContain(PASSWORD);
    expect(written).not.toContain(TOKEN);
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`);
  });

  it('fails with the server refusing the password as the sentence, not a stack trace', async () => {
    const run = await deploy(repo.commit({}, 'empty'), { target: front.url, user: 'default', password: 'wrong-password-77' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*(password|authenticat)/im);
    expect(run.stdout).not.toContain('    at ');
    expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('wrong-password-77');
  });
});
