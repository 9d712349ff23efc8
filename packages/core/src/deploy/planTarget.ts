import type { Diagnostic } from '../diagnostics.js';
import { diffSchemas } from '../diff/diff.js';
import { modelLiveSchema } from '../live/liveModel.js';
import type { LiveSchema, ReadScope, Target } from '../live/types.js';
import type { Schema } from '../model/schema.js';
import { grantSteps } from '../plan/grants.js';
import { buildPlan, type PlanOptions } from '../plan/plan.js';
import { applyReplicationConvention } from '../plan/replication.js';
import type { Plan } from '../plan/types.js';
import type { ReplicationConvention } from '../project/config.js';
import { type SecretComparison, unrecordedSecretsNote } from './secretFingerprints.js';

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
  const dropped = (kind: string) => desired.history.flatMap((e) => (e.kind === 'dropped' && e.objectKind === kind ? [e.id] : []));
  const collections = [...new Set([...named('named-collection'), ...dropped('named-collection')])].sort();
  return {
    databases: [...databases, ...dropped('database')].sort(),
    users: named('user'),
    roles: named('role'),
    rowPolicies: named('row-policy'),
    quotas: named('quota'),
    settingsProfiles: named('settings-profile'),
    ...(collections.length > 0 ? { namedCollections: collections } : {}),
  };
}

/** How a plan is made beyond the steps: the base for drift, and the replication convention of clickplan.yaml. */
export type TargetPlanOptions = PlanOptions & {
  base?: Schema;
  replication?: ReplicationConvention | undefined;
  /**
   * Users whose password and hosts `generate-credentials` sets (the active tenants' users,
   * `credentialUsers`): the plan does not compare their authentication or HOST with the repository.
   */
  credentials?: readonly string[];
  /** The repository's secrets against the registry's fingerprints (compareSecrets): changed ones are steps. */
  secrets?: SecretComparison;
};

/** Clauses that hold a user's credentials: how it authenticates and where from. */
const CREDENTIAL_CLAUSES = new Set(['IDENTIFIED', 'NOT IDENTIFIED', 'HOST']);

/** The live schema with the credentials of `users` taken from the repository, so they never differ. */
function withRepositoryCredentials(live: Schema, desired: Schema, users: readonly string[]): Schema {
  if (users.length === 0) return live;
  const wanted = new Map(desired.objects.filter((o) => o.kind === 'user' && users.includes(o.name)).map((o) => [o.name, o.definition]));
  const objects = live.objects.map((object) => {
    const repository = object.kind === 'user' ? wanted.get(object.name) : undefined;
    if (repository?.kind !== 'CreateAccessEntity' || object.definition.kind !== 'CreateAccessEntity') return object;
    const definition = {
      ...object.definition,
      clauses: [
        ...object.definition.clauses.filter((c) => !CREDENTIAL_CLAUSES.has(c.keyword)),
        ...repository.clauses.filter((c) => CREDENTIAL_CLAUSES.has(c.keyword)),
      ],
    };
    if (repository.identification) definition.identification = repository.identification;
    else delete definition.identification;
    return { ...object, definition };
  });
  return { ...live, objects };
}

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
  const compared = withRepositoryCredentials(live, desired, options.credentials ?? []);
  const diff = diffSchemas({
    desired,
    live: compared,
    ...(options.base ? { base: options.base } : {}),
    ...(options.secrets ? { secretsChanged: options.secrets.changed } : {}),
    ...(options.secrets?.changedEntries ? { entriesChanged: options.secrets.changedEntries } : {}),
  });
  const plan = buildPlan(diff, desired, compared, options);
  // Objects on the target whose secrets the registry cannot compare: said once, until a deploy records them.
  const onTarget = new Set(live.objects.map((o) => o.id));
  const unrecorded = desired.objects.filter((o) => onTarget.has(o.id) && options.secrets?.unrecorded.includes(o.id));
  const note = unrecordedSecretsNote(unrecorded);
  // Grants last: they need the users, roles and databases the steps before create.
  return {
    ...plan,
    steps: [...plan.steps, ...grantSteps(desired, live, options.cluster ? { cluster: options.cluster } : {})],
    diagnostics: note ? [...plan.diagnostics, note] : plan.diagnostics,
  };
}
