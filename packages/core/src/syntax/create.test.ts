import { describe, expect, it } from 'vitest';
import type { CreateTableStatement } from './ast.js';
import { clickhouseRejection, expectSameVerdicts } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// CREATE TABLE. Every statement here is also judged by ClickHouse (chDB).

const TABLE = 'CREATE TABLE t (i Int32, j Int32) ENGINE = MergeTree';
const REVERSE = 'SETTINGS allow_experimental_reverse_key = 1';

function storageOf(sql: string) {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  const storage = (statements[0] as CreateTableStatement).storage;
  return {
    orderBy: storage?.orderBy && sql.slice(storage.orderBy.start, storage.orderBy.end),
    kind: storage?.orderBy?.kind,
    descending: storage?.orderByDescending,
  };
}

describe('a reverse sorting key (#15)', () => {
  it('keeps the key without directions and marks the DESC elements', () => {
    expect(storageOf(`${TABLE} ORDER BY i DESC ${REVERSE}`)).toEqual({ orderBy: 'i', kind: 'ColumnRef', descending: [true] });
    expect(storageOf(`${TABLE} ORDER BY (i, j DESC) ${REVERSE}`)).toEqual({ orderBy: '(i, j DESC)', kind: 'TupleExpression', descending: [false, true] });
    expect(storageOf(`${TABLE} ORDER BY tuple(i DESCENDING) ${REVERSE}`)).toEqual({ orderBy: 'tuple(i DESCENDING)', kind: 'FunctionCall', descending: [true] });
    // ASC is the default: ClickHouse does not store it.
    expect(storageOf(`${TABLE} ORDER BY (i ASC, j)`)).toEqual({ orderBy: '(i ASC, j)', kind: 'TupleExpression', descending: undefined });
    expect(storageOf(`${TABLE} ORDER BY (i, j)`)).toEqual({ orderBy: '(i, j)', kind: 'TupleExpression', descending: undefined });
    expect(storageOf(`${TABLE} ORDER BY (i) * 2`)).toMatchObject({ kind: 'BinaryExpression', descending: undefined });
  });

  it('takes a direction only where ClickHouse does', () => {
    expectSameVerdicts([
      `${TABLE} ORDER BY i + 1 DESC, j`,
      `${TABLE} ORDER BY (i DESC) + 1`,
      `${TABLE} ORDER BY ((i DESC))`,
      `${TABLE} ORDER BY (i DESC, (j DESC))`,
      `${TABLE} ORDER BY TUPLE(i DESC, j)`,
      `${TABLE} ORDER BY f(i DESC, j)`,
      `${TABLE} PRIMARY KEY (i DESC)`,
      `${TABLE} ORDER BY (i DESC NULLS FIRST)`,
      `${TABLE} ORDER BY (i DESC) AS SELECT 1, 2`,
      `${TABLE} ORDER BY i ASC SETTINGS index_granularity = 1`,
    ]);
  });
});

describe('EPHEMERAL followed by NULL (#13, oracle create:377)', () => {
  it('reads `EPHEMERAL NULL` and `EPHEMERAL NOT NULL` as the expression, as ClickHouse does', () => {
    const columns = (sql: string) => {
      const { statements, diagnostics } = parseSql(sql);
      expect(diagnostics).toEqual([]);
      expect(clickhouseRejection(sql)).toBeUndefined();
      return ((statements[0] as CreateTableStatement).elements ?? []).map((e) =>
        e.kind === 'ColumnDefinition' ? [e.nullable, e.defaultKind, e.defaultExpression && sql.slice(e.defaultExpression.start, e.defaultExpression.end)] : [],
      );
    };
    // Printed back as `Nullable(UInt32) NULL EPHEMERAL`, the first is refused (code 377).
    expect(columns('CREATE TABLE t (a Nullable(UInt32) EPHEMERAL NULL, b UInt8 EPHEMERAL NOT NULL, c UInt8 NULL EPHEMERAL) ENGINE = Memory')).toEqual([
      [undefined, 'EPHEMERAL', 'NULL'],
      [undefined, 'EPHEMERAL', 'NOT NULL'],
      [true, 'EPHEMERAL', undefined],
    ]);
  });
});
