import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../packages/cli/scripts/build.js';
import { renderSnapshot } from '../packages/core/src/live/snapshot.js';
import { createRepository, pullRequestPayload, runAction } from '../test/support/githubAction.js';
import { startGitHubApi } from '../test/support/githubApi.js';
import { formatTable, isStrict, median } from './measure.js';
import { modelSnapshot } from './model-snapshot.js';
import { generateSchema } from './schema-generator.js';
import { singleNode } from './single-node.js';

// Issue 17: the commands as users run them, each a whole new process (start-up, module loading, file
// reading, rendering, GC), against a reference measured in the same run:
//  1. `clickplan inspect --format json` of a 7 MB, 5,000-table schema against ClickHouse formatting
//     the same statements (`formatQuerySingleLine`, a node process that loads chDB), target >= 3x;
//  2. `clickplan inspect` of 1,000 tables + 500 materialized views against replaying the same DDL into
//     chDB (a node process, a new engine), the "scratch database" other tools use, target >= 30x;
//  3. the Action on a pull request adding one column to a ~10,000-object repository, start to posted
//     comment, target < 2 s (reference: `node -e 0`, what starting Node costs at this moment);
//  4. growth: `inspect`, `lint` and `plan` against a snapshot at ~1k, ~10k and ~100k objects, target
//     <= 12x per 10x, with the peak resident memory of each process (GNU time's %M).
// `--help` is startup.bench.ts, the editor under load lsp.bench.ts.

const results = fileURLToPath(new URL('./results/', import.meta.url));
const work = join(results, 'commands');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
await buildCli(join(work, 'cli'));
const bin = join(work, 'cli', 'clickplan.js');
const quick = process.argv.includes('--quick');
/** `--only=1,4`: run these rows alone. */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (row: number) => !only || only.includes(String(row));

const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error('GNU time (/usr/bin/time) is missing: apt-get install time');

interface Run {
  ms: number;
  /** User + system CPU time: on a busy shared machine a process waits for a core far longer than it runs. */
  cpuMs: number;
  rssMb: number;
}

/** One whole process: wall time around spawnSync, peak RSS from GNU time. Output goes to /dev/null, as a pipe to a file would. */
function runProcess(args: string[], cwd = work, okStatuses = [0]): Run {
  const start = performance.now();
  const result = spawnSync(TIME, ['-f', 'cpu %U %S rss %M', process.execPath, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (!okStatuses.includes(result.status ?? -1)) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const figures = /^cpu (\S+) (\S+) rss (\d+)$/m.exec(result.stderr);
  if (!figures) throw new Error(`GNU time printed no figures: ${result.stderr.slice(-500)}`);
  return { ms, cpuMs: (Number(figures[1]) + Number(figures[2])) * 1000, rssMb: Number(figures[3]) / 1024 };
}

/** Alternates the commands run by run (a burst of load slows all alike), after one untimed run each. */
function interleave(commands: Record<string, () => Run>, runs: number): Record<string, Run[]> {
  for (const command of Object.values(commands)) command();
  const samples: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name]?.push(command());
  return samples;
}

const medianMs = (runs: Run[]) => median(runs.map((r) => r.ms));
const medianCpu = (runs: Run[]) => median(runs.map((r) => r.cpuMs));
const table = (samples: Record<string, Run[]>) =>
  formatTable(
    ['command', 'median', 'CPU median', 'peak RSS'],
    Object.entries(samples).map(([name, runs]) => [name, ms(medianMs(runs)), ms(medianCpu(runs)), `${maxRss(runs).toFixed(0)} MB`]),
  );
const maxRss = (runs: Run[]) => Math.max(...runs.map((r) => r.rssMb));
const ms = (value: number) => `${value.toFixed(0)} ms`;
const verdicts: { what: string; met: boolean; figure: string }[] = [];

// Inspect exits 1 when the schema has findings of error severity; both are a finished run.
const INSPECT_OK = [0, 1];
const writeStatements = (name: string, statements: string[]) => {
  const file = join(work, name);
  writeFileSync(file, `${statements.join(';\n\n')};\n`);
  return file;
};

// --- 1. inspect of 7 MB against ClickHouse's formatter ---------------------------------------------
if (runs(1)) {
  const { statements } = generateSchema({ tables: 5000, seed: 7 });
  const file = writeStatements('schema-5000.sql', statements);
  const tsv = join(work, 'schema-5000.tsv');
  writeFileSync(tsv, `${statements.map((s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')).join('\n')}\n`);
  const formatter = join(work, 'format.mjs');
  writeFileSync(
    formatter,
    `import { query } from 'chdb';\nconst out = query(${JSON.stringify(
      `SELECT count(), sum(length(formatQuerySingleLine(q))) FROM file('${tsv}', 'TSV', 'q String') SETTINGS max_threads = 1`,
    )}, 'CSV');\nif (!out.startsWith('${statements.length},')) throw new Error('chDB formatted ' + out);\n`,
  );
  const samples = interleave(
    {
      'clickplan inspect --format json': () => runProcess([bin, 'inspect', file, '--format', 'json'], work, INSPECT_OK),
      'node + chDB formatQuerySingleLine': () => runProcess([formatter]),
    },
    quick ? 1 : 5,
  );
  const ours = medianMs(samples['clickplan inspect --format json'] ?? []);
  const reference = medianMs(samples['node + chDB formatQuerySingleLine'] ?? []);
  console.log(`\n1. ${statements.length} statements, ${(statements.join(';\n\n').length / 1e6).toFixed(1)} MB, whole processes, medians:\n`);
  console.log(table(samples));
  const ratio = reference / ours;
  const cpuRatio = medianCpu(samples['node + chDB formatQuerySingleLine'] ?? []) / medianCpu(samples['clickplan inspect --format json'] ?? []);
  verdicts.push({ what: 'inspect 7 MB vs ClickHouse formatting it >= 3x', met: ratio >= 3, figure: `${ratio.toFixed(2)}x (CPU ${cpuRatio.toFixed(2)}x)` });
}

// --- 2. inspect of 1,000 tables + 500 MVs against replaying them into chDB ---------------------------
if (runs(2)) {
  let views = 0;
  const statements = generateSchema({ tables: 1000, seed: 11 })
    .statements.filter((s) => !s.startsWith('CREATE MATERIALIZED VIEW') || ++views <= 500)
    .map(singleNode);
  const file = writeStatements('schema-1000.sql', statements);
  const replay = join(work, 'replay.mjs');
  // Statements the engine refuses (a view over an unreachable dictionary source) are counted, not fatal: the
  // replay other tools run stops there too, and the count is printed so a broken generator shows.
  writeFileSync(
    replay,
    `import { Session } from 'chdb';\nimport { readFileSync, mkdtempSync, rmSync } from 'node:fs';\nimport { tmpdir } from 'node:os';\nimport { join } from 'node:path';\n` +
      `const dir = mkdtempSync(join(tmpdir(), 'clickplan-replay-'));\nconst session = new Session(dir);\nlet refused = 0;\n` +
      `for (const s of JSON.parse(readFileSync(${JSON.stringify(join(work, 'schema-1000.json'))}, 'utf8'))) { try { session.query(s); } catch { refused++; } }\n` +
      `session.cleanup?.();\nrmSync(dir, { recursive: true, force: true });\nif (refused > 20) throw new Error(refused + ' statements refused');\n`,
  );
  writeFileSync(join(work, 'schema-1000.json'), JSON.stringify(statements));
  const samples = interleave(
    {
      'clickplan inspect': () => runProcess([bin, 'inspect', file], work, INSPECT_OK),
      'node + chDB replaying the DDL': () => runProcess([replay]),
    },
    quick ? 1 : 3,
  );
  const ours = medianMs(samples['clickplan inspect'] ?? []);
  const reference = medianMs(samples['node + chDB replaying the DDL'] ?? []);
  console.log(`\n2. 1,000 tables + ${Math.min(views, 500)} materialized views (${statements.length} statements), whole processes, medians:\n`);
  console.log(table(samples));
  const ratio = reference / ours;
  const cpuRatio = medianCpu(samples['node + chDB replaying the DDL'] ?? []) / medianCpu(samples['clickplan inspect'] ?? []);
  verdicts.push({
    what: 'inspect 1,000 tables + 500 MVs vs chDB replay >= 30x',
    met: ratio >= 30,
    figure: `${ratio.toFixed(1)}x (CPU ${cpuRatio.toFixed(1)}x)`,
  });
}

// --- 3. the Action on a pull request adding one column to ~10,000 objects -----------------------------
if (runs(3)) {
  const { statements } = generateSchema({ tables: 5000, seed: 7 });
  const files: Record<string, string> = {};
  // 100 files, as a repository grown over years would be.
  const perFile = Math.ceil(statements.length / 100);
  for (let i = 0; i < 100; i++) {
    const part = statements.slice(i * perFile, (i + 1) * perFile);
    if (part.length > 0) files[`db/schema/${String(i + 1).padStart(3, '0')}_part.sql`] = `${part.join(';\n\n')};\n`;
  }
  const table = /^CREATE TABLE (?:IF NOT EXISTS )?(\S+)/m.exec(statements.find((s) => /ENGINE = \w*MergeTree/.test(s)) ?? '')?.[1];
  if (!table) throw new Error('the generated schema has no MergeTree table');
  const repo = createRepository();
  const api = await startGitHubApi();
  try {
    const base = repo.commit(files, 'base');
    const head = repo.commit({ 'db/schema/101_add_column.sql': `ALTER TABLE ${table} ADD COLUMN bench_added UInt8;\n` }, 'add a column');
    const once = async () => {
      const run = await runAction({
        cwd: repo.dir,
        event: 'pull_request',
        payload: pullRequestPayload('synchronize', { base, head }),
        inputs: { path: 'db', 'github-token': 'ghs_bench' },
        apiUrl: api.url,
        sha: head,
      });
      if (run.status > 1) throw new Error(`the Action exited ${run.status}: ${run.stderr.slice(-2000)}`);
      return run.ms;
    };
    await once();
    const times: number[] = [];
    const nodes: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      times.push(await once());
      nodes.push(runProcess(['-e', '0']).ms);
    }
    const comments = api.requests.filter((r) => r.operationId?.includes('comment')).length;
    if (comments === 0) throw new Error('the Action posted no comment');
    const action = median(times);
    console.log(`\n3. the Action, pull request adding one column to ${Object.keys(files).length} files / ${statements.length} statements:\n`);
    console.log(
      formatTable(
        ['command', 'median'],
        [
          ['Action, start to posted comment', ms(action)],
          ['node -e 0', ms(median(nodes))],
        ],
      ),
    );
    verdicts.push({ what: 'Action on a 10,000-object repository < 2 s', met: action < 2000, figure: ms(action) });
  } finally {
    await api.close();
    repo.cleanup();
  }
}

// --- 4. growth from ~1k to ~10k to ~100k objects ------------------------------------------------------
if (runs(4)) {
  const sizes = quick ? [500, 5000] : [500, 5000, 50000];
  const rows: string[][] = [];
  const byCommand: Record<string, { ms: number; cpuMs: number }[]> = {};
  for (const tables of sizes) {
    const { statements } = generateSchema({ tables, seed: 3 });
    const file = writeStatements(`growth-${tables}.sql`, statements);
    // The repository with one column more, planned against a snapshot of it as it was (model-snapshot.ts: no engine).
    const snapshot = join(work, `growth-${tables}.json`);
    writeFileSync(snapshot, renderSnapshot(modelSnapshot(readFileSync(file, 'utf8'))));
    const table = /^CREATE TABLE (?:IF NOT EXISTS )?(\S+)/m.exec(statements.find((s) => /ENGINE = \w*MergeTree/.test(s)) ?? '')?.[1];
    appendFileSync(file, `\nALTER TABLE ${table} ADD COLUMN bench_added UInt8;\n`);
    for (const [name, args] of [
      ['inspect --format json', ['inspect', file, '--format', 'json']],
      ['lint', ['lint', file]],
      ['plan --target snapshot', ['plan', file, '--target', snapshot]],
    ] as const) {
      const runs = Array.from({ length: tables >= 50000 ? 1 : 3 }, () => runProcess([bin, ...args], work, [0, 1]));
      const time = medianMs(runs);
      (byCommand[name] ??= []).push({ ms: time, cpuMs: medianCpu(runs) });
      rows.push([name, `${tables} tables, ${statements.length} statements`, ms(time), ms(medianCpu(runs)), `${maxRss(runs).toFixed(0)} MB`]);
    }
    rmSync(file);
    rmSync(snapshot);
  }
  console.log('\n4. growth, whole processes (median of 3; one run at the largest size):\n');
  console.log(formatTable(['command', 'input', 'time', 'CPU', 'peak RSS'], rows));
  for (const [name, times] of Object.entries(byCommand)) {
    for (let i = 1; i < times.length; i++) {
      const [before, after] = [times[i - 1], times[i]];
      if (!before || !after) continue;
      const factor = after.ms / before.ms;
      const cpuFactor = after.cpuMs / before.cpuMs;
      verdicts.push({
        what: `${name} ${sizes[i - 1]} -> ${sizes[i]} tables <= 12x`,
        met: factor <= 12,
        figure: `${factor.toFixed(1)}x (CPU ${cpuFactor.toFixed(1)}x)`,
      });
    }
  }
}

console.log(`\nTargets (load average ${(await import('node:os')).loadavg()[0]?.toFixed(1)}):\n`);
console.log(
  formatTable(
    ['target', 'measured', ''],
    verdicts.map((v) => [v.what, v.figure, v.met ? 'met' : 'NOT MET']),
  ),
);
writeFileSync(join(results, 'commands.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, verdicts }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
if (isStrict() && verdicts.some((v) => !v.met)) process.exitCode = 1;
