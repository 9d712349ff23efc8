import type { Drift } from '../diff/diff.js';
import type { PendingMigration, Plan, PlanStep } from '../plan/types.js';
import { plural } from '../plural.js';
import { maskSql } from '../syntax/secrets.js';
import { noColor, type Paint } from './color.js';
import { diagnosticJson, diagnosticText, type Positions } from './positions.js';

/** Version of the `plan --format json` document; bumped on any incompatible change. */
export const PLAN_JSON_VERSION = 1;

export interface PlanRenderContext {
  /** Where the plan goes: the target's description (never a password). */
  target: string;
  positions: Positions;
  /** Colour for the text output (a terminal); none by default. */
  paint?: Paint;
}

/** The stable JSON document of `clickplan plan` (documented in docs/plan.md). */
export function renderPlanJson(plan: Plan, context: PlanRenderContext): string {
  const document = {
    version: PLAN_JSON_VERSION,
    target: context.target,
    risk: plan.risk,
    has_changes: plan.steps.length > 0 || (plan.migrations ?? []).length > 0,
    ...(plan.migrations
      ? {
          migrations: plan.migrations.map((m) => ({
            file: m.file,
            migration: m.migration,
            ...(m.tenant ? { tenant: m.tenant } : {}),
            resume_at: m.resumeAt + 1,
            statements: m.statements.map((s) => ({
              number: s.ordinal + 1,
              database: s.database,
              risk: s.risk,
              ...(s.riskReason ? { risk_reason: s.riskReason } : {}),
              ...(s.reviewed !== undefined ? { reviewed: s.reviewed } : {}),
              sql: maskSql(s.sql),
            })),
          })),
        }
      : {}),
    steps: plan.steps.map((step, i) => ({
      number: i + 1,
      object: step.object,
      kind: step.objectKind,
      action: step.action,
      risk: step.risk,
      ...(step.riskReason ? { risk_reason: step.riskReason } : {}),
      reason: step.reason,
      database: step.database,
      // Secrets as ClickHouse shows them: a plan is read by people and posted on pull requests.
      sql: maskSql(step.sql),
      ...(step.impact ? { impact: step.impact } : {}),
    })),
    drift: plan.drift.map((d) => ({ object: d.id, kind: d.kind, state: d.state, differences: d.differences })),
    diagnostics: plan.diagnostics.map((d) => diagnosticJson(d, context.positions)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderPlanText(plan: Plan, context: PlanRenderContext): string {
  const paint = context.paint ?? noColor;
  const lines = [paint(headline(plan, context.target), 'strong'), ''];
  for (const m of plan.migrations ?? []) {
    lines.push(paint(migrationTitle(m), 'strong'));
    for (const s of m.statements) {
      lines.push(`${String(s.ordinal + 1).padStart(3)}. [${paint(s.risk, s.risk)}]${s.reviewed !== undefined ? ` reviewed: ${s.reviewed}` : ''}`);
      if (s.riskReason) lines.push(`     risk: ${s.riskReason}`);
      lines.push(
        ...maskSql(s.sql)
          .split('\n')
          .map((l) => paint(`     ${l}`, 'dim')),
      );
    }
    lines.push('');
  }
  if (plan.migrations && plan.steps.length) lines.push(paint(`Resulting schema change (${plural(plan.steps.length, 'step')}):`, 'strong'), '');
  plan.steps.forEach((step, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${step.action} ${step.objectKind} ${step.object}  [${paint(step.risk, step.risk)}]`);
    lines.push(`     why: ${step.reason}`);
    if (step.riskReason) lines.push(`     risk: ${step.riskReason}`);
    if (step.impact) lines.push(`     impact: ${impactText(step.impact)}`);
    lines.push(
      ...maskSql(step.sql)
        .split('\n')
        .map((l) => paint(`     ${l}`, 'dim')),
      '',
    );
  });
  if (plan.drift.length) {
    lines.push('Drift (differs on the target although the repository did not change it; not planned):');
    for (const d of plan.drift) lines.push(`  ${driftText(d)}`);
    lines.push('');
  }
  for (const d of plan.diagnostics) lines.push(diagnosticText(d, context.positions));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Markdown for pull request comments and job summaries: a table of steps, the SQL collapsed. */
export function renderPlanMarkdown(plan: Plan, context: PlanRenderContext): string {
  const lines = [`**${headline(plan, context.target)}**`, ''];
  if (plan.migrations?.length) lines.push(...pendingMarkdown(plan.migrations));
  if (plan.migrations && plan.steps.length) lines.push(`**Resulting schema change** (${plural(plan.steps.length, 'step')}):`, '');
  if (plan.steps.length) {
    lines.push('| # | step | object | risk | why |', '|---|---|---|---|---|');
    plan.steps.forEach((step, i) => {
      const risk = step.riskReason ? `**${step.risk}**: ${cell(step.riskReason)}` : step.risk;
      lines.push(`| ${i + 1} | ${step.action} | \`${step.object}\` | ${risk} | ${cell(step.reason)} |`);
    });
    lines.push('', '<details><summary>Plan SQL</summary>', '', '```sql', plan.steps.map(sqlWithContext).join('\n\n'), '```', '', '</details>', '');
  }
  if (plan.drift.length) {
    lines.push('**Drift** (differs on the target although the repository did not change it; not planned):', '');
    for (const d of plan.drift) lines.push(`- ${driftText(d)}`);
    lines.push('');
  }
  for (const d of plan.diagnostics) lines.push(`- ${cell(diagnosticText(d, context.positions))}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The pending files' SQL as it will run, file by file, statement by statement, each with its risk (markdown). */
export function pendingMarkdown(migrations: readonly PendingMigration[]): string[] {
  const lines: string[] = [];
  for (const m of migrations) {
    lines.push(`\`${m.file}\`${m.resumeAt > 0 ? ` (resumes at statement ${m.resumeAt + 1})` : ''}`, '', '```sql');
    for (const s of m.statements) {
      const reviewed = s.reviewed !== undefined ? `, reviewed: ${oneLine(s.reviewed)}` : '';
      lines.push(`-- statement ${s.ordinal + 1} [${s.risk}${reviewed}]${s.riskReason ? ` ${oneLine(s.riskReason)}` : ''}`, `${maskSql(s.sql)};`);
    }
    lines.push('```', '');
  }
  return lines;
}

function migrationTitle(m: PendingMigration): string {
  return `${m.file}${m.tenant ? ` (tenant ${m.tenant})` : ''}${m.resumeAt > 0 ? `, resuming at statement ${m.resumeAt + 1}` : ''}:`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function headline(plan: Plan, target: string): string {
  if (plan.migrations) {
    if (plan.migrations.length === 0) return `No pending migrations: every migration file is applied on ${target}.`;
    const statements = plan.migrations.reduce((n, m) => n + m.statements.length, 0);
    return `Plan for ${target}: ${plural(plan.migrations.length, 'pending migration file')} (${plural(statements, 'statement')}, as they will run), highest risk: ${plan.risk}.`;
  }
  if (plan.steps.length === 0) return `No changes: ${target} matches the repository.`;
  return `Plan for ${target}: ${plural(plan.steps.length, 'step')}, highest risk: ${plan.risk}.`;
}

function sqlWithContext(step: PlanStep, i: number): string {
  return `-- ${i + 1}. ${step.action} ${step.object} (in database ${step.database})\n${maskSql(step.sql)};`;
}

function driftText(d: Drift): string {
  const parts = d.differences.map((x) => x.key).join(', ');
  const state = d.state === 'missing' ? 'missing on the target' : d.state === 'unexpected' ? 'on the target but not in the repository' : `differs (${parts})`;
  return `${d.kind} ${d.id}: ${state}`;
}

function impactText(impact: { rows: number; bytes: number }): string {
  return `${impact.rows.toLocaleString('en-US')} rows, ${(impact.bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
