import { oneLine } from '../live/failure.js';
import type { ExecuteOptions, Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { DDL_TIMEOUT, type DdlTaskState, ddlTaskOf, pollDdlTask } from './cluster.js';
import type { DeployEvent } from './events.js';
import { ALREADY_IN_EFFECT_CODES, type RetryPolicy, withRetry } from './retry.js';

// One statement of a deploy: run with retries for transient failures, and after an ON CLUSTER
// timeout (159) with polling of the DDL task instead of a retry.

export interface ExecutionContext {
  target: Target;
  retry: RetryPolicy;
  /** How long to poll a distributed DDL task after a 159 before giving up (default 60 s). */
  ddlPollMs: number;
  ddlPollIntervalMs: number;
  onEvent: (event: DeployEvent) => void;
  /** Retries and notes of the whole deploy, for the report. */
  stats: { retries: number; notes: string[] };
}

export type StatementOutcome =
  | { ok: true; note?: string }
  | {
      ok: false;
      error: TargetError;
      /** The task of an ON CLUSTER statement that some hosts have not run yet (after 159 and polling). */
      ddlTask?: DdlTaskState;
      /** Hosts that ran the task and failed, with their error. */
      hostErrors?: { host: string; code: number; message: string }[];
      /** Its answer was lost and it must not run again: why whether it took effect is unknown. */
      uncertain?: string;
    };

/**
 * Runs one statement. `uncertain` marks a statement that may have run before the previous deploy
 * died: an error saying its effect is already there (the table exists...) then counts as done.
 */
export async function runStatement(
  context: ExecutionContext,
  sql: string,
  options: ExecuteOptions & { uncertain?: boolean; afterLostAnswer?: () => Promise<'retry' | 'done' | { uncertain: string }> },
): Promise<StatementOutcome> {
  const { uncertain, afterLostAnswer, ...execute } = options;
  try {
    const result = await withRetry(
      () => context.target.execute(sql, execute),
      context.retry,
      (event) => {
        context.stats.retries += 1;
        context.onEvent({
          kind: 'retry',
          sql: oneLine(sql),
          attempt: event.attempt,
          attempts: event.attempts,
          delayMs: event.delayMs,
          error: event.error.message,
        });
      },
      afterLostAnswer,
    );
    if (result.uncertain) return { ok: false, uncertain: result.uncertain.why, error: result.uncertain.error };
    if (result.done) {
      const note = `\`${oneLine(sql)}\` had taken effect when its answer was lost; it was not sent again.`;
      context.stats.notes.push(note);
      return { ok: true, note };
    }
    if (result.alreadyInEffect) {
      const note = `\`${oneLine(sql)}\` was already in effect when retried after a lost answer (${result.alreadyInEffect.serverMessage ?? result.alreadyInEffect.message}).`;
      context.stats.notes.push(note);
      return { ok: true, note };
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    if (uncertain && error.code !== undefined && ALREADY_IN_EFFECT_CODES.has(error.code)) {
      const note = `\`${oneLine(sql)}\` had started when the previous deploy stopped and is already in effect (${error.serverMessage ?? error.message}).`;
      context.stats.notes.push(note);
      return { ok: true, note };
    }
    if (error.code === DDL_TIMEOUT) return afterDdlTimeout(context, error);
    return { ok: false, error };
  }
}

/** After a 159: the task is queued; poll it until every host ran it or the poll time is up. */
async function afterDdlTimeout(context: ExecutionContext, error: TargetError): Promise<StatementOutcome> {
  const task = ddlTaskOf(error.serverMessage ?? error.message);
  if (!task) return { ok: false, error };
  context.onEvent({ kind: 'ddl-timeout', task });
  const state = await pollDdlTask(context.target, task, { timeoutMs: context.ddlPollMs, intervalMs: context.ddlPollIntervalMs }, (s) =>
    context.onEvent({ kind: 'ddl-poll', task, finished: s.finished.length, hosts: s.hosts.length, unfinished: s.unfinished }),
  );
  if (!state) return { ok: false, error };
  const hostErrors = state.finished.filter((f) => f.code !== 0);
  if (hostErrors.length > 0) return { ok: false, error, hostErrors, ddlTask: state };
  if (state.unfinished.length > 0) return { ok: false, error, ddlTask: state };
  context.stats.notes.push(
    `${task} outlived distributed_ddl_task_timeout; polling saw ${state.hosts.length === 1 ? 'its host' : `all ${state.hosts.length} hosts`} finish it.`,
  );
  return { ok: true };
}

export { shownStatement } from '../live/failure.js';
