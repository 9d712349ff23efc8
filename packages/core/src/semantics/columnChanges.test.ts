import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { keyColumnsOf } from '../model/keyColumns.js';
import { parseSql } from '../syntax/parser.js';
import { columnChangesFile, verdictText } from './columnChanges.generate.js';
import { TYPE_CHANGE_PROBES } from './columnChanges.generated.js';
import { typeChangeVerdict } from './columnChanges.js';
import { parseDataType, printDataType } from './dataTypes.js';
import { entriesOf } from './lines.js';

const probes = entriesOf(TYPE_CHANGE_PROBES, '\t');

describe('typeChangeVerdict', () => {
  it('has probes to compare with', () => {
    // 40 types, every ordered pair of two different ones.
    expect(probes.length).toBe(40 * 39);
  });

  it('agrees with ClickHouse on every probed change of a plain column', () => {
    const disagreements = probes.filter(([from, to, column]) => verdictText(typeChangeVerdict(from, to)) !== column);
    expect(disagreements).toEqual([]);
  });

  it('agrees with ClickHouse on every probed change of a key column', () => {
    const disagreements = probes.filter(([from, to, , keyColumn]) => verdictText(typeChangeVerdict(from, to, { key: true })) !== keyColumn);
    expect(disagreements).toEqual([]);
  });

  it('keeps an Enum key column in place when it only gains a value (issue 19)', () => {
    expect(typeChangeVerdict("Enum8('a' = 1)", "Enum8('a' = 1, 'b' = 2)", { key: true })).toEqual({ kind: 'metadata-only' });
  });

  it('accepts dropping Nullable when the column has a DEFAULT', () => {
    expect(typeChangeVerdict('Nullable(String)', 'String', { hasDefault: true })).toEqual({ kind: 'rewrite' });
    expect(typeChangeVerdict('Nullable(String)', 'String')).toEqual({ kind: 'refused', code: 36 });
  });

  it('reads type texts back as written', () => {
    for (const [from] of probes) expect(printDataType(parseDataType(from))).toBe(from);
  });
});

describe('keyColumnsOf', () => {
  const keysOf = (sql: string) => {
    const statement = parseSql(sql).statements[0];
    if (statement?.kind !== 'CreateTable') throw new Error('expected CREATE TABLE');
    return [...keyColumnsOf(statement)].sort();
  };

  it('includes every clause and a PRIMARY KEY in the column list or on a column (issue 19)', () => {
    expect(
      keysOf('CREATE TABLE t (a UInt8, b UInt8, c Date, d UInt8, e UInt8) ENGINE = MergeTree PARTITION BY toYYYYMM(c) ORDER BY (a, b) SAMPLE BY b'),
    ).toEqual(['a', 'b', 'c']);
    expect(keysOf('CREATE TABLE t (a UInt8, b UInt8, PRIMARY KEY (a)) ENGINE = MergeTree')).toEqual(['a']);
    expect(keysOf('CREATE TABLE t (a UInt8 PRIMARY KEY, b UInt8) ENGINE = MergeTree')).toEqual(['a']);
  });
});

describe('against chDB', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-column-changes-'));
  const session = new Session(dataDirectory);
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDirectory, { recursive: true, force: true });
  }, 120_000);
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('the probes are what the engine says now (npm run semantics:generate)', () => {
    expect(readFileSync(new URL('columnChanges.generated.ts', import.meta.url), 'utf8')).toBe(columnChangesFile(session));
  }, 600_000);

  it('treats a PRIMARY KEY in the column list and on a column as key columns (code 524)', () => {
    run('CREATE TABLE list_key (a UInt32, b UInt32, PRIMARY KEY (a)) ENGINE = MergeTree');
    run('CREATE TABLE column_key (a UInt32 PRIMARY KEY, b UInt32) ENGINE = MergeTree');
    for (const table of ['list_key', 'column_key']) {
      expect(() => run(`ALTER TABLE ${table} MODIFY COLUMN a UInt64`)).toThrow(/Code: 524/);
      run(`ALTER TABLE ${table} MODIFY COLUMN b UInt64`);
    }
  });

  it('accepts dropping Nullable with a DEFAULT and refuses it without (code 36)', () => {
    run('CREATE TABLE nullable_drop (id UInt8, c Nullable(String)) ENGINE = MergeTree ORDER BY id');
    expect(() => run('ALTER TABLE nullable_drop MODIFY COLUMN c String')).toThrow(/Code: 36/);
    run("ALTER TABLE nullable_drop MODIFY COLUMN c String DEFAULT ''");
  });
});
