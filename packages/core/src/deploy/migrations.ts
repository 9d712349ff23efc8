import type { Diagnostic } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import { oneLine } from '../live/failure.js';
import { plural } from '../plural.js';
import type { Migration } from '../project/migration.js';
import type { Project } from '../project/project.js';
import { compareVersions } from '../project/versions.js';
import type { DeployContext, StatementProblemLike } from './context.js';
import { runStatement, shownStatement } from './execute.js';
import { type DeployFailure, deployFailure } from './failure.js';
import { type MigrationRow, normalizeMigrationKey, type RegistryMigration, type RegistryState, runKey, type StatementRow } from './registry.js';
import { isAlterOrMutation, type MigrationStatement, prepareFile } from './statements.js';
import type { MigrationOutcome } from './types.js';
import { deduplicationSettings, deduplicationToken, isDeduplicated, lookUpMutation } from './uncertain.js';

// Versioned layouts: every pending migration file runs statement by statement, in the project's
// order (global, then each active tenant's bootstrap and schema), each statement recorded once it
// ran. A file that stopped half way resumes at the statement after the last one recorded; an
// applied file whose bytes changed stops the deploy before anything runs.

/** A migration with its executable statements. */
export interface MigrationUnit {
  migration: Migration;
  key: string;
  statements: MigrationStatement[];
}

/** The registry's name of a migration: its tenant, phase and version (or description, for repeatable ones). */
export function migrationKey(migration: Migration): string {
  const id = migration.kind === 'versioned' ? `V${migration.version}` : `R ${migration.description}`;
  return normalizeMigrationKey(`${migration.tenant ?? ''}/${migration.phase}/${id}`);
}

/** The project's versioned and repeatable migrations, split into statements. Problems (ON CLUSTER cannot be added) are diagnostics. */
export function migrationUnits(project: Project, analysis: Analysis, context: Pick<DeployContext, 'cluster' | 'alterCluster'>, defaultDatabase: string) {
  const units: MigrationUnit[] = [];
  const diagnostics: Diagnostic[] = [];
  project.migrations.forEach((migration, index) => {
    if (migration.kind === 'declarative') return;
    const file = project.files[index];
    const parsed = analysis.parsed[index];
    if (!file || !parsed || parsed.file !== migration.file) throw new Error(`analysis does not match the project at ${migration.file}`);
    const prepared = prepareFile(file.text, parsed.statements, file.defaultDatabase ?? defaultDatabase, {
      ...(context.cluster ? { cluster: context.cluster } : {}),
      ...(context.alterCluster ? { alterCluster: context.alterCluster } : {}),
      replication: project.config.replication,
      schema: analysis.schema,
    });
    for (const problem of prepared.problems)
      diagnostics.push({
        code: 'deploy-statement-failed',
        severity: 'error',
        file: migration.file,
        range: rangeOf(parsed.statements, problem.ordinal),
        message: `Statement ${problem.ordinal + 1} cannot run ON CLUSTER as written: ${problem.message}`,
      });
    units.push({ migration, key: migrationKey(migration), statements: prepared.statements });
  });
  return { units, diagnostics };
}

function rangeOf(statements: Analysis['parsed'][number]['statements'], ordinal: number) {
  const executable = statements.filter((s) => s.kind !== 'Use' && s.kind !== 'Set');
  const statement = executable[ordinal];
  return statement ? { start: statement.start, end: statement.end } : { start: 0, end: 0 };
}

/** What to do with a migration given the registry: skip it, run it from a statement, or refuse. */
type Decision = { action: 'skip' } | { action: 'run'; from: number; run?: number } | { action: 'refuse'; diagnostic: Diagnostic };

export function decide(unit: MigrationUnit, registry: RegistryState): Decision {
  const recorded = registry.migrations.get(unit.key);
  const { migration } = unit;
  if (!recorded) return { action: 'run', from: 0 };
  if (recorded.status === 'applied') {
    if (recorded.checksum === migration.checksum) return { action: 'skip' };
    if (migration.kind === 'repeatable') return { action: 'run', from: 0 };
    return { action: 'refuse', diagnostic: changedChecksum(unit, recorded) };
  }
  // Stopped half way (failed, or the deploy died while it ran): the statements recorded as done must
  // still read the same; the run goes on after them.
  const done = registry.statements.get(runKey(unit.key, recorded.run)) ?? [];
  for (const statement of done) {
    const now = unit.statements[statement.ordinal];
    if (!now || now.hash !== statement.hash)
      return {
        action: 'refuse',
        diagnostic: {
          code: 'migration-checksum-changed',
          severity: 'error',
          file: migration.file,
          range: { start: 0, end: 0 },
          message: `${migration.file} stopped half way in an earlier deploy (${done.length} of its statements ran) and statement ${statement.ordinal + 1}, which already ran, ${now ? 'has changed since' : 'is gone'}: recorded checksum ${recorded.checksum}, file checksum ${migration.checksum}.`,
          help: `Restore statement ${statement.ordinal + 1} as it ran and fix only the statements after it, or write the change as a new migration.`,
        },
      };
  }
  return { action: 'run', from: done.length, run: recorded.run };
}

function changedChecksum(unit: MigrationUnit, recorded: RegistryMigration): Diagnostic {
  return {
    code: 'migration-checksum-changed',
    severity: 'error',
    file: unit.migration.file,
    range: { start: 0, end: 0 },
    message: `${unit.migration.file} was applied on ${recorded.at} with checksum ${recorded.checksum}, and the file now has checksum ${unit.migration.checksum}: an applied migration changed.`,
    help: 'Restore the file as it was applied (git checkout it) and write the change as a new migration; the deploy stopped before running anything.',
  };
}

export interface MigrationRun {
  outcomes: MigrationOutcome[];
  failure?: DeployFailure;
}

/** Runs (or validates) the pending migrations in order; stops at the first failure with the state left behind. */
export async function runMigrations(context: DeployContext, units: MigrationUnit[], registry: RegistryState): Promise<MigrationRun> {
  const decisions = units.map((unit) => decide(unit, registry));
  const refused = decisions.flatMap((d) => (d.action === 'refuse' ? [d.diagnostic] : []));
  if (refused.length > 0)
    return {
      outcomes: [],
      failure: deployFailure({
        code: 'migration-checksum-changed',
        message: `${refused.length} applied migration${refused.length === 1 ? '' : 's'} changed since ${refused.length === 1 ? 'it was' : 'they were'} applied: ${refused.map((d) => d.file).join(', ')}.`,
        help: 'Restore each file as it was applied and write changes as new migrations.',
        state: 'Nothing ran: the deploy checks every checksum before the first statement.',
        diagnostics: refused,
      }),
    };
  const early = outOfOrder(units, decisions, registry);
  if (early.length > 0 && !context.outOfOrder)
    return {
      outcomes: [],
      failure: deployFailure({
        code: 'deploy-out-of-order',
        message: `${plural(early.length, 'new migration')} ${early.length === 1 ? 'has a version' : 'have versions'} lower than the highest applied one: ${early.map((e) => `${e.unit.migration.file} (applied up to V${e.highest})`).join(', ')}.`,
        help: "Give the migration a version above the highest applied one, or set `deploy.outOfOrder: true` in clickplan.yaml to run it where it falls (Flyway's outOfOrder).",
        state: 'Nothing ran.',
      }),
    };
  const total = units.reduce((sum, unit, i) => {
    const d = decisions[i] as Decision;
    return sum + (d.action === 'run' ? unit.statements.length - d.from : 0);
  }, 0);
  context.onEvent({ kind: 'start', mode: 'versioned', total, dryRun: context.dryRun });
  const outcomes: MigrationOutcome[] = [];
  let index = 0;
  const appliedNow: string[] = [];
  const rows = new RegistryRows(context);
  // After a deploy that died, the statements it may have run without recording them come first.
  const pending = units.flatMap((unit, i) => {
    const d = decisions[i] as Decision;
    return d.action === 'run' ? unit.statements.slice(d.from) : [];
  });
  const interrupted = registry.interrupted !== undefined || [...registry.migrations.values()].some((m) => m.status === 'running');
  let uncertain = interrupted ? uncertainCount(pending) : 0;
  for (const [i, unit] of units.entries()) {
    const decision = decisions[i] as Decision;
    const base = {
      file: unit.migration.file,
      migration: unit.key,
      ...(unit.migration.tenant ? { tenant: unit.migration.tenant } : {}),
      statements: unit.statements.length,
    };
    if (decision.action !== 'run') {
      outcomes.push({ ...base, status: 'already-applied', ran: 0 });
      context.onEvent({ kind: 'skip', unit: unit.migration.file, reason: 'already applied' });
      continue;
    }
    if (decision.from > 0) context.onEvent({ kind: 'resume', unit: unit.migration.file, statement: decision.from + 1, of: unit.statements.length });
    const run = decision.run ?? context.registry.nextSeq();
    const outcome: MigrationOutcome = {
      ...base,
      status: context.dryRun ? 'validated' : 'applied',
      ran: 0,
      ...(decision.from > 0 ? { resumedAt: decision.from + 1 } : {}),
    };
    outcomes.push(outcome);
    const record = (status: RegistryMigration['status'], applied: number, error?: string) =>
      rows.migration({
        migration: unit.key,
        ...(unit.migration.tenant ? { tenant: unit.migration.tenant } : {}),
        phase: unit.migration.phase,
        ...(unit.migration.version ? { version: unit.migration.version } : {}),
        description: unit.migration.description,
        kind: unit.migration.kind,
        file: unit.migration.file,
        checksum: unit.migration.checksum,
        run,
        statements: unit.statements.length,
        applied,
        status,
        ...(error ? { error } : {}),
      });
    record('running', decision.from);
    for (const statement of unit.statements.slice(decision.from)) {
      index += 1;
      if (context.stopRequested?.()) {
        record('failed', statement.ordinal, 'stopped by the user (interrupt)');
        await rows.flush();
        outcome.status = 'failed';
        return { outcomes, failure: interruptedFailure(unit, statement.ordinal, appliedNow) };
      }
      context.onEvent({
        kind: 'statement',
        index,
        total,
        unit: unit.migration.file,
        detail: `statement ${statement.ordinal + 1}/${unit.statements.length}`,
        label: `${context.dryRun ? 'validate ' : ''}${unit.migration.file} statement ${statement.ordinal + 1}/${unit.statements.length}`,
        sql: oneLine(statement.sql),
      });
      const lost = context.lock ? await context.lock.keepAlive() : undefined;
      if (lost) {
        await rows.flush();
        outcome.status = 'failed';
        return { outcomes, failure: lost };
      }
      // Only a statement that may run twice can wait unrecorded behind another one.
      if (!statement.rerunnable) await rows.flush();
      let settled: Settled | undefined;
      if (!context.dryRun && uncertain > 0 && statement.rerun.kind !== 'rerun') {
        settled = await settleUncertain(context, unit, statement, run, registry);
        if (settled.action === 'stop') {
          outcome.status = 'failed';
          return { outcomes, failure: settled.failure };
        }
      }
      const queryId = context.dryRun ? '' : `${context.queryIdPrefix}-${index}`;
      const problem =
        settled?.action === 'done'
          ? undefined
          : context.dryRun
            ? await context.validate(statement.sql)
            : await execute(context, statement, uncertain > 0, { run, checksum: unit.migration.checksum, queryId });
      uncertain -= 1;
      if (problem?.uncertain) {
        // Left `running`: the next deploy stops before it too, until clickplan repair says what it did.
        outcome.status = 'failed';
        await rows.flush();
        return { outcomes, failure: problem.failure(unit.migration.file, statement, '') };
      }
      if (problem) {
        outcome.status = 'failed';
        const ran = statement.ordinal;
        if (problem.ranOnSomeHosts) {
          // Queued in ZooKeeper for the hosts that are down: it is done as far as this deploy can tell.
          rows.statement(unit, run, statement);
          record('failed', ran + 1, problem.message);
        } else record('failed', ran, problem.message);
        await rows.flush();
        const failure = problem.failure(unit.migration.file, statement, stateLeft(appliedNow, unit, ran, problem.ranOnSomeHosts === true, context.dryRun));
        return { outcomes, failure };
      }
      rows.statement(unit, run, statement, queryId);
      if (!statement.rerunnable || rows.size >= STATEMENT_BATCH) await rows.flush();
      outcome.ran += 1;
      context.statementsRun += 1;
    }
    record('applied', unit.statements.length);
    appliedNow.push(unit.migration.file);
  }
  await rows.flush();
  return { outcomes };
}

/**
 * Most statements whose registry rows wait to be written together: the statements a deploy that
 * died may have run without recording them, which the next deploy runs again as uncertain.
 */
export const STATEMENT_BATCH = 64;

/**
 * Registry rows waiting to be written, one INSERT per table: a row per statement would cost a
 * request as long as a CREATE itself. Rows are written before a statement that must not run twice
 * and right after it (so that only it can be unrecorded when the deploy dies there), after
 * `STATEMENT_BATCH` statements, when a statement fails, and at the end. Nothing is written in a dry run.
 */
class RegistryRows {
  private migrations: MigrationRow[] = [];
  private statements: StatementRow[] = [];

  constructor(private readonly context: DeployContext) {}

  /** Statements waiting. */
  get size(): number {
    return this.statements.length;
  }

  /** A migration's new state; it replaces the state before when that one is still waiting (`running` of a file that is now `applied`). */
  migration(row: MigrationRow): void {
    if (this.context.dryRun) return;
    const last = this.migrations.at(-1);
    if (last && last.migration === row.migration && last.run === row.run) this.migrations.pop();
    this.migrations.push(row);
  }

  statement(unit: MigrationUnit, run: number, statement: MigrationStatement, queryId = ''): void {
    if (this.context.dryRun) return;
    this.statements.push({
      queryId,
      migration: unit.key,
      run,
      ordinal: statement.ordinal,
      hash: statement.hash,
      statement: shownStatement(statement.text),
      checksum: unit.migration.checksum,
    });
  }

  async flush(): Promise<void> {
    const migrations = this.migrations;
    const statements = this.statements;
    this.migrations = [];
    this.statements = [];
    // Statements first: a deploy killed between the two INSERTs then leaves a file `running` with its
    // statements recorded (the next deploy finds nothing left to run in it), never `applied` without
    // them (seen in test/deploy-server.test.ts's kill test: three statement rows lost).
    await this.context.registry.recordStatements(statements);
    await this.context.registry.recordMigrations(migrations);
  }
}

/**
 * How many of the pending statements (in deploy order) a deploy that died may have run without
 * recording them: the first alone when it must not run twice (rows are written before and after
 * it), else the rerunnable statements from there, as many as wait for one batch of rows.
 */
export function uncertainCount(pending: readonly MigrationStatement[]): number {
  if (pending[0] && !pending[0].rerunnable) return 1;
  let count = 0;
  while (count < pending.length && count < STATEMENT_BATCH && pending[count]?.rerunnable) count++;
  return count;
}

async function execute(
  context: DeployContext,
  statement: MigrationStatement,
  uncertain: boolean,
  tag: { run: number; checksum: string; queryId: string },
): Promise<StatementProblemLike | undefined> {
  // Every INSERT carries a token of its migration and statement: sent again, its blocks are dropped
  // as duplicates where the table keeps a deduplication window (uncertain.ts).
  const token: Record<string, string | number> =
    statement.kind === 'Insert' && context.insertDeduplication ? deduplicationSettings(deduplicationToken(tag.checksum, tag.run, statement.ordinal)) : {};
  const settings = {
    ...token,
    ...statement.settings,
    ...(isAlterOrMutation(statement.kind) ? context.syncSettings : {}),
    ...context.clusterSettings(statement.sql),
  };
  // CREATE/DROP DATABASE resolve no unqualified names, and their database may not exist yet (or any more).
  const database =
    statement.kind === 'CreateDatabase' || (statement.kind === 'Drop' && / DATABASE /i.test(statement.sql.slice(0, 30)))
      ? {}
      : { database: statement.database };
  const afterLostAnswer = await lostAnswerCheck(context, statement);
  const run = () =>
    runStatement(context.execution, statement.sql, {
      ...database,
      settings,
      uncertain,
      ...(tag.queryId ? { queryId: tag.queryId } : {}),
      ...(afterLostAnswer ? { afterLostAnswer } : {}),
    });
  // A server runs other requests meanwhile: the lock is extended while the statement runs. The
  // embedded engine is in this process, where no other deploy can open it.
  const outcome = context.lock && context.target.kind === 'server' ? await context.lock.whileRunning(run) : await run();
  if (outcome.ok) return undefined;
  if (outcome.uncertain !== undefined) {
    const why = outcome.uncertain;
    return {
      message: why,
      uncertain: true,
      failure: (unit, s) =>
        deployFailure({
          code: 'deploy-statement-uncertain',
          message: `Statement ${s.ordinal + 1} of ${unit} lost its answer (${outcome.error.message}) and may have taken effect; it cannot be sent again safely: ${why}.`,
          help: 'Find out whether it took effect, then record it with `clickplan repair --resolve applied --reason "..."` (it ran) or `clickplan repair --resolve not-applied --reason "..."` (it did not), and deploy again.',
          file: unit,
          statement: s.ordinal + 1,
          ...(s.line ? { line: s.line } : {}),
          sql: oneLine(s.sql),
          state: `Statements 1-${s.ordinal} of ${unit} ran and are recorded; statement ${s.ordinal + 1} waits for clickplan repair.`,
        }),
    };
  }
  return context.describeFailure(outcome);
}

/**
 * What to do when a statement's answer is lost (a network failure) before retrying it: statements
 * that are harmless twice are retried; an INSERT only where its token deduplicates it; a mutation
 * only when system.mutations shows it did not start (then: done if it did).
 */
async function lostAnswerCheck(
  context: DeployContext,
  statement: MigrationStatement,
): Promise<(() => Promise<'retry' | 'done' | { uncertain: string }>) | undefined> {
  const { rerun } = statement;
  if (rerun.kind === 'rerun') return undefined;
  if (rerun.kind === 'stop') return async () => ({ uncertain: rerun.why });
  const database = rerun.table.database ?? statement.database;
  if (rerun.kind === 'deduplicate')
    return async () => {
      if (!context.insertDeduplication)
        return { uncertain: `running the INSERT again would add its rows twice: ${context.target.description} has no insert_deduplication_token` };
      const dedup = await isDeduplicated(context.target, database, rerun.table.name);
      return dedup.ok ? 'retry' : { uncertain: `running the INSERT again would add its rows twice: ${dedup.why}` };
    };
  // The server's time before the mutation starts: any mutation of the table from then on may be its own.
  const [now] = await context.target.query<{ t: string }>('SELECT toString(now()) AS t');
  const since = now?.t ?? '1970-01-02 00:00:00';
  return async () => {
    const found = await lookUpMutation(context.target, database, rerun.table.name, rerun.commands, since);
    if (found.state === 'none') return 'retry';
    if (found.state === 'found') return 'done';
    return { uncertain: `${database}.${rerun.table.name} has mutations since ${since} that do not read as this statement (${found.commands.join('; ')})` };
  };
}

function stateLeft(appliedNow: string[], unit: MigrationUnit, ran: number, queued: boolean, dryRun: boolean): string {
  if (dryRun) return 'Nothing was changed (dry run).';
  const before = appliedNow.length
    ? `${plural(appliedNow.length, 'migration file')} before it ${appliedNow.length === 1 ? 'was' : 'were'} applied and recorded (${appliedNow.join(', ')}). `
    : '';
  const within = queued
    ? `Statements 1-${ran + 1} of ${unit.migration.file} ran (the last one on the hosts that answered, queued for the others) and are recorded`
    : ran > 0
      ? `Statements 1-${ran} of ${unit.migration.file} ran and are recorded; statement ${ran + 1} did not take effect`
      : `No statement of ${unit.migration.file} ran`;
  return `${before}${within}. Run the deploy again once the cause is fixed: it resumes at statement ${queued ? ran + 2 : ran + 1}.`;
}

/** New versioned migrations below the highest version applied in their tenant and phase. */
function outOfOrder(units: MigrationUnit[], decisions: Decision[], registry: RegistryState): { unit: MigrationUnit; highest: string }[] {
  const highest = new Map<string, string>();
  for (const [key, recorded] of registry.migrations) {
    const match = /^(.*\/)V(\d+(?:\.\d+)*)$/.exec(key);
    if (!match || recorded.status !== 'applied') continue;
    const scope = match[1] ?? '';
    const version = match[2] ?? '';
    const before = highest.get(scope);
    if (!before || compareVersions(version, before) > 0) highest.set(scope, version);
  }
  return units.flatMap((unit, i) => {
    const { migration } = unit;
    if (migration.kind !== 'versioned' || !migration.version || registry.migrations.has(unit.key) || decisions[i]?.action !== 'run') return [];
    const top = highest.get(unit.key.slice(0, unit.key.lastIndexOf('/') + 1));
    return top && compareVersions(migration.version, top) < 0 ? [{ unit, highest: top }] : [];
  });
}

type Settled = { action: 'run' } | { action: 'done' } | { action: 'stop'; failure: DeployFailure };

/**
 * The first statement after a deploy that died, when running it again is not harmless: an INSERT
 * runs again only where its token deduplicates it; a mutation is looked up in system.mutations;
 * anything else stops the deploy before it runs, for a person to decide (clickplan repair).
 */
async function settleUncertain(
  context: DeployContext,
  unit: MigrationUnit,
  statement: MigrationStatement,
  run: number,
  registry: RegistryState,
): Promise<Settled> {
  const { rerun } = statement;
  // The statement started after the last row recorded for its file (rows are written before a
  // statement that is not rerunnable): mutations older than that are not its own.
  const recorded = registry.statements.get(runKey(unit.key, run)) ?? [];
  const since =
    [registry.migrations.get(unit.key)?.at, ...recorded.map((r) => r.at)]
      .filter((at): at is string => !!at)
      .sort()
      .at(-1) ??
    registry.interrupted?.at ??
    '1970-01-02 00:00:00';
  const stop = (why: string) => ({ action: 'stop' as const, failure: uncertainFailure(unit, statement, registry, why) });
  if (rerun.kind === 'stop') return stop(rerun.why);
  if (rerun.kind === 'deduplicate') {
    const dedup = await isDeduplicated(context.target, rerun.table.database ?? statement.database, rerun.table.name);
    if (!dedup.ok) return stop(`running the INSERT again would add its rows twice: ${dedup.why}`);
    context.execution.stats.notes.push(
      `Statement ${statement.ordinal + 1} of ${unit.migration.file} may have run when the previous deploy stopped; it ran again with its deduplication token (${dedup.why}), which adds its rows only if they are not there.`,
    );
    return { action: 'run' };
  }
  if (rerun.kind === 'mutation') {
    const database = rerun.table.database ?? statement.database;
    const earlier = unit.statements.slice(0, statement.ordinal).flatMap((s) => (s.rerun.kind === 'mutation' ? [s.rerun.commands] : []));
    const found = await lookUpMutation(context.target, database, rerun.table.name, rerun.commands, since, earlier);
    if (found.state === 'none') return { action: 'run' };
    if (found.state === 'found') {
      context.execution.stats.notes.push(
        `Statement ${statement.ordinal + 1} of ${unit.migration.file} had run when the previous deploy stopped: ${database}.${rerun.table.name} has its mutation ${found.mutationId}${found.done ? '' : ', still running'}; it counts as done.`,
      );
      return { action: 'done' };
    }
    return stop(`${database}.${rerun.table.name} has mutations since ${since} that do not read as this statement (${found.commands.join('; ')})`);
  }
  return { action: 'run' };
}

function uncertainFailure(unit: MigrationUnit, statement: MigrationStatement, registry: RegistryState, why: string): DeployFailure {
  const previous = registry.interrupted
    ? `the previous deploy (${registry.interrupted.deployId} by ${registry.interrupted.deployedBy}, started ${registry.interrupted.at})`
    : 'an earlier deploy';
  return deployFailure({
    code: 'deploy-statement-uncertain',
    message: `Statement ${statement.ordinal + 1} of ${unit.migration.file} (${unit.key}) may have run when ${previous} stopped, and whether it took effect cannot be told: ${why}.`,
    help: `Find out whether it took effect, then record it with \`clickplan repair --resolve applied --reason "..."\` (it ran) or \`clickplan repair --resolve not-applied --reason "..."\` (it did not), and deploy again.`,
    file: unit.migration.file,
    statement: statement.ordinal + 1,
    line: statement.line,
    sql: oneLine(statement.sql),
    state: `Nothing ran in this deploy. ${statement.ordinal > 0 ? `Statements 1-${statement.ordinal} of ${unit.migration.file} are recorded` : `No statement of ${unit.migration.file} is recorded`}; statement ${statement.ordinal + 1} waits for clickplan repair.`,
  });
}

function interruptedFailure(unit: MigrationUnit, ordinal: number, appliedNow: string[]): DeployFailure {
  const before = appliedNow.length ? `${plural(appliedNow.length, 'migration file')} applied and recorded (${appliedNow.join(', ')}); ` : '';
  return deployFailure({
    code: 'deploy-interrupted',
    message: `Stopped by an interrupt before statement ${ordinal + 1} of ${unit.migration.file}.`,
    help: 'Run the deploy again to go on from there.',
    file: unit.migration.file,
    statement: ordinal + 1,
    state: `${before}${ordinal > 0 ? `statements 1-${ordinal} of ${unit.migration.file} ran and are recorded` : `no statement of ${unit.migration.file} ran`}; the next deploy resumes at statement ${ordinal + 1}. The lock was released.`,
  });
}
