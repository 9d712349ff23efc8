import { canonicalColumnFacets, canonicalParts, hashObject } from '../../packages/core/src/canon/canonical.js';
import { applyPlan } from '../../packages/core/src/deploy/apply.js';
import { planAgainstLive, scopeOf } from '../../packages/core/src/deploy/planTarget.js';
import { diffSchemas } from '../../packages/core/src/diff/diff.js';
import { analyzeFiles } from '../../packages/core/src/inspect/analyze.js';
import { modelLiveSchema } from '../../packages/core/src/live/liveModel.js';
import { type LiveSchema, type Target, TargetError } from '../../packages/core/src/live/types.js';
import { objectKey, type Schema, type SchemaObject } from '../../packages/core/src/model/schema.js';
import type { Plan } from '../../packages/core/src/plan/types.js';
import type { ColumnDefinition } from '../../packages/core/src/syntax/ast.js';
import { type RenderContext, substitute } from './spec.js';

// The two properties, on one rendered case, against the embedded engine:
// A. every object the engine accepted hashes, from the repository DDL, as its stored form does
//    (read and modelled the way `plan` reads a live server: no engine in the canonical form);
//    a change that alters the stored form alters the hash.
// B. plan → apply → plan is empty; every printed statement parses (formatQuerySingleLine) and runs;
//    no data-loss step for a change that loses nothing; no step at all when nothing differs.
// Each disagreement is a finding with a stable category naming what differs or which step failed.

/** A case as SQL with placeholders (`@db`, `@fn`): what the generator renders and what a regression file keeps. */
export type OracleCase =
  | { form: 'object'; statements: string[] }
  | { form: 'alter'; statements: string[]; alters: string[]; op: string }
  | { form: 'edit'; before: string[]; after: string[]; op: string; lossless: boolean };

export interface Finding {
  category: string;
  detail: string;
}

export interface CaseOutcome {
  /** CREATE statements the engine ran. */
  objectsAccepted: number;
  /** Refusals by ClickHouse error code (`refused:<code>`), per statement. */
  refused: string[];
  /** The engine's message for each refusal code seen (one example each). */
  refusalMessages: Map<string, string>;
  /** The change part ran (edit or alter form), i.e. the change was accepted by the engine. */
  changeAccepted: boolean;
  /** Accepted objects whose hash differs from their stored form's. */
  objectsDisagreeing: number;
  findings: Finding[];
  /** Set when the case did not finish: stopped after its time limit, or its process ended. */
  stopped?: 'timeout' | 'crash';
}

const OBJECT_KINDS = new Set(['table', 'view', 'materialized-view', 'dictionary', 'function']);

function refusalCode(error: unknown): string {
  if (error instanceof TargetError) return `refused:${error.code ?? error.errorCode}`;
  return `refused:${error instanceof Error ? error.message.slice(0, 60) : String(error)}`;
}

/** Runs statements, keeping the accepted ones; a refused statement is left out of the repository too. */
async function runAll(target: Target, statements: string[], context: RenderContext, refused: string[], messages?: Map<string, string>): Promise<string[]> {
  const accepted: string[] = [];
  for (const statement of statements) {
    try {
      await target.execute(substitute(statement, context), { database: context.database });
      accepted.push(statement);
    } catch (error) {
      refused.push(refusalCode(error));
      messages?.set(refusalCode(error), `${error instanceof TargetError ? (error.serverMessage ?? error.message) : String(error)}\n   in: ${statement}`);
    }
  }
  return accepted;
}

function analyze(statements: string[], context: RenderContext) {
  const text = statements.map((s) => `${substitute(s, context)};\n`).join('\n');
  return analyzeFiles([{ file: 'case.sql', text }], { defaultDatabase: context.database });
}

/** Words of a canonical text with the case's names replaced by their placeholders. */
function words(text: string, context: RenderContext): string[] {
  const normalized = text.split(context.functionPrefix).join('@fn').split(context.database).join('@db');
  return normalized.match(/[A-Za-z_@][A-Za-z0-9_@]*/g) ?? [];
}

/** The first word one side has and the other has not: what a person reads to see the difference. */
function firstDifferentWord(ours: string, theirs: string, context: RenderContext): string {
  const a = words(ours, context);
  const b = words(theirs, context);
  const inB = new Set(b);
  const inA = new Set(a);
  const mine = a.find((w) => !inB.has(w));
  if (mine) return mine;
  const other = b.find((w) => !inA.has(w));
  return other ? `+${other}` : 'order';
}

function columnOf(object: SchemaObject, name: string): ColumnDefinition | undefined {
  const definition = object.definition;
  if (definition.kind !== 'CreateTable') return undefined;
  return definition.elements?.find((e): e is ColumnDefinition => e.kind === 'ColumnDefinition' && e.name.map((n) => n.name).join('.') === name);
}

/** What differs between our object and the server's, as category suffixes (`column.type:DateTime`, `settings:enable_json_type`). */
export function partDifferences(ours: SchemaObject, theirs: SchemaObject, context: RenderContext): { part: string; ours: string; theirs: string }[] {
  const a = new Map(canonicalParts(ours).map((p) => [p.key, p.text]));
  const b = new Map(canonicalParts(theirs).map((p) => [p.key, p.text]));
  const found: { part: string; ours: string; theirs: string }[] = [];
  const add = (part: string, x = '', y = '') => found.push({ part, ours: x, theirs: y });
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    const kind = key.split(':')[0] ?? key;
    if (x === undefined) {
      add(`${kind}:only-server`, '', y);
      continue;
    }
    if (y === undefined) {
      add(`${kind}:only-ours`, x, '');
      continue;
    }
    if (kind === 'column') {
      const name = key.slice('column:'.length);
      const [c, d] = [columnOf(ours, name), columnOf(theirs, name)];
      if (c && d) {
        const canon = { database: ours.contextDatabase, ctes: new Set<string>() };
        const [f, g] = [canonicalColumnFacets(c, canon), canonicalColumnFacets(d, canon)];
        for (const facet of ['type', 'default', 'comment', 'codec', 'statistics', 'ttl', 'settings'] as const) {
          if (f[facet] !== g[facet]) add(`column.${facet}:${firstDifferentWord(f[facet] ?? '', g[facet] ?? '', context)}`, x, y);
        }
        continue;
      }
    }
    add(`${kind}:${firstDifferentWord(x, y, context)}`, x, y);
  }
  if (found.length === 0 && hashObject(ours) !== hashObject(theirs))
    add(
      'part-order',
      canonicalParts(ours)
        .map((p) => p.key)
        .join(' '),
      canonicalParts(theirs)
        .map((p) => p.key)
        .join(' '),
    );
  return found;
}

interface LiveView {
  live: LiveSchema;
  schema: Schema;
  byKey: Map<string, SchemaObject>;
  unreadable: Set<string>;
}

async function readLive(target: Target, desired: Schema, context: RenderContext, functions: readonly string[]): Promise<LiveView> {
  const scope = scopeOf(desired);
  scope.databases = [...new Set([...scope.databases, context.database])];
  // Reading system.functions is the slowest query of a case (~100 ms, every built-in function is
  // listed): a case that never creates a function has none of its own to read.
  const live = await target.readSchema({ ...scope, functions: functions.length > 0 });
  // Only this case's functions: other functions of the process are not the case's.
  live.functions = live.functions.filter((f) => f.name.startsWith(context.functionPrefix));
  const modelled = modelLiveSchema(live, 'default');
  const unreadable = new Set(modelled.diagnostics.filter((d) => d.code === 'live-object-unreadable').map((d) => d.file.replace(/^<live (function )?|>$/g, '')));
  return { live, schema: modelled.schema, byKey: new Map(modelled.schema.objects.map((o) => [objectKey(o.kind, o.id), o])), unreadable };
}

/** Property A on every object of `desired`, and the plan of an unchanged schema (must be empty). */
function checkAgreement(prefix: string, desired: Schema, live: LiveView, context: RenderContext, findings: Finding[]): Set<string> {
  const disagreeing = new Set<string>();
  for (const object of desired.objects) {
    if (!OBJECT_KINDS.has(object.kind)) continue;
    const stored = live.byKey.get(objectKey(object.kind, object.id));
    if (!stored) {
      const name = object.kind === 'function' ? object.id : object.id;
      const category = live.unreadable.has(name) ? 'stored-unreadable' : 'missing-live';
      findings.push({ category: `${prefix}:${object.kind}:${category}`, detail: object.id });
      disagreeing.add(object.id);
      continue;
    }
    if (hashObject(stored) === hashObject(object)) continue;
    disagreeing.add(object.id);
    for (const d of partDifferences(object, stored, context))
      findings.push({ category: `${prefix}:${object.kind}:${d.part}`, detail: `${object.id}\nours:   ${d.ours}\nserver: ${d.theirs}` });
  }
  return disagreeing;
}

async function isParsedByClickHouse(target: Target, sql: string): Promise<boolean> {
  try {
    await target.query(`SELECT formatQuerySingleLine('${sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}') AS q`);
    return true;
  } catch {
    return false;
  }
}

async function checkPlanStatements(target: Target, plan: Plan, lossless: boolean, findings: Finding[]): Promise<void> {
  for (const step of plan.steps) {
    if (!(await isParsedByClickHouse(target, step.sql))) findings.push({ category: `B:step-unparseable:${step.action}:${step.objectKind}`, detail: step.sql });
    if (lossless && step.risk === 'data-loss')
      findings.push({ category: `B:false-data-loss:${step.action}:${step.objectKind}`, detail: `${step.sql} -- ${step.riskReason ?? ''}` });
  }
  for (const d of plan.diagnostics) if (d.code !== 'live-gap') findings.push({ category: `B:plan-diagnostic:${d.code}`, detail: d.message });
}

/** Property A on the objects `statements` create (already run), and the plan of the unchanged schema. */
async function checkState(prefix: string, statements: string[], target: Target, context: RenderContext, functions: readonly string[], findings: Finding[]) {
  const repository = analyze(statements, context);
  for (const d of repository.diagnostics)
    if (d.severity === 'error') findings.push({ category: `${prefix}:repository-diagnostic:${d.code}`, detail: `${d.message} in ${statements.join('; ')}` });
  const live = await readLive(target, repository.schema, context, functions);
  const disagreeing = checkAgreement(prefix, repository.schema, live, context, findings);
  const noop = planAgainstLive(repository.schema, live.live).plan;
  for (const step of noop.steps)
    if (!disagreeing.has(step.object))
      findings.push({ category: `${prefix === 'A' ? 'B' : prefix}:noop-step:${step.action}:${step.objectKind}`, detail: step.sql });
  return { live, disagreeing };
}

/** Runs one case in a fresh database (dropped after) and reports what it found. */
export async function runCase(target: Target, oracleCase: OracleCase, context: RenderContext): Promise<CaseOutcome> {
  const outcome: CaseOutcome = { objectsAccepted: 0, refused: [], refusalMessages: new Map(), changeAccepted: false, objectsDisagreeing: 0, findings: [] };
  const functions = functionNames(oracleCase);
  try {
    await target.execute(`CREATE DATABASE ${context.database}`);
    const creates = oracleCase.form === 'edit' ? oracleCase.before : oracleCase.statements;
    const accepted = await runAll(target, creates, context, outcome.refused, outcome.refusalMessages);
    outcome.objectsAccepted = accepted.length;
    const { live, disagreeing } = await checkState('A', accepted, target, context, functions, outcome.findings);
    outcome.objectsDisagreeing = disagreeing.size;
    if (oracleCase.form === 'alter' && accepted.length === creates.length) {
      const alters = await runAll(target, oracleCase.alters, context, outcome.refused, outcome.refusalMessages);
      outcome.changeAccepted = alters.length === oracleCase.alters.length;
      if (outcome.changeAccepted) {
        // What the ALTER's replay gets wrong: differences the state before the ALTER did not show.
        const replayFindings: Finding[] = [];
        await checkState(`R:${oracleCase.op}`, [...accepted, ...alters], target, context, functions, replayFindings);
        const seen = new Set(outcome.findings.map((f) => `${f.category.replace(/^[AB]:/, '')}|${f.detail}`));
        outcome.findings.push(...replayFindings.filter((f) => !seen.has(`${f.category.replace(/^R:[^:]+:/, '')}|${f.detail}`)));
      }
    }
    if (oracleCase.form !== 'edit' || accepted.length !== creates.length) return outcome;

    // The edited repository must itself be valid: created alone, in a scratch database.
    const scratch: RenderContext = { database: `${context.database}_x`, functionPrefix: `${context.functionPrefix}x_` };
    await target.execute(`CREATE DATABASE ${scratch.database}`);
    const scratchRefused: string[] = [];
    const afterAccepted = await runAll(target, oracleCase.after, scratch, scratchRefused);
    await dropCase(target, scratch, functions);
    if (afterAccepted.length !== oracleCase.after.length) {
      outcome.refused.push(...scratchRefused.map((r) => `after-edit:${r}`));
      return outcome;
    }
    outcome.changeAccepted = true;
    const desired = analyze(oracleCase.after, context).schema;
    const first = planAgainstLive(desired, live.live).plan;
    await checkPlanStatements(target, first, oracleCase.lossless, outcome.findings);
    const applied = await applyPlan(first, target, { retry: { attempts: 1, initialDelayMs: 1 } });
    if (applied.failure) {
      const { step, error } = applied.failure;
      outcome.findings.push({
        category: `B:step-refused:${step.action}:${step.objectKind}:${error.code ?? error.errorCode}`,
        detail: `${step.sql}\n-- ${error.serverMessage ?? error.message}`,
      });
      return outcome;
    }
    const liveAfter = await readLive(target, desired, context, functions);
    // A change that alters what the server stores must alter the hash.
    for (const before of live.live.tables) {
      const after = liveAfter.live.tables.find((t) => t.database === before.database && t.name === before.name);
      if (!after || after.createQuery === before.createQuery) continue;
      const [x, y] = [
        live.schema.objects.find((o) => o.id === `${before.database}.${before.name}`),
        liveAfter.schema.objects.find((o) => o.id === `${after.database}.${after.name}`),
      ];
      if (x && y && hashObject(x) === hashObject(y))
        outcome.findings.push({ category: `A:mutation-unseen:${x.kind}`, detail: `${before.createQuery}\n=> ${after.createQuery}` });
    }
    const second = planAgainstLive(desired, liveAfter.live).plan;
    if (second.steps.length) {
      const diff = diffSchemas({ desired, live: liveAfter.schema });
      for (const change of diff.changes) {
        const object = change.kind === 'drop' ? change.live : change.desired;
        const parts = change.kind === 'alter' ? partDifferences(change.desired, change.live, context) : [{ part: change.kind, ours: '', theirs: '' }];
        for (const d of parts) {
          // A difference the unchanged schema showed already is property A's finding, not the change's.
          if (outcome.findings.some((f) => f.category === `A:${object.kind}:${d.part}` && f.detail.startsWith(`${object.id}\n`))) continue;
          outcome.findings.push({
            category: `B:not-converged:${object.kind}:${d.part}`,
            detail: `after ${oracleCase.op}: ${object.id}\nours:   ${d.ours}\nserver: ${d.theirs}\nplan again: ${second.steps.map((s) => s.sql).join(';\n')}`,
          });
        }
      }
      if (diff.changes.length === 0)
        outcome.findings.push({
          category: 'B:not-converged:steps-without-diff',
          detail: `after ${oracleCase.op}: ${second.steps.map((s) => s.sql).join(';\n')}`,
        });
    }
    return outcome;
  } finally {
    await dropCase(target, context, functions);
  }
}

/** The functions a case's statements define (names after the `@fn` prefix): the only ones its plans can create. */
function functionNames(oracleCase: OracleCase): string[] {
  const statements =
    oracleCase.form === 'edit'
      ? [...oracleCase.before, ...oracleCase.after]
      : [...oracleCase.statements, ...(oracleCase.form === 'alter' ? oracleCase.alters : [])];
  return [...new Set(statements.flatMap((s) => [...s.matchAll(/\bFUNCTION\s+(?:IF\s+NOT\s+EXISTS\s+)?@fn(\w+)/gi)].map((m) => m[1] as string)))];
}

/** Drops the case's database and functions (functions are global in ClickHouse). */
async function dropCase(target: Target, context: RenderContext, functions: readonly string[]): Promise<void> {
  await target.execute(`DROP DATABASE IF EXISTS ${context.database} SYNC`);
  for (const name of functions) await target.execute(`DROP FUNCTION IF EXISTS \`${context.functionPrefix}${name}\``);
}
