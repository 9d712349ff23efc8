import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Runs every bench/*.bench.ts in sequence, each in its own node process: chDB allows one engine per
// process, and a fresh process keeps one benchmark's JIT state and heap out of the next one's
// figures. `npm run bench -- parse` runs the benchmarks whose file name contains `parse`;
// `--strict` makes a benchmark that misses its target fail the run.

const directory = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(directory)
  .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((filter) => f.includes(filter))))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}.`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args.filter((a) => a.startsWith('--'))],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status ?? result.signal}).`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
