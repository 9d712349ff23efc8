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
// ClickHouse 18.16, started here), one untimed pair, then seven timed pairs in alternating order, each run's tables dropped after it. Two
// repositories: 10 files of 100 statements, and 500 files of 2 (where per-file registry rows would
// show). Target: overhead under 10% for both.

const TARGET = 1.1;
const PASSWORD = 'bench-deploy';
const SCENARIOS = [
  { files: 10, perFile: 100 },
  { files: 500, perFile: 2 },
];
const RUNS = 7;

function statements(database: string, files: number, perFile: number): string[][] {
  return Array.from({ length: files }, (_, f) =>
    Array.from({ length: perFile }, (_, i) => `CREATE TABLE ${database}.t_${f}_${i} (id UInt64, at DateTime, v String) ENGINE = MergeTree() ORDER BY id`),
  );
}

const server = await startClickHouseServer({ password: PASSWORD });
const client = createClient({ url: server.url, username: 'default', password: PASSWORD });
const results: { files: number; perFile: number; bare: number[]; ours: number[]; statements: number[] }[] = [];
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

/** A deploy's time, and the part of it spent in the requests of the migration statements themselves. */
async function timeOurs(files: number, perFile: number): Promise<{ elapsed: number; statements: number }> {
  const database = `ours_${runs++}`;
  const registry = `clickplan_${runs}`;
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-bench-deploy-'));
  writeFileSync(join(dir, 'V0__database.sql'), `CREATE DATABASE ${database};\n`);
  for (const [f, file] of statements(database, files, perFile).entries()) writeFileSync(join(dir, `V${f + 1}__tables.sql`), `${file.join(';\n')};\n`);
  const project = loadProject(dir);
  const analysis = analyzeFiles(project.files, { defaultDatabase: 'default' });
  const target = await openTarget(server.url, { user: 'default', password: PASSWORD });
  let inStatements = 0;
  const execute = target.execute.bind(target);
  target.execute = async (sql, options) => {
    const start = performance.now();
    try {
      return await execute(sql, options);
    } finally {
      if (sql.includes(`${database}.`) || sql === `CREATE DATABASE ${database}`) inStatements += performance.now() - start;
    }
  };
  const start = performance.now();
  const result = await deployProject(project, analysis, target, { verify: false, registry });
  const elapsed = performance.now() - start;
  // Each run starts on a server in the same state: the tables of earlier runs gone.
  await client.command({ query: `DROP DATABASE ${database}` });
  await client.command({ query: `DROP DATABASE ${registry}` });
  await target.close();
  rmSync(dir, { recursive: true, force: true });
  if (result.failure) throw new Error(`deploy failed: ${result.failure.message}`);
  if (result.statementsRun !== files * perFile + 1) throw new Error(`deploy ran ${result.statementsRun} statements`);
  return { elapsed, statements: inStatements };
}

try {
  for (const { files, perFile } of SCENARIOS) {
    const result = { files, perFile, bare: [] as number[], ours: [] as number[], statements: [] as number[] };
    await timeBare(files, perFile);
    await timeOurs(files, perFile);
    // The server slows down over the runs (it has created and dropped more and more tables): the
    // order alternates, bare first then ours first, so that neither side always runs later.
    for (let run = 0; run < RUNS; run++) {
      const bareFirst = run % 2 === 0;
      if (bareFirst) result.bare.push(await timeBare(files, perFile));
      const ours = await timeOurs(files, perFile);
      result.ours.push(ours.elapsed);
      result.statements.push(ours.statements);
      if (!bareFirst) result.bare.push(await timeBare(files, perFile));
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
for (const { files, perFile, bare, ours, statements } of results) {
  // Each pair ran back to back: the median of the pairs' ratios cancels the drift between pairs.
  const ratio = median(ours.map((t, i) => t / (bare[i] as number)));
  const own = median(ours.map((t, i) => t / (statements[i] as number)));
  missed ||= ratio > TARGET;
  rows.push(
    [`${files} files x ${perFile}: bare @clickhouse/client loop`, median(bare).toFixed(0), bare.map((t) => t.toFixed(0)).join(', '), '', ''],
    [
      `${files} files x ${perFile}: clickplan deploy`,
      median(ours).toFixed(0),
      ours.map((t) => t.toFixed(0)).join(', '),
      `${ratio.toFixed(2)}x`,
      `${own.toFixed(2)}x`,
    ],
  );
}
console.log(formatTable(['', 'median (ms)', 'runs (ms)', 'ours / bare', 'ours / its statements'], rows));
console.log(`ours / bare: median of the ratios of the ${RUNS} back-to-back pairs; target <= ${TARGET}x (registry, lock and retries; no verification)`);
console.log("ours / its statements: the deploy's time over the time spent in the requests of the 1,001 statements themselves, in the same run");
if (isStrict() && missed) process.exitCode = 1;
