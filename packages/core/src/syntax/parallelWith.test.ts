import { describe, expect, it } from 'vitest';
import { clickhouseRejection, expectRejected } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// Issue 15: `a PARALLEL WITH b` is one query to ClickHouse, which runs both at once. The tree keeps
// each as a statement of its own, as if `;` joined them, so the model replays both.

describe('PARALLEL WITH', () => {
  it.each([
    ['DROP TABLE IF EXISTS t1 PARALLEL WITH DROP TABLE IF EXISTS t2', ['Drop', 'Drop']],
    [
      'CREATE TABLE t1 (x Int32) ENGINE = MergeTree ORDER BY x PARALLEL WITH CREATE TABLE t2 (y Int32) ENGINE = MergeTree ORDER BY y',
      ['CreateTable', 'CreateTable'],
    ],
    ['INSERT INTO t1 SELECT number FROM numbers(3) PARALLEL WITH INSERT INTO t2 SELECT 1 PARALLEL WITH TRUNCATE t0', ['Insert', 'Insert', 'Truncate']],
    ['OPTIMIZE TABLE t FINAL DEDUPLICATE BY key, value PARALLEL WITH OPTIMIZE TABLE t2 SETTINGS max_threads = 10', ['Optimize', 'Optimize']],
    ['SELECT 1 FORMAT TSV PARALLEL WITH SELECT 2 UNION ALL SELECT 3', ['SelectStatement', 'SelectStatement']],
  ])('%s: one query to ClickHouse, statements %j here', (sql, kinds) => {
    expect(clickhouseRejection(sql)).toBeUndefined();
    const { statements, diagnostics } = parseSql(sql);
    expect(diagnostics).toEqual([]);
    expect(statements.map((s) => s.kind)).toEqual(kinds);
    expect(statements.map((s) => sql.slice(s.start, s.end).trim())).toEqual(sql.split(/ PARALLEL WITH /));
  });

  it('needs a statement on both sides, as in ClickHouse', () => {
    expectRejected('SELECT 1 FROM t PARALLEL WITH', '', /Expected a statement after PARALLEL WITH/);
    expectRejected('PARALLEL WITH SELECT 1', 'PARALLEL', /Expected a statement/);
  });

  it('makes `parallel` no implicit alias, as in ClickHouse; it is still a column or an alias after AS', () => {
    expectRejected('SELECT 1 parallel', 'parallel', /Expected the end of the statement/);
    expectRejected('SELECT * FROM numbers(3) parallel WHERE 1', 'parallel', /Expected the end of the statement/);
    for (const sql of ['SELECT parallel x FROM t', 'SELECT 1 AS parallel', 'SELECT * FROM parallel x']) {
      expect(clickhouseRejection(sql)).toBeUndefined();
      expect(parseSql(sql).diagnostics).toEqual([]);
    }
  });
});
