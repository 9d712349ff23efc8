import { describe, expect, it } from 'vitest';
import type { SelectStatement, Statement, TruncateStatement } from './ast.js';
import { clickhouseRejection, expectSameVerdicts } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// Statements and clauses found in ClickHouse's own tests (#15). Each is also judged by ClickHouse (chDB).

function parseOne(sql: string): Statement {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  return statements[0];
}

describe('ClickHouse test-suite syntax (#15)', () => {
  it('reads TRUNCATE TABLES FROM as TRUNCATE ALL TABLES FROM', () => {
    const statement = parseOne('TRUNCATE TABLES FROM IF EXISTS db ON CLUSTER c') as TruncateStatement;
    expect({ kind: statement.objectKind, ifExists: statement.ifExists, name: statement.name.name.name }).toEqual({
      kind: 'ALL TABLES',
      ifExists: true,
      name: 'db',
    });
  });

  it('keeps WITH ROLLUP and WITH CUBE after GROUP BY ALL', () => {
    const statement = parseOne('SELECT a FROM t GROUP BY ALL WITH CUBE WITH TOTALS');
    const select = (statement as Extract<Statement, { kind: 'SelectStatement' }>).query.selects[0] as SelectStatement;
    expect(select.groupBy).toEqual({ all: true, expressions: [], withTotals: true, modifier: 'CUBE' });
  });

  it('reads format(...) after a comma as a call, not the FORMAT clause', () => {
    expectSameVerdicts([
      "SELECT 1, format('{}', 'a') FROM t",
      "SELECT 1, format('{}', 'a')",
      'SELECT 1, FORMAT JSON',
      'SELECT 1, FORMAT (JSON)',
      'SELECT 1, FROM (SELECT 1)',
      'TRUNCATE TEMPORARY TABLES FROM db',
      'TRUNCATE TABLES db',
    ]);
  });
});
