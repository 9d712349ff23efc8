import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './column-type-rewrite.js';
import { ruleTester, testRule } from './ruleTester.js';

const EVENTS = `CREATE TABLE events
(
    ts DateTime,
    user_id BIGINT UNSIGNED,
    kind Enum8('view' = 1, 'click' = 2),
    country String,
    price Nullable(Decimal(18, 2))
)
ENGINE = MergeTree ORDER BY ts;`;

ruleTester(rule, {
  valid: [
    // Same type spelled another way, a new default, a comment, an Enum value added: metadata only.
    `${EVENTS}
ALTER TABLE events
    MODIFY COLUMN user_id UInt64 DEFAULT 0,
    MODIFY COLUMN kind Enum8('view' = 1, 'click' = 2, 'buy' = 3),
    MODIFY COLUMN country String COMMENT 'ISO code';`,
    // A time zone or a type with the same bytes on disk.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN ts DateTime('UTC');
ALTER TABLE events MODIFY COLUMN ts UInt32;`,
    // Tables without parts (Memory, Null, Distributed...) have nothing to rewrite.
    `CREATE TABLE staging (id UInt32, note String) ENGINE = Memory;
ALTER TABLE staging MODIFY COLUMN id UInt64, MODIFY COLUMN note LowCardinality(String);`,
    // ClickHouse refuses most type changes of key columns (code 524): nothing is rewritten.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN ts DateTime64(3);`,
    // Refused by ClickHouse before any mutation: enum-value-removed and column-type-narrowing report those.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 1, 'click' = 3);
ALTER TABLE events MODIFY COLUMN price Decimal(18, 2);`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN country LowCardinality(String);`,
      errors: [{ messageId: 'rewrite', line: 10, column: 20, endColumn: 64 }],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events
    MODIFY COLUMN user_id UInt128,
    MODIFY COLUMN country Nullable(String),
    MODIFY COLUMN kind Enum16('view' = 1, 'click' = 2);`,
      errors: [
        { messageId: 'rewrite', line: 11, column: 5, endColumn: 34 },
        { messageId: 'rewrite', line: 12, column: 5, endColumn: 43 },
        { messageId: 'rewrite', line: 13, column: 5, endColumn: 55 },
      ],
    },
    {
      // Nullable to non-Nullable with a DEFAULT is accepted, and rewrites; so does a ReplicatedMergeTree table.
      sql: `CREATE TABLE sessions (id UInt64, duration Nullable(Float64), tags Array(String))
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/sessions', '{replica}') ORDER BY id;
ALTER TABLE sessions MODIFY COLUMN duration Float64 DEFAULT 0;
ALTER TABLE sessions MODIFY COLUMN tags Array(LowCardinality(String));`,
      errors: [
        { messageId: 'rewrite', line: 3, column: 22, endColumn: 62 },
        { messageId: 'rewrite', line: 4, column: 22, endColumn: 70 },
      ],
    },
  ],
});

/** Type changes and whether ClickHouse rewrites data for them. */
const CHANGES: [from: string, to: string][] = [
  ["Enum8('a' = 1)", "Enum8('a' = 1, 'b' = 2)"],
  ['DateTime', "DateTime('UTC')"],
  ['DateTime64(3)', "DateTime64(3, 'UTC')"],
  ['DateTime', 'UInt32'],
  ['UInt32', 'DateTime'],
  ['Date', 'UInt16'],
  ['UInt16', 'Date'],
  ["Enum8('a' = 1)", 'Int8'],
  ['Bool', 'UInt8'],
  ['INT UNSIGNED', 'UInt32'],
  ['Array(Nullable(DateTime))', 'Array(Nullable(UInt32))'],
  ['String', 'LowCardinality(String)'],
  ['LowCardinality(String)', 'String'],
  ['String', 'Nullable(String)'],
  ['UInt32', 'UInt64'],
  ['UInt32', 'Int32'],
  ['Float32', 'Float64'],
  ["Enum8('a' = 1)", "Enum16('a' = 1)"],
  ['Int8', "Enum8('a' = 0)"],
  ['DateTime64(3)', 'DateTime64(6)'],
  ['Nullable(UInt8)', 'Nullable(UInt16)'],
  ['Array(UInt8)', 'Array(UInt16)'],
];

describe('agrees with ClickHouse on which type changes rewrite data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-type-rewrite-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();
  run('CREATE DATABASE types');

  for (const [i, [from, to]] of CHANGES.entries()) {
    it(`${from} → ${to}`, () => {
      const create = `CREATE TABLE types.t${i} (id UInt8, c ${from}) ENGINE = MergeTree ORDER BY id`;
      const alter = `ALTER TABLE types.t${i} MODIFY COLUMN c ${to}`;
      run(create);
      run(`INSERT INTO types.t${i} (id) VALUES (1)`);
      // With allow_non_metadata_alters = 0, ClickHouse refuses exactly the ALTERs that would modify data on disk.
      let rewrites = false;
      try {
        run(`${alter} SETTINGS allow_non_metadata_alters = 0`);
      } catch (error) {
        expect(String(error)).toMatch(/Code: 524.*will modify data on disk/);
        rewrites = true;
      }
      const findings = testRule(rule, { sql: `${create};\n${alter};` });
      expect(findings.length > 0).toBe(rewrites);
      if (rewrites) {
        run(alter);
        expect(run(`SELECT count() FROM system.mutations WHERE database = 'types' AND table = 't${i}'`)).toBe('1');
      }
    });
  }
});
