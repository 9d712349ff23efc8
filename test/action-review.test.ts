import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionRun, createRepository, pullRequestPayload, runAction, type TestRepository } from './support/githubAction.js';
import { type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// Review mode end to end: the bundled dist/ runs as a runner runs it, against a local GitHub API
// that validates every request against GitHub's OpenAPI description.

const TOKEN = 'ghs_TestTokenThatMustNeverBePrinted01';
const PASSWORD = 'pw-review-Secret-4711';

const quickstart = (name: string) => readFileSync(join('fixtures/quickstart/schema', name), 'utf8');

const BASE_FILES = { 'db/schema/001_events.sql': quickstart('001_events.sql'), 'db/schema/002_countries.sql': quickstart('002_countries.sql') };

/** Adds a column (safe), drops the dictionary's source table (data loss; breaks the dictionary), narrows a column. */
const RISKY_CHANGE = `ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS session_id UInt64 DEFAULT 0;

DROP TABLE IF EXISTS analytics.countries;

ALTER TABLE analytics.events MODIFY COLUMN value Float32;
`;

/** The same pull request after review: no drop, the narrowing suppressed with its reason. */
const REVIEWED_CHANGE = `ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS session_id UInt64 DEFAULT 0;

-- clickplan-ignore column-type-narrowing: value holds prices below 10^6 with two decimals
ALTER TABLE analytics.events MODIFY COLUMN value Float32;
`;

const INPUTS = { path: 'db', 'github-token': TOKEN, password: PASSWORD, sarif: 'out/clickplan.sarif', 'override-label': 'clickplan-override' };

let api: GitHubApiServer;
let repo: TestRepository;
let base: string;
let risky: string;
let reviewed: string;

beforeAll(async () => {
  api = await startGitHubApi();
  repo = createRepository();
  base = repo.commit(BASE_FILES, 'base');
  risky = repo.commit({ 'db/schema/003_change.sql': RISKY_CHANGE }, 'risky change');
  reviewed = repo.commit({ 'db/schema/003_change.sql': REVIEWED_CHANGE }, 'reviewed change');
});

afterAll(async () => {
  await api.close();
  repo.cleanup();
});

async function review(action: string, head: string, options: { labels?: string[]; fork?: boolean; inputs?: Record<string, string> } = {}): Promise<ActionRun> {
  repo.checkout(head);
  const payload = pullRequestPayload(action, { base, head }, options);
  return runAction({ cwd: repo.dir, event: 'pull_request', payload, inputs: { ...INPUTS, ...options.inputs }, apiUrl: api.url, sha: head });
}

/** Requests since `from`, as `METHOD operationId`; every one must have matched an operation and been valid. */
function requestsSince(from: number): string[] {
  const made = api.requests.slice(from);
  for (const r of made) {
    expect(r.errors, `${r.method} ${r.path}`).toBeUndefined();
    expect(r.operationId, `${r.method} ${r.path}`).toBeDefined();
    expect(r.authorization).toBe(`token ${TOKEN}`);
  }
  return made.map((r) => `${r.method} ${r.operationId}`);
}

/** Nothing the Action wrote holds a secret, except the runner's own ::add-mask:: command. */
function expectNoSecrets(run: ActionRun) {
  const written = [
    run.stdout.replace(/^::add-mask::.*$/gm, ''),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    JSON.stringify(api.requests.map((r) => r.body)),
    existsSync(join(repo.dir, 'out/clickplan.sarif')) ? readFileSync(join(repo.dir, 'out/clickplan.sarif'), 'utf8') : '',
  ].join('\n');
  expect(written).not.toContain(TOKEN);
  expect(written).not.toContain(PASSWORD);
  expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
  expect(run.stdout).toContain(`::add-mask::${PASSWORD}`);
}

describe('a pull request that changes the schema', () => {
  let first: ActionRun;
  let from: number;

  beforeAll(async () => {
    from = api.requests.length;
    first = await review('opened', risky);
  });

  it('fails the step on the findings the pull request brings, and says how to pass', () => {
    expect(first.status).toBe(1);
    expect(first.stdout).toContain(
      '::error::ClickPlan: 3 findings at or above the failing severity in db. The pull request comment and the job summary list them; suppress an expected one with a reason or add the `clickplan-override` label.',
    );
  });

  it('posts one comment with the verdict, steps, diagram, findings with rule links, and collapsed SQL', () => {
    expect(requestsSince(from)).toEqual(['GET issues/list-comments', 'POST issues/create-comment', 'POST checks/create']);
    expect(api.comments).toHaveLength(1);
    const [comment] = api.comments;
    expect(comment?.issue).toBe(2);
    const body = comment?.body ?? '';
    expect(body.startsWith('<!-- clickplan-review: db -->\n### ClickPlan · `db`\n\n')).toBe(true);
    expect(body).toContain(
      `❌ **ClickPlan fails: findings at or above error** · 3 steps, highest risk **data-loss** · 3 errors, 1 warning, 0 notes · against the base branch (\`${base.slice(0, 7)}\`)`,
    );
    expect(body).toContain(
      '| 1 | drop table | `analytics.countries` | 🔴 **data-loss**: drops `analytics.countries` and all of its data | dropped in db/schema/003_change.sql |',
    );
    expect(body).toContain('| 3 | alter table | `analytics.events` | 🟢 safe | column `session_id` is new |');
    expect(body).toContain(
      '<details><summary>Plan SQL</summary>\n\n```sql\n-- 1. drop analytics.countries (in database default)\nDROP TABLE IF EXISTS analytics.countries SYNC;',
    );
    expect(body).toContain(
      '```mermaid\nflowchart LR\n  n0["analytics.events"]:::changed\n  n1("analytics.events_by_country")\n  n2["analytics.events_daily"]\n  n3[["analytics.events_daily_mv"]]\n  n4["analytics.countries (dropped)"]:::dropped\n',
    );
    // The dictionary in an untouched file breaks because of this pull request: judged, with its rule page.
    expect(body).toContain(
      '- ❌ [`reference-missing`](https://github.com/clickplan/clickplan/blob/main/docs/rules/reference-missing.md) `db/schema/002_countries.sql:15` — ',
    );
    expect(body).toContain(
      '- ❌ [`destructive-statement`](https://github.com/clickplan/clickplan/blob/main/docs/rules/destructive-statement.md) `db/schema/003_change.sql:3` — ',
    );
    expect(body).toContain('- ⚠️ [`column-type-rewrite`]');
    expect(body).toContain('<details><summary>How to override a finding</summary>');
  });

  it('annotates every finding through a check run that fails', () => {
    const run = api.checkRuns.at(-1);
    expect(run).toMatchObject({
      name: 'ClickPlan',
      head_sha: risky,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Fails: 3 steps, 4 findings' },
    });
    expect(
      run?.annotations.map((a) => `${(a as { path: string }).path}:${(a as { start_line: number }).start_line} ${(a as { title: string }).title}`),
    ).toEqual([
      'db/schema/002_countries.sql:15 reference-missing',
      'db/schema/003_change.sql:3 destructive-statement',
      'db/schema/003_change.sql:5 column-type-narrowing',
      'db/schema/003_change.sql:5 column-type-rewrite',
    ]);
  });

  it('writes the outputs, the job summary, the plan JSON and the SARIF file', () => {
    expect(first.outputs).toEqual({
      'plan-json': expect.stringMatching(/\/clickplan\/db\.plan\.json$/),
      sarif: 'out/clickplan.sarif',
      'has-changes': 'true',
      steps: '3',
      risk: 'data-loss',
      errors: '3',
      warnings: '1',
      notices: '0',
      failing: 'true',
    });
    expect(first.summary).toContain(api.comments[0]?.body.split('\n')[3]);
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'out/clickplan.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'reference-missing',
      'destructive-statement',
      'column-type-narrowing',
      'column-type-rewrite',
    ]);
  });

  it('never writes a secret', () => {
    expectNoSecrets(first);
  });

  it('updates the same comment in place on the next push, green once the findings are handled', async () => {
    const start = api.requests.length;
    const second = await review('synchronize', reviewed);
    expect(second.status).toBe(0);
    expect(requestsSince(start)).toEqual(['GET issues/list-comments', 'PATCH issues/update-comment', 'POST checks/create']);
    expect(api.comments).toHaveLength(1);
    const body = api.comments[0]?.body ?? '';
    expect(body).toContain(
      `✅ **ClickPlan passes** · 2 steps, highest risk **heavy** · 0 errors, 1 warning, 0 notes · against the base branch (\`${base.slice(0, 7)}\`)`,
    );
    expect(body).toContain(
      '**Suppressed in this change** (each with its reason):\n\n- `column-type-narrowing` at `db/schema/003_change.sql:3`: value holds prices below 10^6 with two decimals',
    );
    expect(api.checkRuns.at(-1)).toMatchObject({ head_sha: reviewed, conclusion: 'success' });
    expect(second.outputs.failing).toBe('false');
    expectNoSecrets(second);
  });

  it('passes with the override label, and says so in the comment and the check', async () => {
    const start = api.requests.length;
    const overridden = await review('labeled', risky, { labels: ['bug', 'clickplan-override'] });
    expect(overridden.status).toBe(0);
    expect(requestsSince(start)).toEqual(['GET issues/list-comments', 'PATCH issues/update-comment', 'POST checks/create']);
    expect(api.comments[0]?.body).toContain('🟡 **ClickPlan fails on error, overridden by the `clickplan-override` label** · 3 steps');
    expect(api.checkRuns.at(-1)).toMatchObject({ head_sha: risky, conclusion: 'neutral' });
    expect(overridden.outputs.failing).toBe('false');
  });
});

describe('a pull request from a fork', () => {
  it('posts nothing, annotates with workflow commands, and still fails on its findings', async () => {
    const start = api.requests.length;
    const comments = api.comments.length;
    const run = await review('opened', risky, { fork: true });
    expect(api.requests.length).toBe(start);
    expect(api.comments.length).toBe(comments);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::notice::This pull request comes from a fork: its token is read-only');
    expect(run.stdout.split('\n').filter((l) => /^::(error|warning|notice) title=/.test(l))).toEqual([
      expect.stringMatching(/^::error title=reference-missing,file=db\/schema\/002_countries\.sql,line=15,endLine=15::/),
      expect.stringMatching(/^::error title=destructive-statement,file=db\/schema\/003_change\.sql,line=3,endLine=3::/),
      expect.stringMatching(/^::error title=column-type-narrowing,file=db\/schema\/003_change\.sql,line=5,endLine=5::/),
      expect.stringMatching(/^::warning title=column-type-rewrite,file=db\/schema\/003_change\.sql,line=5,endLine=5::/),
    ]);
    expect(run.summary).toContain('❌ **ClickPlan fails: findings at or above error**');
  });
});

describe('a token without write permissions', () => {
  it('warns, falls back to the summary and workflow-command annotations, and never fails for it', async () => {
    api.refuse('issues/create-comment', 403);
    api.refuse('issues/update-comment', 403);
    api.refuse('checks/create', 403);
    const run = await review('synchronize', reviewed);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::warning::ClickPlan could not comment on the pull request: the token may not do this');
    expect(run.stdout).toContain('::warning::ClickPlan could not publish the check run: the token may not do this');
    expect(run.stdout).toMatch(/^::warning title=column-type-rewrite,file=db\/schema\/003_change\.sql,line=4,endLine=4::/m);
    expect(run.summary).toContain('✅ **ClickPlan passes**');
  });
});

describe('a pull request that edits a migration the base branch already applied', () => {
  it('reports migration-applied-edited at the file and fails the step', async () => {
    const history = createRepository();
    try {
      const applied = history.commit(
        {
          'db/V1__events.sql': 'CREATE DATABASE IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.events (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
        },
        'base',
      );
      const edited = history.commit(
        {
          'db/V1__events.sql':
            'CREATE DATABASE IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.events (id UInt64, at DateTime) ENGINE = MergeTree ORDER BY id;\n',
        },
        'edit V1',
      );
      history.checkout(edited);
      const payload = pullRequestPayload('opened', { base: applied, head: edited }, {});
      const run = await runAction({
        cwd: history.dir,
        event: 'pull_request',
        payload,
        inputs: { path: 'db', 'github-token': TOKEN },
        apiUrl: api.url,
        sha: edited,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^::error title=migration-applied-edited,file=db\/V1__events\.sql,line=1/m);
    } finally {
      history.cleanup();
    }
  });
});
