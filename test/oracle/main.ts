import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OracleReport, openScratchEngine, renderCase, runOracle, shrinkCase } from './run.js';

// `npm run oracle -- --count 100000 --seed 1 [--shrink] [--save]`: generates cases, runs both
// properties on the embedded engine, prints counts, throughput and every disagreement category with
// a minimal case. `--save` writes each category's minimal case to test/oracle/regressions/.

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function print(report: OracleReport): void {
  const rate = (n: number) => ((n * 1000) / Math.max(report.millis, 1)).toFixed(1);
  console.log(`cases ${report.cases} in ${(report.millis / 1000).toFixed(1)} s (${rate(report.cases)} cases/s, ${rate(report.objectsAccepted)} objects/s)`);
  console.log(
    `objects: generated ${report.objectsGenerated}, accepted by engine ${report.objectsAccepted}, agreed ${report.objectsAgreed}, disagreed ${report.objectsDisagreed}`,
  );
  console.log(`changes: generated ${report.changesGenerated}, accepted by engine ${report.changesAccepted}, converged ${report.changesConverged}`);
  console.log('engine-refused (by code):');
  for (const [code, n] of [...report.refused].sort((a, b) => b[1] - a[1]))
    console.log(`  ${n}\t${code}${process.argv.includes('--verbose') ? `\t${(report.refusalMessages.get(code) ?? '').slice(0, 400)}` : ''}`);
  console.log('disagreements (findings per category):');
  for (const [category, n] of [...report.categories].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(`  ${n}\t${category}`);
}

export function slug(category: string): string {
  return category.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_|_$/g, '');
}

async function main(): Promise<void> {
  const count = option('count', 1000);
  const seed = option('seed', 1);
  const shrink = process.argv.includes('--shrink');
  const save = process.argv.includes('--save');
  const engine = await openScratchEngine();
  try {
    const report = await runOracle(engine.target, {
      count,
      seed,
      onCase: (index, r) => {
        if ((index + 1) % 500 === 0) console.error(`… ${index + 1} cases, ${r.categories.size} categories`);
      },
    });
    print(report);
    if (process.argv.includes('--examples'))
      for (const [category, example] of [...report.examples].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
        console.log(
          `\n## ${category} (case ${example.index})\n${JSON.stringify(renderCase(example.generated), null, 1)}\n-- ${example.finding.detail.split('\n').join('\n-- ')}`,
        );
    if (!shrink) return;
    console.log('\nminimal cases:');
    for (const [category, example] of [...report.examples].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const { minimal, finding } = await shrinkCase(engine.target, example.generated, category);
      const detail = (finding ?? example.finding).detail;
      console.log(`\n## ${category}  (seed ${seed}, case ${example.index})\n${JSON.stringify(minimal, null, 1)}\n-- ${detail.split('\n').join('\n-- ')}`);
      if (save)
        writeFileSync(
          join(import.meta.dirname, 'regressions', `${slug(category)}.json`),
          `${JSON.stringify({ category, seed, case: example.index, detail, minimal }, null, 2)}\n`,
        );
    }
  } finally {
    await engine.close();
  }
}

await main();
