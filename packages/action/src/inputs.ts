import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { DOCS_BASE_URL, type GivenTarget, RISK_ORDER, type Risk, type Severity } from '@clickplan/core';

// The inputs of action.yml, read once and checked, and every secret among them masked before
// anything is logged.

export type Mode = 'review' | 'deploy';

export interface ActionInputs {
  mode: Mode;
  /** Project directories, relative to the workspace. */
  paths: string[];
  config?: string;
  environment?: string;
  database?: string;
  /** `http(s)://…`, a `.json` snapshot or `embedded[:dir]`. */
  target?: string;
  snapshot?: string;
  user?: string;
  password?: string;
  cluster?: string;
  /** Unset: each project's `failOn` from clickplan.yaml. */
  failOn?: Severity | 'never';
  /** Deploy mode: the highest risk that runs; unset: `deploy.maxRisk` of clickplan.yaml. */
  maxRisk?: Risk;
  comment: boolean;
  overrideLabel?: string;
  sarif?: string;
  reportDir: string;
  token?: string;
  checkName: string;
  docsUrl: string;
}

/** A mistake in the workflow or the repository: the step fails with this sentence, never a stack trace. */
export class ActionFailure extends Error {}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const token = optional('github-token');
  const password = optional('password');
  for (const secret of [token, password, env.CLICKHOUSE_PASSWORD, urlPassword(optional('target')), urlPassword(env.CLICKHOUSE_URL)])
    if (secret) core.setSecret(secret);
  const mode = optional('mode') ?? 'review';
  if (mode !== 'review' && mode !== 'deploy') throw new ActionFailure(`The \`mode\` input is \`${mode}\`; it must be \`review\` or \`deploy\`.`);
  const failOn = optional('fail-on');
  if (failOn && !['error', 'warning', 'info', 'never'].includes(failOn))
    throw new ActionFailure(`The \`fail-on\` input is \`${failOn}\`; it must be error, warning, info or never.`);
  const maxRisk = optional('max-risk');
  if (maxRisk && !RISK_ORDER.includes(maxRisk as Risk))
    throw new ActionFailure(`The \`max-risk\` input is \`${maxRisk}\`; it must be safe, heavy or data-loss.`);
  const paths = core.getMultilineInput('path').flatMap((line) =>
    line
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const comment = optional('comment') ?? 'true';
  if (!['true', 'false'].includes(comment)) throw new ActionFailure(`The \`comment\` input is \`${comment}\`; it must be true or false.`);
  const inputs: ActionInputs = {
    mode,
    paths: paths.length ? paths : ['.'],
    comment: comment === 'true',
    reportDir: optional('report-dir') ?? join(env.RUNNER_TEMP || tmpdir(), 'clickplan'),
    checkName: optional('check-name') ?? 'ClickPlan',
    docsUrl: optional('docs-url') ?? defaultDocsUrl(env),
  };
  const set = <K extends keyof ActionInputs>(key: K, value: ActionInputs[K] | undefined) => {
    if (value !== undefined) inputs[key] = value;
  };
  set('config', optional('config'));
  set('environment', optional('environment'));
  set('database', optional('database'));
  set('target', optional('target'));
  set('snapshot', optional('snapshot'));
  set('user', optional('user'));
  set('password', password);
  set('cluster', optional('cluster'));
  set('failOn', failOn as ActionInputs['failOn']);
  set('maxRisk', maxRisk as Risk | undefined);
  set('overrideLabel', optional('override-label'));
  set('sarif', optional('sarif'));
  set('token', token);
  if (inputs.target && inputs.snapshot) throw new ActionFailure('Give either `target` or `snapshot`, not both.');
  return inputs;
}

/** What the inputs give for the target (`snapshot` or `target`: never both), database, credentials and cluster: they win over CLICKHOUSE_* and clickplan.yaml. */
export function givenTarget(inputs: ActionInputs): GivenTarget & { cluster?: string } {
  const target = inputs.snapshot ?? inputs.target;
  return {
    ...(target ? { target } : {}),
    ...(inputs.database ? { database: inputs.database } : {}),
    ...(inputs.user ? { user: inputs.user } : {}),
    ...(inputs.password ? { password: inputs.password } : {}),
    ...(inputs.cluster ? { cluster: inputs.cluster } : {}),
  };
}

function optional(name: string): string | undefined {
  return core.getInput(name) || undefined;
}

/** A password written into a URL (`https://user:pass@host`), so it is masked like the others. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** The docs of the version of the Action that runs (GitHub names its repository and ref), else the project's. */
function defaultDocsUrl(env: NodeJS.ProcessEnv): string {
  const repository = env.GITHUB_ACTION_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF;
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  if (repository && ref) return `${server}/${repository}/blob/${ref}/docs`;
  return DOCS_BASE_URL;
}
