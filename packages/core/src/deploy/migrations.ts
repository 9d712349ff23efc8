import type { Diagnostic } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import { oneLine } from '../live/failure.js';
import { plural } from '../plural.js';
import type { Migration } from '../project/migration.js';
import type { Project } from '../project/project.js';
import type { DeployContext, StatementProblemLike } from './context.js';
import { runStatement, shownStatement } from './execute.js';
import { type DeployFailure, deployFailure } from './failure.js';
import { type MigrationRow, type RegistryMigration, type RegistryState, runKey, type StatementRow } from './registry.js';
import { isAlterOrMutation, type MigrationStatement, prepareFile } from './statements.js';
import type { MigrationOutcome } from './types.js';

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
  return `${migration.tenant ?? ''}/${migration.phase}/${id}`;
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
      const problem = context.dryRun ? await context.validate(statement.sql) : await execute(context, statement, uncertain > 0);
      uncertain -= 1;
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
      rows.statement(unit, run, statement);
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

  statement(unit: MigrationUnit, run: number, statement: MigrationStatement): void {
    if (this.context.dryRun) return;
    this.statements.push({
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
    await Promise.all([this.context.registry.recordMigrations(migrations), this.context.registry.recordStatements(statements)]);
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

async function execute(context: DeployContext, statement: MigrationStatement, uncertain: boolean): Promise<StatementProblemLike | undefined> {
  const settings = { ...statement.settings, ...(isAlterOrMutation(statement.kind) ? context.syncSettings : {}), ...context.clusterSettings(statement.sql) };
  // CREATE/DROP DATABASE resolve no unqualified names, and their database may not exist yet (or any more).
  const database =
    statement.kind === 'CreateDatabase' || (statement.kind === 'Drop' && / DATABASE /i.test(statement.sql.slice(0, 30)))
      ? {}
      : { database: statement.database };
  const outcome = await runStatement(context.execution, statement.sql, { ...database, settings, uncertain });
  if (outcome.ok) return undefined;
  return context.describeFailure(outcome);
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
