import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OracleCase } from './oracle/check.js';
import { childRunner } from './oracle/pool.js';
import { caseSeed, Random } from './oracle/random.js';
import { generateCase, renderCase, runOracle } from './oracle/run.js';

// The differential oracle, bounded for CI (issue 13): generated DDL and changes run on the
// embedded engine; every disagreement category must be one the baseline lists with its defect,
// every regression case (a shrunk failure) must still show its category while the baseline lists
// it and never again once it is removed, so the baseline only shrinks as defects are fixed.
// The large run: `npm run oracle -- --count 100000 --seed 1` (add `--shrink --save` to refresh
// test/oracle/regressions/). Cases run in a child process with a kill timer, so a case that hangs
// is recorded as timed out and the run goes on.

const oracleDir = new URL('./oracle/', import.meta.url).pathname;
const baseline = JSON.parse(readFileSync(join(oracleDir, 'baseline.json'), 'utf8')) as Record<string, string>;
const regressions = readdirSync(join(oracleDir, 'regressions'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(oracleDir, 'regressions', file), 'utf8')) as { category: string; minimal: OracleCase }) }));

// A generous limit: a case takes well under a second, but the suite runs on a loaded machine.
const runner = childRunner({ timeoutMs: 60_000 });
afterAll(() => runner.close());

/** The CI seeds: enough cases that every engine family and change kind occurs. */
const CI_CASES = 40;

describe('differential oracle', () => {
  it('generates the same cases from the same seed, and other cases from another', () => {
    const render = (seed: number) => Array.from({ length: 30 }, (_, i) => JSON.stringify(renderCase(generateCase(new Random(caseSeed(seed, i))))));
    expect(render(1)).toEqual(render(1));
    expect(render(2)).not.toEqual(render(1));
  });

  it('finds on the CI seeds only categories the baseline lists', async () => {
    const report = await runOracle([runner], { count: CI_CASES, seed: 1 });
    expect(report.timeouts + report.crashes).toBe(0);
    // The generator must produce objects and changes the engine accepts, or the properties test nothing.
    expect(report.objectsAccepted).toBeGreaterThan(report.objectsGenerated / 2);
    expect(report.changesAccepted).toBeGreaterThan(0);
    const unknown = [...report.categories.keys()].filter((c) => !(c in baseline)).sort();
    const examples = unknown.map((c) => `${c}\n  ${report.examples.get(c)?.finding.detail.replace(/\n/g, '\n  ')}`);
    expect(
      examples,
      'new disagreement: shrink it with `npm run oracle -- --count 8 --seed 1 --shrink --save`, then fix it or list it in baseline.json',
    ).toEqual([]);
  }, 300_000);

  it('every baseline category has a regression case, and every regression case fails exactly while listed', async () => {
    const covered = new Set(regressions.map((r) => r.category));
    expect(Object.keys(baseline).filter((c) => !covered.has(c))).toEqual([]);
    const wrong: string[] = [];
    for (const [index, regression] of regressions.entries()) {
      const outcome = await runner.run(regression.minimal, 800000 + index);
      const shows = outcome.findings.some((f) => f.category === regression.category);
      const listed = regression.category in baseline;
      if (listed && !shows) wrong.push(`${regression.category}: fixed; remove it from baseline.json (keep ${regression.file} as a regression case)`);
      if (!listed && shows) wrong.push(`${regression.category}: fails again (${regression.file})`);
    }
    expect(wrong).toEqual([]);
  }, 115_000);

  it('records a case that hangs as timed out, with the statement it was running, and runs the next case', async () => {
    const short = childRunner({ timeoutMs: 4_000 });
    try {
      // A CREATE ... AS SELECT from an endless table never returns (as a copy from GenerateRandom would not).
      const endless = 'CREATE TABLE endless ENGINE = MergeTree ORDER BY n AS SELECT number AS n FROM system.numbers';
      await short.run({ form: 'object', statements: ['CREATE TABLE warm (a UInt8) ENGINE = Memory'] }, 1);
      const hung = await short.run({ form: 'object', statements: [endless] }, 2);
      expect(hung.stopped).toBe('timeout');
      expect(hung.findings.map((f) => f.category)).toEqual(['T:timeout:object']);
      expect(hung.findings[0]?.detail).toContain('FROM system.numbers');
      const next = await short.run({ form: 'object', statements: ['CREATE TABLE after (a UInt8) ENGINE = Memory'] }, 3);
      expect(next.stopped).toBeUndefined();
      expect(next.objectsAccepted).toBe(1);
      expect(next.findings).toEqual([]);
    } finally {
      await short.close();
    }
  }, 120_000);
});
