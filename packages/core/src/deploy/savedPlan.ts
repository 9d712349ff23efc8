import { createHash } from 'node:crypto';
import { hashObject } from '../canon/canonical.js';
import type { Diagnostic } from '../diagnostics.js';
import { modelLiveSchema } from '../live/liveModel.js';
import type { LiveSchema } from '../live/types.js';
import type { Plan } from '../plan/types.js';
import { maskSql } from '../syntax/secrets.js';
import type { RegistryState } from './registry.js';

// A plan saved by `clickplan plan --out plan.json` and run by `clickplan apply --plan plan.json`
// (Terraform's saved plans). The file records what the plan was made from: the hash of every live
// object the repository manages and the registry's applied migrations. The deploy runs exactly the
// saved steps and refuses when either changed since, or when the repository now plans other steps.

/** Bumped when the saved plan file changes incompatibly. */
export const SAVED_PLAN_FORMAT = 1;

/** The saved plan file (JSON, snake_case keys). */
export interface SavedPlan {
  clickplan_saved_plan: typeof SAVED_PLAN_FORMAT;
  created_at: string;
  target: string;
  mode: 'versioned' | 'declarative';
  registry: string;
  /** Canonical hash of each live object the repository manages, by `<kind> <id>`. */
  live: Record<string, string>;
  /** Each migration (`<status> <checksum>`) and object (`object <id>`: `<status> <hash>`) the registry records. */
  applied: Record<string, string>;
  /** What runs, in order: where it comes from, its SQL with secrets hidden, and the SHA-256 of the SQL that runs. */
  run: { where: string; sql: string; sha256: string }[];
  risk: Plan['risk'];
}

/** The canonical hash of each live object, by `<kind> <id>`: two reads of an unchanged target give the same record. */
export function liveStateHashes(live: LiveSchema): Record<string, string> {
  const { schema } = modelLiveSchema(live);
  const hashes: Record<string, string> = {};
  for (const object of [...schema.objects].sort((a, b) => `${a.kind} ${a.id}`.localeCompare(`${b.kind} ${b.id}`)))
    hashes[`${object.kind} ${object.id}`] = hashObject(object);
  // Grants are not objects of the model: their text stands for them.
  for (const grant of [...live.grants].sort()) hashes[`grant ${grant}`] = '';
  return hashes;
}

/** The registry's migrations as the saved plan records them. */
export function appliedState(registry: RegistryState): Record<string, string> {
  const applied: Record<string, string> = {};
  for (const [key, m] of [...registry.migrations].sort(([a], [b]) => a.localeCompare(b))) applied[key] = `${m.status} ${m.checksum}`;
  // Declarative deploys plan from the objects the registry holds: they are part of the state too.
  for (const [id, o] of [...registry.objects].sort(([a], [b]) => a.localeCompare(b))) applied[`object ${id}`] = `${o.status} ${o.hash}`;
  return applied;
}

/** What a plan runs, in order: for versioned layouts each pending statement, else each step. */
export function planRun(plan: Plan): SavedPlan['run'] {
  // The file holds no secret (ClickHouse's [HIDDEN]); the hash still tells a changed password.
  const entry = (where: string, sql: string) => ({ where, sql: maskSql(sql), sha256: createHash('sha256').update(sql).digest('hex') });
  if (plan.migrations) return plan.migrations.flatMap((m) => m.statements.map((s) => entry(`${m.file} statement ${s.ordinal + 1}`, s.sql)));
  return plan.steps.map((s) => entry(`${s.action} ${s.objectKind} ${s.object}`, s.sql));
}

export function savePlan(plan: Plan, context: { target: string; registry: string; live: LiveSchema; registryState: RegistryState; now?: Date }): SavedPlan {
  return {
    clickplan_saved_plan: SAVED_PLAN_FORMAT,
    created_at: (context.now ?? new Date()).toISOString(),
    target: context.target,
    mode: plan.migrations ? 'versioned' : 'declarative',
    registry: context.registry,
    live: liveStateHashes(context.live),
    applied: appliedState(context.registryState),
    run: planRun(plan),
    risk: plan.risk,
  };
}

/**
 * Reads a saved plan file's text; anything else is a diagnostic at the file. Pure.
 */
export function parseSavedPlan(text: string, file: string): { value?: SavedPlan; diagnostics: Diagnostic[] } {
  const problem = (message: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [
      {
        code: 'saved-plan-invalid',
        severity: 'error',
        file,
        range: { start: 0, end: 0 },
        message,
        help: 'Write the plan again with clickplan plan --out <file>, then apply that file.',
      },
    ],
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return problem(`${file} is not JSON: ${(error as Error).message}.`);
  }
  const saved = value as Partial<SavedPlan> | null;
  if (!saved || typeof saved !== 'object' || !('clickplan_saved_plan' in saved)) return problem(`${file} is not a plan written by clickplan plan --out.`);
  if (saved.clickplan_saved_plan !== SAVED_PLAN_FORMAT)
    return problem(`${file} is a saved plan of format ${String(saved.clickplan_saved_plan)}; this ClickPlan reads format ${SAVED_PLAN_FORMAT}.`);
  if (typeof saved.live !== 'object' || typeof saved.applied !== 'object' || !Array.isArray(saved.run)) return problem(`${file} lacks live, applied or run.`);
  return { value: saved as SavedPlan, diagnostics: [] };
}

/** Why a saved plan no longer describes the target (empty when it still does): each live object or migration that changed. */
export function staleness(saved: SavedPlan, now: { live: Record<string, string>; applied: Record<string, string> }): string[] {
  return [...differences('object', saved.live, now.live), ...differences('migration', saved.applied, now.applied)];
}

function differences(what: string, before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => {
    if (before[key] === after[key]) return [];
    if (!(key in before)) return [`${what} ${key} appeared`];
    if (!(key in after)) return [`${what} ${key} is gone`];
    return [`${what} ${key} changed`];
  });
}

/** Where the steps a deploy would run now differ from the saved ones (the repository changed since the plan). */
export function runDifferences(saved: SavedPlan['run'], now: SavedPlan['run']): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(saved.length, now.length); i++) {
    const a = saved[i];
    const b = now[i];
    if (a && b && a.where === b.where && a.sha256 === b.sha256) continue;
    out.push(
      a && b
        ? `step ${i + 1} was ${a.where}, is now ${b.where}${a.where === b.where ? ' with other SQL' : ''}`
        : a
          ? `step ${i + 1} (${a.where}) is no longer planned`
          : `step ${i + 1} (${b?.where}) is new`,
    );
  }
  return out;
}
