import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OracleCase } from './check.js';
import { type CaseRunner, childRunner } from './pool.js';
import { reasonFor } from './reasons.js';
import { type OracleReport, renderCase, runOracle, shrinkCase } from './run.js';

// `npm run oracle -- --count 100000 --seed 1 [--shrink] [--save]`: generates cases, runs both
// properties on the embedded engine, prints counts, throughput and every disagreement category with
// a minimal case (`--budget N`: runs per shrink). `--save` writes each category's minimal case to test/oracle/regressions/.
// `--jobs N` runs N engines (child processes) at once; `--timeout S` stops a case after S seconds
// (recorded as `T:timeout:...`, with the statement that hung) and the run goes on. `--minutes M`
// starts no case after M minutes (the report's case count reproduces the run with `--count`).
// `--changes` makes every case a change (edit or alter) where the scene allows one (reproduce with it too).

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function print(report: OracleReport): void {
  const rate = (n: number) => ((n * 1000) / Math.max(report.millis, 1)).toFixed(1);
  console.log(`cases 0..${report.indexes - 1} (reproduce: --count ${report.indexes})`);
  console.log(`cases ${report.cases} in ${(report.millis / 1000).toFixed(1)} s (${rate(report.cases)} cases/s, ${rate(report.objectsAccepted)} objects/s)`);
  console.log(
    `objects: generated ${report.objectsGenerated}, accepted by engine ${report.objectsAccepted}, agreed ${report.objectsAgreed}, disagreed ${report.objectsDisagreed}`,
  );
  console.log(`changes: generated ${report.changesGenerated}, accepted by engine ${report.changesAccepted}, converged ${report.changesConverged}`);
  console.log(`stopped: ${report.timeouts} timed out, ${report.crashes} crashed`);
  console.log('engine-refused (by code):');
  for (const [code, n] of [...report.refused].sort((a, b) => b[1] - a[1]))
    console.log(`  ${n}\t${code}${process.argv.includes('--verbose') ? `\t${(report.refusalMessages.get(code) ?? '').slice(0, 400)}` : ''}`);
  console.log('disagreements (findings per category):');
  for (const [category, n] of [...report.categories].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(`  ${n}\t${category}`);
}

function existingBaseline(): string[] {
  const path = join(import.meta.dirname, 'baseline.json');
  return existsSync(path) ? Object.keys(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : [];
}

export function slug(category: string): string {
  return category.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_|_$/g, '');
}

/** Writes baseline.json: every category that has a regression case and still fails, with its reason. */
function writeBaseline(categories: readonly string[]): void {
  const baseline = Object.fromEntries([...categories].sort().map((c) => [c, reasonFor(c) ?? `unrouted: see regressions/${slug(c)}.json`]));
  writeFileSync(join(import.meta.dirname, 'baseline.json'), `${JSON.stringify(baseline, null, 2)}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--baseline-from-regressions')) {
    // The baseline is what the saved regression cases still show on this code: fixed ones drop out.
    const dir = join(import.meta.dirname, 'regressions');
    const runner = childRunner({ timeoutMs: option('timeout', 30) * 1000 });
    try {
      const failing: string[] = [];
      for (const [index, file] of readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .entries()) {
        const regression = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { category: string; minimal: OracleCase };
        const outcome = await runner.run(regression.minimal, 700000 + index);
        const shows = outcome.findings.some((f) => f.category === regression.category);
        console.log(`${shows ? 'fails ' : 'passes'} ${regression.category}`);
        if (shows) failing.push(regression.category);
      }
      writeBaseline(failing);
    } finally {
      await runner.close();
    }
    return;
  }
  const count = option('count', 1000);
  const seed = option('seed', 1);
  const shrink = process.argv.includes('--shrink');
  const save = process.argv.includes('--save');
  const runners: CaseRunner[] = Array.from({ length: option('jobs', 1) }, () => childRunner({ timeoutMs: option('timeout', 30) * 1000 }));
  const started = Date.now();
  try {
    const report = await runOracle(runners, {
      count,
      seed,
      changes: process.argv.includes('--changes'),
      ...(process.argv.includes('--minutes') ? { deadline: started + option('minutes', 60) * 60_000 } : {}),
      onCase: (done, r) => {
        if (done % 250 === 0)
          console.error(
            `… ${done} cases in ${((Date.now() - started) / 1000).toFixed(0)} s: objects ${r.objectsGenerated} generated, ${r.objectsAccepted} accepted, ${r.objectsAgreed} agreed, ${r.objectsDisagreed} disagreed; changes ${r.changesGenerated} generated, ${r.changesAccepted} accepted, ${r.changesConverged} converged; ${r.timeouts} timed out; ${r.categories.size} categories`,
          );
      },
    });
    print(report);
    if (process.argv.includes('--examples'))
      for (const [category, example] of [...report.examples].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
        console.log(
          `\n## ${category} (case ${example.index})\n${JSON.stringify(renderCase(example.generated), null, 1)}\n-- ${example.finding.detail.split('\n').join('\n-- ')}`,
        );
    if (!shrink) return;
    const saved: string[] = [];
    console.log('\nminimal cases:');
    for (const [category, example] of [...report.examples].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const { minimal, finding } = await shrinkCase(runners[0] as CaseRunner, example.generated, category, option('budget', 30));
      const detail = (finding ?? example.finding).detail;
      console.log(`\n## ${category}  (seed ${seed}, case ${example.index})\n${JSON.stringify(minimal, null, 1)}\n-- ${detail.split('\n').join('\n-- ')}`);
      const file = join(import.meta.dirname, 'regressions', `${slug(category)}.json`);
      if (save) saved.push(category);
      // A saved case is kept: it may be smaller than this run's (`--budget 0` saves unshrunk cases).
      if (save && !existsSync(file)) writeFileSync(file, `${JSON.stringify({ category, seed, case: example.index, detail, minimal }, null, 2)}\n`);
    }
    if (save) writeBaseline([...new Set([...saved, ...existingBaseline()])]);
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}

await main();
