import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './aggregating-dimension-outside-key.js';
import { ruleTester, testRule } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // Keys, aggregates, and columns that are computed rather than merged.
    `CREATE TABLE user_stats
(
    user_id UInt64,
    day Date,
    month UInt32 MATERIALIZED toYYYYMM(day),
    label String ALIAS toString(user_id),
    views AggregateFunction(count),
    last_seen SimpleAggregateFunction(max, DateTime)
)
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(day) ORDER BY (user_id, day);`,
    // Allowed on purpose: the column depends on the key alone.
    `CREATE TABLE user_stats (user_id UInt64, user_name String, views AggregateFunction(count))
ENGINE = AggregatingMergeTree ORDER BY user_id SETTINGS allow_dimensions_outside_sorting_key = 1;`,
    // Other engines keep every row, or sum what is not a key.
    'CREATE TABLE totals (user_id UInt64, views UInt64) ENGINE = SummingMergeTree ORDER BY user_id;',
    // Columns added later as aggregates or computed ones.
    `CREATE TABLE zone_minutely (zone_id UInt32, minute DateTime, requests SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY (zone_id, minute);
ALTER TABLE zone_minutely ADD COLUMN bot_requests SimpleAggregateFunction(sum, UInt64), ADD COLUMN hour DateTime MATERIALIZED toStartOfHour(minute);`,
  ],
  invalid: [
    {
      // Issue 19: three of the public repositories do not apply on 26.x because of this.
      sql: `CREATE TABLE daily_usage
(
    day Date,
    project_id UInt64,
    model LowCardinality(String),
    tokens AggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/daily_usage', '{replica}')
ORDER BY (day, project_id);`,
      errors: [{ messageId: 'dimension', line: 5, column: 5, endColumn: 33 }],
    },
    {
      // Found on the lint-precision corpus (cdn-logs): a plain counter added to an aggregating rollup.
      sql: `CREATE TABLE zone_minutely (zone_id UInt32, minute DateTime, requests SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY (zone_id, minute);
ALTER TABLE zone_minutely ADD COLUMN IF NOT EXISTS bot_requests UInt64;`,
      errors: [{ messageId: 'added', data: { column: 'bot_requests', table: 'default.zone_minutely' }, line: 2, column: 52, endColumn: 71 }],
    },
  ],
});

/** Tables, and whether the rule reports them; ClickHouse must refuse exactly those (code 36). */
const TABLES = [
  'CREATE TABLE t1 (k UInt64, v UInt64, c AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t2 (k UInt64, v SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t3 (k UInt64, v UInt64 ALIAS k, m UInt64 MATERIALIZED k, e UInt64 EPHEMERAL) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t4 (k UInt64, v UInt64) ENGINE = AggregatingMergeTree PRIMARY KEY k ORDER BY (k, v)',
  'CREATE TABLE t5 (k UInt64, d Date, c AggregateFunction(count)) ENGINE = AggregatingMergeTree PARTITION BY d ORDER BY k',
  'CREATE TABLE t6 (k UInt64, n Nested(a UInt64)) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t7 (ts DateTime, c AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY toStartOfHour(ts)',
  'CREATE TABLE t8 (k UInt64, v UInt64 DEFAULT 0) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t9 (k UInt64 PRIMARY KEY, v UInt64) ENGINE = AggregatingMergeTree',
  'CREATE TABLE t10 (k UInt64, v UInt64) ENGINE = AggregatingMergeTree ORDER BY k SETTINGS allow_dimensions_outside_sorting_key = 1',
  'CREATE TABLE t11 (k UInt64, v UInt64) ENGINE = MergeTree ORDER BY k',
  'CREATE TABLE t12 (k UInt64, n Nested(a UInt64), c AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t13 (k UInt64, v UInt64 DEFAULT 0, c AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY k',
  'CREATE TABLE t14 (k UInt64 PRIMARY KEY, v UInt64, c AggregateFunction(count)) ENGINE = AggregatingMergeTree',
  'CREATE TABLE t15 (k UInt64, v LowCardinality(Nullable(String)), c SimpleAggregateFunction(any, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k',
];

describe('agrees with ClickHouse on which AggregatingMergeTree tables it refuses', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-aggregating-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts a plain column added by ALTER (the check is only at CREATE)', () => {
    session.query('CREATE TABLE added (k UInt64, c SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k');
    session.query('ALTER TABLE added ADD COLUMN v UInt64');
    expect(session.query("SELECT name FROM system.columns WHERE table = 'added' AND name = 'v'", 'TSVRaw')).toBe('v\n');
  });

  for (const sql of TABLES) {
    it(sql, () => {
      let refused = false;
      try {
        session.query(sql);
      } catch (error) {
        expect(String(error)).toMatch(/Code: 36.*neither part of the sorting key nor aggregate measures/);
        refused = true;
      }
      expect(testRule(rule, { sql: `${sql};` }).length > 0).toBe(refused);
    });
  }
});
