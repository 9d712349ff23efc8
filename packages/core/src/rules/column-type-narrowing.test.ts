import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './column-type-narrowing.js';
import { ruleTester, testRule } from './ruleTester.js';

const EVENTS = `CREATE TABLE events
(
    id UInt64,
    ts DateTime64(3),
    user_id UInt64,
    delta Int32,
    price Decimal(18, 4),
    session_id String,
    referrer Nullable(String)
)
ENGINE = MergeTree ORDER BY id;`;

ruleTester(rule, {
  valid: [
    // Wider types hold every value.
    `${EVENTS}
ALTER TABLE events
    MODIFY COLUMN delta Int64,
    MODIFY COLUMN price Decimal(20, 6),
    MODIFY COLUMN ts DateTime64(6),
    MODIFY COLUMN session_id LowCardinality(String);`,
    // Dropping Nullable with a DEFAULT is a choice: NULLs become the default.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN referrer String DEFAULT '';`,
    // Enum changes are enum-value-removed's; a new comment or default keeps the type.
    `CREATE TABLE t (id UInt64, kind Enum8('a' = 1, 'b' = 2)) ENGINE = MergeTree ORDER BY id;
ALTER TABLE t MODIFY COLUMN kind Enum8('a' = 1), MODIFY COLUMN id UInt64 COMMENT 'key';`,
    // ClickHouse refuses to narrow a key column (code 524), so no value changes.
    `CREATE TABLE t (id UInt64, day Date) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY id;
ALTER TABLE t MODIFY COLUMN id UInt32;`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN user_id UInt32;`,
      errors: [{ messageId: 'narrowing', line: 12, column: 20, endColumn: 48 }],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events
    MODIFY COLUMN delta UInt32,
    MODIFY COLUMN price Decimal(18, 2),
    MODIFY COLUMN ts DateTime,
    MODIFY COLUMN session_id FixedString(16);`,
      errors: [
        { messageId: 'narrowing', line: 13, column: 5, endColumn: 31 },
        { messageId: 'narrowing', line: 14, column: 5, endColumn: 39 },
        { messageId: 'narrowing', line: 15, column: 5, endColumn: 30 },
        { messageId: 'narrowing', line: 16, column: 5, endColumn: 45 },
      ],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN referrer String;
ALTER TABLE events MODIFY COLUMN session_id UUID;`,
      errors: [
        { messageId: 'nullableWithoutDefault', line: 12, column: 20, endColumn: 49 },
        { messageId: 'narrowing', line: 13, column: 20, endColumn: 49 },
      ],
    },
  ],
});

/** A type change and a stored value to probe it with. */
const PROBES: [from: string, to: string, value: string][] = [
  ['UInt64', 'UInt32', '5000000000'],
  ['Int64', 'UInt64', '-5'],
  ['UInt64', 'Int64', '18446744073709551615'],
  ['Int32', 'Int16', '100000'],
  ['Float64', 'Int64', '1.5'],
  ['Decimal(10, 4)', 'Decimal(10, 2)', '1.2345'],
  ["DateTime64(3, 'UTC')", "DateTime('UTC')", "'2024-01-01 00:00:00.123'"],
  ["DateTime('UTC')", 'Date', "'2024-01-01 10:00:00'"],
  ['String', 'FixedString(2)', "'hello'"],
  ['String', 'UInt64', "'abc'"],
  ['Int8', "Enum8('a' = 1)", '5'],
  ['UInt32', 'UInt64', '4294967295'],
  ['Int32', 'Int64', '-2147483648'],
  ['UInt32', 'Int64', '4294967295'],
  ['Float32', 'Float64', '1.5'],
  ['Decimal(10, 2)', 'Decimal(12, 4)', '12345678.99'],
  ["DateTime('UTC')", "DateTime64(3, 'UTC')", "'2024-01-01 10:00:00'"],
  ['FixedString(2)', 'String', "'ab'"],
  ['String', 'Nullable(String)', "'x'"],
  ['UInt8', 'Nullable(UInt16)', '255'],
  ['LowCardinality(String)', 'String', "'x'"],
];

describe('agrees with ClickHouse on which type changes lose values', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-narrowing-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();
  run('CREATE DATABASE n');

  for (const [i, [from, to, value]] of PROBES.entries()) {
    it(`${from} → ${to} with ${value}`, () => {
      const create = `CREATE TABLE n.t${i} (id UInt8, c ${from}, original ${from}) ENGINE = MergeTree ORDER BY id`;
      const alter = `ALTER TABLE n.t${i} MODIFY COLUMN c ${to}`;
      run(create);
      run(`INSERT INTO n.t${i} VALUES (1, ${value}, ${value})`);
      let changed: boolean;
      try {
        run(alter);
        changed = run(`SELECT (c IS NULL AND original IS NULL) OR ifNull(c = original, 0) FROM n.t${i}`) !== '1';
      } catch (error) {
        // The mutation failed on the value: the ALTER reports it, and reads of the column keep failing.
        expect(String(error)).toMatch(/Code: 341/);
        expect(() => run(`SELECT c FROM n.t${i}`)).toThrow();
        changed = true;
      }
      const findings = testRule(rule, { sql: `${create};\n${alter};` });
      expect(findings.length > 0).toBe(changed);
    });
  }

  it('refuses to change the type of a key column unless it only adds LowCardinality', () => {
    run('CREATE TABLE n.keyed (id UInt64, code String, v UInt8) ENGINE = MergeTree ORDER BY (id, code)');
    expect(() => run('ALTER TABLE n.keyed MODIFY COLUMN id UInt32')).toThrow(/Code: 524.*ALTER of key column id/);
    run('ALTER TABLE n.keyed MODIFY COLUMN code LowCardinality(String)');
  });

  it('refuses to drop Nullable without a DEFAULT', () => {
    run('CREATE TABLE n.nullable (id UInt8, referrer Nullable(String)) ENGINE = MergeTree ORDER BY id');
    expect(() => run('ALTER TABLE n.nullable MODIFY COLUMN referrer String')).toThrow(/Code: 36.*Please specify `DEFAULT` expression/);
  });
});
