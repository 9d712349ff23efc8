import type { Diagnostic } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import type { Target } from '../live/types.js';
import { maxRisk, type PendingMigration, type PendingStatement, type Plan, type PlanStep, RISK_ORDER, type Risk } from '../plan/types.js';
import type { Project } from '../project/project.js';
import { RULES } from '../rules/index.js';
import { lintWithSuppressed } from '../rules/lint.js';
import { decide, type MigrationUnit, migrationKey, migrationUnits } from './migrations.js';
import { Registry, type RegistryState } from './registry.js';

// Versioned layouts: what a deploy will run, file by file and statement by statement, each with the
// risk lint sees in it. `plan` shows it, the PR comment shows it, and `apply` gates on it before
// the first statement runs.

/**
 * What a finding of each rule means for a deploy, in the plan's terms: `data-loss` destroys data or
 * lets rows be missed, `heavy` rewrites or copies data. Rules not listed judge style or safety of
 * the repository, not the cost of running it.
 */
export const RULE_RISK: Readonly<Record<string, Risk>> = {
  'destructive-statement': 'data-loss',
  'partition-or-engine-change': 'data-loss',
  'column-type-narrowing': 'data-loss',
  'enum-value-removed': 'data-loss',
  'mv-recreate-loses-inserts': 'data-loss',
  'column-type-rewrite': 'heavy',
  'materialize-mutation': 'heavy',
  'modify-ttl-materializes': 'heavy',
  'mutation-in-migration': 'heavy',
  // POPULATE copies the source's rows while the view is created (lint: mv-populate).
  'mv-populate': 'heavy',
};

/** A finding's risk at a place in a file; `reviewed` is the reason of the comment that suppressed it. */
interface FindingRisk {
  file: string;
  offset: number;
  risk: Risk;
  reason: string;
  reviewed?: string;
}

/** The risk findings of the repository, suppressed ones included, whatever severity clickplan.yaml gives the rules. */
function findingRisks(analysis: Analysis): FindingRisk[] {
  const only = RULES.filter((rule) => rule.id in RULE_RISK);
  const { diagnostics, suppressed } = lintWithSuppressed(analysis, { only });
  const of = (d: Diagnostic, reviewed?: string): FindingRisk => ({
    file: d.file,
    offset: d.range.start,
    risk: RULE_RISK[d.code] as Risk,
    reason: `${d.code}: ${d.message}`,
    ...(reviewed !== undefined ? { reviewed } : {}),
  });
  return [...diagnostics.filter((d) => d.code in RULE_RISK).map((d) => of(d)), ...suppressed.map((s) => of(s.finding, s.reason))];
}

/**
 * The migrations a deploy would run given the registry, with each statement's risk: the highest of
 * the findings in it. A statement whose every finding was suppressed with a reason is reviewed.
 * Applied files that changed are `refused` (the deploy stops before running anything).
 */
export function pendingMigrations(analysis: Analysis, units: readonly MigrationUnit[], registry: RegistryState) {
  const risks = findingRisks(analysis);
  const ranges = new Map<string, { start: number; end: number }[]>();
  for (const parsed of analysis.parsed)
    ranges.set(
      parsed.file,
      parsed.statements.filter((s) => s.kind !== 'Use' && s.kind !== 'Set').map((s) => ({ start: s.start, end: s.end })),
    );
  const migrations: PendingMigration[] = [];
  const refused: Diagnostic[] = [];
  for (const unit of units) {
    const decision = decide(unit, registry);
    if (decision.action === 'refuse') refused.push(decision.diagnostic);
    if (decision.action !== 'run') continue;
    const file = unit.migration.file;
    const statements = unit.statements.slice(decision.from).map((statement): PendingStatement => {
      const range = ranges.get(file)?.[statement.ordinal];
      const found = range ? risks.filter((r) => r.file === file && r.offset >= range.start && r.offset <= range.end) : [];
      const risk = maxRisk(found.map((r) => r.risk));
      const top = found.find((r) => r.risk === risk && r.reviewed === undefined) ?? found.find((r) => r.risk === risk);
      const reviewed = found.length > 0 && found.every((r) => r.reviewed !== undefined) ? top?.reviewed : undefined;
      return {
        ordinal: statement.ordinal,
        sql: statement.sql,
        database: statement.database,
        risk,
        ...(top ? { riskReason: top.reason } : {}),
        ...(reviewed !== undefined ? { reviewed } : {}),
      };
    });
    migrations.push({
      file,
      migration: unit.key,
      ...(unit.migration.tenant ? { tenant: unit.migration.tenant } : {}),
      resumeAt: decision.from,
      statements,
    });
  }
  return { migrations, refused };
}

/** The risk a versioned plan gates on: the highest of its statements that were not reviewed. */
export function pendingRisk(migrations: readonly PendingMigration[]): Risk {
  return maxRisk(migrations.flatMap((m) => m.statements.filter((s) => s.reviewed === undefined).map((s) => s.risk)));
}

/** A versioned plan: the pending files as they will run, then the resulting schema change (`schemaChange`'s steps). */
export function versionedPlan(schemaChange: Plan, pending: { migrations: PendingMigration[]; refused: Diagnostic[] }): Plan {
  return {
    ...schemaChange,
    migrations: pending.migrations,
    risk: pendingRisk(pending.migrations),
    diagnostics: [...pending.refused, ...schemaChange.diagnostics],
  };
}

export interface PendingOptions {
  /** Database unqualified names resolve to in files without a tenant. */
  database: string;
  cluster?: string;
  alterCluster?: string;
}

/** What a deploy would run on a target whose registry is `state`: changed applied files are `refused`. Pure. */
export function pendingFromRegistry(project: Project, analysis: Analysis, state: RegistryState, options: PendingOptions) {
  const units = migrationUnits(
    project,
    analysis,
    { ...(options.cluster ? { cluster: options.cluster } : {}), ...(options.alterCluster ? { alterCluster: options.alterCluster } : {}) },
    options.database,
  );
  const pending = pendingMigrations(analysis, units.units, state);
  return { ...pending, refused: [...units.diagnostics, ...pending.refused] };
}

/** Reads the target's registry (an absent one, or a snapshot's, is empty) and lists what a deploy would run. Changes nothing. */
export async function readPendingMigrations(project: Project, analysis: Analysis, target: Target, options: PendingOptions & { registry: string }) {
  const state: RegistryState =
    target.kind === 'snapshot'
      ? { exists: false, migrations: new Map(), statements: new Map(), objects: new Map() }
      : await new Registry(target, options.registry, { id: 'plan', by: 'clickplan plan' }).read();
  return { state, ...pendingFromRegistry(project, analysis, state, options) };
}

/** Whether a project deploys by migration files (versioned, repeatable) rather than by plan. */
export function isVersionedProject(project: Project): boolean {
  return project.migrations.some((m) => m.kind !== 'declarative');
}

/** A registry in which exactly the base checkout's versioned and repeatable files are applied: what a pull request's plan starts from. */
export function registryOfProject(base: Project): RegistryState {
  const state: RegistryState = { exists: true, migrations: new Map(), statements: new Map(), objects: new Map() };
  for (const migration of base.migrations) {
    if (migration.kind === 'declarative') continue;
    const key = migrationKey(migration);
    state.migrations.set(key, {
      migration: key,
      file: migration.file,
      checksum: migration.checksum,
      status: 'applied',
      run: 0,
      statements: 0,
      error: '',
      deployId: 'base',
      deployedBy: 'base',
      at: '',
    });
  }
  return state;
}

/** One thing a deploy would run that is riskier than allowed. */
export interface RiskyStep {
  /** `file statement n` (versioned) or `action kind object` (declarative). */
  where: string;
  risk: Risk;
  reason?: string;
}

/** The statements (versioned) or steps (declarative) riskier than `allowed`; reviewed statements pass. */
export function riskyStepsOf(plan: { steps: readonly PlanStep[]; migrations?: readonly PendingMigration[] }, allowed: Risk): RiskyStep[] {
  const above = (risk: Risk) => RISK_ORDER.indexOf(risk) > RISK_ORDER.indexOf(allowed);
  if (plan.migrations)
    return plan.migrations.flatMap((m) =>
      m.statements
        .filter((s) => s.reviewed === undefined && above(s.risk))
        .map((s) => ({ where: `${m.file} statement ${s.ordinal + 1}`, risk: s.risk, ...(s.riskReason ? { reason: s.riskReason } : {}) })),
    );
  return plan.steps
    .filter((s) => above(s.risk))
    .map((s) => ({ where: `${s.action} ${s.objectKind} ${s.object}`, risk: s.risk, ...(s.riskReason ? { reason: s.riskReason } : {}) }));
}
