import type { Diagnostic } from '../diagnostics.js';
import { diffSchemas } from '../diff/diff.js';
import { modelLiveSchema } from '../live/liveModel.js';
import type { LiveSchema, ReadScope, Target } from '../live/types.js';
import type { Schema } from '../model/schema.js';
import { buildPlan, type PlanOptions } from '../plan/plan.js';
import { applyReplicationConvention } from '../plan/replication.js';
import type { Plan } from '../plan/types.js';
import type { ReplicationConvention } from '../project/config.js';

// The one place where a plan meets a target: read what the repository manages, model it with the
// same parser and model as the repository, diff, plan.

export interface TargetPlan {
  plan: Plan;
  live: LiveSchema;
  /** What the live schema could not show, and DDL our parser could not read back. */
  liveDiagnostics: Diagnostic[];
}

/** What a repository manages: its databases (created or used), users and roles. */
export function scopeOf(desired: Schema): ReadScope {
  const databases = new Set(desired.externalDatabases);
  for (const object of desired.objects) {
    if (object.kind === 'database') databases.add(object.name);
    else if (object.database !== undefined) databases.add(object.database);
  }
  const named = (kind: string) => desired.objects.filter((o) => o.kind === kind).map((o) => o.name);
  const history = desired.history.flatMap((e) => (e.kind === 'dropped' && e.objectKind === 'database' ? [e.id] : []));
  return { databases: [...databases, ...history].sort(), users: named('user'), roles: named('role') };
}

/** How a plan is made beyond the steps: the base for drift, and the replication convention of clickplan.yaml. */
export type TargetPlanOptions = PlanOptions & { base?: Schema; replication?: ReplicationConvention | undefined };

export async function planAgainstTarget(desired: Schema, target: Target, options: TargetPlanOptions = {}): Promise<TargetPlan> {
  const live = await target.readSchema(scopeOf(desired));
  return planAgainstLive(desired, live, options);
}

/** Pure: the plan from a live schema already read (a snapshot, or a target's answer). */
export function planAgainstLive(repository: Schema, live: LiveSchema, options: TargetPlanOptions = {}): TargetPlan {
  const modelled = modelLiveSchema(live, 'default');
  const liveSize = new Map(
    live.tables.filter((t) => t.totalRows !== undefined).map((t) => [`${t.database}.${t.name}`, { rows: t.totalRows ?? 0, bytes: t.totalBytes ?? 0 }]),
  );
  const plan = planAgainstSchema(repository, modelled.schema, { ...options, liveSize });
  const gaps: Diagnostic[] = live.gaps.map((gap) => ({
    code: 'live-gap',
    severity: 'warning',
    file: '<target>',
    range: { start: 0, end: 0 },
    message: `Could not read ${gap.what} from the target: ${gap.reason}.`,
    help: 'The plan cannot see these objects: it may propose creating what exists, and misses differences in them.',
  }));
  // What the live side could not show makes the plan less certain: it is part of the plan's output.
  const liveDiagnostics = [...gaps, ...modelled.diagnostics];
  return { plan: { ...plan, diagnostics: [...plan.diagnostics, ...liveDiagnostics] }, live, liveDiagnostics };
}

/**
 * Pure: the plan from a live side already modelled (a target's DDL, or another checkout of the
 * repository standing for what is deployed). Tables the repository writes without replication
 * arguments get the convention's, as the deploy writes them.
 */
export function planAgainstSchema(repository: Schema, live: Schema, options: TargetPlanOptions = {}): Plan {
  const desired = options.replication ? applyReplicationConvention(repository, options.replication) : repository;
  const diff = diffSchemas({ desired, live, ...(options.base ? { base: options.base } : {}) });
  return buildPlan(diff, desired, live, options);
}
