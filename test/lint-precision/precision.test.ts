import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../packages/core/src/inspect/analyze.js';
import { loadProject } from '../../packages/core/src/project/project.js';
import { CORPORA, corpusFindingKeys } from './findings.js';

// Lint precision on real-shaped repositories (issue 19): every finding is classified by hand in
// classification.tsv. A new finding must be classified before it lands, and a finding that goes
// away must leave the list (a true one going away is a regression: a false negative).

type Verdict = 'true' | 'false' | 'by-design';

/** Written to hold the issue's own false positives and negatives: a regression suite, not a sample. */
const ISSUE_REPOSITORIES = ['product-events', 'site-stats', 'tracing'];

const classified = readFileSync(new URL('./classification.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [verdict, key, why] = line.split('\t');
    return { verdict: verdict as Verdict, key, why };
  });

describe('lint precision on the corpora', () => {
  it('reads every corpus repository without a diagnostic', () => {
    const diagnostics = CORPORA.flatMap((root) =>
      readdirSync(root).flatMap((repository) => {
        const project = loadProject(`${root}${repository}`);
        const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
        return [...project.diagnostics, ...analysis.diagnostics].map((d) => `${repository}: ${d.code}: ${d.message}`);
      }),
    );
    expect(diagnostics).toEqual([]);
  });

  it('finds exactly the classified findings', () => {
    expect(corpusFindingKeys()).toEqual(classified.map((c) => c.key).sort());
  });

  it('classifies each finding as true, false or by-design, with a reason unless true', () => {
    expect(classified.filter((c) => !['true', 'false', 'by-design'].includes(c.verdict) || (c.verdict !== 'true' && !c.why))).toEqual([]);
  });

  it('is right at least 95% of the time (true / (true + false))', () => {
    const count = (verdict: Verdict) => classified.filter((c) => c.verdict === verdict).length;
    const precision = count('true') / (count('true') + count('false'));
    expect(precision).toBeGreaterThanOrEqual(0.95);
  });

  it('is right at least 95% of the time on the repositories not written from the issue', () => {
    const independent = classified.filter((c) => !ISSUE_REPOSITORIES.includes(c.key.split(' ')[0] as string));
    const count = (verdict: Verdict) => independent.filter((c) => c.verdict === verdict).length;
    expect(count('true') / (count('true') + count('false'))).toBeGreaterThanOrEqual(0.95);
  });

  it("agrees with README.md's table, repository by repository", () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| ([a-z0-9-]+) +\| .* \| +(\d+) +\| +(\d+) +\| +(\d+) +\|$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
    const repositories = CORPORA.flatMap((root) => readdirSync(root));
    const counted = repositories.map((repository) => {
      const of = (verdict: Verdict) => classified.filter((c) => c.verdict === verdict && c.key.startsWith(`${repository} `)).length;
      return `${repository} ${of('true')} ${of('false')} ${of('by-design')}`;
    });
    expect(rows.sort()).toEqual(counted.sort());
  });

  it('explains each rule with by-design findings in its rule page', () => {
    const rules = [...new Set(classified.filter((c) => c.verdict === 'by-design').map((c) => c.key.split(' ').at(-1) as string))];
    const unexplained = rules.filter((rule) => !/By design/.test(readFileSync(new URL(`../../docs/rules/${rule}.md`, import.meta.url), 'utf8')));
    expect(unexplained).toEqual([]);
  });
});
