import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT } from '../packages/core/src/render/comment.js';
import { createRepository, pullRequestPayload, runAction, type TestRepository } from './support/githubAction.js';
import { GITHUB_COMMENT_LIMIT, type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// Pull requests past GitHub's limits: more annotations than one Checks API request takes (50) and
// than workflow commands show (10), and a plan whose report is longer than a comment may be.

let api: GitHubApiServer;
let repo: TestRepository;

beforeAll(async () => {
  api = await startGitHubApi();
  repo = createRepository();
});

afterAll(async () => {
  await api.close();
  repo.cleanup();
});

const table = (i: number) => `CREATE TABLE app.events_${String(i).padStart(3, '0')} (id UInt64, payload String) ENGINE = MergeTree ORDER BY id;`;

describe('120 findings', () => {
  it('are all annotated, 50 per request: one create and two updates of the check run', async () => {
    const base = repo.commit({ 'db/schema/001_tables.sql': `CREATE DATABASE app;\n${Array.from({ length: 120 }, (_, i) => table(i)).join('\n')}\n` });
    const head = repo.commit({
      'db/schema/002_drop.sql': `${Array.from({ length: 120 }, (_, i) => `DROP TABLE app.events_${String(i).padStart(3, '0')};`).join('\n')}\n`,
    });
    const from = api.requests.length;
    const run = await runAction({
      cwd: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload('synchronize', { base, head }),
      inputs: { path: 'db', 'github-token': 'ghs_scale' },
      apiUrl: api.url,
      sha: head,
    });
    expect(run.status).toBe(1);
    const made = api.requests.slice(from);
    expect(made.map((r) => `${r.method} ${r.operationId} ${r.errors ?? 'valid'}`)).toEqual([
      'GET issues/list-comments valid',
      'POST issues/create-comment valid',
      'POST checks/create valid',
      'PATCH checks/update valid',
      'PATCH checks/update valid',
    ]);
    const batches = made.slice(2).map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(batches).toEqual([50, 50, 20]);
    expect(made.slice(2).map((r) => (r.body as { status?: string; conclusion?: string }).conclusion ?? (r.body as { status?: string }).status)).toEqual([
      'in_progress',
      undefined,
      'failure',
    ]);
    const check = api.checkRuns.at(-1);
    expect(check?.annotations).toHaveLength(120);
    expect(check?.annotations.map((a) => (a as { start_line: number }).start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.outputs.errors).toBe('120');
  });
});

describe('a plan too long for a comment', () => {
  it('is posted as a shorter report that GitHub accepts, and the job summary keeps the SQL', async () => {
    const columns = Array.from({ length: 12 }, (_, c) => `attribute_with_a_long_name_${c} Nullable(String) DEFAULT NULL COMMENT 'attribute ${c}'`).join(', ');
    const base = repo.commit({ 'big/schema/001.sql': 'CREATE DATABASE big;\n' });
    const head = repo.commit({
      'big/schema/002.sql': `${Array.from({ length: 600 }, (_, i) => `CREATE TABLE big.t_${i} (id UInt64, ${columns}) ENGINE = MergeTree ORDER BY id;`).join('\n')}\n`,
    });
    const from = api.requests.length;
    const run = await runAction({
      cwd: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload('opened', { base, head }),
      inputs: { path: 'big', 'github-token': 'ghs_scale' },
      apiUrl: api.url,
      sha: head,
    });
    expect(run.status).toBe(0);
    const posted = api.requests.slice(from).find((r) => r.operationId === 'issues/create-comment');
    expect(posted?.status).toBe(201);
    const body = (posted?.body as { body: string } | undefined)?.body ?? '';
    expect(GITHUB_COMMENT_LIMIT).toBe(COMMENT_LIMIT);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain('✅ **ClickPlan passes** · 600 steps, highest risk **safe**');
    expect(body).not.toContain('<summary>Plan SQL</summary>');
    expect(body).toContain(
      "_The plan SQL is left out to stay within GitHub's comment size limit; the full report is in the job summary of [the workflow run](https://github.com/Codertocat/Hello-World/actions/runs/4242)._",
    );
    expect(run.summary.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(run.summary).toContain('<summary>Plan SQL</summary>');
    expect(run.summary).toContain('-- 600. create big.t_599 (in database default)');
  });
});

describe('the local GitHub API', () => {
  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 422 to what GitHub would refuse, by its OpenAPI description', async () => {
    const annotation = { path: 'a.sql', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' };
    const tooMany = await post('/repos/o/r/check-runs', {
      name: 'x',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) },
    });
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()).errors).toEqual(['/output/annotations must NOT have more than 50 items']);
    const badLevel = await post('/repos/o/r/check-runs', {
      name: 'x',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: [{ ...annotation, annotation_level: 'error' }] },
    });
    expect(badLevel.status).toBe(422);
    const noBody = await post('/repos/o/r/issues/1/comments', { text: 'hello' });
    expect(noBody.status).toBe(422);
    const badNumber = await post('/repos/o/r/issues/one/comments', { body: 'hello' });
    expect(badNumber.status).toBe(422);
    const tooLong = await post('/repos/o/r/issues/1/comments', { body: 'x'.repeat(COMMENT_LIMIT + 1) });
    expect(tooLong.status).toBe(422);
    const unknown = await post('/repos/o/r/no-such-endpoint', {});
    expect(unknown.status).toBe(404);
  });
});

describe('a monorepo with two projects', () => {
  it('gets one comment per project, one check run, and a plan JSON per project; without comments, only the check run', async () => {
    const table = (db: string) => `CREATE DATABASE ${db};\nCREATE TABLE ${db}.t (id UInt64) ENGINE = MergeTree ORDER BY id;\n`;
    const base = repo.commit({ 'services/billing/ch/001.sql': table('billing'), 'services/usage/ch/001.sql': table('usage') });
    const head = repo.commit({
      'services/billing/ch/002.sql': 'ALTER TABLE billing.t ADD COLUMN amount Decimal(18, 2);\n',
      'services/usage/ch/002.sql': 'ALTER TABLE usage.t ADD COLUMN bytes UInt64;\n',
    });
    const payload = pullRequestPayload('opened', { base, head }, { number: 31 });
    const inputs = { path: 'services/billing/ch\nservices/usage/ch', 'github-token': 'ghs_scale' };
    const from = api.requests.length;
    const run = await runAction({ cwd: repo.dir, event: 'pull_request', payload, inputs, apiUrl: api.url, sha: head });
    expect(run.status).toBe(0);
    expect(api.requests.slice(from).map((r) => `${r.method} ${r.operationId}`)).toEqual([
      'GET issues/list-comments',
      'POST issues/create-comment',
      'GET issues/list-comments',
      'POST issues/create-comment',
      'POST checks/create',
    ]);
    const comments = api.comments.filter((c) => c.issue === 31);
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- clickplan-review: services%2Fbilling%2Fch -->',
      '<!-- clickplan-review: services%2Fusage%2Fch -->',
    ]);
    expect(comments[0]?.body).toContain('| 1 | alter table | `billing.t` | 🟢 safe | column `amount` is new |');
    expect(comments[1]?.body).toContain('| 1 | alter table | `usage.t` | 🟢 safe | column `bytes` is new |');
    expect(run.outputs['plan-json']?.split('\n').map((p) => p.split('/').pop())).toEqual(['services-billing-ch.plan.json', 'services-usage-ch.plan.json']);
    expect(run.outputs.steps).toBe('2');

    const quiet = api.requests.length;
    const again = await runAction({ cwd: repo.dir, event: 'pull_request', payload, inputs: { ...inputs, comment: 'false' }, apiUrl: api.url, sha: head });
    expect(again.status).toBe(0);
    expect(api.requests.slice(quiet).map((r) => `${r.method} ${r.operationId}`)).toEqual(['POST checks/create']);
    expect(again.summary).toContain('<!-- clickplan-review: services%2Fusage%2Fch -->');
  });
});
