import type { Diagnostic, Severity } from '../diagnostics.js';
import { type Plan, RISK_ORDER, type Risk } from '../plan/types.js';

// The gate: whether findings or a plan fail a run. `clickplan lint` and `plan` exit 1 on it, the
// Action fails the step (and the check run) on it. One ranking, so the three cannot disagree on
// what "at or above the failing severity" means.

/** The lowest severity that fails; `never`: nothing fails (the Action's `fail-on: never`). */
export type FailOn = Severity | 'never';

const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

/** Severities in rising order: info 0, warning 1, error 2. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

/** Whether a finding of `severity` fails a run that fails on `failOn`. */
export function isFailing(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank(severity) >= severityRank(failOn);
}

export interface Verdict {
  failOn: FailOn;
  /** The findings at or above `failOn`, in their order. */
  failing: Diagnostic[];
  /** Whether the run fails: some finding is at or above `failOn`. */
  fails: boolean;
  /** Whether the input cannot be read: a syntax error (exit 2 in the CLI, not 1). */
  unreadable: boolean;
}

/** Judges findings against `failOn`. */
export function judge(findings: readonly Diagnostic[], failOn: FailOn): Verdict {
  const failing = findings.filter((d) => isFailing(d.severity, failOn));
  return { failOn, failing, fails: failing.length > 0, unreadable: findings.some((d) => d.code === 'syntax-error') };
}

export interface PlanVerdict {
  /** A step (or pending migration) at or above `failOn`. */
  tooRisky: boolean;
  /** The target differs from the repository where the pull request did not change it. */
  drifted: boolean;
  fails: boolean;
}

/** Judges a plan: it fails on drift, and on its risk reaching `failOn` when it has anything to run. */
export function judgePlan(plan: Plan, failOn?: Risk): PlanVerdict {
  const runs = plan.steps.length > 0 || (plan.migrations ?? []).length > 0;
  const tooRisky = failOn !== undefined && runs && RISK_ORDER.indexOf(plan.risk) >= RISK_ORDER.indexOf(failOn);
  const drifted = plan.drift.length > 0;
  return { tooRisky, drifted, fails: tooRisky || drifted };
}
