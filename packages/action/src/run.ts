import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import {
  type DeployReport,
  type Diagnostic,
  deployConverged,
  docsPageUrl,
  isFailing,
  JOB_SUMMARY_LIMIT,
  maxRisk,
  type Plan,
  RULES,
  renderDeployReport,
  renderPlanJson,
  renderReviewComment,
  renderSarif,
  reviewMarker,
  SERVER_RULES,
  verdictLine,
} from '@clickplan/core';
import packageJson from '../package.json' with { type: 'json' };
import { type BaseTree, readBaseTree, repositoryRoot } from './base.js';
import { deployDirectory } from './deploy.js';
import { type CheckAnnotation, GitHubApi } from './github.js';
import { ActionFailure, type ActionInputs, readInputs } from './inputs.js';
import { type ProjectReview, reviewProject } from './review.js';

// The Action: inputs in, review or deploy, results out (comment, check run, job summary, SARIF,
// outputs). run() returns the failure to report; the entry calls core.setFailed once with it.

export interface RunResult {
  /** Why the step fails; undefined when it passes. */
  failure?: string;
}

interface PullRequest {
  number: number;
  base: { sha: string; repo: { full_name: string } };
  head: { sha: string; repo: { full_name: string } | null };
  labels?: { name: string }[];
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  try {
    const inputs = readInputs(env);
    return inputs.mode === 'deploy' ? await deploy(inputs, env) : await review(inputs, env);
  } catch (error) {
    if (error instanceof ActionFailure) return { failure: error.message };
    throw error;
  }
}

async function review(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const pr = context.payload.pull_request as PullRequest | undefined;
  if (context.eventName === 'pull_request_target')
    core.warning(
      `ClickPlan runs on pull_request_target: if this job checked out the pull request, untrusted code runs with a write token and secrets. See ${docsPageUrl('action.md#why-not-pull_request_target', inputs.docsUrl)}.`,
    );
  const baseSha = pr?.base.sha ?? pushBefore();
  let base: BaseTree | undefined;
  let baseMissing = pr ? undefined : 'not a pull request';
  if (baseSha) {
    const read = readBaseTree(process.cwd(), baseSha, [...inputs.paths, ...(inputs.config ? [inputs.config] : [])]);
    if ('value' in read) base = read.value;
    else {
      baseMissing = read.reason;
      core.warning(`ClickPlan reviews without the base: ${read.reason}.`);
    }
  }
  let reviews: ProjectReview[];
  try {
    reviews = [];
    for (const path of inputs.paths)
      reviews.push(await reviewProject(path, { inputs, env, ...(base ? { base } : {}), ...(baseMissing ? { baseMissing } : {}) }));
  } finally {
    base?.cleanup();
  }

  const labels = new Set((pr?.labels ?? []).map((l) => l.name));
  const overridden = inputs.overrideLabel && labels.has(inputs.overrideLabel) ? inputs.overrideLabel : undefined;
  const runUrl = workflowRunUrl(env);
  for (const r of reviews) {
    if (overridden && r.report.failing) r.report.overriddenBy = overridden;
    if (runUrl) r.report.fullReportUrl = runUrl;
  }

  const outputs = writeReviewFiles(reviews, inputs);
  const perProject = Math.floor((JOB_SUMMARY_LIMIT - 4096) / reviews.length);
  await core.summary.addRaw(reviews.map((r) => renderReviewComment(r.report, { limit: perProject })).join('\n---\n\n')).write();

  const failing = reviews.filter((r) => r.report.failing && !r.report.overriddenBy);
  const fork = pr ? pr.head.repo?.full_name !== pr.base.repo.full_name : false;
  const annotations = reviews.flatMap(annotationsOf);
  let annotated = false;
  if (pr && fork) {
    core.notice(
      'This pull request comes from a fork: its token is read-only, so ClickPlan posts no comment and no check run. The review is in the job summary and the annotations.',
    );
  } else if (pr && !inputs.token) {
    core.warning('No `github-token`: ClickPlan posts no comment and no check run. The review is in the job summary.');
  } else if (pr && inputs.token) {
    const github = new GitHubApi(inputs.token, context.repo);
    if (inputs.comment) {
      for (const r of reviews) {
        const posted = await github.upsertComment(pr.number, reviewMarker(r.report.project), renderReviewComment(r.report));
        if (posted) core.info(`${posted.created ? 'Posted' : 'Updated'} the ClickPlan comment for ${r.report.project}: ${posted.url}`);
      }
    }
    const check = await github.publishCheckRun({
      name: inputs.checkName,
      headSha: pr.head.sha,
      title: checkTitle(reviews, failing.length > 0),
      summary: reviews.map((r) => verdictLine(r.report)).join('\n\n'),
      conclusion: failing.length ? 'failure' : reviews.some((r) => r.report.overriddenBy) ? 'neutral' : 'success',
      annotations,
      ...(runUrl ? { detailsUrl: runUrl } : {}),
    });
    annotated = check !== undefined;
  }
  // Without a check run, workflow commands annotate (GitHub shows the first 10 per severity).
  if (!annotated) for (const a of annotations) annotate(a);

  setOutputs(outputs, reviews);
  if (failing.length === 0) return {};
  const count = failing.reduce((n, r) => n + r.report.findings.filter((d) => isFailing(d.severity, r.report.failOn)).length, 0);
  return {
    failure: `ClickPlan: ${count} finding${count === 1 ? '' : 's'} at or above the failing severity in ${failing.map((r) => r.report.project).join(', ')}. The pull request comment and the job summary list them; suppress an expected one with a reason${inputs.overrideLabel ? ` or add the \`${inputs.overrideLabel}\` label` : ''}.`,
  };
}

async function deploy(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const commit = context.sha || undefined;
  const reports: DeployReport[] = [];
  for (const path of inputs.paths) reports.push(await deployDirectory(path, inputs, env, commit));
  await core.summary
    .addRaw(reports.map((r) => renderDeployReport(r, { limit: Math.floor(JOB_SUMMARY_LIMIT / reports.length) - 1024 })).join('\n---\n\n'))
    .write();
  const done = reports.reduce((n, r) => n + r.result.statementsRun, 0);
  core.setOutput('has-changes', String(reports.some((r) => r.plan.steps.length > 0)));
  core.setOutput('steps', String(reports.reduce((n, r) => n + r.plan.steps.length, 0)));
  core.setOutput('deployed', String(done));
  core.setOutput('risk', maxRisk(reports.flatMap((r) => r.plan.steps.map((s) => s.risk))));
  const converged = reports.every(deployConverged);
  core.setOutput('converged', String(converged));
  if (inputs.token && commit && reports.some((r) => r.plan.steps.length > 0)) {
    const github = new GitHubApi(inputs.token, context.repo);
    const merged = await github.mergedPullRequestOf(commit);
    if (merged !== undefined) for (const r of reports) if (r.plan.steps.length > 0) await github.addComment(merged, renderDeployReport(r));
  }
  if (converged) return {};
  const failed = reports.filter((r) => !deployConverged(r)).map((r) => r.project);
  return { failure: `ClickPlan: the deploy of ${failed.join(', ')} did not converge; the job summary says which step failed.` };
}

/** Plan JSON per project and the SARIF file; returns their paths. */
function writeReviewFiles(reviews: ProjectReview[], inputs: ActionInputs): { plans: string[]; sarif?: string } {
  mkdirSync(inputs.reportDir, { recursive: true });
  const plans: string[] = [];
  for (const r of reviews) {
    if (!r.plan) continue;
    const file = join(inputs.reportDir, `${slug(r.report.project)}.plan.json`);
    writeFileSync(file, renderPlanJson(r.plan, { target: r.report.against, positions: r.loaded.positions }));
    plans.push(file);
  }
  if (!inputs.sarif) return { plans };
  const texts = new Map(reviews.flatMap((r) => [...r.loaded.texts]));
  mkdirSync(dirname(resolve(inputs.sarif)), { recursive: true });
  writeFileSync(
    inputs.sarif,
    renderSarif(
      reviews.flatMap((r) => r.diagnostics),
      {
        version: packageJson.version,
        rules: [...RULES, ...SERVER_RULES],
        texts,
        fixes: new Map(reviews.flatMap((r) => [...r.fixes])),
        docsBaseUrl: inputs.docsUrl,
      },
    ),
  );
  return { plans, sarif: inputs.sarif };
}

function setOutputs(files: { plans: string[]; sarif?: string }, reviews: ProjectReview[]): void {
  const judged = reviews.flatMap((r) => r.report.findings);
  const plans = reviews.flatMap((r) => (r.plan ? [r.plan] : [])) as Plan[];
  core.setOutput('plan-json', files.plans.join('\n'));
  core.setOutput('sarif', files.sarif ?? '');
  core.setOutput('has-changes', String(plans.some((p) => p.steps.length > 0)));
  core.setOutput('steps', String(plans.reduce((n, p) => n + p.steps.length, 0)));
  core.setOutput('risk', maxRisk(plans.map((p) => p.risk)));
  core.setOutput('errors', String(judged.filter((d) => d.severity === 'error').length));
  core.setOutput('warnings', String(judged.filter((d) => d.severity === 'warning').length));
  core.setOutput('notices', String(judged.filter((d) => d.severity === 'info').length));
  core.setOutput('failing', String(reviews.some((r) => r.report.failing && !r.report.overriddenBy)));
}

/** One annotation per judged finding in a file of the repository, at its lines. */
function annotationsOf(review: ProjectReview): CheckAnnotation[] {
  const top = repositoryRoot(process.cwd()) ?? process.cwd();
  return review.report.findings
    .filter((d) => review.loaded.texts.has(d.file))
    .map((d: Diagnostic) => {
      const { start, end } = review.loaded.positions.range(d.file, d.range);
      const sameLine = start.line === end.line;
      return {
        path: relative(top, resolve(d.file)).replace(/\\/g, '/'),
        start_line: start.line,
        end_line: Math.max(end.line, start.line),
        ...(sameLine ? { start_column: start.column, end_column: Math.max(end.column, start.column) } : {}),
        annotation_level: d.severity === 'error' ? 'failure' : d.severity === 'warning' ? 'warning' : 'notice',
        title: d.code,
        message: d.message,
        ...(d.help ? { raw_details: d.help } : {}),
      };
    });
}

function annotate(a: CheckAnnotation): void {
  const properties = { title: a.title ?? 'ClickPlan', file: a.path, startLine: a.start_line, endLine: a.end_line };
  const message = a.raw_details ? `${a.message} ${a.raw_details}` : a.message;
  if (a.annotation_level === 'failure') core.error(message, properties);
  else if (a.annotation_level === 'warning') core.warning(message, properties);
  else core.notice(message, properties);
}

function checkTitle(reviews: ProjectReview[], failing: boolean): string {
  const steps = reviews.reduce((n, r) => n + (r.plan?.steps.length ?? 0), 0);
  const findings = reviews.reduce((n, r) => n + r.report.findings.length, 0);
  return `${failing ? 'Fails' : 'Passes'}: ${steps} step${steps === 1 ? '' : 's'}, ${findings} finding${findings === 1 ? '' : 's'}`;
}

/** A push's previous head, as the base of a review outside a pull request. */
function pushBefore(): string | undefined {
  const before = context.payload.before as string | undefined;
  return before && !/^0+$/.test(before) ? before : undefined;
}

function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

function slug(path: string): string {
  return (
    path
      .replace(/^\.\/?$/, 'root')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-|-$/g, '') || 'root'
  );
}
