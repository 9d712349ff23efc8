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

describe('query parameters standing for names (#15)', () => {
  it('takes {db:Identifier}.{t:Identifier} wherever a qualified name goes', () => {
    const sql = 'CREATE TABLE {db:Identifier}.{t:Identifier} (a UInt64) ENGINE = MergeTree ORDER BY tuple()';
    const statement = parseOne(sql) as Extract<Statement, { kind: 'CreateTable' }>;
    expect([statement.name.database?.name, statement.name.name.name]).toEqual(['{db:Identifier}', '{t:Identifier}']);
    expectSameVerdicts([
      'SELECT 1 FROM {db:Identifier}.{tbl:Identifier} LIMIT 1',
      'RENAME TABLE {a:Identifier}.{b:Identifier} TO {a:Identifier}.{c:Identifier}',
      'EXCHANGE TABLES {a:Identifier}.{b:Identifier} AND {a:Identifier}.{c:Identifier}',
      'SYSTEM RELOAD DICTIONARY {db:Identifier}.dict3',
      'SYSTEM UNLOAD PRIMARY KEY {db:Identifier}.test',
      'SYSTEM STOP MERGES {db:Identifier}.t',
      'SYSTEM FLUSH LOGS {db:Identifier}.query_log',
      'DROP TABLE db.{t:Identifier}',
      'DROP TABLE db.{t}',
    ]);
  });
});
