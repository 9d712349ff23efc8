import type { DeployResult, MigrationOutcome, StepOutcome } from '../deploy/types.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import type { Drift } from '../diff/diff.js';
import type { SchemaGraph } from '../graph/graph.js';
import type { ObjectKind } from '../model/schema.js';
import type { Plan, PlanStep, Risk } from '../plan/types.js';
import { plural } from '../plural.js';
import { docsLink } from '../rules/docsLink.js';
import { RULES } from '../rules/index.js';
import { maskSql } from '../syntax/secrets.js';
import { pendingMarkdown } from './plan.js';
import type { Positions } from './positions.js';

// The pull request comment and job summary of the GitHub Action: one report per project directory,
// found again by a hidden marker so each push updates it in place. GitHub refuses a comment body
// over 65,536 characters, so the report gives up detail in a fixed order (SQL, then the diagram,
// then rows past the first ones) and, if even that is too long, becomes a summary of counts that
// says where the full report is.

/** GitHub's limit on an issue comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

/** GitHub's limit on one step's job summary (1 MiB). */
export const JOB_SUMMARY_LIMIT = 1_048_576;

/** A suppression comment that silenced a finding in a file the change touches: an override a reviewer should see. */
export interface ReviewSuppression {
  file: string;
  line: number;
  ruleId: string;
  reason: string;
}

export interface ReviewReport {
  /** The project directory as the workflow names it; the marker and the heading carry it. */
  project: string;
  /** What the plan was made against, e.g. "the base branch (1a2b3c4)" or a target's description. */
  against: string;
  /** The plan; absent when the repository has errors (`planBlocked` says why). */
  plan?: Plan;
  planBlocked?: string;
  /** Findings the review judges: those in files the change touches, those it newly causes elsewhere, and those about no file. */
  findings: Diagnostic[];
  /** Findings that were there before, in files the change does not touch: counted, not listed, never failing. */
  untouchedFindings: number;
  suppressions: ReviewSuppression[];
  positions: Positions;
  /** The desired schema's graph: the diagram shows the changed objects and everything downstream. */
  graph: SchemaGraph;
  /** Lowest failing severity, or `never`. */
  failOn: Severity | 'never';
  /** Whether the findings reach `failOn` (before any override). */
  failing: boolean;
  /** The label that overrides a failing verdict, when the pull request carries it. */
  overriddenBy?: string;
  /** URL of the docs folder: rule pages are `<docsUrl>/rules/<id>.md`, error pages `<docsUrl>/errors/<code>.md`. */
  docsUrl: string;
  /** Where the full report is when the comment had to shrink (the workflow run's summary). */
  fullReportUrl?: string;
}

export interface CommentOptions {
  /** Longest allowed result, in UTF-16 code units (GitHub counts characters; this never undercounts). */
  limit?: number;
}

/** The hidden first line that identifies a project's comment among all comments of a pull request. */
export function reviewMarker(project: string): string {
  return `<!-- clickplan-review: ${encodeURIComponent(project)} -->`;
}

/** The marker of a deploy reply. */
export function deployMarker(project: string): string {
  return `<!-- clickplan-deploy: ${encodeURIComponent(project)} -->`;
}

/** Detail levels, most detailed first: the first one that fits the limit is used. */
const DETAIL_LEVELS: Detail[] = [
  { sql: true, diagram: true, rows: 500 },
  { sql: false, diagram: true, rows: 500 },
  { sql: false, diagram: false, rows: 500 },
  { sql: false, diagram: false, rows: 50 },
];

interface Detail {
  sql: boolean;
  diagram: boolean;
  /** Most steps and findings listed. */
  rows: number;
}

/** The review comment (and job summary) of one project, never longer than `options.limit`. */
export function renderReviewComment(report: ReviewReport, options: CommentOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  for (const detail of DETAIL_LEVELS) {
    const text = renderDetailed(report, detail);
    if (text.length <= limit) return text;
  }
  const summary = renderSummaryOnly(report);
  return summary.length <= limit ? summary : `${summary.slice(0, limit - 2)}…\n`;
}

/** The verdict in one line: passes or fails, counts by severity, steps and their highest risk. */
export function verdictLine(report: ReviewReport): string {
  const icon = report.failing ? (report.overriddenBy ? '🟡' : '❌') : '✅';
  const outcome = report.failing
    ? report.overriddenBy
      ? `fails on ${report.failOn}, overridden by the \`${report.overriddenBy}\` label`
      : `fails: findings at or above ${report.failOn}`
    : 'passes';
  const pending = report.plan?.migrations;
  const plan = pending
    ? pending.length === 0
      ? 'no pending migrations'
      : `${plural(pending.length, 'pending migration file')}, highest risk **${report.plan?.risk}**`
    : report.plan
      ? report.plan.steps.length === 0
        ? 'no changes to deploy'
        : `${plural(report.plan.steps.length, 'step')}, highest risk **${report.plan.risk}**`
      : 'no plan';
  return `${icon} **ClickPlan ${outcome}** · ${plan} · ${countsText(report.findings)} · against ${report.against}`;
}

function renderDetailed(report: ReviewReport, detail: Detail): string {
  const lines = heading(report);
  if (report.plan) lines.push(...planSection(report.plan, detail), ...driftSection(report.plan.drift, detail.rows));
  else lines.push(`**No plan:** ${report.planBlocked ?? 'the repository could not be planned.'}`, '');
  if (report.plan && report.plan.steps.length > 0 && detail.diagram) lines.push(...diagramSection(report));
  lines.push(...findingsSection(report, detail.rows), ...overrideSection(report));
  if (!detail.sql && report.plan && report.plan.steps.length > 0)
    lines.push(`_The plan SQL is left out to stay within GitHub's comment size limit; ${whereFull(report)}._`, '');
  return finish(lines);
}

function renderSummaryOnly(report: ReviewReport): string {
  const lines = heading(report);
  if (report.plan) {
    const byRisk = countBy(report.plan.steps, (s) => s.risk);
    const risks = (['data-loss', 'heavy', 'safe'] as Risk[]).filter((r) => byRisk.has(r)).map((r) => `${(byRisk.get(r) ?? 0).toLocaleString('en-US')} ${r}`);
    if (risks.length) lines.push(`Steps by risk: ${risks.join(', ')}.`, '');
    if (report.plan.drift.length)
      lines.push(`Drift: ${plural(report.plan.drift.length, 'object')} ${report.plan.drift.length === 1 ? 'differs' : 'differ'} on the target.`, '');
  }
  const byCode = countBy(report.findings, (d) => d.code);
  if (byCode.size) lines.push(`Findings by code: ${[...byCode].map(([code, n]) => `\`${code}\` ${n.toLocaleString('en-US')}`).join(', ')}.`, '');
  lines.push(`_This report is a summary: the full one is too long for a comment. ${capitalize(whereFull(report))}._`, '');
  return finish(lines);
}

function heading(report: ReviewReport): string[] {
  const lines = [reviewMarker(report.project), `### ClickPlan · \`${report.project}\``, '', verdictLine(report), ''];
  if (report.untouchedFindings > 0)
    lines.push(
      `<sub>${plural(report.untouchedFindings, 'older finding')} in files this change does not touch: not judged here; the SARIF file and \`clickplan lint\` list them.</sub>`,
      '',
    );
  return lines;
}

function planSection(plan: Plan, detail: Detail): string[] {
  const lines: string[] = [];
  if (plan.migrations) {
    // Versioned: what runs is the files, in order; the schema change is what they add up to.
    if (plan.migrations.length === 0) return ['No pending migrations: every migration file is applied.', ''];
    lines.push('**Pending migrations, as they will run:**', '');
    if (detail.sql) lines.push(...pendingMarkdown(plan.migrations));
    else lines.push(...plan.migrations.map((m) => `- \`${m.file}\`: ${plural(m.statements.length, 'statement')}`), '');
    lines.push(plan.steps.length ? '**Resulting schema change:**' : '_No resulting schema change (the files change data only)._', '');
    if (plan.steps.length === 0) return lines;
  } else if (plan.steps.length === 0) return ['No changes: the target already matches the repository.', ''];
  lines.push('| # | step | object | risk | why |', '|---:|---|---|---|---|');
  plan.steps.slice(0, detail.rows).forEach((step, i) => {
    const risk = step.riskReason ? `${RISK_ICONS[step.risk]} **${step.risk}**: ${cell(step.riskReason)}` : `${RISK_ICONS[step.risk]} ${step.risk}`;
    lines.push(`| ${i + 1} | ${step.action} ${kindText(step.objectKind)} | \`${cell(step.object)}\` | ${risk} | ${cell(step.reason)} |`);
  });
  if (plan.steps.length > detail.rows) lines.push('', `_…and ${plural(plan.steps.length - detail.rows, 'more step')}._`);
  lines.push('');
  if (detail.sql) {
    lines.push('<details><summary>Plan SQL</summary>', '', '```sql');
    lines.push(plan.steps.map(sqlWithContext).join('\n\n'));
    lines.push('```', '', '</details>', '');
  }
  return lines;
}

function driftSection(drift: Drift[], rows: number): string[] {
  if (drift.length === 0) return [];
  const lines = ['**Drift** — differs on the target although the repository did not change it (reported, not planned):', ''];
  for (const d of drift.slice(0, rows)) lines.push(`- ${d.kind} \`${d.id}\`: ${driftState(d)}`);
  if (drift.length > rows) lines.push(`- …and ${plural(drift.length - rows, 'more object')}`);
  lines.push('');
  return lines;
}

/** Changed objects and everything downstream of them, as a Mermaid flowchart (GitHub renders it). */
function diagramSection(report: ReviewReport): string[] {
  const { graph } = report;
  const changed = new Set((report.plan as Plan).steps.map((s) => s.object));
  const shown = new Set<string>();
  for (const id of changed) {
    if (!graph.objects.has(id)) continue;
    if (graph.objects.get(id)?.kind !== 'database') shown.add(id);
    for (const d of graph.downstreamOf(id)) if (graph.objects.get(d)?.kind !== 'database') shown.add(d);
  }
  // Dropped objects are not in the desired graph: drawn alone, so the reader sees them go.
  const dropped = (report.plan as Plan).steps.filter((s) => s.action === 'drop' && !graph.objects.has(s.object) && isDrawn(s.objectKind)).map((s) => s.object);
  const total = shown.size + dropped.length;
  if (total === 0) return [];
  if (total > MAX_DIAGRAM_NODES) return [`_${plural(total, 'object')} changed or downstream of a change: too many to draw._`, ''];
  const ids = new Map([...shown, ...dropped].map((id, i) => [id, `n${i}`]));
  const lines = ['```mermaid', 'flowchart LR'];
  for (const id of shown) {
    const [open, close] = SHAPES[(graph.objects.get(id) as { kind: ObjectKind }).kind] ?? ['[', ']'];
    lines.push(`  ${ids.get(id)}${open}"${mermaidText(id)}"${close}${changed.has(id) ? ':::changed' : ''}`);
  }
  for (const id of dropped) lines.push(`  ${ids.get(id)}["${mermaidText(id)} (dropped)"]:::dropped`);
  const seen = new Set<string>();
  for (const d of graph.dependencies) {
    if (d.kind === 'database' || !shown.has(d.from) || !shown.has(d.to) || d.from === d.to) continue;
    // Arrows follow the data: an MV writes into its target; everything else is needed by what names it.
    const [from, to] = d.kind === 'writes-to' ? [d.from, d.to] : [d.to, d.from];
    const key = `${from}|${to}|${d.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${ids.get(from)} -->|${d.kind}| ${ids.get(to)}`);
  }
  lines.push('  classDef changed fill:#fff3b0,stroke:#b08800', '  classDef dropped fill:#ffd7d5,stroke:#cf222e,stroke-dasharray:4', '```', '');
  return ['<details open><summary>Changed objects and everything downstream of them</summary>', '', ...lines, '</details>', ''];
}

function findingsSection(report: ReviewReport, rows: number): string[] {
  if (report.findings.length === 0) return [];
  const lines = ['**Findings**', ''];
  for (const d of report.findings.slice(0, rows)) {
    const where = report.positions.has(d.file) ? `${d.file}:${report.positions.at(d.file, d.range.start).line}` : d.file;
    const help = d.help ? ` ${cell(d.help)}` : '';
    lines.push(`- ${SEVERITY_ICONS[d.severity]} [\`${d.code}\`](${docsLink(d.code, report.docsUrl)}) \`${cell(where)}\` — ${cell(d.message)}${help}`);
  }
  if (report.findings.length > rows) lines.push(`- …and ${plural(report.findings.length - rows, 'more finding')} (${whereFull(report)})`);
  lines.push('');
  if (report.findings.some((d) => RULE_IDS.has(d.code))) {
    lines.push(
      '<details><summary>How to override a finding</summary>',
      '',
      'When a finding is expected, say so where a reviewer sees it: put a suppression with its reason on the line above the statement,',
      '',
      '```sql',
      `-- clickplan-ignore ${report.findings.find((d) => RULE_IDS.has(d.code))?.code}: <why this is safe here>`,
      '```',
      '',
      'or `-- clickplan-ignore-file <rule>: <reason>` for a whole file. A suppression without a reason is an error; one that matches nothing is a warning.',
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

function overrideSection(report: ReviewReport): string[] {
  const lines: string[] = [];
  if (report.suppressions.length) {
    lines.push('**Suppressed in this change** (each with its reason):', '');
    for (const s of report.suppressions) lines.push(`- \`${s.ruleId}\` at \`${cell(`${s.file}:${s.line}`)}\`: ${cell(s.reason)}`);
    lines.push('');
  }
  if (report.failing && report.overriddenBy)
    lines.push(`The \`${report.overriddenBy}\` label overrides the failing verdict: the check passes while the label stays on the pull request.`, '');
  return lines;
}

export interface DeployReport {
  project: string;
  /** The target's description (never a password). */
  target: string;
  /** The plan before the deploy: what the deploy changes. */
  plan: Plan;
  /** What the deploy engine did. */
  result: Pick<DeployResult, 'mode' | 'migrations' | 'steps' | 'statementsRun' | 'failure' | 'verification'>;
  /** The commit deployed. */
  commit?: string;
}

/** Whether the deploy ran to the end and planning again found nothing left. */
export function deployConverged(report: DeployReport): boolean {
  return !report.result.failure && (report.result.verification?.remaining.length ?? 0) === 0;
}

/**
 * The deploy result: for the job summary and the reply on the merged pull request. Versioned
 * deploys list the migration files that ran (a plan step is not a statement of a file);
 * declarative ones the plan's steps.
 */
export function renderDeployReport(report: DeployReport, options: CommentOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const { result } = report;
  const at = report.commit ? ` at ${report.commit.slice(0, 7)}` : '';
  const ran = result.mode === 'versioned' ? result.migrations.filter((m) => m.status !== 'already-applied') : [];
  const done =
    result.mode === 'versioned'
      ? `${plural(result.statementsRun, 'statement')} of ${plural(ran.filter((m) => m.status === 'applied').length, 'migration file')}`
      : plural(result.statementsRun, 'step');
  const nothing = result.mode === 'versioned' ? ran.length === 0 : report.plan.steps.length === 0;
  const failure = result.failure;
  const verdict = failure
    ? `❌ **ClickPlan deploy of \`${report.project}\` failed** on ${report.target}${at}: ${cell(failure.message)}`
    : (result.verification?.remaining.length ?? 0) > 0
      ? `❌ **ClickPlan deployed \`${report.project}\`** to ${report.target}${at}: ${done} ran, but planning again still finds differences.`
      : nothing
        ? `✅ **ClickPlan: \`${report.project}\` is up to date** on ${report.target}${at}: nothing to deploy.`
        : `✅ **ClickPlan deployed \`${report.project}\`** to ${report.target}${at}: ${done}; planning again finds nothing to do.`;
  const lines = [deployMarker(report.project), verdict, ''];
  if (failure) lines.push(`${cell(failure.state)} ${cell(failure.help)}`, '');
  const { header, rows, noun } =
    result.mode === 'versioned'
      ? {
          header: ['| # | migration | statements | result |', '|---:|---|---:|---|'],
          rows: ran.map((m, i) => `| ${i + 1} | \`${cell(m.file)}\` | ${m.ran} of ${m.statements} | ${OUTCOME_TEXT[m.status]} |`),
          noun: 'more migration file',
        }
      : {
          header: ['| # | step | object | risk | result |', '|---:|---|---|---|---|'],
          rows: report.plan.steps.map(
            (step, i) =>
              `| ${i + 1} | ${step.action} ${kindText(step.objectKind)} | \`${cell(step.object)}\` | ${RISK_ICONS[step.risk]} ${step.risk} | ${OUTCOME_TEXT[result.steps[i]?.status ?? 'pending']} |`,
          ),
          noun: 'more step',
        };
  if (rows.length) {
    const fixed = `${lines.join('\n')}\n${header.join('\n')}\n`;
    let shown = rows.length;
    while (shown > 0 && fixed.length + rows.slice(0, shown).join('\n').length + 80 > limit) shown = Math.floor(shown / 2);
    lines.push(...header, ...rows.slice(0, shown));
    if (shown < rows.length) lines.push('', `_…and ${plural(rows.length - shown, noun)}._`);
    lines.push('');
  }
  const text = finish(lines);
  return text.length <= limit ? text : `${text.slice(0, limit - 2)}…\n`;
}

const OUTCOME_TEXT: Record<MigrationOutcome['status'] | StepOutcome['status'], string> = {
  applied: '✅ applied',
  'already-applied': '✔️ already applied',
  failed: '❌ failed',
  validated: '☑️ validated',
  pending: '⏸ not run',
};

const MAX_DIAGRAM_NODES = 150;

const RULE_IDS = new Set(RULES.map((r) => r.id));

const RISK_ICONS: Record<Risk, string> = { safe: '🟢', heavy: '🟠', 'data-loss': '🔴' };

const SEVERITY_ICONS: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/** Mermaid node shapes by kind, as `clickplan graph` draws them. */
const SHAPES: Partial<Record<ObjectKind, [string, string]>> = {
  table: ['[', ']'],
  view: ['(', ')'],
  'materialized-view': ['[[', ']]'],
  dictionary: ['[(', ')]'],
};

function isDrawn(kind: ObjectKind): boolean {
  return kind in SHAPES;
}

function whereFull(report: ReviewReport): string {
  return report.fullReportUrl
    ? `the full report is in the job summary of [the workflow run](${report.fullReportUrl})`
    : 'the full report is in the job summary';
}

function countsText(findings: Diagnostic[]): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of findings) counts[d.severity]++;
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'note')}`;
}

function driftState(d: Drift): string {
  if (d.state === 'missing') return 'missing on the target';
  if (d.state === 'unexpected') return 'on the target but not in the repository';
  return `differs (${d.differences.map((x) => x.key).join(', ')})`;
}

function sqlWithContext(step: PlanStep, i: number): string {
  return `-- ${i + 1}. ${step.action} ${step.object} (in database ${step.database})\n${maskSql(step.sql)};`;
}

function kindText(kind: ObjectKind): string {
  return kind.replace(/-/g, ' ');
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function finish(lines: string[]): string {
  return `${lines.join('\n').trimEnd()}\n`;
}
