import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_RISK } from '../packages/core/src/deploy/pending.js';
import type { Target } from '../packages/core/src/live/types.js';
import { RISK_ORDER, type Risk } from '../packages/core/src/plan/types.js';
import { deploy, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Issue 18, point 7, for every rule with a risk: each "Bad" example of the rule's page
// (docs/rules/<id>.md), deployed as a migration file with --max-risk just below the rule's risk,
// is refused before anything runs, naming that rule. Generated from RULE_RISK and the pages: a
// rule given a risk is covered without touching this file.

const docs = new URL('../docs/rules/', import.meta.url).pathname;
const engine = embeddedEngine('deploy-rule-risk');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

/** The ```sql blocks of a page's "Bad" section. */
function badExamples(rule: string): string[] {
  const text = readFileSync(`${docs}${rule}.md`, 'utf8');
  const bad = /^## Bad\n([\s\S]*?)^## /m.exec(text)?.[1] ?? '';
  return [...bad.matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

const cases = Object.entries(RULE_RISK).flatMap(([rule, risk]) => badExamples(rule).map((sql, i) => ({ rule, risk, sql, example: i + 1 })));

describe('--max-risk refuses the Bad example of every rule with a risk', () => {
  it('covers every rule of RULE_RISK with at least one example', () => {
    expect([...new Set(cases.map((c) => c.rule))].sort()).toEqual(Object.keys(RULE_RISK).sort());
  });

  for (const { rule, risk, sql, example } of cases)
    it(`${rule} (${risk}), Bad #${example}`, async () => {
      const below = RISK_ORDER[RISK_ORDER.indexOf(risk) - 1] as Risk;
      const registry = `reg_${rule.replaceAll('-', '_')}_${example}`;
      const dir = writeRepo({ 'clickplan.yaml': `layout: flyway\nregistry: ${registry}\n`, 'migrations/V1__bad.sql': sql });
      const report = await deploy(dir, target, { maxRisk: below });
      expect(report.failure?.code).toBe('deploy-risk-refused');
      expect(report.failure?.message).toContain(`(${risk}: ${rule}: `);
      expect(report.statementsRun).toBe(0);
      expect(await target.query(`SELECT migration FROM ${registry}.migrations`)).toEqual([]);
    });
});
