import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../packages/cli/scripts/build.js';
import { formatTable, isStrict, measureInterleaved, median } from './measure.js';

// Issue 16's start-up target: `clickplan --help` in under 150 ms, the whole process, as a shell
// runs the installed command (the bundle `npm pack` ships, built here into bench/results/startup).
// Reference: `node -e 0` in the same run, interleaved run by run, so the figures say what ClickPlan
// adds to starting Node itself on this machine at this moment. `--version` and an unknown command
// (which prints the command list as an error) take the same path; `lint --help` loads core.

const TARGET_MS = 150;
const RUNS = 21;

const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
const dist = join(results, 'startup');
await buildCli(dist);
const bin = join(dist, 'clickplan.js');

// CPU time (user + system) of each process too, through GNU time when the machine has it: on a busy
// shared machine a process waits for a core far longer than it runs, and its CPU time stays put.
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const cpu: Record<string, number[]> = {};
const run = (name: string, args: string[]) => () => {
  const [command, ...rest] = hasTime ? [TIME, '-f', 'cpu %U %S', process.execPath, ...args] : [process.execPath, ...args];
  const result = spawnSync(command, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const times = /^cpu (\S+) (\S+)$/m.exec(result.stderr);
  if (times) (cpu[name] ??= []).push((Number(times[1]) + Number(times[2])) * 1000);
};
// Node's own flags (bench/run.ts passes --expose-gc to this process) must not reach the children.
const timings = measureInterleaved(
  {
    'node -e 0': run('node -e 0', ['-e', '0']),
    'clickplan --help': run('clickplan --help', [bin, '--help']),
    'clickplan --version': run('clickplan --version', [bin, '--version']),
    'clickplan lint --help': run('clickplan lint --help', [bin, 'lint', '--help']),
  },
  { warmup: 3, runs: RUNS },
);

const node = timings['node -e 0'].median;
const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(`Whole process, median of ${RUNS} runs each, interleaved (Node ${process.version}):\n`);
console.log(
  formatTable(
    ['command', 'median', 'min', 'over node -e 0', 'ratio', 'CPU median', 'CPU over node'],
    Object.entries(timings).map(([name, timing]) => [
      name,
      ms(timing.median),
      ms(Math.min(...timing.samples)),
      name === 'node -e 0' ? '' : ms(timing.median - node),
      name === 'node -e 0' ? '' : `${(timing.median / node).toFixed(2)}x`,
      cpu[name] ? ms(median(cpu[name])) : 'n/a',
      cpu[name] && name !== 'node -e 0' ? ms(median(cpu[name]) - median(cpu['node -e 0'])) : '',
    ]),
  ),
);
const help = timings['clickplan --help'].median;
const met = help < TARGET_MS;
console.log(`\nclickplan --help < ${TARGET_MS} ms: ${met ? 'met' : 'NOT MET'} (${ms(help)}; node -e 0 alone ${ms(node)})`);

const record = { date: new Date().toISOString(), node: process.version, runs: RUNS, target: TARGET_MS, timings, cpu };
writeFileSync(join(results, 'startup.json'), `${JSON.stringify(record, null, 2)}\n`);
if (!met && isStrict()) process.exitCode = 1;
