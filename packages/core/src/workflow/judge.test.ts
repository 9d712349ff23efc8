import { describe, expect, it } from 'vitest';
import type { Diagnostic, Severity } from '../diagnostics.js';
import type { Drift } from '../diff/diff.js';
import type { Plan, PlanStep, Risk } from '../plan/types.js';
import { type FailOn, isFailing, judge, judgePlan } from './judge.js';

const SEVERITIES: Severity[] = ['info', 'warning', 'error'];
const FAIL_ON: FailOn[] = ['info', 'warning', 'error', 'never'];

function finding(severity: Severity, code = 'some-rule'): Diagnostic {
  return { code, severity, file: 'a.sql', range: { start: 0, end: 1 }, message: severity };
}

describe('judge', () => {
  it('fails on a finding at or above failOn, never on `never`', () => {
    const table = FAIL_ON.map((failOn) => `${failOn}: ${SEVERITIES.filter((s) => isFailing(s, failOn)).join(' ')}`);
    expect(table).toEqual(['info: info warning error', 'warning: warning error', 'error: error', 'never: ']);
  });

  it('lists the failing findings in their order, and tells a syntax error', () => {
    const findings = [finding('warning'), finding('info'), finding('error', 'syntax-error'), finding('warning')];
    const verdict = judge(findings, 'warning');
    expect(verdict).toEqual({ failOn: 'warning', failing: [findings[0], findings[2], findings[3]], fails: true, unreadable: true });
    expect(judge([finding('info')], 'error')).toEqual({ failOn: 'error', failing: [], fails: false, unreadable: false });
  });
});

describe('judgePlan', () => {
  const step: PlanStep = { object: 'db.t', objectKind: 'table', action: 'create', sql: 'CREATE TABLE db.t', database: 'db', reason: 'new', risk: 'safe' };
  const drift: Drift = { id: 'db.u', kind: 'table', state: 'unexpected', differences: [] };
  const plan = (risk: Risk, steps: number, drifts = 0): Plan => ({
    risk,
    steps: Array.from({ length: steps }, () => step),
    drift: Array.from({ length: drifts }, () => drift),
    diagnostics: [],
  });

  it('fails on a risk at or above failOn when there is something to run, and on drift', () => {
    expect(judgePlan(plan('heavy', 2), 'heavy')).toEqual({ tooRisky: true, drifted: false, fails: true });
    expect(judgePlan(plan('heavy', 2), 'data-loss')).toEqual({ tooRisky: false, drifted: false, fails: false });
    expect(judgePlan(plan('safe', 0), 'safe')).toEqual({ tooRisky: false, drifted: false, fails: false });
    expect(judgePlan(plan('safe', 0, 1))).toEqual({ tooRisky: false, drifted: true, fails: true });
  });
});
