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
// retries, verification) and through a bare @clickhouse/client loop, on the same server (Debian's
// ClickHouse 18.16, started here), alternating, three runs each. Target: overhead under 10%.

const TARGET = 1.1;
const FILES = 10;
const PER_FILE = 100;
const PASSWORD = 'bench-deploy';

function statements(database: string): string[][] {
  return Array.from({ length: FILES }, (_, f) =>
    Array.from({ length: PER_FILE }, (_, i) => `CREATE TABLE ${database}.t_${f}_${i} (id UInt64, at DateTime, v String) ENGINE = MergeTree() ORDER BY id`),
  );
}

const server = await startClickHouseServer({ password: PASSWORD });
const client = createClient({ url: server.url, username: 'default', password: PASSWORD });
const bare: number[] = [];
const ours: number[] = [];
try {
  for (let run = 0; run < 3; run++) {
    const bareDatabase = `bare_${run}`;
    await client.command({ query: `CREATE DATABASE ${bareDatabase}` });
    let start = performance.now();
    for (const file of statements(bareDatabase)) for (const query of file) await client.command({ query });
    bare.push(performance.now() - start);

    const database = `ours_${run}`;
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-bench-deploy-'));
    writeFileSync(join(dir, 'V0__database.sql'), `CREATE DATABASE ${database};\n`);
    for (const [f, file] of statements(database).entries()) writeFileSync(join(dir, `V${f + 1}__tables.sql`), `${file.join(';\n')};\n`);
    const project = loadProject(dir);
    const analysis = analyzeFiles(project.files, { defaultDatabase: 'default' });
    const target = await openTarget(server.url, { user: 'default', password: PASSWORD });
    start = performance.now();
    const result = await deployProject(project, analysis, target, { verify: false, registry: `clickplan_${run}` });
    ours.push(performance.now() - start);
    await target.close();
    rmSync(dir, { recursive: true, force: true });
    if (result.failure) throw new Error(`deploy failed: ${result.failure.message}`);
    if (result.statementsRun !== FILES * PER_FILE + 1) throw new Error(`deploy ran ${result.statementsRun} statements`);
  }
} finally {
  await client.close();
  await server.stop();
}

const ratio = median(ours) / median(bare);
console.log(`${FILES * PER_FILE} CREATE TABLE statements in ${FILES} migration files, ClickHouse 18.16 over HTTP on loopback`);
console.log(
  formatTable(
    ['', 'median (ms)', 'runs (ms)'],
    [
      ['bare @clickhouse/client loop', median(bare).toFixed(0), bare.map((t) => t.toFixed(0)).join(', ')],
      ['clickplan deploy (registry, lock; no verification)', median(ours).toFixed(0), ours.map((t) => t.toFixed(0)).join(', ')],
    ],
  ),
);
console.log(`ratio: ClickPlan takes ${ratio.toFixed(2)}x the bare loop (target <= ${TARGET}x)`);
if (isStrict() && ratio > TARGET) process.exitCode = 1;
