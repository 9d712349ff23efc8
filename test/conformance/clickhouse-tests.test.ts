/**
 * CI gate of the conformance runner: every statement of ClickHouse's stateless SQL tests (the pinned
 * copy in `../shared/clickhouse-tests/`) is judged by chDB 26.7 and by our parser. A disagreement
 * missing from `baseline.json` fails, and so does a baseline entry that no longer disagrees.
 * `node --import tsx test/conformance/run.ts` prints the same figures and the largest groups.
 */
import { describe, expect, it } from 'vitest';
import { readBaseline } from './baseline.js';
import { CORPUS_DIR, corpusAvailable, judgeAll, keyOf, readStatements, selectFiles } from './clickhouseTests.js';

describe("parseSql agrees with ClickHouse on ClickHouse's stateless tests", () => {
  it('has no disagreement outside the baseline, and no baseline entry that agrees', { timeout: 600_000 }, () => {
    expect(corpusAvailable(), `the corpus ${CORPUS_DIR} must exist (it is ../shared/clickhouse-tests/ next to the repository)`).toBe(true);
    const selection = selectFiles();
    const judged = judgeAll(selection.files.flatMap(readStatements));
    const baseline = readBaseline();
    const seen = new Set<string>();
    const unexpected: string[] = [];
    for (const j of judged) {
      if (!j.disagreement) continue;
      const key = keyOf(j.statement);
      seen.add(key);
      if (baseline.get(key)?.kind === j.disagreement) continue;
      const ours = j.outcome.accepted ? 'accepted' : `rejected at offset ${j.outcome.offset}: ${j.outcome.message}`;
      const theirs = j.verdict.accepted ? 'accepted' : `rejected at offset ${j.verdict.offset}: ${j.verdict.message}`;
      unexpected.push(`${key} ${j.disagreement}\n  ${j.statement.sql.slice(0, 300)}\n  ClickPlan: ${ours}\n  ClickHouse: ${theirs}`);
    }
    const stale = [...baseline.keys()].filter((key) => !seen.has(key));
    const agreed = judged.length - seen.size;
    console.log(`${selection.files.length} files, ${judged.length} statements: ${agreed} agree, ${seen.size} in the baseline`);
    expect(unexpected, 'new disagreements with ClickHouse').toEqual([]);
    expect(stale, 'baseline entries that agree now: remove them from test/conformance/baseline.json').toEqual([]);
  });
});
