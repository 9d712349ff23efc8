import { describe, expect, it } from 'vitest';
import type { CreateViewStatement, Expression, InsertStatement, SelectStatement, Statement, WithElement } from './ast.js';
import { clickhouseRejection } from './clickhouseOracle.js';
import { parseSql } from './parser.js';
import { agreement, formatAll } from './printer/oracleTestSupport.js';
import { printStatement } from './printer.js';

// The trees of constructs from ClickHouse's stateless tests that ClickPlan used to reject (issue 15).
// `fixtures/conformance/clickhouse-tests-gaps.sql` has ClickHouse judge each of them and its neighbours;
// here each must also keep what it says, and print back as ClickHouse reads the original.

function parseOne(sql: string): Statement {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(statements).toHaveLength(1);
  expect(clickhouseRejection(sql)).toBeUndefined();
  return statements[0];
}

function firstSelect(sql: string): SelectStatement {
  const statement = parseOne(sql);
  if (statement.kind !== 'SelectStatement') throw new Error(`not a query: ${sql}`);
  return statement.query.selects[0] as SelectStatement;
}

function text(sql: string, node: { start: number; end: number }): string {
  return sql.slice(node.start, node.end);
}

/** Each statement, printed, is formatted by ClickHouse as the original is (parentheses aside). */
function expectPrintedAsClickHouseReadsIt(statements: string[]): void {
  const printed = statements.map((sql) => printStatement(parseOne(sql)));
  const original = formatAll(statements);
  const again = formatAll(printed);
  const verdicts = statements.map((sql, i) => ({
    sql,
    agreement: agreement({ sql, formatted: original[i] ?? '' }, { sql: printed[i], formatted: again[i] }),
  }));
  expect(verdicts.filter((v) => v.agreement !== 'same' && v.agreement !== 'same up to parentheses')).toEqual([]);
}

describe('WITH', () => {
  it('keeps the column names of a CTE and WITH expressions without a name', () => {
    const sql = 'WITH t (a, b) AS (SELECT 1, 2), 1 + 1, 3 AS c SELECT a FROM t';
    const shape = (w: WithElement) =>
      w.form === 'subquery' ? `cte ${w.name.name} (${w.columns?.map((c) => c.name).join(', ')})` : `${text(sql, w.value)}${w.name ? ` AS ${w.name.name}` : ''}`;
    expect(firstSelect(sql).with.map(shape)).toEqual(['cte t (a, b)', '1 + 1', '3 AS c']);
  });
});

describe('expressions', () => {
  it('reads t.-1 as the element counted from the end', () => {
    const [column] = firstSelect('SELECT (1, 2).-1').columns;
    expect(column.kind === 'TupleElement' && column.element.kind === 'Literal' ? column.element.value : column.kind).toBe('-1');
  });

  it('keeps aliases inside CASE and before an interval unit on their operands', () => {
    const sql = "SELECT CASE WHEN a THEN 1 AS one ELSE 2 END, INTERVAL '2' AS n MINUTE";
    const [caseColumn, interval] = firstSelect(sql).columns;
    const alias = (e: Expression | undefined) => (e?.kind === 'AliasExpression' ? e.alias.name : e?.kind);
    expect(caseColumn.kind === 'CaseExpression' ? alias(caseColumn.branches[0].then) : caseColumn.kind).toBe('one');
    expect(interval.kind === 'IntervalExpression' ? [alias(interval.value), interval.unit] : interval.kind).toEqual(['n', 'MINUTE']);
  });

  it('reads DISTINCT and all as columns where a list goes on', () => {
    const select = firstSelect('SELECT repeat(DISTINCT, 5) FROM t ORDER BY all DESC, a');
    const [call] = select.columns;
    expect(call.kind === 'FunctionCall' ? [call.distinct, call.arguments.length] : call.kind).toEqual([false, 2]);
    expect(select.orderBy?.all).toBe(false);
    expect(select.orderBy?.elements.map((e) => e.direction)).toEqual(['DESC', undefined]);
  });
});

describe('CREATE VIEW', () => {
  it('keeps the names of the query columns apart from the column list', () => {
    const view = parseOne('CREATE VIEW v (`a` UInt8, `b` UInt8) (a, b) AS SELECT 1 AS a, 2 AS b') as CreateViewStatement;
    expect([view.elements?.length, view.columnAliases?.map((c) => c.name)]).toEqual([2, ['a', 'b']]);
    const mv = parseOne('CREATE MATERIALIZED VIEW v TO t (a, b) AS SELECT 1, 2') as CreateViewStatement;
    expect([mv.toColumns, mv.columnAliases?.map((c) => c.name)]).toEqual([undefined, ['a', 'b']]);
  });
});

describe('INSERT', () => {
  it('skips the data after FROM input() FORMAT f and keeps FROM INFILE', () => {
    const withInput = parseOne('INSERT INTO t SELECT * FROM input() FORMAT CSV 1,2') as InsertStatement;
    expect([withInput.select?.format?.name, withInput.format]).toEqual(['CSV', 'CSV']);
    expect(() => printStatement(withInput)).toThrow(/Cannot print INSERT \.\.\. FORMAT CSV: its rows are data/);
    const infile = parseOne("INSERT INTO t FROM INFILE 'f.gz' COMPRESSION 'gzip' SETTINGS a = 1 FORMAT CSV") as InsertStatement;
    expect([infile.infile?.file.value, infile.infile?.compression?.value, infile.settings?.length, infile.format]).toEqual(['f.gz', 'gzip', 1, 'CSV']);
  });

  it('prints its SETTINGS and FROM INFILE where ClickHouse reads them', () => {
    expectPrintedAsClickHouseReadsIt([
      'INSERT INTO t SETTINGS a = 1 SELECT 1',
      'INSERT INTO t SELECT 1 SETTINGS a = 1',
      'INSERT INTO t SETTINGS a = 1 SELECT 1 SETTINGS b = 2',
      'INSERT INTO t SELECT 1 SETTINGS a = 1 FORMAT CSV',
      "INSERT INTO t FROM INFILE 'x' SETTINGS a = 1 SELECT 1",
      "INSERT INTO t FROM INFILE 'x' COMPRESSION 'gz' SETTINGS a = 1 FORMAT CSV",
      "INSERT INTO t (a, b) FROM INFILE 'x'",
      "INSERT INTO t FROM INFILE 'x' SETTINGS a = 1",
      'WITH 1 AS x INSERT INTO t SELECT x SETTINGS a = 1',
      "INSERT INTO FUNCTION null('x Int8') SELECT 1 SETTINGS a = 1",
    ]);
  });

  it('prints the other constructs as ClickHouse reads them', () => {
    expectPrintedAsClickHouseReadsIt([
      'WITH t (a, b) AS (SELECT 1, 2), 1 SELECT a FROM t',
      'SELECT (1, 2).-1, t.-2 FROM t',
      'CREATE VIEW v (a, b) AS SELECT 1, 2',
      'CREATE MATERIALIZED VIEW v TO t (a Int8, b Int8) (a, b) AS SELECT 1 AS a, 2 AS b',
      '(SELECT 1) UNION ALL (SELECT 2) SETTINGS a = 3 FORMAT TSV',
      "SELECT CASE WHEN a THEN 1 AS one ELSE 2 END, INTERVAL '2' AS n MINUTE, repeat(DISTINCT, 5) FROM t ORDER BY all DESC, a",
    ]);
  });
});
