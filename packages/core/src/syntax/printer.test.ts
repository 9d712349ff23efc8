import { isDeepStrictEqual } from 'node:util';
import { query, queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import type { AlterTableStatement, BinaryOperator, ColumnDefinition, CreateTableStatement, Expression, Identifier, SelectStatement, Statement } from './ast.js';
import { parseSql } from './parser.js';
import { agreement, comparable, explainAst, formatAll, readBackProblem } from './printer/oracleTestSupport.js';
import {
  printColumnDefinition,
  printDataType,
  printExpression,
  printQualifiedName,
  printSelect,
  printSettings,
  printStatement,
  quoteIdentifier,
  quoteString,
} from './printer.js';

// ClickHouse (chDB) is the oracle: printed SQL must mean to ClickHouse what the tree means, which
// these tests check with `formatQuerySingleLine` and, where parentheses differ, `EXPLAIN AST`.

function format(text: string): string | null {
  return formatAll([text])[0];
}

function parseOne(sql: string): Statement {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(statements).toHaveLength(1);
  return statements[0];
}

function parseExpression(sql: string): Expression {
  const statement = parseOne(`SELECT ${sql}`);
  if (statement.kind !== 'SelectStatement') throw new Error(`not a SELECT: ${sql}`);
  return (statement.query.selects[0] as SelectStatement).columns[0];
}

/** Every `start`/`end` in the tree set to `value`: the printer must not read them. */
function withOffsets<T>(node: T, value: number): T {
  if (Array.isArray(node)) return node.map((n) => withOffsets(n, value)) as T;
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'start' || k === 'end' ? value : withOffsets(v, value)])) as T;
}

// ---------------------------------------------------------------- tree builders (offsets 0, as the planner builds them)

const at = { start: 0, end: 0 };
const id = (name: string): Identifier => ({ kind: 'Identifier', name, quoted: false, ...at });
const col = (...parts: string[]): Expression => ({ kind: 'ColumnRef', parts: parts.map(id), ...at });
const num = (value: string): Expression => ({ kind: 'Literal', type: 'number', value, ...at });
const str = (value: string): Expression => ({ kind: 'Literal', type: 'string', value, ...at });
const bin = (operator: BinaryOperator, left: Expression, right: Expression): Expression => ({ kind: 'BinaryExpression', operator, left, right, ...at });
const not = (operand: Expression): Expression => ({ kind: 'UnaryExpression', operator: 'NOT', operand, ...at });
const neg = (operand: Expression): Expression => ({ kind: 'UnaryExpression', operator: '-', operand, ...at });
const call = (name: string, ...args: Expression[]): Expression => ({ kind: 'FunctionCall', name: id(name), arguments: args, distinct: false, ...at });
const lambda = (parameters: string[], body: Expression): Expression => ({ kind: 'LambdaExpression', parameters: parameters.map(id), body, ...at });
const ternary = (condition: Expression, whenTrue: Expression, whenFalse: Expression): Expression => ({
  kind: 'TernaryExpression',
  condition,
  whenTrue,
  whenFalse,
  ...at,
});
const tuple = (...elements: Expression[]): Expression => ({ kind: 'TupleExpression', elements, ...at });
const element = (array: Expression, index: Expression): Expression => ({ kind: 'ArrayElement', array, index, ...at });
const field = (t: Expression, name: string): Expression => ({
  kind: 'TupleElement',
  tuple: t,
  element: /^\d+$/.test(name) ? { kind: 'Literal', type: 'number', value: name, ...at } : id(name),
  ...at,
});
const between = (operand: Expression, low: Expression, high: Expression): Expression => ({
  kind: 'BetweenExpression',
  negated: false,
  operand,
  low,
  high,
  ...at,
});
const isNull = (operand: Expression): Expression => ({ kind: 'IsNullExpression', negated: false, operand, ...at });
const cast = (expression: Expression, type: string): Expression => ({
  kind: 'CastExpression',
  syntax: '::',
  expression,
  type: { kind: 'DataType', name: type, ...at },
  ...at,
});
const interval = (value: Expression, unit: string): Expression => ({ kind: 'IntervalExpression', value, unit, ...at });
const alias = (expression: Expression, name: string): Expression => ({ kind: 'AliasExpression', expression, alias: id(name), explicit: true, ...at });
const [a, b, c, d, e, x, y] = ['a', 'b', 'c', 'd', 'e', 'x', 'y'].map((name) => col(name));

// ---------------------------------------------------------------- names and strings

describe('quoteIdentifier', () => {
  it('leaves plain names bare and backquotes the rest, escaping as ClickHouse does', () => {
    expect(
      ['events', '_x1', 'Date', 'type', 'key', '1st', 'a b', 'é', 'naïve_col', 'a`b', 'a\\b', 'a.b', '', 'tab\there', 'select', 'Null', 'index'].map(
        quoteIdentifier,
      ),
    ).toEqual([
      'events',
      '_x1',
      'Date',
      'type',
      'key',
      '`1st`',
      '`a b`',
      '`é`',
      '`naïve_col`',
      '`a\\`b`',
      '`a\\\\b`',
      '`a.b`',
      '``',
      '`tab\\there`',
      '`select`',
      '`Null`',
      '`index`',
    ]);
  });

  it('names that are ClickHouse keywords read back as names, by ClickHouse and by the parser, in every position', () => {
    const words = [...new Set(query("SELECT arrayJoin(splitByChar(' ', keyword)) FROM system.keywords", 'TSVRaw').trim().split('\n'))]
      .map((word) => word.toLowerCase())
      .filter((word) => /^[a-z_][a-z0-9_]*$/.test(word));
    expect(words.length).toBeGreaterThan(400);
    // `N` stands for the name; each template is also written with the name always backquoted, for reference.
    const templates = [
      'SELECT N, N AS N, f(N), (N, 1), [N], -N, N + 1, N.1, t.N, N IS NULL FROM N AS N WHERE N = 1 ORDER BY N',
      'SELECT N',
      'SELECT N FROM t',
      'SELECT DISTINCT N',
      'SELECT NOT N',
      'SELECT f(N, N)',
      'SELECT (N, N)',
      'SELECT x, N FROM t',
      'WITH N AS (SELECT 1) SELECT N FROM N',
      'WITH 1 AS N SELECT N',
      'SELECT CASE N WHEN N THEN N ELSE N END',
      'SELECT trim(N), substring(N, 1), position(N, N), extract(N, N)',
      'SELECT N FROM t GROUP BY N ORDER BY N LIMIT N',
      'SELECT N FROM t GROUP BY N, N',
      'SELECT x FROM N JOIN N ON N = N',
      'SELECT x FROM N, N',
      'SELECT x FROM t ARRAY JOIN N',
      'SELECT f(x) OVER (PARTITION BY N ORDER BY N)',
      'SELECT N -> N',
      'SELECT x BETWEEN N AND N',
      'SELECT INTERVAL N DAY',
      'CREATE TABLE N.N (N UInt8, x UInt8 DEFAULT N, INDEX N N TYPE minmax, PROJECTION N (SELECT N ORDER BY N)) ENGINE = MergeTree ORDER BY N',
      'CREATE TABLE t (N UInt8) ENGINE = MergeTree ORDER BY (N, N)',
      'ALTER TABLE N ADD COLUMN N UInt8 AFTER N, DROP COLUMN N, RENAME COLUMN N TO N',
      'CREATE VIEW N AS SELECT N FROM N',
      'DROP TABLE N.N',
      'INSERT INTO N (N, N) SELECT N',
    ];
    const cases = words.flatMap((word) =>
      templates.map((template) => ({ word, sql: template.replace(/\bN\b/g, quoteIdentifier(word)), reference: template.replace(/\bN\b/g, `\`${word}\``) })),
    );
    const formatted = formatAll(cases.flatMap((c) => [c.sql, c.reference]));
    const misread = cases.filter((c, i) => {
      const ours = parseSql(c.sql);
      const reference = parseSql(c.reference);
      const oursAgree = ours.diagnostics.length === 0 && isDeepStrictEqual(comparable(ours.statements), comparable(reference.statements));
      const clickhouseAgrees = formatted[2 * i] !== null && formatted[2 * i] === formatted[2 * i + 1];
      return !oursAgree || !clickhouseAgrees;
    });
    expect(misread.map((c) => c.sql)).toEqual([]);
  });
});

describe('quoteString', () => {
  it('escapes backslashes, quotes and control characters, and leaves unicode as it is', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString('\0\b\f\n\r\t')).toBe("'\\0\\b\\f\\n\\r\\t'");
    expect(quoteString('\x01\x07\x0b\x1b\x7f')).toBe("'\\x01\\x07\\x0b\\x1b\\x7f'");
    expect(quoteString('héllo ✓ 😀')).toBe("'héllo ✓ 😀'");
    expect(quoteString('`"')).toBe("'`\"'");
  });

  it('reads back as the same bytes in ClickHouse and as the same value in the parser', () => {
    const values = [
      '',
      "it's",
      'a\\b',
      '\\N',
      '\\?',
      '\0',
      '\x001',
      '\x0012',
      'tab\tend',
      'line\nbreak',
      `${String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i))}\x7f`,
      'é😀',
      '\u00a0\u2028',
    ];
    const printed = values.map(quoteString);
    const hex = JSON.parse(queryBind(`SELECT [${printed.map((p) => `hex(${p})`).join(', ')}] AS h`, {}, 'JSONEachRow')).h;
    expect(hex).toEqual(values.map((v) => Buffer.from(v, 'utf8').toString('hex').toUpperCase()));
    expect(printed.map((p) => (parseExpression(p) as { value: string }).value)).toEqual(values);
  });
});

// ---------------------------------------------------------------- expressions

describe('printExpression', () => {
  /** [tree, printed text, the same in ClickHouse's function form] */
  const cases: [Expression, string, string][] = [
    [bin('*', bin('+', a, b), c), '(a + b) * c', 'multiply(plus(a, b), c)'],
    [bin('+', a, bin('*', b, c)), 'a + b * c', 'plus(a, multiply(b, c))'],
    [bin('-', a, bin('-', b, c)), 'a - (b - c)', 'minus(a, minus(b, c))'],
    [bin('-', bin('-', a, b), c), 'a - b - c', 'minus(minus(a, b), c)'],
    [bin('=', bin('=', a, b), c), 'a = b = c', 'equals(equals(a, b), c)'],
    [bin('OR', bin('AND', a, b), c), 'a AND b OR c', 'or(and(a, b), c)'],
    [bin('AND', a, bin('OR', b, c)), 'a AND (b OR c)', 'and(a, or(b, c))'],
    [bin('-', a, num('-1')), 'a - -1', 'minus(a, -1)'],
    [num('-1'), '-1', '-1'],
    [neg(num('1')), '-(1)', 'negate(1)'],
    [neg(num('-1')), '-(-1)', 'negate(-1)'],
    [neg(neg(a)), '-(-a)', 'negate(negate(a))'],
    [neg(bin('+', a, b)), '-(a + b)', 'negate(plus(a, b))'],
    [not(bin('=', a, b)), 'NOT (a = b)', 'not(equals(a, b))'],
    [bin('AND', not(a), b), 'NOT a AND b', 'and(not(a), b)'],
    [not(bin('AND', a, b)), 'NOT (a AND b)', 'not(and(a, b))'],
    [bin('=', not(a), b), '(NOT a) = b', 'equals(not(a), b)'],
    [bin('AND', bin('=', a, not(b)), c), 'a = (NOT b) AND c', 'and(equals(a, not(b)), c)'],
    [not(not(a)), 'NOT NOT a', 'not(not(a))'],
    [not(tuple(a, b)), 'NOT ((a, b))', 'not(tuple(a, b))'],
    [bin('IN', a, tuple(num('1'), num('2'))), 'a IN (1, 2)', 'in(a, (1, 2))'],
    [bin('NOT IN', bin('+', a, b), tuple(num('1'))), 'a + b NOT IN (1,)', 'notIn(plus(a, b), (1,))'],
    [call('arrayMap', lambda(['x'], bin('+', x, num('1'))), col('arr')), 'arrayMap(x -> x + 1, arr)', 'arrayMap(lambda(tuple(x), plus(x, 1)), arr)'],
    [call('arrayMap', lambda(['x', 'y'], bin('*', x, y)), a, b), 'arrayMap((x, y) -> x * y, a, b)', 'arrayMap(lambda(tuple(x, y), multiply(x, y)), a, b)'],
    [call('f', lambda(['x'], lambda(['y'], bin('+', x, y)))), 'f(x -> (y -> x + y))', 'f(lambda(tuple(x), lambda(tuple(y), plus(x, y))))'],
    [ternary(ternary(a, b, c), d, e), '(a ? b : c) ? d : e', 'if(if(a, b, c), d, e)'],
    [ternary(a, ternary(b, c, d), e), 'a ? (b ? c : d) : e', 'if(a, if(b, c, d), e)'],
    [ternary(a, b, ternary(c, d, e)), 'a ? b : (c ? d : e)', 'if(a, b, if(c, d, e))'],
    [bin('+', ternary(a, b, c), num('1')), '(a ? b : c) + 1', 'plus(if(a, b, c), 1)'],
    [ternary(bin('OR', a, b), c, d), 'a OR b ? c : d', 'if(or(a, b), c, d)'],
    [field(col('t'), '1'), 't.1', 'tupleElement(t, 1)'],
    [field(field(col('t'), '1'), '2'), 't.1.2', 'tupleElement(tupleElement(t, 1), 2)'],
    [field(col('t'), 'name'), '(t).name', "tupleElement(t, 'name')"],
    [field(call('f', x), 'name'), 'f(x).name', "tupleElement(f(x), 'name')"],
    [field(num('1'), '1'), '(1).1', 'tupleElement(1, 1)'],
    [field(bin('+', a, b), '1'), '(a + b).1', 'tupleElement(plus(a, b), 1)'],
    [element(a, num('1')), 'a[1]', 'arrayElement(a, 1)'],
    [element(element(a, num('1')), num('2')), 'a[1][2]', 'arrayElement(arrayElement(a, 1), 2)'],
    [element(bin('+', a, b), num('1')), '(a + b)[1]', 'arrayElement(plus(a, b), 1)'],
    [neg(element(a, num('1'))), '-a[1]', 'negate(arrayElement(a, 1))'],
    [element(neg(a), num('1')), '(-a)[1]', 'arrayElement(negate(a), 1)'],
    [neg(element(num('1'), num('1'))), '-(1[1])', 'negate(arrayElement(1, 1))'],
    [element(num('-1'), num('1')), '-1[1]', 'arrayElement(-1, 1)'],
    [cast(neg(a), 'Int8'), '(-a)::Int8', "CAST(negate(a), 'Int8')"],
    // ClickHouse casts a literal's text: `-1::Int8` is CAST('-1', 'Int8').
    [cast(num('-1'), 'Int8'), '-1::Int8', "CAST('-1', 'Int8')"],
    [cast(bin('+', a, b), 'String'), '(a + b)::String', "CAST(plus(a, b), 'String')"],
    [bin('AND', between(a, num('1'), num('2')), c), 'a BETWEEN 1 AND 2 AND c', 'and(and(greaterOrEquals(a, 1), lessOrEquals(a, 2)), c)'],
    [between(a, bin('AND', b, c), d), 'a BETWEEN (b AND c) AND d', 'and(greaterOrEquals(a, and(b, c)), lessOrEquals(a, d))'],
    [isNull(bin('+', a, num('1'))), 'a + 1 IS NULL', 'isNull(plus(a, 1))'],
    [bin('+', col('d'), interval(num('1'), 'DAY')), 'd + INTERVAL 1 DAY', 'plus(d, toIntervalDay(1))'],
    [interval(bin('*', a, num('2')), 'HOUR'), 'INTERVAL (a * 2) HOUR', 'toIntervalHour(multiply(a, 2))'],
    [bin('+', alias(x, 'y'), num('1')), '(x AS y) + 1', 'plus(x AS y, 1)'],
    [bin('||', str('a'), str("b'c")), "'a' || 'b\\'c'", "concat('a', 'b\\'c')"],
  ];

  it.each(cases.map(([tree, text]) => [text, tree] as const))('prints %s', (text, tree) => {
    expect(printExpression(tree)).toBe(text);
  });

  it('prints what ClickHouse reads as the same tree', () => {
    const printed = cases.map(([tree]) => explainAst(`SELECT ${printExpression(tree)}`));
    const references = cases.map(([, , reference]) => explainAst(`SELECT ${reference}`));
    expect(printed).toEqual(references);
  });

  it('prints what the parser reads back as the same tree, and prints that the same', () => {
    for (const [tree, text] of cases) {
      const back = parseExpression(text);
      expect(printExpression(back)).toBe(text);
      expect(comparable(back)).toEqual(comparable(tree));
    }
  });

  it('keeps the SQL-standard forms, casts and literals as written', () => {
    const sql = [
      'EXTRACT(DAY FROM d)',
      'SUBSTRING(s FROM 2 FOR 3)',
      "TRIM(LEADING 'x' FROM s)",
      "POSITION('a' IN s)",
      "DATE '2024-01-01'",
      "d AT TIME ZONE 'UTC'",
      'CAST(x AS Nullable(String))',
      'x::Array(UInt8)',
      "CAST(x, 'Int8')",
      'INTERVAL 1 DAY',
      "INTERVAL '1 day'",
      'CASE WHEN a THEN 1 ELSE 2 END',
      'CASE a WHEN 1 THEN 2 END',
      '0x1F + 1_000 + 1e3 + .5 + inf + nan',
      'count(DISTINCT x)',
      'quantile(0.9)(x)',
      'sum(x) FILTER(WHERE y > 1)',
      'first_value(x) IGNORE NULLS OVER (PARTITION BY a ORDER BY b DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'x = ANY (SELECT 1)',
      'EXISTS (SELECT 1)',
      '{p:UInt8}',
      '* EXCEPT (a) REPLACE (b + 1 AS b) APPLY (toString)',
      "COLUMNS('^a') APPLY (sum)",
      'doc.^sub',
    ];
    expect(sql.map((s) => printExpression(parseExpression(s)))).toEqual(sql);
  });

  it('refuses TRY_CAST(x AS T), whose type the parser does not keep', () => {
    expect(() => printExpression(parseExpression('TRY_CAST(x AS Int8)'))).toThrow('Cannot print TRY_CAST(x AS T): the syntax tree does not keep the type T');
  });
});

describe('printDataType, printSettings, printQualifiedName, printColumnDefinition', () => {
  it('prints each as ClickHouse writes it', () => {
    const table = parseOne(
      "CREATE TABLE `my db`.`select` (`1d` Tuple(a String, `b c` Nullable(Enum8('x' = 1, 'y' = -2))) DEFAULT (1, 'x') COMMENT 'c' CODEC(Delta(4), ZSTD(1)) TTL d + INTERVAL 1 DAY SETTINGS (max_compress_block_size = 1024)) ENGINE = Memory SETTINGS x = 'a', y = DEFAULT",
    ) as CreateTableStatement;
    const column = table.elements?.[0] as ColumnDefinition;
    expect(printQualifiedName(table.name)).toBe('`my db`.`select`');
    expect(printDataType(column.type ?? fail())).toBe("Tuple(a String, `b c` Nullable(Enum8('x' = 1, 'y' = -2)))");
    expect(printColumnDefinition(column)).toBe(
      "`1d` Tuple(a String, `b c` Nullable(Enum8('x' = 1, 'y' = -2))) DEFAULT (1, 'x') COMMENT 'c' CODEC(Delta(4), ZSTD(1)) TTL d + INTERVAL 1 DAY SETTINGS (max_compress_block_size = 1024)",
    );
    expect(printSettings(table.storage?.settings ?? fail())).toBe("x = 'a', y = DEFAULT");
  });
});

function fail(): never {
  throw new Error('missing');
}

// ---------------------------------------------------------------- statements and layout

/** Prints the statement parsed from `sql`, and checks that ClickHouse reads the print as it reads `sql`. */
function printChecked(sql: string): string {
  const printed = printStatement(parseOne(sql));
  expect(format(printed)).toBe(format(sql));
  return printed;
}

describe('printStatement', () => {
  it('lays out CREATE TABLE one element per line, then one storage clause per line', () => {
    const sql = `create table if not exists db.events on cluster main (id UInt64, ts DateTime64(3) codec(Delta, ZSTD), country LowCardinality(String) default 'xx',
      index ix country type bloom_filter(0.01) granularity 4, projection p (select country, count() group by country), constraint positive check id > 0)
      engine = ReplicatedMergeTree('/t/{shard}', '{replica}') partition by toYYYYMM(ts) primary key id order by (id, ts) sample by id
      ttl toDateTime(ts) + interval 1 year delete, toDateTime(ts) + interval 30 day to volume 'cold' settings index_granularity = 8192 comment 'raw'`;
    expect(printChecked(sql)).toBe(`CREATE TABLE IF NOT EXISTS db.events ON CLUSTER main
(
    id UInt64,
    ts DateTime64(3) CODEC(Delta, ZSTD),
    country LowCardinality(String) DEFAULT 'xx',
    INDEX ix country TYPE bloom_filter(0.01) GRANULARITY 4,
    PROJECTION p (
        SELECT
            country,
            count()
        GROUP BY country
    ),
    CONSTRAINT positive CHECK id > 0
)
ENGINE = ReplicatedMergeTree('/t/{shard}', '{replica}')
PARTITION BY toYYYYMM(ts)
PRIMARY KEY id
ORDER BY (id, ts)
SAMPLE BY id
TTL toDateTime(ts) + INTERVAL 1 YEAR DELETE, toDateTime(ts) + INTERVAL 30 DAY TO VOLUME 'cold'
SETTINGS index_granularity = 8192
COMMENT 'raw'`);
  });

  it('prints a view with AS on its own line and the query below it', () => {
    const sql = 'CREATE MATERIALIZED VIEW db.mv TO db.totals AS SELECT day, sum(n) AS n FROM db.events WHERE n > 0 GROUP BY day';
    expect(printChecked(sql)).toBe(`CREATE MATERIALIZED VIEW db.mv
TO db.totals
AS
SELECT
    day,
    sum(n) AS n
FROM db.events
WHERE n > 0
GROUP BY day`);
    expect(printChecked('CREATE OR REPLACE VIEW v AS SELECT 1')).toBe('CREATE OR REPLACE VIEW v\nAS\nSELECT 1');
  });

  it('prints ALTER with one command on one line, and several one per line', () => {
    expect(printChecked('ALTER TABLE t DROP COLUMN x')).toBe('ALTER TABLE t DROP COLUMN x');
    expect(
      printChecked(
        'ALTER TABLE db.t ON CLUSTER c ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 1 AFTER y, MODIFY COLUMN z String, DELETE WHERE x = 1 SETTINGS mutations_sync = 2',
      ),
    ).toBe(`ALTER TABLE db.t ON CLUSTER c
    ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 1 AFTER y,
    MODIFY COLUMN z String,
    DELETE WHERE x = 1
SETTINGS mutations_sync = 2`);
  });

  it('prints the other statements a plan is made of, without a trailing semicolon', () => {
    const statements = [
      'DROP TABLE IF EXISTS db.t ON CLUSTER c SYNC',
      'DROP DATABASE db',
      'RENAME TABLE a.t TO b.t, a.u TO b.u',
      'EXCHANGE TABLES db.a AND db.b',
      'TRUNCATE TABLE IF EXISTS db.t',
      'INSERT INTO db.t (a, b) SETTINGS async_insert = 1\nSELECT\n    a,\n    b\nFROM db.s',
      'GRANT SELECT(a, b), INSERT ON db.t, ALTER UPDATE ON db2.* TO alice, bob WITH GRANT OPTION',
      'REVOKE GRANT OPTION FOR SELECT ON *.* FROM alice',
      "CREATE USER IF NOT EXISTS alice IDENTIFIED WITH sha256_password BY 'secret'",
      "CREATE DATABASE IF NOT EXISTS analytics\nENGINE = Atomic\nCOMMENT 'x'",
      'CREATE FUNCTION plus_one AS x -> x + 1',
      'OPTIMIZE TABLE db.t PARTITION 202401 FINAL DEDUPLICATE BY a, b',
      'SET max_threads = 8, allow_experimental_json_type = 1',
      "SELECT 1\nSETTINGS additional_table_filters = {'t': 'x > 1'}, max_threads = DEFAULT",
      'USE analytics',
    ];
    for (const sql of statements) expect(printChecked(sql)).toBe(sql);
  });

  it('prints secrets as they are in the tree: the printer is not a redactor', () => {
    expect(printChecked("CREATE USER u IDENTIFIED BY 'p@ss\\'word'")).toBe("CREATE USER u IDENTIFIED BY 'p@ss\\'word'");
  });

  it('refuses what the tree does not keep, saying why', () => {
    const refusal = (sql: string) => () => printStatement(parseOne(sql));
    expect(refusal('SYSTEM FLUSH LOGS')).toThrow(
      'Cannot print a SYSTEM FLUSH LOGS statement: ClickPlan keeps this kind of statement as source text, not as a syntax tree',
    );
    expect(refusal("INSERT INTO t VALUES (1, 'a')")).toThrow('Cannot print INSERT ... VALUES: its rows are data');
    expect(refusal('INSERT INTO t FORMAT CSV')).toThrow('Cannot print INSERT ... FORMAT CSV: its rows are data');
    const invalid = parseSql('CREATE TABLE (').statements[0];
    expect(() => printStatement(invalid)).toThrow('Cannot print an invalid CREATE statement: it did not parse');
  });
});

describe('access entities', () => {
  it('prints the clauses the tree keeps as text as written, in order, around ON CLUSTER set on a copy', () => {
    const user = parseOne("CREATE USER IF NOT EXISTS u HOST IP '10.0.0.0/8' DEFAULT DATABASE app IDENTIFIED WITH ldap SERVER 'corp' SETTINGS max_threads = 4");
    if (user.kind !== 'CreateAccessEntity') throw new Error('expected CREATE USER');
    expect(printStatement({ ...user, onCluster: { kind: 'Identifier', name: 'prod', quoted: false, start: 0, end: 0 } })).toBe(
      "CREATE USER IF NOT EXISTS u ON CLUSTER prod HOST IP '10.0.0.0/8' DEFAULT DATABASE app IDENTIFIED WITH ldap SERVER 'corp' SETTINGS max_threads = 4",
    );
    const policy = parseOne('CREATE ROW POLICY p ON app.t FOR SELECT USING tenant = 1 TO reader');
    expect(printStatement(policy)).toBe('CREATE ROW POLICY p ON app.t FOR SELECT USING tenant = 1 TO reader');
    expect(parseSql(printStatement(user)).diagnostics).toEqual([]);
  });
});

describe('statements no fixture has', () => {
  /** Each clause and command the printer writes that the fixtures leave out. */
  const statements = [
    'ALTER TABLE t MODIFY CONSTRAINT c CHECK x > 1',
    "ALTER TABLE t MODIFY COLUMN IF EXISTS e ADD ENUM VALUES ('c' = 3, 'd' = -4)",
    'ALTER TABLE t CLEAR STATISTICS IF EXISTS a, b IN PARTITION 1',
    'ALTER TABLE t MATERIALIZE STATISTICS ALL',
    'ALTER TABLE t ADD STATISTICS IF NOT EXISTS a, b TYPE tdigest, uniq',
    'ALTER TABLE t APPLY PATCHES IN PARTITION 2',
    'ALTER TABLE t REWRITE PARTS',
    "ALTER TABLE t FETCH PART 'all_1_1_0' FROM '/zk/t'",
    "ALTER TABLE t MOVE PART 'all_1_1_0' TO DISK 'd'",
    "ALTER TABLE t MOVE PART 'all_1_1_0' TO SHARD '/zk/s'",
    "ALTER TABLE t DETACH PART 'all_1_1_0'",
    "ALTER TABLE t DROP DETACHED PART 'all_1_1_0'",
    'ALTER TABLE t FREEZE',
    "ALTER TABLE t FREEZE WITH NAME 'b'",
    "ALTER TABLE t UNFREEZE PARTITION 2 WITH NAME 'b'",
    "ALTER TABLE t DROP PARTITION ID '2024'",
    'ALTER TABLE t DROP PARTITION ALL',
    "ALTER TABLE t DROP PARTITION (2024, 'a')",
    'ALTER TABLE t DROP PARTITION tuple()',
    'ALTER TABLE t ADD INDEX IF NOT EXISTS i lower(s) TYPE ngrambf_v1(3, 256, 2, 0) GRANULARITY 1 FIRST',
    'ALTER TABLE t DROP INDEX IF EXISTS i, CLEAR INDEX j IN PARTITION 1, MATERIALIZE INDEX k',
    'ALTER TABLE t ADD PROJECTION IF NOT EXISTS p (SELECT a, sum(b) GROUP BY a) AFTER q',
    'ALTER TABLE t MODIFY COLUMN x UInt64 FIRST',
    'ALTER TABLE t MODIFY COLUMN n.a Array(UInt8) AFTER n.b',
    'ALTER TABLE t RENAME COLUMN IF EXISTS n.a TO n.c',
    'ALTER TABLE t MODIFY COLUMN x REMOVE TTL',
    'ALTER TABLE t MODIFY COLUMN x MODIFY SETTING max_compress_block_size = 1',
    'ALTER TABLE t MODIFY COLUMN x RESET SETTING max_compress_block_size',
    'ALTER TABLE t MODIFY TTL d + INTERVAL 1 DAY GROUP BY k SET v = max(v), w = sum(w)',
    'ALTER TABLE t MODIFY TTL d + INTERVAL 1 DAY RECOMPRESS CODEC(ZSTD(9))',
    "ALTER TABLE t UPDATE a = a + 1, b = 'x' IN PARTITION 1 WHERE c IN (1, 2)",
    'ALTER TEMPORARY TABLE t DROP COLUMN x',
    'ALTER TABLE mv MODIFY QUERY SELECT a FROM src WHERE b',
    'ALTER TABLE mv MODIFY REFRESH AFTER 1 HOUR RANDOMIZE FOR 10 MINUTE DEPENDS ON db.a, db.b SETTINGS refresh_retries = 2 APPEND',
    'ALTER TABLE v MODIFY DEFINER = alice SQL SECURITY DEFINER',
    "ALTER DATABASE db ON CLUSTER c MODIFY COMMENT 'hi', MODIFY SETTING x = 1",
    "SELECT a REGEXP 'x', a NOT LIKE 'y', a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b, a NOT BETWEEN 1 AND 2, a IS NOT NULL, NOT a ILIKE 'z'",
    "SELECT [1, 2][-1], map('a', 1)['a'], (1, 'x').2, x.:Int64, -(+1)",
    'SELECT * FROM t1 GLOBAL ANY LEFT JOIN t2 USING a LEFT ARRAY JOIN arr AS el, [1, 2] AS e2 PREWHERE x WHERE y QUALIFY z',
    'SELECT DISTINCT ON (a, b) a FROM t FINAL SAMPLE 1 / 10 OFFSET 1 / 2',
    'SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ())',
    "SELECT a FROM t ORDER BY a ASC NULLS FIRST COLLATE 'en' WITH FILL FROM 1 TO 10 STEP 1 LIMIT 1 BY a LIMIT 10 OFFSET 5 WITH TIES",
    'SELECT a, count() FROM t GROUP BY ALL WITH TOTALS ORDER BY ALL DESC',
    'SELECT a FROM t GROUP BY a WITH CUBE WITH TOTALS HAVING count() > 1 WINDOW w AS (ORDER BY a ROWS 3 PRECEDING), w2 AS (w PARTITION BY b RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING)',
    'SELECT TOP 5 WITH TIES a FROM t ORDER BY a',
    '(SELECT 1) UNION DISTINCT (SELECT 2 EXCEPT SELECT 3) INTERSECT SELECT 4 FORMAT JSON SETTINGS max_threads = 1',
    'WITH 1 AS one, (SELECT 2) AS two, x -> x + 1 AS inc SELECT one, two, inc(1)',
    'SELECT * FROM numbers(10) AS n (x), remote(h, db.t) AS r JOIN db.pv(a = 1) AS p ON n.x = p.x CROSS JOIN (SELECT 1) PASTE JOIN t2',
    'SELECT x FROM t WHERE x = ALL (SELECT 1) AND y != ANY (SELECT 2) AND EXISTS (SELECT 1 FROM u WHERE u.a = t.a)',
    'DROP TEMPORARY TABLE IF EXISTS t',
    'DETACH TABLE t PERMANENTLY SYNC',
    'DETACH VIEW v',
    "UNDROP TABLE db.t UUID '123e4567-e89b-12d3-a456-426614174000' ON CLUSTER c",
    'DROP ROW POLICY p1, p2 ON db.t',
    'DROP USER IF EXISTS `john@10.%`, mary',
    'DROP SETTINGS PROFILE p',
    'DROP TABLE IF EMPTY t',
    'TRUNCATE DATABASE IF EXISTS db ON CLUSTER c SYNC',
    'RENAME TABLE IF EXISTS a TO b ON CLUSTER c',
    'ATTACH TABLE IF NOT EXISTS db.t ON CLUSTER c',
    'ATTACH DICTIONARY d',
    "OPTIMIZE TABLE t ON CLUSTER c PARTITION ID '1' FINAL DEDUPLICATE CLEANUP",
    "INSERT INTO FUNCTION s3('url', 'CSV', 'a UInt8') SELECT 1",
    'INSERT INTO TABLE db.t SELECT * FROM u',
    'INSERT INTO t (* EXCEPT (a)) SELECT 1',
    'DELETE FROM db.t ON CLUSTER c IN PARTITION 1 WHERE a = 1',
    'UPDATE db.t ON CLUSTER c SET a = 1, b = b + 1 IN PARTITION 1 WHERE c',
    'GRANT ON CLUSTER c SELECT ON db.* TO r1 WITH REPLACE OPTION',
    'GRANT r1, r2 TO alice, bob WITH ADMIN OPTION',
    'GRANT CURRENT GRANTS ON db.* TO alice',
    'GRANT CURRENT GRANTS(SELECT ON db.t) TO alice',
    'GRANT SELECT ON db.events_* TO alice',
    'GRANT SELECT ON *.* TO ALL EXCEPT admin',
    'GRANT READ ON S3 TO alice',
    'GRANT NAMED COLLECTION ON nc TO alice',
    'REVOKE ADMIN OPTION FOR r1 FROM alice',
    'REVOKE ALL ON *.* FROM alice',
    'GRANT SELECT ON db.t TO CURRENT_USER',
    "GRANT SELECT ON t TO john@'10.%'",
    'CREATE ROLE IF NOT EXISTS r1, r2 ON CLUSTER c',
    'CREATE USER u NOT IDENTIFIED',
    'CREATE USER u IDENTIFIED WITH no_password',
    "CREATE USER u IDENTIFIED WITH sha256_hash BY 'abc' SALT 'def'",
    "CREATE USER u IDENTIFIED WITH bcrypt_hash BY 'abc'",
    "CREATE USER john@'10.%' IDENTIFIED BY 'x'",
    'CREATE QUOTA q',
    'CREATE SETTINGS PROFILE OR REPLACE p',
    'CREATE TEMPORARY TABLE t (a UInt8)',
    "CREATE TABLE t UUID '123e4567-e89b-12d3-a456-426614174000' (a UInt8 NOT NULL, b Nullable(UInt8) NULL, c UInt8 EPHEMERAL, d UInt8 ALIAS a + 1, e UInt8 MATERIALIZED 1 STATISTICS(tdigest), f String PRIMARY KEY) ENGINE = MergeTree",
    'CREATE TABLE t2 AS t ENGINE = Memory',
    'CREATE TABLE t3 CLONE AS t',
    'CREATE TABLE t4 AS numbers(10)',
    'CREATE TABLE t5 ENGINE = Memory EMPTY AS SELECT 1 AS a',
    "CREATE TABLE t6 (a UInt8, PRIMARY KEY (a)) ENGINE = MergeTree SETTINGS disk = disk(type = 'local', path = '/x/'), flag",
    "CREATE TABLE t7 (j JSON(max_dynamic_paths = 8, a.b UInt32, SKIP c.d, SKIP REGEXP 'x.*'), m Map(String, Array(Tuple(x UInt8))), agg AggregateFunction(quantiles(0.5, 0.9), UInt64), dt DateTime64(3, 'UTC'), d DOUBLE PRECISION) ENGINE = Memory",
    'CREATE VIEW v (a UInt8) AS SELECT 1',
    "CREATE MATERIALIZED VIEW mv REFRESH EVERY 1 DAY OFFSET 2 HOUR APPEND TO t (a UInt8) EMPTY DEFINER = alice SQL SECURITY DEFINER AS SELECT 1 AS a COMMENT 'c'",
    'CREATE MATERIALIZED VIEW mv2 ENGINE = MergeTree ORDER BY a POPULATE AS SELECT 1 AS a',
    "CREATE WINDOW VIEW wv INNER ENGINE = AggregatingMergeTree ENGINE = Memory WATERMARK = ASCENDING ALLOWED_LATENESS = INTERVAL '2' SECOND AS SELECT count(a), tumbleStart(w) AS w FROM s GROUP BY tumble(ts, INTERVAL '10' SECOND) AS w",
    "CREATE DICTIONARY d ON CLUSTER c (id UInt64, p UInt64 DEFAULT 0 HIERARCHICAL, v String EXPRESSION upper(x) INJECTIVE, b Bool IS_OBJECT_ID BIDIRECTIONAL) PRIMARY KEY id SOURCE(HTTP(URL 'u' FORMAT 'TSV' HEADERS(HEADER(NAME 'a' VALUE 'b')))) LAYOUT(RANGE_HASHED(RANGE_LOOKUP_STRATEGY 'max')) LIFETIME(MAX 10 MIN 1) RANGE(MIN a MAX b) SETTINGS(x = 1) COMMENT 'c'",
    "CREATE DICTIONARY d2 (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 't' DB 'db' WHERE 'x > -1' PORT -1)) LAYOUT(FLAT()) LIFETIME(MIN 0 MAX 0)",
    "CREATE NAMED COLLECTION IF NOT EXISTS nc ON CLUSTER c AS url = 'u' NOT OVERRIDABLE, port = 9000 OVERRIDABLE, secure = true",
    'CREATE OR REPLACE FUNCTION f ON CLUSTER c AS (x, y) -> if(x > y, x, y)',
    "CREATE DATABASE d ENGINE = Replicated('/zk', '{shard}', '{replica}') SETTINGS max_broken_tables_ratio = 1",
    'REPLACE TABLE t (a UInt8) ENGINE = Memory',
    'ATTACH TABLE t2 (a UInt8) ENGINE = Memory',
  ];

  it('read back as the same tree, and as the same statement in ClickHouse', () => {
    const parsed = statements.map(parseOne);
    const printed = parsed.map(printStatement);
    const originals = formatAll(statements);
    const reformatted = formatAll(printed);
    const problems = statements.flatMap((sql, i) => {
      const original = originals[i];
      if (original === null) return [`ClickHouse rejects ${sql}`];
      const readBack = readBackProblem(parsed[i], printed[i]);
      const verdict = agreement({ sql, formatted: original }, { sql: printed[i], formatted: reformatted[i] });
      const clickhouse = verdict === 'same' || verdict === 'same up to parentheses' ? undefined : `ClickHouse: ${verdict}`;
      return [readBack, clickhouse].flatMap((problem) => (problem ? [`${sql}\n  ${problem}\n  printed: ${printed[i]}`] : []));
    });
    expect(problems).toEqual([]);
  });
});

describe('printing a tree the planner changed', () => {
  it('prints a copy with ON CLUSTER set and a column added, without reading offsets', () => {
    const parsed = parseOne('CREATE TABLE analytics.events (id UInt64, ts DateTime) ENGINE = MergeTree ORDER BY id') as CreateTableStatement;
    // Offsets from another file, and new nodes at 0/0, as the planner produces them.
    const copy = withOffsets(structuredClone(parsed), 9999);
    copy.onCluster = id('main');
    const country: ColumnDefinition = {
      kind: 'ColumnDefinition',
      name: [id('country')],
      type: { kind: 'DataType', name: 'LowCardinality', arguments: [{ kind: 'DataType', name: 'String', ...at }], ...at },
      defaultKind: 'DEFAULT',
      defaultExpression: str('unknown'),
      primaryKey: false,
      ...at,
    };
    copy.elements?.push(country);
    const printed = printStatement(copy);
    expect(printed).toBe(`CREATE TABLE analytics.events ON CLUSTER main
(
    id UInt64,
    ts DateTime,
    country LowCardinality(String) DEFAULT 'unknown'
)
ENGINE = MergeTree
ORDER BY id`);
    expect(format(printed)).toBe(
      format(
        "CREATE TABLE analytics.events ON CLUSTER main (id UInt64, ts DateTime, country LowCardinality(String) DEFAULT 'unknown') ENGINE = MergeTree ORDER BY id",
      ),
    );
    expect(printStatement(parsed)).toBe('CREATE TABLE analytics.events\n(\n    id UInt64,\n    ts DateTime\n)\nENGINE = MergeTree\nORDER BY id');
  });

  it('quotes a name shaped like {x} that is no query parameter, so ClickHouse accepts it (issue 13, defect 10)', () => {
    const parsed = parseOne('CREATE TABLE db.t (c UInt8) ENGINE = Memory') as CreateTableStatement;
    // Names as a server stores them or the planner builds them: unquoted in the tree.
    const copy = withOffsets(structuredClone(parsed), 0);
    copy.name = { kind: 'QualifiedName', database: id('{db}'), name: id('{t}'), ...at };
    (copy.elements?.[0] as ColumnDefinition).name = [id('{c}')];
    const printed = printStatement(copy);
    expect(printed).toBe('CREATE TABLE `{db}`.`{t}`\n(\n    `{c}` UInt8\n)\nENGINE = Memory');
    expect(format(printed)).toBe('CREATE TABLE `{db}`.`{t}` (`{c}` UInt8) ENGINE = Memory');
    // A query parameter standing for a name is printed as written.
    expect(printStatement(parseOne('CREATE TABLE {db:Identifier}.t (c UInt8) ENGINE = Memory'))).toMatch(/^CREATE TABLE \{db:Identifier\}\.t\n/);
  });

  it('prints an ALTER built from nodes', () => {
    const alter: AlterTableStatement = {
      kind: 'AlterTable',
      temporary: false,
      table: { kind: 'QualifiedName', database: id('analytics'), name: id('events'), ...at },
      onCluster: { kind: 'Literal', type: 'string', value: '{cluster}', ...at },
      actions: [
        {
          kind: 'AddColumn',
          ifNotExists: true,
          column: { kind: 'ColumnDefinition', name: [id('region')], type: { kind: 'DataType', name: 'String', ...at }, primaryKey: false, ...at },
          position: { after: id('ts') },
          ...at,
        },
        { kind: 'ModifySetting', settings: [{ kind: 'SettingAssignment', name: id('ttl_only_drop_parts'), value: num('1'), ...at }], ...at },
      ],
      ...at,
    };
    const printed = printStatement(alter);
    expect(printed).toBe(`ALTER TABLE analytics.events ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS region String AFTER ts,
    MODIFY SETTING ttl_only_drop_parts = 1`);
    expect(format(printed)).toBe(
      format("ALTER TABLE analytics.events ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS region String AFTER ts, MODIFY SETTING ttl_only_drop_parts = 1"),
    );
  });

  it('prints a SELECT with a subquery as an indented block', () => {
    const statement = parseOne('SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE b = 1) ORDER BY a LIMIT 10');
    if (statement.kind !== 'SelectStatement') throw new Error('not a SELECT');
    expect(printSelect(statement.query)).toBe(`SELECT a
FROM t
WHERE a IN (
    SELECT a
    FROM u
    WHERE b = 1
)
ORDER BY a
LIMIT 10`);
  });
});
