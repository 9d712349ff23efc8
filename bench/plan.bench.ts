import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planAgainstLive, scopeOf } from '../packages/core/src/deploy/planTarget.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import { readSnapshot, writeSnapshot } from '../packages/core/src/live/snapshot.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';
import { formatTable, measure } from './measure.js';
import { generateSchema } from './schema-generator.js';
import { singleNode } from './single-node.js';

// Issue 4's benchmark: plan a generated ~10,000-object repository against a snapshot of itself with
// one change (read the repository, read the snapshot, model the live side, diff, plan), beside the
// time chDB takes to execute the same DDL, as in the model benchmark. The snapshot is what chDB
// stores after that replay, so the plan also checks at scale that an unchanged object plans to nothing.

const { statements } = generateSchema({ tables: 5000, seed: 7 });
const sql = `${statements.map(singleNode).join(';\n\n')};\n`;

const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-bench-plan-'));
const target = await openEmbeddedTarget(join(dataDir, 'engine'));
const accepted: string[] = [];
const replayStart = performance.now();
for (const statement of parseSql(sql).statements) {
  const text = sql.slice(statement.start, statement.end);
  try {
    await target.execute(text);
    accepted.push(text);
  } catch {
    // The engine refuses ~0.6% (views over an unreachable dictionary source): the repository is what it accepted.
  }
}
const replay = performance.now() - replayStart;

const repository = `${accepted.join(';\n\n')};\n`;
const desired = analyzeFiles([{ file: 'schema.sql', text: repository }]).schema;
const snapshotFile = join(dataDir, 'snapshot.json');
writeSnapshot(await target.readSchema(scopeOf(desired)), snapshotFile);
await target.close();

const firstTable = desired.objects.find(
  (o) => o.kind === 'table' && o.definition.kind === 'CreateTable' && o.definition.storage?.engine?.name.name === 'MergeTree',
);
if (!firstTable) throw new Error('the generated schema has no MergeTree table');
const changed = [{ file: 'schema.sql', text: `${repository}ALTER TABLE ${firstTable.id} ADD COLUMN bench_added UInt8;\n` }];
const planOnce = () => planAgainstLive(analyzeFiles(changed).schema, readSnapshot(snapshotFile)).plan;

const plan = planOnce();
const ours = measure(planOnce, { warmup: 1, runs: 5 });
rmSync(dataDir, { recursive: true, force: true });

const objects = desired.objects.length;
console.log(`repository: ${objects} objects from ${accepted.length} statements the engine accepted, ${(repository.length / 1e6).toFixed(1)} MB`);
console.log(
  formatTable(
    ['', 'time (ms)', 'objects/s'],
    [
      ['ClickPlan read repo + snapshot, model both, diff, plan (median of 5)', ours.median.toFixed(0), ((objects / ours.median) * 1000).toFixed(0)],
      ['chDB executing the same DDL (one run)', replay.toFixed(0), ((objects / replay) * 1000).toFixed(0)],
    ],
  ),
);
console.log(`ratio: planning is ${(replay / ours.median).toFixed(1)}x faster than the engine replay`);
console.log(`plan: ${plan.steps.length} step(s) for 1 change: ${plan.steps.map((s) => s.sql).join(' | ')}`);
if (plan.steps.length !== 1) process.exitCode = 1;
