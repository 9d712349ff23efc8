import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { parseSql } from '../syntax/parser.js';
import { type RetryEvent, type RetryPolicy, withRetry } from './retry.js';

// Runs a plan's steps in order and stops at the first failure, saying which step failed and what
// ran before it. Transient failures (network, 517, 252) are retried with backoff. `deployProject`
// adds the registry, the lock, ON CLUSTER polling and verification on top of the same steps.

export interface ApplyOptions {
  /** Validate every statement with the engine (`EXPLAIN AST`) instead of running it. */
  dryRun?: boolean;
  /** Called before each step runs, for progress output. */
  onStep?: (step: PlanStep, index: number, total: number) => void;
  /** Retries of transient failures (default: 5 attempts from 500 ms, doubling). */
  retry?: RetryPolicy;
  onRetry?: (event: RetryEvent) => void;
}

export interface ApplyResult {
  /** Steps that ran (or validated) successfully, in order. */
  done: number;
  failure?: { step: PlanStep; index: number; error: TargetError };
}

export async function applyPlan(plan: Plan, target: Target, options: ApplyOptions = {}): Promise<ApplyResult> {
  let done = 0;
  for (const [index, step] of plan.steps.entries()) {
    options.onStep?.(step, index, plan.steps.length);
    try {
      if (options.dryRun) await validate(step, target);
      else await withRetry(() => target.execute(step.sql, { database: step.database }), options.retry, options.onRetry);
    } catch (error) {
      const failure = error instanceof TargetError ? error : new TargetError(error instanceof Error ? error.message : String(error));
      return { done, failure: { step, index, error: failure } };
    }
    done += 1;
  }
  return { done };
}

/** Checks a statement without running it: the engine parses it where it can, our parser otherwise. */
async function validate(step: PlanStep, target: Target): Promise<void> {
  if (target.kind === 'snapshot') {
    const [problem] = parseSql(step.sql).diagnostics;
    if (problem) throw new TargetError(problem.message);
    return;
  }
  await target.query(`EXPLAIN AST ${step.sql}`);
}
