import { readFileSync } from 'node:fs';
import {
  type DeployFailure,
  type DeployOptions,
  type DeployResult,
  deployProject,
  diagnosticText,
  maskSql,
  parseSavedPlan,
  plural,
  RISK_ORDER,
  type Risk,
  type RiskyStep,
  renderPlanText,
  type SavedPlan,
} from '@clickplan/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type CliIo,
  CommandFailure,
  diagnosticsBlockPlanning,
  EXIT_FAILURE,
  EXIT_FINDINGS,
  loadAnalysis,
  openTargetOf,
  paintOf,
  projectOptions,
  targetOptions,
} from '../context.js';
import type { PlanOptions } from './plan.js';
import { type ProgressMode, progressPrinter } from './progress.js';

/** Bumped when the JSON document of `clickplan apply` changes incompatibly (docs/deploy.md). */
export const APPLY_JSON_VERSION = 2;

interface ApplyOptions extends PlanOptions {
  dryRun?: boolean;
  registry?: string;
  alterCluster?: string;
  lockWait?: number;
  lockTtl?: number;
  retries?: number;
  ddlTimeout?: number;
  ddlPoll?: number;
  skipClusterChecks?: boolean;
  mutationsSync?: string;
  alterSync?: string;
  progress?: ProgressMode;
  verify?: boolean;
  maxRisk?: Risk;
  plan?: string;
}

export function applyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('apply')
        .description('deploy: run pending migrations (versioned layouts) or the plan (declarative), under a lock, recorded in the registry, then verify')
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--cluster <name>', 'run every statement ON CLUSTER <name> (default: cluster in the config)')
        .option('--alter-cluster <name>', 'cluster for ALTER of non-replicated tables (Distributed, MergeTree) (default: deploy.alterCluster)')
        .option('--dry-run', 'validate every statement with the engine (EXPLAIN AST) without changing anything')
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)')
        .option('--lock-wait <seconds>', 'wait this long for a deploy that holds the lock (default: deploy.lockWait in the config, 0: fail at once)', seconds)
        .option('--lock-ttl <seconds>', 'seconds the lock lasts without a refresh (default: deploy.lockTtl, 120)', seconds)
        .option('--retries <n>', 'attempts for transient failures (network, 517, 252), the first included (default: deploy.retries, 5)', attempts)
        .option('--ddl-timeout <seconds>', 'distributed_ddl_task_timeout for ON CLUSTER statements (default: deploy.ddlTimeout, the server setting)', seconds)
        .option('--ddl-poll <seconds>', 'how long to poll the DDL queue after an ON CLUSTER timeout (default: deploy.ddlPoll, 60)', seconds)
        .option('--skip-cluster-checks', 'deploy ON CLUSTER even when a host does not answer or the DDL queue is not drained')
        .addOption(new Option('--mutations-sync <n>', 'mutations_sync for ALTER and DELETE (default: deploy.mutationsSync, 2)').choices(['0', '1', '2']))
        .addOption(new Option('--alter-sync <n>', 'alter_sync for ALTER (default: deploy.alterSync, 2)').choices(['0', '1', '2']))
        .addOption(new Option('--progress <mode>', 'bar on a terminal, step lines in logs').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
        .option('--no-verify', 'do not plan again after the last step')
        .addOption(
          new Option(
            '--max-risk <risk>',
            'the highest risk run without asking; riskier steps stop the deploy before anything runs (default: deploy.maxRisk, heavy)',
          ).choices([...RISK_ORDER]),
        )
        .option('--plan <file>', 'run exactly the plan saved by plan --out <file>; refuse if the target changed since'),
    ),
  ).action(async (path: string, options: ApplyOptions) => {
    const loaded = loadAnalysis(path, options, io);
    diagnosticsBlockPlanning(loaded, io);
    const json = options.format === 'json';
    const savedPlan = options.plan ? readSavedPlan(options.plan) : undefined;
    const target = await openTargetOf(options, loaded, io);
    // First Ctrl-C: the running statement finishes, is recorded, the lock is released. Second: abort.
    let interrupts = 0;
    const stopWatching = io.onInterrupt?.(() => {
      interrupts += 1;
      if (interrupts === 1) io.stderr('\nclickplan apply: stopping after the running statement (Ctrl-C again aborts at once).\n');
      else {
        io.stderr('\nclickplan apply: aborted; the running statement may or may not take effect, and the lock stays until it expires.\n');
        process.exit(130);
      }
    });
    try {
      const progress = progressPrinter(io, options.progress ?? 'auto', json);
      const result = await deployProject(loaded.project, loaded.analysis, target, {
        ...deployOptions(options, loaded.target.database),
        stopRequested: () => interrupts > 0,
        ...(savedPlan ? { savedPlan } : {}),
        ...(io.ask && !json ? { confirm: confirmWith(io.ask, io) } : {}),
        onEvent: (event) => {
          if (event.kind === 'plan' && !json)
            io.stdout(renderPlanText(event.plan, { target: target.description, positions: loaded.positions, paint: paintOf(io) }));
          progress.onEvent(event);
        },
      });
      progress.done();
      if (json) io.stdout(`${JSON.stringify(applyJson(result), null, 2)}\n`);
      if (result.failure) {
        reportDeployFailure(result.failure, io, loaded.positions);
        // A refusal about the plan's content (too risky, stale) is a finding, not a failure to run.
        setExit(result.failure.code === 'deploy-risk-refused' || result.failure.code === 'saved-plan-stale' ? EXIT_FINDINGS : EXIT_FAILURE);
        return;
      }
      const remaining = result.verification?.remaining.length ?? 0;
      const nodes = result.verification?.nodes ?? [];
      if (remaining > 0 || nodes.length > 0) {
        if (remaining > 0)
          io.stderr(`clickplan apply: every statement ran, but planning again still finds ${plural(remaining, 'step')}; run clickplan plan to see them.\n`);
        for (const node of nodes) io.stderr(`clickplan apply: ${node.host} differs: ${node.differences.join('; ')}\n`);
        setExit(EXIT_FINDINGS);
        return;
      }
      if (!json) io.stdout(summary(result));
    } finally {
      stopWatching?.();
      await target.close();
    }
  });
}

/** The saved plan file; a file that is not one ends the command (exit 2) before the target is opened. */
function readSavedPlan(file: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandFailure(`the saved plan ${file} cannot be read: ${(error as Error).message}.`);
  }
  const parsed = parseSavedPlan(text, file);
  if (!parsed.value) throw new CommandFailure(parsed.diagnostics.map((d) => `${d.message} ${d.help ?? ''}`.trim()).join(' '));
  return parsed.value;
}

/** On a terminal, riskier steps are listed and a person decides. */
function confirmWith(ask: (question: string) => Promise<string>, io: CliIo): (risky: RiskyStep[]) => Promise<boolean> {
  return async (risky) => {
    io.stderr(`${plural(risky.length, 'step')} ${risky.length === 1 ? 'is' : 'are'} riskier than this deploy runs without asking:\n`);
    for (const r of risky) io.stderr(`  ${r.where}: ${r.risk}${r.reason ? ` (${r.reason})` : ''}\n`);
    const answer = await ask('Run them? Type yes to deploy: ');
    return answer.trim().toLowerCase() === 'yes';
  };
}

/** A flag's number of seconds; anything else stops before the deploy with what to write. */
function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('Give a number of seconds, such as 30 or 0.5.');
  return n;
}

function attempts(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number of attempts, 1 or more (1: no retries).');
  return n;
}

/** The flags given, as deploy options: `deployProject` puts `deploy:` of clickplan.yaml under them; the database resolved as everywhere. */
function deployOptions(options: ApplyOptions, database: string): DeployOptions {
  return {
    dryRun: options.dryRun === true,
    database,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.alterCluster ? { alterCluster: options.alterCluster } : {}),
    lock: {
      ...(options.lockWait !== undefined ? { waitSeconds: options.lockWait } : {}),
      ...(options.lockTtl !== undefined ? { ttlSeconds: options.lockTtl } : {}),
    },
    ...(options.retries !== undefined ? { retry: { attempts: options.retries } } : {}),
    ...(options.ddlTimeout !== undefined ? { ddlTaskTimeoutSeconds: options.ddlTimeout } : {}),
    ...(options.ddlPoll !== undefined ? { ddlPollSeconds: options.ddlPoll } : {}),
    ...(options.skipClusterChecks ? { skipClusterChecks: true } : {}),
    ...(options.mutationsSync ? { mutationsSync: Number(options.mutationsSync) as 0 | 1 | 2 } : {}),
    ...(options.alterSync ? { alterSync: Number(options.alterSync) as 0 | 1 | 2 } : {}),
    verify: options.verify !== false,
    ...(options.maxRisk ? { maxRisk: options.maxRisk } : {}),
  };
}

function summary(result: DeployResult): string {
  if (result.dryRun) return `Validated ${plural(result.statementsRun, 'statement')}; nothing was changed.\n`;
  const notes = result.notes.map((n) => `note: ${n}\n`).join('');
  if (result.mode === 'declarative') {
    const converged = result.converged.length ? ` (${plural(result.converged.length, 'object')} already converged)` : '';
    return `${notes}Applied ${plural(result.statementsRun, 'step')}${converged}; planning again finds nothing to do.\n`;
  }
  const applied = result.migrations.filter((m) => m.status === 'applied').length;
  const already = result.migrations.filter((m) => m.status === 'already-applied').length;
  return `${notes}Applied ${plural(result.statementsRun, 'statement')} of ${plural(applied, 'migration file')}${already ? ` (${already} already applied)` : ''}; planning again finds nothing to do.\n`;
}

/** A stopped deploy: what failed, the server's words, the state left behind, what to do. Never a stack trace. */
function reportDeployFailure(failure: DeployFailure, io: CliIo, positions: Parameters<typeof diagnosticText>[1]): void {
  for (const d of failure.diagnostics ?? []) io.stderr(`${diagnosticText(d, positions)}\n`);
  const at = failure.file && failure.line ? `${failure.file}:${failure.line}: ` : '';
  io.stderr(`clickplan apply: ${at}${failure.message}\n`);
  if (failure.sql) io.stderr(`  statement: ${failure.sql}\n`);
  io.stderr(`  state: ${failure.state}\n  help: ${failure.help}\n`);
}

/** The JSON document of `clickplan apply` (APPLY_JSON_VERSION; docs/deploy.md). */
export function applyJson(result: DeployResult) {
  return {
    version: APPLY_JSON_VERSION,
    target: result.target,
    mode: result.mode,
    dry_run: result.dryRun,
    registry: result.registry,
    migrations: result.migrations.map((m) => ({
      file: m.file,
      migration: m.migration,
      ...(m.tenant ? { tenant: m.tenant } : {}),
      status: m.status,
      statements: m.statements,
      ran: m.ran,
      ...(m.resumedAt ? { resumed_at: m.resumedAt } : {}),
    })),
    steps: result.steps,
    converged: result.converged,
    drift: result.drift.map((d) => ({ object: d.id, kind: d.kind, state: d.state })),
    statements_run: result.statementsRun,
    retries: result.retries,
    notes: result.notes,
    failure: result.failure && {
      code: result.failure.code,
      message: result.failure.message,
      help: result.failure.help,
      ...(result.failure.file ? { file: result.failure.file } : {}),
      ...(result.failure.statement ? { statement: result.failure.statement } : {}),
      ...(result.failure.line ? { line: result.failure.line } : {}),
      ...(result.failure.sql ? { sql: result.failure.sql } : {}),
      ...(result.failure.serverCode !== undefined ? { server_code: result.failure.serverCode } : {}),
      ...(result.failure.serverMessage ? { server_message: result.failure.serverMessage } : {}),
      state: result.failure.state,
      diagnostics: (result.failure.diagnostics ?? []).map((d) => ({ code: d.code, file: d.file, message: d.message, help: d.help })),
    },
    verification: result.verification && {
      verified: result.verification.remaining.length === 0 && (result.verification.nodes ?? []).length === 0,
      remaining_steps: result.verification.remaining.map((s) => ({ object: s.object, action: s.action, sql: maskSql(s.sql) })),
      ...(result.verification.nodes ? { nodes: result.verification.nodes } : {}),
    },
    duration_ms: result.durationMs,
  };
}
