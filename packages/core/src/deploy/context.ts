import { oneLine } from '../live/failure.js';
import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { plural } from '../plural.js';
import { parseSql } from '../syntax/parser.js';
import type { DeployEvent } from './events.js';
import type { ExecutionContext, StatementOutcome } from './execute.js';
import { type DeployFailure, deployFailure } from './failure.js';
import type { DeployLock } from './lock.js';
import type { Registry } from './registry.js';

/** What every part of one deploy shares. */
export interface DeployContext {
  target: Target;
  registry: Registry;
  lock?: DeployLock;
  dryRun: boolean;
  cluster?: string;
  alterCluster?: string;
  execution: ExecutionContext;
  /** `mutations_sync`/`alter_sync` (or their 18.x name) with the configured values, for ALTER and DELETE. */
  syncSettings: Record<string, number>;
  clusterSettings: (sql: string) => Record<string, number>;
  onEvent: (event: DeployEvent) => void;
  statementsRun: number;
  /** Whether the server knows `insert_deduplication_token` (22.2 and later): every INSERT then carries one. */
  insertDeduplication: boolean;
  /** Whether a new migration below the highest applied version may run (`deploy.outOfOrder`). */
  outOfOrder: boolean;
  /** Prefix of every statement's `query_id` (the lock's token), so a deploy taking the lock over can find them. */
  queryIdPrefix: string;
  /** Whether the user asked the deploy to stop (first Ctrl-C): it stops before the next statement. */
  stopRequested?: () => boolean;
  /** Validates one statement without running it (dry run); a problem when the engine refuses it. */
  validate: (sql: string) => Promise<StatementProblemLike | undefined>;
  describeFailure: (outcome: Extract<StatementOutcome, { ok: false }>) => StatementProblemLike;
}

export interface StatementProblemLike {
  message: string;
  ranOnSomeHosts?: boolean;
  /** Its outcome is unknown (a lost answer) and it must not run again: the registry leaves it `running`. */
  uncertain?: boolean;
  failure: (unit: string, statement: { ordinal: number; sql: string; line?: number }, state: string) => DeployFailure;
}

const SYNTAX_ERROR = 62;

/**
 * Validation for dry runs: `EXPLAIN AST` makes the server parse the statement without running it.
 * Servers without EXPLAIN (before 20.x) answer a syntax error for EXPLAIN itself: those statements
 * are checked by ClickPlan's parser instead, and the report says so.
 */
export function validatorFor(target: Target, notes: string[]): (sql: string) => Promise<StatementProblemLike | undefined> {
  let engineExplains: boolean | undefined;
  return async (sql) => {
    if (engineExplains === undefined && target.kind !== 'snapshot') {
      try {
        await target.query('EXPLAIN AST SELECT 1');
        engineExplains = true;
      } catch (error) {
        if (!(error instanceof TargetError) || error.code !== SYNTAX_ERROR) throw error;
        engineExplains = false;
        notes.push(`${target.description} cannot EXPLAIN (ClickHouse before 20.x): statements were checked by ClickPlan's parser only.`);
      }
    }
    if (engineExplains) {
      try {
        await target.query(`EXPLAIN AST ${sql}`);
        return undefined;
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        return problemOf(error.serverMessage ?? error.message, error);
      }
    }
    const [diagnostic] = parseSql(sql).diagnostics;
    return diagnostic ? problemOf(diagnostic.message) : undefined;
  };
}

function problemOf(message: string, error?: TargetError): StatementProblemLike {
  return {
    message,
    failure: (unit, statement, state) =>
      deployFailure({
        code: 'deploy-statement-failed',
        message: `Statement ${statement.ordinal + 1} of ${unit} does not validate: ${message}`,
        help: 'Fix the statement; a dry run changes nothing, so run it again after the fix.',
        file: unit,
        statement: statement.ordinal + 1,
        ...(statement.line ? { line: statement.line } : {}),
        sql: oneLine(statement.sql),
        ...(error?.code !== undefined ? { serverCode: error.code } : {}),
        serverMessage: message,
        state,
      }),
  };
}

/** A failed statement as a problem: the server's error, or the hosts of an ON CLUSTER task that failed or did not answer. */
export function describeFailure(outcome: Extract<StatementOutcome, { ok: false }>): StatementProblemLike {
  const { error, ddlTask, hostErrors } = outcome;
  const server = error.serverMessage ?? error.message;
  if (hostErrors && hostErrors.length > 0) {
    const list = hostErrors.map((h) => `${h.host}: Code ${h.code}: ${h.message.split('\n')[0]}`).join('; ');
    return {
      message: list,
      failure: (unit, statement, state) =>
        deployFailure({
          code: 'deploy-statement-failed',
          message: `Statement ${statement.ordinal + 1} of ${unit} failed on ${plural(hostErrors.length, 'host')} after the ON CLUSTER timeout: ${list}.`,
          help: 'Fix the cause on those hosts (or the statement) and run the deploy again.',
          file: unit,
          statement: statement.ordinal + 1,
          ...(statement.line ? { line: statement.line } : {}),
          sql: oneLine(statement.sql),
          serverCode: hostErrors[0]?.code ?? 0,
          serverMessage: list,
          state,
        }),
    };
  }
  if (ddlTask && ddlTask.unfinished.length > 0) {
    const message = `${ddlTask.task} ran on ${ddlTask.finished.length} of ${plural(ddlTask.hosts.length, 'host')}; ${ddlTask.unfinished.join(', ')} did not run it`;
    return {
      message,
      ranOnSomeHosts: true,
      failure: (unit, statement, state) =>
        deployFailure({
          code: 'cluster-ddl-unfinished',
          message: `Statement ${statement.ordinal + 1} of ${unit} outlived distributed_ddl_task_timeout and, polling the DDL queue, ${message}.`,
          help: `Start ${ddlTask.unfinished.join(', ')} (each runs the queued statement when it comes back), then run the deploy again: it resumes after this statement.`,
          file: unit,
          statement: statement.ordinal + 1,
          ...(statement.line ? { line: statement.line } : {}),
          sql: oneLine(statement.sql),
          serverCode: error.code ?? 159,
          serverMessage: server,
          state,
        }),
    };
  }
  return {
    message: server,
    failure: (unit, statement, state) =>
      deployFailure({
        code: 'deploy-statement-failed',
        message: `Statement ${statement.ordinal + 1} of ${unit} failed: ${error.code !== undefined ? `Code ${error.code}: ` : ''}${server}`,
        help: error.help ?? 'Fix the statement or the cause the server names, then run the deploy again: it resumes at this statement.',
        file: unit,
        statement: statement.ordinal + 1,
        ...(statement.line ? { line: statement.line } : {}),
        sql: oneLine(statement.sql),
        ...(error.code !== undefined ? { serverCode: error.code } : {}),
        serverMessage: server,
        state,
      }),
  };
}
