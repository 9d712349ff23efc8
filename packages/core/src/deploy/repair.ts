import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Analysis } from '../inspect/analyze.js';
import { oneLine, shownStatement } from '../live/failure.js';
import type { Target } from '../live/types.js';
import type { Project } from '../project/project.js';
import { defaultDeployer } from './deploy.js';
import { type DeployFailure, deployFailure } from './failure.js';
import { acquireLock, DeployLock, type LockOptions } from './lock.js';
import { decide, type MigrationUnit, migrationUnits } from './migrations.js';
import { Registry, type RegistryState } from './registry.js';

// `clickplan repair --resolve applied|not-applied --reason ...`: a person's decision about the
// statement a deploy stopped before because its outcome is unknown (deploy-statement-uncertain).
// The decision is recorded with who and when (table `repairs`), and the registry then reads as if
// the statement had been recorded (applied) or had never started (not applied).

export interface UncertainRepairOptions {
  resolution: 'applied' | 'not-applied';
  /** Why the person knows: required, kept in the registry. */
  reason: string;
  registry?: string;
  database?: string;
  /** Who decides (default: GITHUB_ACTOR or USER, with the host). */
  by?: string;
  lock?: LockOptions;
}

export interface UncertainRepairResult {
  /** The statement resolved. */
  repaired?: { file: string; migration: string; statement: number; sql: string; resolution: UncertainRepairOptions['resolution']; by: string };
  failure?: DeployFailure;
}

/** The statement a deploy would stop before: the first pending one after a deploy that died, when running it again is not harmless. */
export function uncertainStatement(units: MigrationUnit[], state: RegistryState): { unit: MigrationUnit; ordinal: number; run?: number } | undefined {
  const interrupted = state.interrupted !== undefined || [...state.migrations.values()].some((m) => m.status === 'running');
  if (!interrupted) return undefined;
  for (const unit of units) {
    const decision = decide(unit, state);
    if (decision.action !== 'run') continue;
    const statement = unit.statements[decision.from];
    if (!statement) continue;
    if (statement.rerun.kind === 'rerun') return undefined;
    return { unit, ordinal: decision.from, ...(decision.run !== undefined ? { run: decision.run } : {}) };
  }
  return undefined;
}

/** Records the decision about the uncertain statement, under the deploy lock. */
export async function repairUncertainStatement(
  project: Project,
  analysis: Analysis,
  target: Target,
  options: UncertainRepairOptions,
): Promise<UncertainRepairResult> {
  const registryName = options.registry ?? project.config.registry;
  const by = options.by ?? `${defaultDeployer()}@${hostname()}`;
  const registry = new Registry(target, registryName, { id: `repair-${randomBytes(6).toString('hex')}`, by });
  const probe = await registry.read();
  if (!probe.exists) return { failure: nothingToRepair(target, registryName) };
  const lock = await acquireLock(target, registryName, { ...options.lock, owner: `clickplan repair by ${by}` });
  if (!(lock instanceof DeployLock)) return { failure: lock };
  try {
    await registry.ensure();
    return await resolveUncertainStatement(project, analysis, target, registry, await registry.read(), { ...options, by });
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/**
 * Records the decision about the uncertain statement in `registry`, whose `state` was read under
 * the deploy lock the caller holds (`clickplan repair` runs it as one of its repairs). The decision
 * is a `repairs` row (`resolve-applied` / `resolve-not-applied`, with the statement's ordinal).
 */
export async function resolveUncertainStatement(
  project: Project,
  analysis: Analysis,
  target: Target,
  registry: Registry,
  state: RegistryState,
  options: Pick<UncertainRepairOptions, 'resolution' | 'reason' | 'database'> & { by: string },
): Promise<UncertainRepairResult> {
  const { units } = migrationUnits(project, analysis, {}, options.database ?? project.config.database);
  const found = uncertainStatement(units, state);
  const statement = found?.unit.statements[found.ordinal];
  if (!found || !statement) return { failure: nothingToRepair(target, registry.database) };
  const { unit, ordinal } = found;
  const run = found.run ?? registry.nextSeq();
  const applied = options.resolution === 'applied' ? ordinal + 1 : ordinal;
  const { migration } = unit;
  await registry.recordRepairs([
    {
      migration: unit.key,
      action: `resolve-${options.resolution}`,
      oldChecksum: state.migrations.get(unit.key)?.checksum ?? '',
      newChecksum: migration.checksum,
      reason: options.reason,
      ordinal,
    },
  ]);
  if (options.resolution === 'applied')
    await registry.recordStatements([
      { migration: unit.key, run, ordinal, hash: statement.hash, statement: shownStatement(statement.text), checksum: migration.checksum },
    ]);
  await registry.recordMigrations([
    {
      migration: unit.key,
      ...(migration.tenant ? { tenant: migration.tenant } : {}),
      phase: migration.phase,
      ...(migration.version ? { version: migration.version } : {}),
      description: migration.description,
      kind: migration.kind,
      file: migration.file,
      checksum: migration.checksum,
      run,
      statements: unit.statements.length,
      applied,
      status: applied === unit.statements.length ? 'applied' : 'failed',
      error: `repaired (${options.resolution}): ${options.reason}`,
    },
  ]);
  if (state.interrupted) await registry.recordDeployOf(state.interrupted.deployId, state.interrupted.deployedBy, 'repaired');
  return {
    repaired: {
      file: migration.file,
      migration: unit.key,
      statement: ordinal + 1,
      sql: oneLine(statement.sql),
      resolution: options.resolution,
      by: options.by,
    },
  };
}

function nothingToRepair(target: Target, registry: string): DeployFailure {
  return deployFailure({
    code: 'deploy-statement-uncertain',
    message: `No statement of ${target.description} (registry ${registry}) waits for a decision: the last deploy finished, or the statement it stopped at can safely run again.`,
    help: 'Run clickplan apply; clickplan repair --resolve is for a deploy that stopped with deploy-statement-uncertain.',
    state: 'Nothing was recorded.',
  });
}
