import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction } from '../packages/action/scripts/build.js';
import { run } from '../packages/cli/src/cli.js';
import { createRepository, pullRequestPayload, runAction, type TestRepository } from './support/githubAction.js';
import { TestClient } from './support/lspClient.js';

// One precedence for the target and the database in every front end (docs/config.md, "Which
// target"): what is given for the run (a CLI flag, an Action input, an editor setting), then the
// environment (CLICKHOUSE_URL, CLICKHOUSE_DATABASE), then clickplan.yaml. Each front end gets all
// three at once, then loses the given one, then the environment: the target it plans against and
// the database an unqualified CREATE TABLE lands in say which won. The targets are empty snapshots,
// so the plan creates the one table, named after the database that won.

const EMPTY_SNAPSHOT = {
  format: 2,
  server_version: '26.7.2.1',
  read_at: '2026-01-01T00:00:00.000Z',
  databases: [],
  tables: [],
  functions: [],
  access_entities: [],
  grants: [],
  gaps: [],
};
const TABLE_SQL = 'CREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id;\n';

const scratch = mkdtempSync(join(tmpdir(), 'clickplan-precedence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An empty snapshot file per source, named after it. */
const snapshots = Object.fromEntries(
  ['given', 'env', 'config'].map((name) => {
    const path = join(scratch, `${name}.json`);
    writeFileSync(path, JSON.stringify(EMPTY_SNAPSHOT));
    return [name, path];
  }),
) as Record<'given' | 'env' | 'config', string>;

const CONFIG = `database: configdb\ntarget: ${snapshots.config}\n`;
const ENV = { CLICKHOUSE_URL: snapshots.env, CLICKHOUSE_DATABASE: 'envdb' };

/** What each case gives, and which source must win. */
const CASES = [
  { name: 'given, environment and config: the given one wins', given: true, env: ENV, wins: { target: snapshots.given, database: 'givendb' } },
  { name: 'environment and config: the environment wins', given: false, env: ENV, wins: { target: snapshots.env, database: 'envdb' } },
  { name: 'config alone', given: false, env: {}, wins: { target: snapshots.config, database: 'configdb' } },
];

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'schema'), { recursive: true });
  writeFileSync(join(dir, 'clickplan.yaml'), CONFIG);
  writeFileSync(join(dir, 'schema', '001_t.sql'), TABLE_SQL);
  return dir;
}

describe('the CLI', () => {
  const dir = project('cli');

  it.each(CASES)('$name', async ({ given, env, wins }) => {
    let stdout = '';
    let stderr = '';
    const flags = given ? ['--target', snapshots.given, '--database', 'givendb'] : [];
    const code = await run(['plan', dir, '--format', 'json', ...flags], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { CLICKHOUSE_URL: '', ...env },
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const plan = JSON.parse(stdout) as { target: string; steps: { object: string }[] };
    expect({ target: plan.target, objects: plan.steps.map((s) => s.object) }).toEqual({ target: `snapshot ${wins.target}`, objects: [`${wins.database}.t`] });
  });
});

describe('the Action', () => {
  const out = join(scratch, 'action-dist');
  let repo: TestRepository;
  let base: string;
  let head: string;

  beforeAll(async () => {
    // The Action built from the sources as they are, as a runner runs it.
    await buildAction(out);
    repo = createRepository();
    base = repo.commit({ 'db/clickplan.yaml': CONFIG, 'db/schema/000_keep.sql': '-- nothing yet\n' });
    head = repo.commit({ 'db/schema/001_t.sql': TABLE_SQL });
  }, 120_000);
  afterAll(() => repo?.cleanup());

  it.each(CASES)('$name', async ({ given, env, wins }) => {
    const reportDir = mkdtempSync(join(scratch, 'report-'));
    const result = await runAction({
      cwd: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload('opened', { base, head }),
      inputs: { path: 'db', comment: 'false', 'report-dir': reportDir, sarif: '', ...(given ? { target: snapshots.given, database: 'givendb' } : {}) },
      // No token: the Action makes no request, so no API server is needed.
      apiUrl: 'http://127.0.0.1:9',
      sha: head,
      env,
      entry: join(out, 'index.js'),
    });
    expect(result.status, result.stdout).toBe(0);
    const plan = JSON.parse(readFileSync(result.outputs['plan-json'], 'utf8')) as { target: string; steps: { object: string }[] };
    expect({ target: plan.target, objects: plan.steps.map((s) => s.object) }).toEqual({ target: `snapshot ${wins.target}`, objects: [`${wins.database}.t`] });
  });
});

describe('the language server', () => {
  it.each(CASES)('$name', async ({ given, env, wins }) => {
    const dir = project(`lsp-${wins.database}`);
    const client = await TestClient.start({
      root: dir,
      env: { CLICKHOUSE_URL: '', CLICKHOUSE_DATABASE: '', ...env },
      initializationOptions: given ? { settings: { target: snapshots.given } } : {},
    });
    try {
      const file = join(dir, 'schema', '001_t.sql');
      const uri = await client.open(file);
      // The lens names the target "Plan against" uses.
      const lenses = await client.request<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
      expect(lenses[0]?.command?.title).toBe(`Plan against ${wins.target}`);
      const plan = await client.request<{ ok: boolean; markdown: string; target: string }>('workspace/executeCommand', {
        command: 'clickplan.plan',
        arguments: [{ uri }],
      });
      expect({ ok: plan.ok, target: plan.target }, JSON.stringify(plan)).toEqual({ ok: true, target: `snapshot ${wins.target}` });
      // The editor has no database setting: the environment, then clickplan.yaml, as for the others.
      expect(plan.markdown).toContain(`CREATE TABLE IF NOT EXISTS ${given ? 'envdb' : wins.database}.t`);
    } finally {
      await client.stop();
    }
  });
});
