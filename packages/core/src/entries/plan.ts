// `@clickplan/core/plan`: Changes to ordered executable steps, with strategy and risk.

export { planAgainstLive, planAgainstSchema, planAgainstTarget, scopeOf, type TargetPlan, type TargetPlanOptions } from '../deploy/planTarget.js';
export { buildPlan, type PlanOptions } from '../plan/plan.js';
export { maxRisk, type PendingMigration, type PendingStatement, type Plan, type PlanStep, RISK_ORDER, type Risk } from '../plan/types.js';
