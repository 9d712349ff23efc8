// `@clickplan/core/workflow`: what the front ends call — the target and database of a run (one
// precedence: given, environment, clickplan.yaml), a loaded workspace, the plan of a project, and
// the gate's verdict.
export { type FailOn, isFailing, judge, judgePlan, type PlanVerdict, severityRank, type Verdict } from '../workflow/judge.js';
export { type LoadedWorkspace, loadWorkspace, openWorkspaceTarget, type WorkspaceOptions } from '../workflow/loadWorkspace.js';
export {
  emptyRegistry,
  type PlannedWorkspace,
  type PlanProjectOptions,
  type ProjectPlan,
  planAgainstDeployed,
  planProject,
} from '../workflow/planProject.js';
export {
  type GivenTarget,
  isEmbeddedSpec,
  type ResolvedTarget,
  resolveTarget,
  type TargetSource,
  type TargetSources,
} from '../workflow/resolveTarget.js';
