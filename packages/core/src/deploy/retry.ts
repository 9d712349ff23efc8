import { TargetError } from '../live/types.js';
import { DEPLOY_DEFAULTS } from '../project/config.js';

// Transient failures are retried with exponential backoff; everything else stops the deploy.
// ClickHouse codes: 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR, 252 TOO_MANY_PARTS (inserts outpace
// merges: waiting helps), 517 CANNOT_ASSIGN_ALTER (metadata out of date: another ALTER is in
// flight on a replica). A TargetError with `target-unreachable` is a network failure on our side.
// 159 (distributed DDL timeout) is not retried: the task is queued in ZooKeeper and retrying would
// queue it twice; the deploy polls the queue instead (cluster.ts).

export const TRANSIENT_CODES: ReadonlySet<number> = new Set([209, 210, 252, 517]);

/** Server codes that say a statement's effect is already there: a retried or resumed statement that ran before. */
// Only ever applied to a statement whose earlier attempt may have run (a lost answer, a deploy that
// died between the statement and its registry row): the object it creates exists, the column it
// adds is there, what it drops or renames away is gone.
export const ALREADY_IN_EFFECT_CODES: ReadonlySet<number> = new Set([
  15 /* DUPLICATE_COLUMN */, 16 /* NO_SUCH_COLUMN_IN_TABLE: dropped already */, 44 /* ILLEGAL_COLUMN: column already exists (18.x) */,
  57 /* TABLE_ALREADY_EXISTS */, 60 /* UNKNOWN_TABLE: dropped or renamed away already */, 81 /* UNKNOWN_DATABASE: dropped already */,
  82 /* DATABASE_ALREADY_EXISTS */, 387 /* DICTIONARY_ALREADY_EXISTS */, 609 /* FUNCTION_ALREADY_EXISTS */, 493 /* ROLE_ALREADY_EXISTS */,
  495 /* USER_ALREADY_EXISTS */,
]);

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** Delay before the first retry in milliseconds (default 500); doubles each time, with ±20% jitter. */
  initialDelayMs?: number;
  /** Longest delay (default 30 s). */
  maxDelayMs?: number;
}

export interface RetryEvent {
  attempt: number;
  attempts: number;
  delayMs: number;
  error: TargetError;
}

export function isTransient(error: unknown): error is TargetError {
  if (!(error instanceof TargetError)) return false;
  if (error.errorCode === 'target-unreachable') return true;
  return error.code !== undefined && TRANSIENT_CODES.has(error.code);
}

/**
 * Runs `action`, retrying transient failures with backoff. A retry after a network failure may find
 * the statement already done (the server ran it but the answer was lost): `alreadyDone` decides
 * whether that later error means success.
 */
export async function withRetry<T>(
  action: () => Promise<T>,
  policy: RetryPolicy = {},
  onRetry: (event: RetryEvent) => void = () => {},
  /**
   * Asked before a retry after a lost answer (the statement may have run): `retry`, `done` (it is
   * known to have run), or why it must not run again.
   */
  afterLostAnswer?: () => Promise<'retry' | 'done' | { uncertain: string }>,
): Promise<{ value?: T; retried: number; alreadyInEffect?: TargetError; done?: true; uncertain?: { why: string; error: TargetError } }> {
  const attempts = Math.max(1, policy.attempts ?? DEPLOY_DEFAULTS.retries);
  let delay = policy.initialDelayMs ?? 500;
  let afterNetworkFailure = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await action(), retried: attempt - 1 };
    } catch (error) {
      if (afterNetworkFailure && error instanceof TargetError && error.code !== undefined && ALREADY_IN_EFFECT_CODES.has(error.code))
        return { retried: attempt - 1, alreadyInEffect: error };
      if (!isTransient(error) || attempt >= attempts) throw error;
      afterNetworkFailure = error.errorCode === 'target-unreachable';
      if (afterNetworkFailure && afterLostAnswer) {
        const decision = await afterLostAnswer();
        if (decision === 'done') return { retried: attempt - 1, done: true };
        if (decision !== 'retry') return { retried: attempt - 1, uncertain: { why: decision.uncertain, error } };
      }
      const jittered = Math.round(Math.min(delay, policy.maxDelayMs ?? 30_000) * (0.8 + Math.random() * 0.4));
      onRetry({ attempt, attempts, delayMs: jittered, error });
      await new Promise((resolve) => setTimeout(resolve, jittered));
      delay *= 2;
    }
  }
}
