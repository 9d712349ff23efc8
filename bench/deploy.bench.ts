import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { deployProject } from '../packages/core/src/deploy/deploy.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { startClickHouseServer } from '../test/support/clickhouseServer.js';
import { formatTable, isStrict, median } from './measure.js';

// Issue 8's benchmark: 1,000 statements applied through ClickPlan's deploy engine (registry, lock,
// retries; no verification) and through a bare @clickhouse/client loop, on the same server (Debian's
// ClickHouse 18.16, started here), alternating: one untimed pair, then five timed pairs, each run's tables dropped after it. Two
// repositories: 10 files of 100 statements, and 500 files of 2 (where per-file registry rows would
// show). Target: overhead under 10% for both.

const TARGET = 1.1;
const PASSWORD = 'bench-deploy';
const SCENARIOS = [
  { files: 10, perFile: 100 },
  { files: 500, perFile: 2 },
];
const RUNS = 5;

function statements(database: string, files: number, perFile: number): string[][] {
  return Array.from({ length: files }, (_, f) =>
    Array.from({ length: perFile }, (_, i) => `CREATE TABLE ${database}.t_${f}_${i} (id UInt64, at DateTime, v String) ENGINE = MergeTree() ORDER BY id`),
  );
}

const server = await startClickHouseServer({ password: PASSWORD });
const client = createClient({ url: server.url, username: 'default', password: PASSWORD });
const results: { files: number; perFile: number; bare: number[]; ours: number[] }[] = [];
let runs = 0;

async function timeBare(files: number, perFile: number): Promise<number> {
  const database = `bare_${runs++}`;
  await client.command({ query: `CREATE DATABASE ${database}` });
  const start = performance.now();
  for (const file of statements(database, files, perFile)) for (const query of file) await client.command({ query });
  const elapsed = performance.now() - start;
  await client.command({ query: `DROP DATABASE ${database}` });
  return elapsed;
}

async function timeOurs(files: number, perFile: number): Promise<number> {
  const database = `ours_${runs++}`;
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-bench-deploy-'));
  writeFileSync(join(dir, 'V0__database.sql'), `CREATE DATABASE ${database};\n`);
  for (const [f, file] of statements(database, files, perFile).entries()) writeFileSync(join(dir, `V${f + 1}__tables.sql`), `${file.join(';\n')};\n`);
  const project = loadProject(dir);
  const analysis = analyzeFiles(project.files, { defaultDatabase: 'default' });
  const target = await openTarget(server.url, { user: 'default', password: PASSWORD });
  const start = performance.now();
  const result = await deployProject(project, analysis, target, { verify: false, registry: `clickplan_${runs}` });
  const elapsed = performance.now() - start;
  // Each run starts on a server in the same state: the tables of earlier runs gone.
  await client.command({ query: `DROP DATABASE ${database}` });
  await target.close();
  rmSync(dir, { recursive: true, force: true });
  if (result.failure) throw new Error(`deploy failed: ${result.failure.message}`);
  if (result.statementsRun !== files * perFile + 1) throw new Error(`deploy ran ${result.statementsRun} statements`);
  return elapsed;
}

try {
  for (const { files, perFile } of SCENARIOS) {
    const result = { files, perFile, bare: [] as number[], ours: [] as number[] };
    await timeBare(files, perFile);
    await timeOurs(files, perFile);
    for (let run = 0; run < RUNS; run++) {
      result.bare.push(await timeBare(files, perFile));
      result.ours.push(await timeOurs(files, perFile));
    }
    results.push(result);
  }
} finally {
  await client.close();
  await server.stop();
}

console.log('1,000 CREATE TABLE statements (+ CREATE DATABASE), ClickHouse 18.16 over HTTP on loopback');
const rows: string[][] = [];
let missed = false;
for (const { files, perFile, bare, ours } of results) {
  const ratio = median(ours) / median(bare);
  missed ||= ratio > TARGET;
  rows.push(
    [`${files} files x ${perFile}: bare @clickhouse/client loop`, median(bare).toFixed(0), bare.map((t) => t.toFixed(0)).join(', '), ''],
    [`${files} files x ${perFile}: clickplan deploy`, median(ours).toFixed(0), ours.map((t) => t.toFixed(0)).join(', '), `${ratio.toFixed(2)}x`],
  );
}
console.log(formatTable(['', 'median (ms)', 'runs (ms)', 'ratio'], rows));
console.log(`target: ClickPlan <= ${TARGET}x the bare loop (registry, lock and retries; no verification)`);
if (isStrict() && missed) process.exitCode = 1;
