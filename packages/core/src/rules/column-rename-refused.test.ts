import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './column-rename-refused.js';
import { ruleTester, testRule } from './ruleTester.js';

// Found on the lint-precision corpus (issue 19): `market-data` renames `exchange`, a sorting-key
// column, and ClickHouse refuses the migration (code 524) while lint was silent.

const QUOTES = `CREATE TABLE quotes
(
    exchange LowCardinality(String),
    symbol LowCardinality(String),
    ts DateTime64(6),
    bid Float64,
    INDEX idx_bid bid TYPE minmax GRANULARITY 1
)
ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (exchange, symbol, ts);`;

ruleTester(rule, {
  valid: [
    // A column only a skip index or a TTL reads: ClickHouse rewrites them.
    `${QUOTES}
ALTER TABLE quotes RENAME COLUMN bid TO bid_price;`,
    // Not a MergeTree table.
    `CREATE TABLE lookups (k UInt64, v String) ENGINE = Memory;
ALTER TABLE lookups RENAME COLUMN k TO key;`,
    // A column that left the key before: its own name, after an earlier rename of a non-key column.
    `CREATE TABLE t (a UInt8, b UInt8, v UInt64) ENGINE = ReplacingMergeTree ORDER BY a;
ALTER TABLE t RENAME COLUMN v TO version;`,
  ],
  invalid: [
    {
      sql: `${QUOTES}
ALTER TABLE quotes RENAME COLUMN exchange TO venue, RENAME COLUMN ts TO quoted_at;`,
      errors: [
        { messageId: 'key', data: { table: 'default.quotes', column: 'exchange' }, line: 10, column: 20, endColumn: 51 },
        { messageId: 'key', data: { table: 'default.quotes', column: 'ts' }, line: 10, column: 53, endColumn: 82 },
      ],
    },
    {
      sql: `CREATE TABLE orders (id UInt64, v UInt64, deleted UInt8, s Int8, a UInt64, b UInt64)
ENGINE = ReplicatedReplacingMergeTree('/t/{shard}/orders', '{replica}', v, deleted) ORDER BY id;
ALTER TABLE orders RENAME COLUMN v TO version;
ALTER TABLE orders RENAME COLUMN deleted TO is_deleted;
CREATE TABLE sums (k UInt8, a UInt64, b UInt64) ENGINE = SummingMergeTree((a, b)) ORDER BY k;
ALTER TABLE sums RENAME COLUMN b TO bb;
CREATE TABLE versions (k UInt8, s Int8, v UInt32) ENGINE = VersionedCollapsingMergeTree(s, v) ORDER BY k;
ALTER TABLE versions RENAME COLUMN v TO vv;`,
      errors: [
        {
          messageId: 'engine',
          data: { table: 'default.orders', column: 'v', role: 'version column', engine: 'ReplicatedReplacingMergeTree', code: '524' },
          line: 3,
          column: 20,
          endColumn: 46,
        },
        {
          messageId: 'engine',
          data: { table: 'default.orders', column: 'deleted', role: 'is_deleted column', engine: 'ReplicatedReplacingMergeTree', code: '524' },
          line: 4,
          column: 20,
          endColumn: 55,
        },
        {
          messageId: 'engine',
          data: { table: 'default.sums', column: 'b', role: 'a column it sums', engine: 'SummingMergeTree', code: '524' },
          line: 6,
          column: 18,
          endColumn: 39,
        },
        {
          messageId: 'engine',
          data: {
            table: 'default.versions',
            column: 'v',
            role: 'version column (part of the sorting key)',
            engine: 'VersionedCollapsingMergeTree',
            code: '47',
          },
          line: 8,
          column: 22,
          endColumn: 43,
        },
      ],
    },
  ],
});

/** Tables and a column of each to rename: the rule must report exactly the renames ClickHouse refuses. */
const CASES: [string, string][] = [
  ['(a UInt8, b UInt8, c UInt8) ENGINE = MergeTree ORDER BY (a, b)', 'b'],
  ['(a UInt8, b UInt8, c UInt8) ENGINE = MergeTree ORDER BY (a, b)', 'c'],
  ['(a DateTime, b UInt8) ENGINE = MergeTree ORDER BY toDate(a)', 'a'],
  ['(a UInt8, b UInt8) ENGINE = MergeTree PRIMARY KEY a ORDER BY (a, b)', 'a'],
  ['(a Date, b UInt8) ENGINE = MergeTree PARTITION BY toYYYYMM(a) ORDER BY b', 'a'],
  ['(a UInt32, b UInt8) ENGINE = MergeTree ORDER BY (b, a) SAMPLE BY a', 'a'],
  ['(a String, b UInt8, INDEX i a TYPE bloom_filter GRANULARITY 1) ENGINE = MergeTree ORDER BY b', 'a'],
  ['(a DateTime, b UInt8) ENGINE = MergeTree ORDER BY b TTL a + INTERVAL 1 DAY', 'a'],
  ['(a UInt8, v UInt64, d UInt8) ENGINE = ReplacingMergeTree(v, d) ORDER BY a', 'v'],
  ['(a UInt8, v UInt64, d UInt8) ENGINE = ReplacingMergeTree(v, d) ORDER BY a', 'd'],
  ['(a UInt8, s Int8) ENGINE = CollapsingMergeTree(s) ORDER BY a', 's'],
  ['(a UInt8, s Int8, v UInt32) ENGINE = VersionedCollapsingMergeTree(s, v) ORDER BY a', 'v'],
  ['(a UInt8, x UInt64, y UInt64) ENGINE = SummingMergeTree((x, y)) ORDER BY a', 'y'],
  ['(a UInt8, x UInt64, y UInt64) ENGINE = SummingMergeTree ORDER BY a', 'y'],
  ['(a UInt8, b UInt8) ENGINE = Memory', 'a'],
];

describe('agrees with ClickHouse on which renames it refuses', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-rename-refused-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [i, [table, column]] of CASES.entries()) {
    it(`${table}: RENAME ${column}`, () => {
      session.query(`CREATE TABLE t_${i} ${table}`);
      let refused = false;
      try {
        session.query(`ALTER TABLE t_${i} RENAME COLUMN ${column} TO renamed`);
      } catch (error) {
        expect(String(error)).toMatch(/Code: (524|47)\./);
        refused = true;
      }
      expect(testRule(rule, { sql: `CREATE TABLE t ${table};\nALTER TABLE t RENAME COLUMN ${column} TO renamed;` }).length > 0).toBe(refused);
    });
  }
});
