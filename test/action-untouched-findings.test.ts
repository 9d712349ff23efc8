import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRepository, pullRequestPayload, runAction, type TestRepository } from './support/githubAction.js';
import { type GitHubApiServer, startGitHubApi } from './support/githubApi.js';

// An old finding in a file the pull request does not touch is not judged, also when its message names
// another file: the base is read from a temporary copy, so that name was the copy's path there, and
// every such finding counted as new (found by bench/commands.bench.ts: thousands of annotations for a
// pull request adding one column).

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

it('judges only what the pull request causes when old messages name other files', async () => {
  const base = repo.commit({
    'db/schema/001_cluster.sql': "CREATE DATABASE app ON CLUSTER '{cluster}';\n",
    // on-cluster-missing: "... (first in db/schema/001_cluster.sql)".
    'db/schema/002_tables.sql': 'CREATE TABLE app.events (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
  });
  const head = repo.commit({ 'db/schema/003_more.sql': "CREATE TABLE app.users ON CLUSTER '{cluster}' (id UInt64) ENGINE = MergeTree ORDER BY id;\n" });
  const run = await runAction({
    cwd: repo.dir,
    event: 'pull_request',
    payload: pullRequestPayload('synchronize', { base, head }),
    inputs: { path: 'db', 'github-token': 'ghs_untouched' },
    apiUrl: api.url,
    sha: head,
  });
  const body = api.comments.at(-1)?.body ?? '';
  expect(body).toContain('1 older finding in files this change does not touch');
  expect(body).not.toContain('002_tables.sql');
  expect(api.checkRuns.at(-1)?.annotations ?? []).toEqual([]);
  expect(run.outputs.errors).toBe('0');
});
