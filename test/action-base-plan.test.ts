import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionInputs } from '../packages/action/src/inputs.js';
import { planAgainstBase, readProject } from '../packages/action/src/project.js';
import { applyPlan } from '../packages/core/src/deploy/apply.js';
import { planAgainstTarget } from '../packages/core/src/deploy/planTarget.js';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import type { PlanStep } from '../packages/core/src/plan/types.js';

// The Action's review without a target plans the pull request against the base branch's schema, as
// ClickPlan's model replays it, with no engine. ClickHouse is the oracle for that shortcut: apply the
// base to a real engine (chDB), plan the pull request against what the engine stores, and the steps
// must be the same.

const INPUTS: ActionInputs = { mode: 'review', paths: ['.'], comment: false, reportDir: '', checkName: 'ClickPlan', docsUrl: '' };

const CHANGES: Record<string, Record<string, string>> = {
  'a column added, a table dropped, a type narrowed': {
    '003_change.sql': `ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS session_id UInt64 DEFAULT 0;
DROP TABLE IF EXISTS analytics.events_by_country;
ALTER TABLE analytics.events MODIFY COLUMN value Float32;
`,
  },
  'a materialized view re-created with a new query, a TTL changed, a dictionary added': {
    '003_change.sql': `DROP VIEW analytics.events_daily_mv;
CREATE MATERIALIZED VIEW analytics.events_daily_mv TO analytics.events_daily AS
SELECT toDate(ts) AS day, event, uniqState(user_id) AS users, sum(value * 2) AS total FROM analytics.events GROUP BY day, event;
ALTER TABLE analytics.events MODIFY TTL event_date + INTERVAL 2 YEAR;
CREATE TABLE analytics.events_by_user (user_id UInt64, events UInt64) ENGINE = SummingMergeTree ORDER BY user_id;
`,
  },
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'clickplan-base-plan-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function project(name: string, extra: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'schema'), { recursive: true });
  cpSync('fixtures/quickstart/schema', join(dir, 'schema'), { recursive: true });
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, 'schema', file), text);
  return dir;
}

const comparable = (steps: PlanStep[]) => steps.map((s) => ({ object: s.object, action: s.action, risk: s.risk, sql: s.sql }));

describe('planning against the base branch without an engine', () => {
  let index = 0;
  for (const [name, change] of Object.entries(CHANGES)) {
    it(`gives the steps a real engine holding the base gives: ${name}`, async () => {
      index += 1;
      const base = readProject(project(`base${index}`, {}), INPUTS, {});
      const head = readProject(project(`head${index}`, change), INPUTS, {});
      expect(head.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const withoutEngine = planAgainstBase(head, base.analysis.schema);
      expect(withoutEngine.steps.length).toBeGreaterThan(0);

      const target = await openEmbeddedTarget(join(root, 'engine'));
      try {
        // The engine holds the base, as a deploy of the base branch left it.
        await target.execute('DROP DATABASE IF EXISTS analytics SYNC');
        const { plan: deployBase } = await planAgainstTarget(base.analysis.schema, target);
        expect((await applyPlan(deployBase, target)).failure).toBeUndefined();
        const { plan: onEngine } = await planAgainstTarget(head.analysis.schema, target);
        expect(comparable(withoutEngine.steps)).toEqual(comparable(onEngine.steps));
        expect(onEngine.drift).toEqual([]);
      } finally {
        await target.close();
      }
    });
  }

  it('reads the quickstart unchanged as no steps at all', () => {
    const base = readProject(project('same-base', {}), INPUTS, {});
    const head = readProject(project('same-head', {}), INPUTS, {});
    expect(planAgainstBase(head, base.analysis.schema)).toEqual({ steps: [], drift: [], risk: 'safe', diagnostics: [] });
  });
});
