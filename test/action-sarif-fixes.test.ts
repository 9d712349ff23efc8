import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickplan } from './support/clickplan.js';
import { createRepository, pullRequestPayload, runAction, type TestRepository } from './support/githubAction.js';
import { type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// The Action's SARIF file carries the fixes findings offer, exactly as `clickplan lint --format sarif`
// writes them for the same files (issue 19: quick fixes live in the rules, every front end shows them).

const FILES = {
  'db/V1__init.sql': `CREATE DATABASE app;
CREATE TABLE app.events (id UInt64, user Nullable(String)) ENGINE = MergeTree ORDER BY (user, id);
`,
};

interface SarifResult {
  ruleId: string;
  fixes?: { description: { text: string }; artifactChanges: { replacements: unknown[] }[] }[];
}

/** Each result's rule and its fixes, without the file's address (the two runs name it from different roots). */
function fixesOf(sarif: string): [string, unknown][] {
  const results: SarifResult[] = JSON.parse(sarif).runs[0].results;
  return results.map((r) => [r.ruleId, (r.fixes ?? []).map((f) => [f.description.text, f.artifactChanges.map((c) => c.replacements)])]);
}

let api: GitHubApiServer;
let repo: TestRepository;

beforeAll(async () => {
  api = await startGitHubApi();
  repo = createRepository();
});

afterAll(async () => {
  await api.close();
  repo.cleanup();
});

describe("the Action's SARIF file", () => {
  it('carries the fixes that clickplan lint --format sarif carries for the same files', { timeout: 300_000 }, async () => {
    const base = repo.commit({ 'README.md': 'empty\n' }, 'base');
    const head = repo.commit(FILES, 'first migration');
    const run = await runAction({
      cwd: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload('opened', { base, head }),
      inputs: { path: 'db', 'github-token': 'ghs_sarif', sarif: 'out/clickplan.sarif' },
      apiUrl: api.url,
      sha: head,
    });
    expect(run.status, run.stderr).toBeLessThanOrEqual(1);
    const action = fixesOf(readFileSync(join(repo.dir, 'out/clickplan.sarif'), 'utf8'));
    const cli = fixesOf(clickplan(['lint', join(repo.dir, 'db'), '--format', 'sarif']).stdout);
    expect(action).toEqual(cli);
    // Both CREATEs offer `Add IF NOT EXISTS`: the comparison is not between two empty lists.
    expect(action.filter(([rule, fixes]) => rule === 'ddl-not-idempotent' && (fixes as unknown[]).length === 1)).toHaveLength(2);
  });
});
