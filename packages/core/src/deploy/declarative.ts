import type { Drift } from '../diff/diff.js';
import { type Analysis, analyzeFiles } from '../inspect/analyze.js';
import { oneLine } from '../live/failure.js';
import { objectKey, type Schema, type SchemaObject } from '../model/schema.js';
import { identifier, qualifiedName } from '../plan/nodes.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { plural } from '../plural.js';
import type { ReplicationConvention } from '../project/config.js';
import type { Statement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement } from '../syntax/printer.js';
import type { DeployContext } from './context.js';
import { runStatement } from './execute.js';
import type { DeployFailure } from './failure.js';
import { deployFailure } from './failure.js';
import { planAgainstTarget } from './planTarget.js';
import type { RegistryState } from './registry.js';
import { compareSecrets, secretFingerprint, secretsRecordKey } from './secretFingerprints.js';
import type { StepOutcome } from './types.js';

// Declarative layouts: the plan from the target's state to the repository's, step by step, with the
// object registry. The registry holds each object's canonical hash and definition as last deployed:
// it is the plan's base, so an object that differs live although the repository did not change it
// since is drift (reported, not planned away), and objects whose hash is unchanged and which match
// live are converged: no step touches them.

export interface DeclarativeRun {
  steps: StepOutcome[];
  converged: string[];
  drift: Drift[];
  failure?: DeployFailure;
}

export async function runDeclarative(
  context: DeployContext,
  analysis: Analysis,
  state: RegistryState,
  cluster: string | undefined,
  replication?: ReplicationConvention,
  approve?: (plan: Plan) => Promise<DeployFailure | undefined>,
): Promise<DeclarativeRun> {
  const base = baseSchema(state);
  // The key is made under the lock, by the first deploy that records a fingerprint; a dry run reads only.
  const secretsKey = context.dryRun ? state.secretsKey : await context.registry.secretsKey(state);
  const secrets = compareSecrets(analysis.schema, state);
  const { plan } = await planAgainstTarget(analysis.schema, context.target, {
    ...(cluster ? { cluster } : {}),
    ...(base ? { base } : {}),
    replication,
    secrets,
  });
  context.onEvent({ kind: 'plan', plan });
  const refused = await approve?.(plan);
  if (refused) return { steps: [], converged: [], drift: plan.drift, failure: refused };
  const touched = new Set(plan.steps.map((s) => s.object));
  const drifted = new Set(plan.drift.map((d) => d.id));
  const converged = analysis.schema.objects
    .filter((o) => !touched.has(o.id) && !drifted.has(o.id) && state.objects.get(o.id)?.hash === analysis.hashes.get(o.id))
    .map((o) => o.id)
    .sort();
  const steps: StepOutcome[] = plan.steps.map((s) => ({ object: s.object, action: s.action, status: 'pending' }));
  context.onEvent({ kind: 'start', mode: 'declarative', total: plan.steps.length, dryRun: context.dryRun });
  // By kind and id: a named collection may share its bare name with a database.
  const lastStepOf = new Map(plan.steps.map((s, i) => [objectKey(s.objectKind, s.object), i]));
  const desired = new Map(analysis.schema.objects.map((o) => [objectKey(o.kind, o.id), o]));
  for (const [index, step] of plan.steps.entries()) {
    context.onEvent({
      kind: 'statement',
      index: index + 1,
      total: plan.steps.length,
      unit: step.object,
      detail: step.action,
      label: `${context.dryRun ? 'validate' : step.action} ${step.objectKind} ${step.object}`,
      sql: oneLine(step.sql),
    });
    const lost = context.lock ? await context.lock.keepAlive() : undefined;
    if (lost) return { steps, converged, drift: plan.drift, failure: lost };
    if (context.stopRequested?.()) {
      const done = steps.filter((s) => s.status === 'applied').length;
      return {
        steps,
        converged,
        drift: plan.drift,
        failure: deployFailure({
          code: 'deploy-interrupted',
          message: `Stopped by an interrupt before step ${index + 1} of ${plan.steps.length} (${step.action} ${step.objectKind} ${step.object}).`,
          help: 'Run the deploy again to go on: the plan starts from what is there now.',
          file: step.object,
          statement: index + 1,
          state: `${plural(done, 'step')} before it ran and ${done === 1 ? 'is' : 'are'} recorded. The lock was released.`,
        }),
      };
    }
    const outcome = steps[index] as StepOutcome;
    const sql = withAlterCluster(step, context, desired);
    const problem = context.dryRun ? await context.validate(sql) : await runStep(context, { ...step, sql });
    if (problem) {
      outcome.status = 'failed';
      const done = steps.filter((s) => s.status === 'applied').length;
      const state = context.dryRun
        ? 'Nothing was changed (dry run).'
        : `${plural(done, 'step')} before it ran and ${done === 1 ? 'stays' : 'stay'} applied${problem.ranOnSomeHosts ? '; this step ran on the hosts that answered and is queued for the others' : ''}. Run the deploy again once the cause is fixed: the plan starts from what is there now.`;
      return { steps, converged, drift: plan.drift, failure: problem.failure(step.object, { ordinal: index, sql: step.sql }, state) };
    }
    outcome.status = context.dryRun ? 'validated' : 'applied';
    context.statementsRun += 1;
    const key = objectKey(step.objectKind, step.object);
    if (!context.dryRun && lastStepOf.get(key) === index) await recordObject(context, state, step, desired.get(key), analysis, secretsKey);
  }
  // Objects that already matched and that the registry does not know yet (or knows with another hash) are adopted.
  if (!context.dryRun)
    for (const object of analysis.schema.objects) {
      const hash = analysis.hashes.get(object.id) ?? '';
      if (touched.has(object.id) || drifted.has(object.id)) continue;
      if (state.objects.get(object.id)?.hash !== hash)
        await context.registry.recordObject({ object: object.id, kind: object.kind, hash, definition: definitionOf(object), status: 'present' });
      // Secrets the target may or may not have (the plan said so, once): from now on a change of them deploys.
      if (secretsKey && secrets.unrecorded.includes(object.id)) await recordSecrets(context, state, object, secretsKey);
    }
  return { steps, converged, drift: plan.drift };
}

/**
 * The step's SQL with the ALTER cluster for ALTER of a table that is not Replicated* (Distributed,
 * MergeTree): the planner puts the one configured cluster on every step, and servers refuse those
 * ALTERs on a cluster whose shards replicate internally (code 371).
 */
function withAlterCluster(step: PlanStep, context: DeployContext, desired: Map<string, SchemaObject>): string {
  if (!context.alterCluster || step.action !== 'alter' || step.objectKind !== 'table') return step.sql;
  const object = desired.get(objectKey(step.objectKind, step.object));
  const engine = object?.definition.kind === 'CreateTable' ? object.definition.storage?.engine?.name.name : undefined;
  if (engine?.startsWith('Replicated')) return step.sql;
  const [statement] = parseSql(step.sql).statements;
  if (statement?.kind !== 'AlterTable' || !statement.onCluster) return step.sql;
  return printStatement({ ...statement, onCluster: identifier(context.alterCluster) });
}

async function runStep(context: DeployContext, step: PlanStep) {
  const settings = { ...(step.action === 'alter' ? context.syncSettings : {}), ...context.clusterSettings(step.sql) };
  const run = () => runStatement(context.execution, step.sql, { database: step.database, settings, queryId: `${context.queryIdPrefix}-${step.object}` });
  const outcome = context.lock && context.target.kind === 'server' ? await context.lock.whileRunning(run) : await run();
  return outcome.ok ? undefined : context.describeFailure(outcome);
}

async function recordObject(
  context: DeployContext,
  state: RegistryState,
  step: PlanStep,
  object: SchemaObject | undefined,
  analysis: Analysis,
  secretsKey: string | undefined,
): Promise<void> {
  if (!object) {
    await context.registry.recordObject({ object: step.object, kind: step.objectKind, hash: '', definition: '', status: 'dropped' });
    const recorded = secretsRecordKey(step.objectKind, step.object);
    if (secretsKey && state.secrets?.get(recorded)) await context.registry.recordSecrets(recorded, '');
    return;
  }
  if (secretsKey) await recordSecrets(context, state, object, secretsKey);
  await context.registry.recordObject({
    object: object.id,
    kind: object.kind,
    hash: analysis.hashes.get(object.id) ?? '',
    definition: definitionOf(object),
    status: 'present',
  });
}

/** Records the fingerprint of the object's secrets as the repository has them ('' when it has none any more). */
async function recordSecrets(context: DeployContext, state: RegistryState, object: SchemaObject, key: string): Promise<void> {
  const fingerprint = secretFingerprint(object, key) ?? '';
  const recorded = secretsRecordKey(object.kind, object.id);
  if (fingerprint !== (state.secrets?.get(recorded) ?? '')) await context.registry.recordSecrets(recorded, fingerprint);
}

/** The object's CREATE statement under its qualified name; empty when the printer cannot write it. */
export function definitionOf(object: SchemaObject): string {
  const definition = object.definition as Statement;
  const named =
    'name' in definition && definition.name.kind === 'QualifiedName' && object.database !== undefined
      ? ({ ...definition, name: qualifiedName(object.database, object.name) } as Statement)
      : definition;
  try {
    return printStatement(named);
  } catch {
    return '';
  }
}

/** The repository's state at the last deploy, from the definitions the registry holds. */
function baseSchema(state: RegistryState): Schema | undefined {
  const definitions = [...state.objects.values()].filter((o) => o.status === 'present' && o.definition).map((o) => `${o.definition};\n`);
  if (definitions.length === 0) return undefined;
  return analyzeFiles([{ file: '<registry>', text: definitions.join('') }]).schema;
}
