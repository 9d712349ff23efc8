import { relative, resolve } from 'node:path';
import {
  type Diagnostic,
  emptyRegistry,
  type FindingFix,
  judge,
  type Plan,
  type Project,
  type PullRequestAnalyzer,
  planAgainstDeployed,
  pullRequestAnalyzer,
  type ReviewReport,
  type ReviewSuppression,
  RULES,
  readSuppressions,
  registryOfProject,
  rulesToTellOld,
  type Schema,
} from '@clickplan/core';
import type { BaseTree } from './base.js';
import type { ActionInputs } from './inputs.js';
import { baseHasProject, emptySchema, hasErrors, type LoadedProject, lintProject, openActionTarget, planOnTarget, readProject, targetSpec } from './project.js';

// Review mode for one project directory: what the pull request changes, linted and planned, as a
// report for the comment, the job summary, the annotations and the SARIF file.

export interface ProjectReview {
  loaded: LoadedProject;
  report: ReviewReport;
  /** Every diagnostic of the project, judged or not, for SARIF. */
  diagnostics: Diagnostic[];
  /** The fixes the findings offer, for SARIF. */
  fixes: ReadonlyMap<Diagnostic, readonly FindingFix[]>;
  plan?: Plan;
}

export interface ReviewContext {
  inputs: ActionInputs;
  env: NodeJS.ProcessEnv;
  /** The pull request's base, when it could be read. */
  base?: BaseTree;
  /** Why there is no base (not a pull request, or git could not read it). */
  baseMissing?: string;
  /** Analyse the base and the head each on its own, instead of the head as an edit of the base (the same result, slower). */
  full?: boolean;
}

export async function reviewProject(path: string, context: ReviewContext): Promise<ProjectReview> {
  const { inputs, env, base } = context;
  const analyzer = pullRequestAnalyzer({ full: context.full });
  // The base first: the head's analysis reuses what did not change.
  const baseState = base ? readBaseState(path, context, base, analyzer) : undefined;
  const loaded = readProject(path, inputs, env, { analyze: analyzer.head });
  // Against the base, an applied migration edited in the pull request is a finding.
  const { diagnostics: findings, fixes } = lintProject(loaded, baseState?.project);
  const diagnostics = [...loaded.diagnostics, ...findings];

  const { against, plan, planBlocked } = await reviewPlan(loaded, context, baseState);
  if (plan) diagnostics.push(...plan.diagnostics);

  const touched = touchedFile(loaded, base);
  // Judged: what is in a file the pull request touches, and what it newly causes elsewhere (a drop
  // that breaks a dictionary in an untouched file). Old findings in untouched files are not its doing.
  const untouched = diagnostics.filter((d) => !touched(d.file));
  const before = base && untouched.length > 0 ? baseState?.findings(untouched) : undefined;
  const judged = diagnostics.filter((d) => touched(d.file) || (base && !before?.has(findingKey(d, base.top))));
  const failOn = inputs.failOn ?? loaded.project.config.failOn;
  const failing = judge(judged, failOn).fails;
  const report: ReviewReport = {
    project: path,
    against,
    ...(plan ? { plan } : {}),
    ...(planBlocked ? { planBlocked } : {}),
    findings: judged,
    untouchedFindings: diagnostics.length - judged.length,
    suppressions: suppressionsIn(loaded, findings, touched),
    positions: loaded.positions,
    graph: loaded.analysis.graph,
    failOn,
    failing,
    docsUrl: inputs.docsUrl,
  };
  return { loaded, report, diagnostics, fixes, ...(plan ? { plan } : {}) };
}

/**
 * The plan the comment shows and what it is against. A target, when given, is what is deployed.
 * Without one, a deployed state stands in for it, planned by the same workflow function: the base
 * branch's migrations replayed (and, for versioned layouts, its files as applied), or, without a
 * base, an empty ClickHouse. A repository with errors, or a base with errors, gets no plan.
 */
async function reviewPlan(
  loaded: LoadedProject,
  context: ReviewContext,
  baseState: BaseState | undefined,
): Promise<{ against: string; plan?: Plan; planBlocked?: string }> {
  const { inputs, env, base } = context;
  const spec = targetSpec(inputs, loaded.project.config, env, 'review');
  const baseBranch = `the base branch (\`${short(base?.sha)}\`)`;
  if (hasErrors(loaded.diagnostics)) {
    const planBlocked = 'the repository has errors (below); a plan of a state ClickHouse would refuse would mislead. Fix them to see the plan.';
    return { against: spec ? 'the target' : 'the base branch', planBlocked };
  }
  if (spec) {
    const target = await openActionTarget(spec, inputs, env, loaded.project);
    try {
      // Versioned: what runs is the files the target's registry has not applied.
      return { against: target.description, plan: await planOnTarget(loaded, target, baseState?.schema) };
    } finally {
      await target.close();
    }
  }
  if (baseState?.problem) return { against: baseBranch, planBlocked: baseState.problem };
  if (!baseState?.schema) {
    const against = `an empty ClickHouse (${context.baseMissing ?? 'no base commit'}; give a \`target\` or a \`snapshot\` to plan against a real state)`;
    return { against, plan: planAgainstDeployed(loaded, emptySchema(), { registry: emptyRegistry() }) };
  }
  // Versioned: what runs is the files the base branch does not have (or changed); a project the base
  // does not have yet is planned as a schema change alone.
  const deployed = baseState.project ? { registry: registryOfProject(baseState.project) } : { migrations: false };
  return { against: baseBranch, plan: planAgainstDeployed(loaded, baseState.schema, deployed) };
}

interface BaseState {
  schema?: Schema;
  project?: Project;
  problem?: string;
  findings: (untouched: readonly Diagnostic[]) => Set<string>;
}

/** The base commit's schema of the project (empty when the pull request adds the project), or why it cannot serve. */
function readBaseState(path: string, context: ReviewContext, base: BaseTree, analyzer: PullRequestAnalyzer): BaseState {
  const copy = { root: base.root, top: base.top };
  if (!baseHasProject(path, copy)) return { schema: emptySchema(), findings: () => new Set() };
  const loaded = readProject(path, context.inputs, context.env, { base: copy, analyze: analyzer.base });
  // The base's findings, to tell old ones from new, when the head has findings in untouched files:
  // of the rules that found those (all of them when analysed on its own).
  const findings = (untouched: readonly Diagnostic[]) => {
    const only = context.full ? undefined : rulesToTellOld(untouched, RULES);
    return new Set([...loaded.diagnostics, ...lintProject(loaded, undefined, only).diagnostics].map((d) => findingKey(d, base.top, base.root)));
  };
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0)
    return {
      project: loaded.project,
      findings,
      problem: `the base branch (\`${short(base.sha)}\`) has ${errors} error${errors === 1 ? '' : 's'} of its own, so what it deployed is unknown; give a \`target\` or a \`snapshot\` to plan against.`,
    };
  return { schema: loaded.analysis.schema, project: loaded.project, findings };
}

/**
 * A finding as the same in the base and in the pull request: code, repository-relative file, message.
 * The base's SQL files go by the workspace's names; its configuration files, and the files their
 * messages name, by their paths in the temporary copy (`copy`): those are made repository-relative
 * too, or every such finding would count as new.
 */
function findingKey(d: Diagnostic, top: string, copy?: string): string {
  const file = resolve(d.file);
  const inCopy = copy !== undefined && !relative(copy, file).startsWith('..');
  let message = d.message;
  for (const dir of copy === undefined ? [top] : [copy, top]) message = message.split(`${resolve(dir).replace(/\\/g, '/')}/`).join('');
  return `${d.code}|${relative(inCopy ? copy : top, file).replace(/\\/g, '/')}|${message}`;
}

/**
 * Whether a diagnostic's file is one the pull request touches: those are judged. Without a base
 * everything is; a diagnostic about no file of the project (the target, the plan) always is.
 */
function touchedFile(loaded: LoadedProject, base: BaseTree | undefined): (file: string) => boolean {
  if (!base) return () => true;
  return (file) => !loaded.texts.has(file) || base.changed.has(relative(base.top, resolve(file)).replace(/\\/g, '/'));
}

/** Suppression comments in touched files that silenced a finding: the overrides a reviewer should see. */
function suppressionsIn(loaded: LoadedProject, findings: Diagnostic[], touched: (file: string) => boolean): ReviewSuppression[] {
  const known = new Set(RULES.map((r) => r.id));
  const unused = new Set(findings.filter((d) => d.code === 'unused-suppression').map((d) => `${d.file}:${d.range.start}`));
  return loaded.analysis.parsed
    .filter((p) => touched(p.file))
    .flatMap((p) => readSuppressions(p.file, loaded.texts.get(p.file) ?? '', p.comments, p.statements, known).suppressions)
    .filter((s) => !unused.has(`${s.file}:${s.range.start}`))
    .map((s) => ({ file: s.file, line: loaded.positions.at(s.file, s.range.start).line, ruleId: s.ruleId, reason: s.reason }));
}

function short(sha: string | undefined): string {
  return (sha ?? '').slice(0, 7);
}
