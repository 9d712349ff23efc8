import type { Target } from '../../packages/core/src/live/types.js';
import { type CaseOutcome, type Finding, type OracleCase, runCase } from './check.js';
import { alterStatement, applyEdit, generateEdit, isLossless } from './edit.js';
import { generateScene } from './generate.js';
import type { CaseRunner } from './pool.js';
import { caseSeed, Random } from './random.js';
import { type EditSpec, type RenderContext, renderObject, type SceneSpec } from './spec.js';

// The oracle's loop: generate case i from (seed, i), run it, count, keep the first example of each
// disagreement category, shrink it.

export interface GeneratedCase {
  form: OracleCase['form'];
  scene: SceneSpec;
  edit?: EditSpec;
}

const PLACEHOLDERS: RenderContext = { database: '@db', functionPrefix: '@fn' };

/** `changes`: every case is a change (edit or alter) where the scene has one; otherwise 40% are objects alone. */
export function generateCase(random: Random, options: { changes?: boolean } = {}): GeneratedCase {
  const scene = generateScene(random);
  const draw = random.next();
  const roll = options.changes ? 0.4 + 0.6 * draw : draw;
  if (roll < 0.4) return { form: 'object', scene };
  const edit = generateEdit(random, scene);
  if (!edit) return { form: 'object', scene };
  return { form: roll < 0.7 ? 'edit' : 'alter', scene, edit };
}

/** The case as SQL with placeholders; undefined when the edit has no statement of that form. */
export function renderCase(generated: GeneratedCase): OracleCase | undefined {
  const statements = generated.scene.objects.map((o) => renderObject(o, PLACEHOLDERS));
  const edit = generated.edit;
  if (generated.form === 'object' || !edit) return { form: 'object', statements };
  if (generated.form === 'alter') {
    const alter = alterStatement(generated.scene, edit);
    return alter ? { form: 'alter', statements, alters: [alter], op: edit.op } : undefined;
  }
  const after = applyEdit(generated.scene, edit).objects.map((o) => renderObject(o, PLACEHOLDERS));
  return { form: 'edit', before: statements, after, op: edit.op, lossless: isLossless(edit, generated.scene) };
}

export interface OracleReport {
  cases: number;
  /** Case indexes 0..indexes-1 were run (a case with no statement of its form is skipped): `--count indexes` reproduces a run stopped by its deadline. */
  indexes: number;
  objectsGenerated: number;
  objectsAccepted: number;
  objectsAgreed: number;
  objectsDisagreed: number;
  changesGenerated: number;
  changesAccepted: number;
  changesConverged: number;
  /** Cases stopped after the time limit (recorded as `T:timeout:...` findings too). */
  timeouts: number;
  /** Cases whose process ended or threw (`T:crash:...`). */
  crashes: number;
  refused: Map<string, number>;
  refusalMessages: Map<string, string>;
  /** Findings per category. */
  categories: Map<string, number>;
  /** The first case of each category, and the finding's detail. */
  examples: Map<string, { index: number; generated: GeneratedCase; finding: Finding }>;
  millis: number;
}

export interface OracleOptions {
  count: number;
  seed: number;
  /** Only change cases (`--changes`): what a run aiming at a number of changes wants. */
  changes?: boolean;
  /** No case starts after this time (ms since the epoch): a run bounded by wall time; the report says how many ran. */
  deadline?: number;
  /** Called after each case with the number of cases done (progress output). */
  onCase?: (done: number, report: OracleReport) => void;
}

function contextOf(index: number): RenderContext {
  return { database: `oracle_${index}`, functionPrefix: `oracle${index}_` };
}

/** Runs cases 0..count-1 of `seed`, each runner taking the next case (one runner per process). */
export async function runOracle(runners: readonly CaseRunner[], options: OracleOptions): Promise<OracleReport> {
  const started = Date.now();
  const report: OracleReport = {
    cases: 0,
    indexes: 0,
    objectsGenerated: 0,
    objectsAccepted: 0,
    objectsAgreed: 0,
    objectsDisagreed: 0,
    changesGenerated: 0,
    changesAccepted: 0,
    changesConverged: 0,
    timeouts: 0,
    crashes: 0,
    refused: new Map(),
    refusalMessages: new Map(),
    categories: new Map(),
    examples: new Map(),
    millis: 0,
  };
  let next = 0;
  let done = 0;
  const work = async (runner: CaseRunner) => {
    for (let index = next++; index < options.count && Date.now() < (options.deadline ?? Infinity); index = next++) {
      report.indexes = Math.max(report.indexes, index + 1);
      const generated = generateCase(new Random(caseSeed(options.seed, index)), { changes: options.changes });
      const rendered = renderCase(generated);
      if (!rendered) continue;
      const outcome = await runner.run(rendered, index);
      count(report, rendered, outcome);
      for (const finding of outcome.findings) {
        report.categories.set(finding.category, (report.categories.get(finding.category) ?? 0) + 1);
        // The example is the lowest case of its category, whichever runner finished first.
        const known = report.examples.get(finding.category);
        if (!known || known.index > index) report.examples.set(finding.category, { index, generated, finding });
      }
      options.onCase?.(++done, report);
    }
  };
  await Promise.all(runners.map(work));
  report.millis = Date.now() - started;
  return report;
}

function count(report: OracleReport, rendered: OracleCase, outcome: CaseOutcome): void {
  report.cases += 1;
  if (outcome.stopped === 'timeout') report.timeouts += 1;
  if (outcome.stopped === 'crash') report.crashes += 1;
  report.objectsGenerated += rendered.form === 'edit' ? rendered.before.length : rendered.statements.length;
  report.objectsAccepted += outcome.objectsAccepted;
  report.objectsDisagreed += outcome.objectsDisagreeing;
  report.objectsAgreed += outcome.objectsAccepted - outcome.objectsDisagreeing;
  for (const [code, message] of outcome.refusalMessages) if (!report.refusalMessages.has(code)) report.refusalMessages.set(code, message);
  for (const refusal of outcome.refused) report.refused.set(refusal, (report.refused.get(refusal) ?? 0) + 1);
  if (rendered.form === 'object') return;
  report.changesGenerated += 1;
  if (!outcome.changeAccepted) return;
  report.changesAccepted += 1;
  if (!outcome.findings.some((f) => !f.category.startsWith('A:'))) report.changesConverged += 1;
}

/** Runs one rendered case alone, in this process (what a runner's worker does for each case). */
export async function runOne(target: Target, rendered: OracleCase, index = 0): Promise<CaseOutcome> {
  return runCase(target, rendered, contextOf(index));
}

const REQUIRED = new Set([
  'kind',
  'name',
  'columns',
  'attributes',
  'type',
  'engine',
  'query',
  'primaryKey',
  'source',
  'layout',
  'lifetime',
  'lambda',
  'op',
  'object',
  'args',
  'form',
  'scene',
  'objects',
]);

/** Smaller versions of a value: one array element removed, or one optional field, or the same inside a child. */
function* smaller(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    for (let i = 0; i < value.length; i++) for (const child of smaller(value[i])) yield value.map((v, j) => (j === i ? child : v));
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (REQUIRED.has(key)) continue;
      const { [key]: _dropped, ...rest } = record;
      yield rest;
    }
    for (const key of Object.keys(record)) {
      if (key === 'args') continue;
      for (const child of smaller(record[key])) yield { ...record, [key]: child };
    }
  }
}

/** The smallest case (greedy, at most `budget` runs) that still shows `category`. */
export async function shrinkCase(
  runner: CaseRunner,
  generated: GeneratedCase,
  category: string,
  budget = 40,
): Promise<{ minimal: OracleCase; finding?: Finding }> {
  let best = generated;
  let finding: Finding | undefined;
  let runs = 0;
  let improved = true;
  while (improved && runs < budget) {
    improved = false;
    for (const candidate of smaller(best) as Generator<GeneratedCase>) {
      if (runs++ >= budget) break;
      const rendered = renderCase(candidate);
      if (!rendered) continue;
      const outcome = await runner.run(rendered, 900000 + runs);
      const found = outcome.findings.find((f) => f.category === category);
      if (found) {
        finding = found;
        best = candidate;
        improved = true;
        break;
      }
    }
  }
  return { minimal: renderCase(best) as OracleCase, ...(finding ? { finding } : {}) };
}
