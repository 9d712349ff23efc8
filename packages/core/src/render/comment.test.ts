import { describe, expect, it } from 'vitest';
import { type DeployFailure, deployFailure } from '../deploy/failure.js';
import type { StepOutcome } from '../deploy/types.js';
import { diffSchemas } from '../diff/diff.js';
import { type Analysis, analyzeFiles } from '../inspect/analyze.js';
import { buildPlan } from '../plan/plan.js';
import { lintAnalysis } from '../rules/lint.js';
import { COMMENT_LIMIT, type DeployReport, deployMarker, type ReviewReport, renderDeployReport, renderReviewComment, reviewMarker } from './comment.js';
import { Positions } from './positions.js';

const BASE = `
CREATE DATABASE app;
CREATE TABLE app.events (day Date, user_id UInt64, value Float64) ENGINE = MergeTree ORDER BY (day, user_id);
CREATE TABLE app.daily (day Date, total Float64) ENGINE = SummingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW app.daily_mv TO app.daily AS SELECT day, sum(value) AS total FROM app.events GROUP BY day;
CREATE TABLE app.scratch (id UInt64) ENGINE = MergeTree ORDER BY id;
`;

const CHANGE = `ALTER TABLE app.events ADD COLUMN country LowCardinality(String) DEFAULT '';

DROP TABLE app.scratch;
`;

function analyze(files: Record<string, string>): Analysis {
  return analyzeFiles(Object.entries(files).map(([file, text]) => ({ file, text })));
}

function reportFor(change: string, overrides: Partial<ReviewReport> = {}): ReviewReport {
  const base = analyze({ 'schema/001_base.sql': BASE });
  const head = analyze({ 'schema/001_base.sql': BASE, 'schema/002_change.sql': change });
  const plan = buildPlan(diffSchemas({ desired: head.schema, live: base.schema }), head.schema, base.schema);
  const findings = lintAnalysis(head);
  return {
    project: 'db',
    against: 'the base branch (`1a2b3c4`)',
    plan,
    findings,
    untouchedFindings: 0,
    suppressions: [],
    positions: new Positions(new Map(head.files.map((f) => [f.file, f.text]))),
    graph: head.graph,
    failOn: 'error',
    failing: findings.some((d) => d.severity === 'error'),
    docsUrl: 'https://example.com/docs',
    fullReportUrl: 'https://github.com/o/r/actions/runs/1',
    ...overrides,
  };
}

describe('renderReviewComment', () => {
  it('shows the verdict, the steps, the diagram of what changed and what is downstream, findings with links, and the SQL', () => {
    expect(renderReviewComment(reportFor(CHANGE))).toBe(`<!-- clickplan-review: db -->
### ClickPlan · \`db\`

❌ **ClickPlan fails: findings at or above error** · 2 steps, highest risk **data-loss** · 1 error, 0 warnings, 0 notes · against the base branch (\`1a2b3c4\`)

| # | step | object | risk | why |
|---:|---|---|---|---|
| 1 | drop table | \`app.scratch\` | 🔴 **data-loss**: drops \`app.scratch\` and all of its data | dropped in schema/002_change.sql |
| 2 | alter table | \`app.events\` | 🟢 safe | column \`country\` is new |

<details><summary>Plan SQL</summary>

\`\`\`sql
-- 1. drop app.scratch (in database default)
DROP TABLE IF EXISTS app.scratch SYNC;

-- 2. alter app.events (in database default)
ALTER TABLE app.events ADD COLUMN country LowCardinality(String) DEFAULT '' AFTER value;
\`\`\`

</details>

<details open><summary>Changed objects and everything downstream of them</summary>

\`\`\`mermaid
flowchart LR
  n0["app.events"]:::changed
  n1["app.daily"]
  n2[["app.daily_mv"]]
  n3["app.scratch (dropped)"]:::dropped
  n0 -->|trigger| n2
  n2 -->|writes-to| n1
  classDef changed fill:#fff3b0,stroke:#b08800
  classDef dropped fill:#ffd7d5,stroke:#cf222e,stroke-dasharray:4
\`\`\`

</details>

**Findings**

- ❌ [\`destructive-statement\`](https://example.com/docs/rules/destructive-statement.md) \`schema/002_change.sql:3\` — DROP TABLE deletes \`scratch\` and its data; nothing in ClickHouse can bring it back once the drop is final. Rename it aside first (RENAME TABLE ... TO ..._old) and drop it in a later release, or suppress with the reason it is safe.

<details><summary>How to override a finding</summary>

When a finding is expected, say so where a reviewer sees it: put a suppression with its reason on the line above the statement,

\`\`\`sql
-- clickplan-ignore destructive-statement: <why this is safe here>
\`\`\`

or \`-- clickplan-ignore-file <rule>: <reason>\` for a whole file. A suppression without a reason is an error; one that matches nothing is a warning.

</details>
`);
  });

  it('passes, green, with the suppressions that made it pass listed with their reasons', () => {
    const change = `ALTER TABLE app.events ADD COLUMN country LowCardinality(String) DEFAULT '';

-- clickplan-ignore destructive-statement: scratch was never written to
DROP TABLE app.scratch;
`;
    const text = renderReviewComment(
      reportFor(change, {
        suppressions: [{ file: 'schema/002_change.sql', line: 3, ruleId: 'destructive-statement', reason: 'scratch was never written to' }],
      }),
    );
    expect(text.split('\n').slice(0, 4).join('\n')).toBe(`<!-- clickplan-review: db -->
### ClickPlan · \`db\`

✅ **ClickPlan passes** · 2 steps, highest risk **data-loss** · 0 errors, 0 warnings, 0 notes · against the base branch (\`1a2b3c4\`)`);
    expect(text).not.toContain('**Findings**');
    expect(
      text.endsWith(
        '**Suppressed in this change** (each with its reason):\n\n- `destructive-statement` at `schema/002_change.sql:3`: scratch was never written to\n',
      ),
    ).toBe(true);
  });

  it('says a label overrode a failing verdict, and keeps the findings', () => {
    const text = renderReviewComment(reportFor(CHANGE, { overriddenBy: 'schema-override' }));
    expect(text).toContain('🟡 **ClickPlan fails on error, overridden by the `schema-override` label** · 2 steps');
    expect(text).toContain('**Findings**');
    expect(text).toContain('The `schema-override` label overrides the failing verdict: the check passes while the label stays on the pull request.');
  });

  it('shows why there is no plan', () => {
    const report = reportFor(CHANGE, { planBlocked: 'the repository has errors (below).' });
    delete report.plan;
    const text = renderReviewComment(report);
    expect(text).toContain('· no plan ·');
    expect(text).toContain('**No plan:** the repository has errors (below).');
    expect(text).not.toContain('mermaid');
  });

  it('gives up the SQL, then the diagram, then rows, and last becomes a summary, never passing the limit', () => {
    const tables = Array.from(
      { length: 3000 },
      (_, i) => `CREATE TABLE app.generated_table_with_a_long_name_${i} (id UInt64, payload String) ENGINE = MergeTree ORDER BY id;`,
    );
    const report = reportFor(`${CHANGE}\n${tables.join('\n')}`);
    const full = renderReviewComment(report, { limit: Number.MAX_SAFE_INTEGER });
    expect(full.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(full).toContain('```sql');

    const comment = renderReviewComment(report);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).not.toContain('<summary>Plan SQL</summary>');
    expect(comment).toContain('| 500 | create table | `app.generated_table_with_a_long_name_497` | 🟢 safe | not in the target |\n\n_…and 2,502 more steps._');
    expect(comment).toContain('_3,004 objects changed or downstream of a change: too many to draw._');
    expect(comment).toContain(
      "_The plan SQL is left out to stay within GitHub's comment size limit; the full report is in the job summary of [the workflow run](https://github.com/o/r/actions/runs/1)._",
    );

    const fewer = renderReviewComment(report, { limit: 20_000 });
    expect(fewer.length).toBeLessThanOrEqual(20_000);
    expect(fewer).toContain('| 50 | create table | `app.generated_table_with_a_long_name_47` | 🟢 safe | not in the target |\n\n_…and 2,952 more steps._');

    const summary = renderReviewComment(report, { limit: 1500 });
    expect(summary).toBe(`<!-- clickplan-review: db -->
### ClickPlan · \`db\`

❌ **ClickPlan fails: findings at or above error** · 3,002 steps, highest risk **data-loss** · 1 error, 0 warnings, 0 notes · against the base branch (\`1a2b3c4\`)

Steps by risk: 1 data-loss, 3,001 safe.

Findings by code: \`destructive-statement\` 1.

_This report is a summary: the full one is too long for a comment. The full report is in the job summary of [the workflow run](https://github.com/o/r/actions/runs/1)._
`);
  });

  it('marks each project with its own marker, whatever its name holds', () => {
    expect(reviewMarker('db/analytics')).toBe('<!-- clickplan-review: db%2Fanalytics -->');
    expect(reviewMarker('a --> b')).toBe('<!-- clickplan-review: a%20--%3E%20b -->');
    expect(reviewMarker('db')).not.toBe(deployMarker('db'));
  });
});

describe('renderDeployReport', () => {
  const plan = reportFor(CHANGE).plan as NonNullable<ReviewReport['plan']>;
  const declarative = (statuses: StepOutcome['status'][], failure?: DeployFailure): DeployReport => ({
    project: 'db',
    target: 'embedded ClickHouse in /tmp/x',
    plan,
    commit: '0123456789abcdef',
    result: {
      mode: 'declarative',
      migrations: [],
      steps: statuses.map((status, i) => ({ object: plan.steps[i]?.object ?? '', action: plan.steps[i]?.action ?? 'create', status })),
      statementsRun: statuses.filter((s) => s === 'applied').length,
      ...(failure ? { failure } : { verification: { remaining: [] } }),
    },
  });

  it('reports a converged declarative deploy with every step applied', () => {
    expect(renderDeployReport(declarative(['applied', 'applied']))).toBe(`<!-- clickplan-deploy: db -->
✅ **ClickPlan deployed \`db\`** to embedded ClickHouse in /tmp/x at 0123456: 2 steps; planning again finds nothing to do.

| # | step | object | risk | result |
|---:|---|---|---|---|
| 1 | drop table | \`app.scratch\` | 🔴 data-loss | ✅ applied |
| 2 | alter table | \`app.events\` | 🟢 safe | ✅ applied |
`);
  });

  it('names the failed step, the state left behind and what to do', () => {
    const failure = deployFailure({
      code: 'deploy-statement-failed',
      message: 'Code: 44. Cannot add column',
      help: 'Fix the cause and run the deploy again.',
      state: 'Step 1 ran; step 2 did not take effect.',
    });
    expect(renderDeployReport(declarative(['applied', 'failed'], failure))).toBe(`<!-- clickplan-deploy: db -->
❌ **ClickPlan deploy of \`db\` failed** on embedded ClickHouse in /tmp/x at 0123456: Code: 44. Cannot add column

Step 1 ran; step 2 did not take effect. Fix the cause and run the deploy again.

| # | step | object | risk | result |
|---:|---|---|---|---|
| 1 | drop table | \`app.scratch\` | 🔴 data-loss | ✅ applied |
| 2 | alter table | \`app.events\` | 🟢 safe | ❌ failed |
`);
  });

  it('lists the migration files a versioned deploy ran, with their statements, not the plan steps', () => {
    const report: DeployReport = {
      project: 'db',
      target: 'http://ch:8123',
      plan,
      result: {
        mode: 'versioned',
        migrations: [
          { file: 'migrations/V1__init.sql', migration: '/global/V1', status: 'already-applied', ran: 0, statements: 4 },
          { file: 'migrations/V2__events.sql', migration: '/global/V2', status: 'applied', ran: 3, statements: 3 },
          { file: 'migrations/V3__rollup.sql', migration: '/global/V3', status: 'applied', ran: 2, statements: 2, resumedAt: 1 },
        ],
        steps: [],
        statementsRun: 5,
        verification: { remaining: [] },
      },
    };
    expect(renderDeployReport(report)).toBe(`<!-- clickplan-deploy: db -->
✅ **ClickPlan deployed \`db\`** to http://ch:8123: 5 statements of 2 migration files; planning again finds nothing to do.

| # | migration | statements | result |
|---:|---|---:|---|
| 1 | \`migrations/V2__events.sql\` | 3 of 3 | ✅ applied |
| 2 | \`migrations/V3__rollup.sql\` | 2 of 2 | ✅ applied |
`);
    const upToDate = { ...report, result: { ...report.result, migrations: report.result.migrations.slice(0, 1), statementsRun: 0 } };
    expect(renderDeployReport(upToDate)).toBe('<!-- clickplan-deploy: db -->\n✅ **ClickPlan: `db` is up to date** on http://ch:8123: nothing to deploy.\n');
  });
});
