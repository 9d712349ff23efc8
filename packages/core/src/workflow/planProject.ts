import { isVersionedProject, pendingFromRegistry, readPendingMigrations, versionedPlan } from '../deploy/pending.js';
import { planAgainstSchema, planAgainstTarget, type TargetPlanOptions } from '../deploy/planTarget.js';
import type { RegistryState } from '../deploy/registry.js';
import { compareSecrets, compareSecretsWithSchema } from '../deploy/secretFingerprints.js';
import type { Analysis } from '../inspect/analyze.js';
import type { LiveSchema, Target } from '../live/types.js';
import type { Schema } from '../model/schema.js';
import { applyReplicationConvention } from '../plan/replication.js';
import type { Plan } from '../plan/types.js';
import { credentialUsers } from '../project/credentials.js';
import type { Project } from '../project/project.js';

// The one plan of a project, for the CLI's `plan`, the Action's review and deploy, and the editor's
// "Plan against": the repository's schema against the target (or against a schema standing for
// what is deployed), with clickplan.yaml's replication convention and the tenants' credentials left
// alone; for versioned layouts, the pending files as they will run come first.

/** What a plan needs of a loaded workspace. */
export interface PlannedWorkspace {
  project: Project;
  analysis: Analysis;
  /** The database unqualified names mean in the pending files (`resolveTarget`'s). */
  target: { database: string };
  cluster?: string;
}

export interface PlanProjectOptions {
  /** The repository as last deployed (a pull request's base): live differences it explains are drift. */
  base?: Schema;
  /**
   * Whether a versioned project's plan lists its pending files (default true). False: the schema
   * change alone, as a caller that adds the files itself wants it. No effect on declarative projects.
   */
  migrations?: boolean;
}

export interface ProjectPlan {
  plan: Plan;
  /** The live schema the plan was made from (for a saved plan's hashes). */
  live: LiveSchema;
  /** The target's deploy registry as read (empty for a snapshot, or when not read). */
  registry: RegistryState;
}

/** Plans a workspace against an open target: read what the repository manages, diff, order the steps; versioned layouts add what the registry has not applied. */
export async function planProject(workspace: PlannedWorkspace, target: Target, options: PlanProjectOptions = {}): Promise<ProjectPlan> {
  const { project, analysis } = workspace;
  const versioned = isVersionedProject(project);
  // Declarative projects always read the registry: its secrets fingerprints make a changed password a step.
  if (options.migrations === false && versioned) {
    const { plan, live } = await planAgainstTarget(analysis.schema, target, schemaPlanOptions(workspace, options));
    return { plan, live, registry: emptyRegistry() };
  }
  const pending = await readPendingMigrations(project, analysis, target, { ...pendingOptions(workspace), registry: project.config.registry });
  const { plan, live } = await planAgainstTarget(analysis.schema, target, {
    ...schemaPlanOptions(workspace, options),
    // Declarative: a password changed in the repository is a step, as apply plans it.
    ...(versioned ? {} : { secrets: compareSecrets(analysis.schema, pending.state) }),
  });
  return { plan: versioned ? versionedPlan(plan, pending) : plan, live, registry: pending.state };
}

/**
 * Plans a workspace against a schema that stands for what is deployed (a base checkout replayed by
 * the same model), without an engine; `registry` says which versioned files count as applied. This
 * is planProject after its read: the live side there is the server's DDL replayed by this model,
 * and the canonical hash makes the repository's DDL and the stored DDL compare equal.
 */
export function planAgainstDeployed(workspace: PlannedWorkspace, deployed: Schema, options: PlanProjectOptions & { registry?: RegistryState } = {}): Plan {
  const replication = workspace.project.config.replication;
  // What the base deployed carries the convention's replication arguments, as the repository's tables will.
  const live = replication ? applyReplicationConvention(deployed, replication) : deployed;
  // The deployed checkout's SQL holds its secrets: a changed password is a step here too.
  const secrets = compareSecretsWithSchema(workspace.analysis.schema, deployed);
  const plan = planAgainstSchema(workspace.analysis.schema, live, { ...schemaPlanOptions(workspace, options), secrets });
  if (options.migrations === false || !isVersionedProject(workspace.project)) return plan;
  return versionedPlan(plan, pendingFromRegistry(workspace.project, workspace.analysis, options.registry ?? emptyRegistry(), pendingOptions(workspace)));
}

/** The registry of a target nothing was deployed to. */
export function emptyRegistry(): RegistryState {
  return { exists: false, migrations: new Map(), statements: new Map(), objects: new Map() };
}

function schemaPlanOptions(workspace: PlannedWorkspace, options: PlanProjectOptions): TargetPlanOptions {
  return {
    ...(workspace.cluster ? { cluster: workspace.cluster } : {}),
    ...(options.base ? { base: options.base } : {}),
    replication: workspace.project.config.replication,
    credentials: credentialUsers(workspace.project),
  };
}

/** How the pending files run: the database unqualified names mean, the cluster, and the cluster of ALTERs of non-replicated tables. */
function pendingOptions(workspace: PlannedWorkspace) {
  const { alterCluster } = workspace.project.config.deploy;
  return {
    database: workspace.target.database,
    ...(workspace.cluster ? { cluster: workspace.cluster } : {}),
    ...(alterCluster ? { alterCluster } : {}),
  };
}
