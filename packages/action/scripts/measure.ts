// Measures the bundled Action on the 10,000-object repository of the benchmarks: a pull request that
// adds one column, reviewed against the base branch, from process start to the posted comment.
// `node --import tsx packages/action/scripts/measure.ts` (after npm run build:action). Not a test:
// wall-clock figures drift on shared machines; the figures go to docs/action.md by hand.
import { statSync } from 'node:fs';
import { generateSchema } from '../../../bench/schema-generator.js';
import { singleNode } from '../../../bench/single-node.js';
import { ACTION_ENTRY, createRepository, pullRequestPayload, runAction } from '../../../test/support/githubAction.js';
import { startGitHubApi } from '../../../test/support/githubApi.js';

const { statements } = generateSchema({ tables: 5000, seed: 7 });
const sql = `${statements.map(singleNode).join(';\n\n')};\n`;
const table = /CREATE TABLE (?:IF NOT EXISTS )?(\w+\.\w+)\s*\(/.exec(sql)?.[1];
if (!table) throw new Error('the generated schema has no table');

const api = await startGitHubApi();
const repo = createRepository();
try {
  const base = repo.commit({ 'db/schema/001_schema.sql': sql });
  const head = repo.commit({ 'db/schema/002_change.sql': `ALTER TABLE ${table} ADD COLUMN review_added UInt8;\n` });
  const runs: number[] = [];
  let result: Awaited<ReturnType<typeof runAction>> | undefined;
  for (let i = 0; i < 3; i++) {
    result = await runAction({
      cwd: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload(i === 0 ? 'opened' : 'synchronize', { base, head }),
      inputs: { path: 'db', 'github-token': 'ghs_measure', sarif: '' },
      apiUrl: api.url,
      sha: head,
    });
    runs.push(result.ms);
  }
  const comment = api.comments[0]?.body ?? '';
  console.log(`bundle: ${(statSync(ACTION_ENTRY).size / 1024).toFixed(0)} KiB (${ACTION_ENTRY})`);
  console.log(`repository: ${(sql.length / 1e6).toFixed(1)} MB of SQL, ${statements.length} statements`);
  console.log(`exit ${result?.status}; outputs ${JSON.stringify(result?.outputs)}`);
  console.log(`start to posted comment, ms (3 runs: create, update, update): ${runs.map((ms) => ms.toFixed(0)).join(', ')}`);
  console.log(`comment: ${comment.length} characters; verdict: ${comment.split('\n')[3]}`);
} finally {
  await api.close();
  repo.cleanup();
}
