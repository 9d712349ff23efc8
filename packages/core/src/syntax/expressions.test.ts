import { describe, expect, it } from 'vitest';
import type { Expression, SelectStatement, Statement } from './ast.js';
import { clickhouseRejection, expectSameVerdicts } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// Expressions. Every statement here is also judged by ClickHouse (chDB).

/** The first item of the select list of `sql`, which both parsers accept. */
function firstItem(sql: string): Expression {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  const statement = statements[0] as Extract<Statement, { kind: 'SelectStatement' }>;
  return (statement.query.selects[0] as SelectStatement).columns[0];
}

/** An expression as `kind(children)` with aliases as `child AS alias`, enough to see where an alias went. */
function shape(e: Expression, sql: string): string {
  switch (e.kind) {
    case 'AliasExpression':
      return `${shape(e.expression, sql)} AS ${e.alias.name}`;
    case 'CastExpression':
      return `CAST(${shape(e.expression, sql)} AS ${sql.slice(e.type.start, e.type.end)})`;
    case 'FunctionCall':
      return `${e.name.name}(${e.arguments.map((a) => shape(a, sql)).join(', ')})`;
    default:
      return sql.slice(e.start, e.end);
  }
}

describe('aliases inside CAST, SUBSTRING, TRIM, EXTRACT, POSITION and the date functions (#15)', () => {
  it('puts each alias on its operand', () => {
    const cases: [string, string][] = [
      ["SELECT cast('1234' lhs AS UInt32)", "CAST('1234' AS lhs AS UInt32)"],
      ["SELECT cast('1234' AS lhs AS UInt32)", "CAST('1234' AS lhs AS UInt32)"],
      ["SELECT cast(('1234' AS lhs) AS rhs AS UInt32)", "CAST('1234' AS lhs AS rhs AS UInt32)"],
      ['SELECT CAST(x AS y AS z)', 'CAST(x AS y AS z)'],
      ["SELECT cast('1234' lhs, 'UInt32' rhs)", "cast('1234' AS lhs, 'UInt32' AS rhs)"],
      ["SELECT substring('1234' lhs FROM 2 rhs)", "substring('1234' AS lhs, 2 AS rhs)"],
      ["SELECT substring('1234' FROM 2 FOR 2 lhs)", "substring('1234', 2, 2 AS lhs)"],
      ["SELECT substring('1234' FROM 2 x FOR 2)", "substring('1234', 2 AS x, 2)"],
      ["SELECT trim(LEADING 'a' AS arg_1 FROM 'abca' arg_2)", "trim('a' AS arg_1, 'abca' AS arg_2)"],
      ["SELECT EXTRACT(DAY FROM toDate('2019-05-05') arg_1)", "EXTRACT(toDate('2019-05-05') AS arg_1)"],
      ["SELECT position('a' x IN 'b' y)", "position('a' AS x, 'b' AS y)"],
      ["SELECT dateDiff('DAY', toDate('2019-05-05') arg_1, now() arg_2, 'UTC')", "dateDiff('DAY', toDate('2019-05-05') AS arg_1, now() AS arg_2, 'UTC')"],
      ['SELECT timestamp_add(DAY, 1 x, b y)', 'timestamp_add(DAY, 1 AS x, b AS y)'],
      ['SELECT LTRIM(x y)', 'LTRIM(x AS y)'],
    ];
    expect(cases.map(([sql]) => shape(firstItem(sql), sql))).toEqual(cases.map(([, expected]) => expected));
  });

  it('takes an alias without AS only where ClickHouse does', () => {
    expectSameVerdicts([
      'SELECT plus(1 a, 2 b)',
      'SELECT lower(x y)',
      'SELECT substr(x y, 1)',
      'SELECT try_cast(x y AS String)',
      'SELECT try_cast(x AS y AS String)',
      'SELECT cast(x y)',
      'SELECT cast(x)',
      "SELECT cast(x, 'a', 'b')",
      'SELECT CAST(x AS y z)',
      'SELECT cast(x AS String(1) y)',
      'SELECT cast(x AS Strin g)',
      'SELECT extract(x FROM y)',
      'SELECT grouping(a x)',
      'SELECT (a x)',
      'SELECT position(a x, b y, 1 z)',
      'SELECT rtrim(x y)',
      'SELECT DATE_SUB(DAY, 1 x, b y)',
      'SELECT timestampdiff(DAY, a x, b y)',
      'SELECT dateAdd(a x, INTERVAL 1 DAY)',
    ]);
  });
});
