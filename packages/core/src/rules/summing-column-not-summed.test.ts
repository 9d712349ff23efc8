import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleTester } from './ruleTester.js';
import rule from './summing-column-not-summed.js';

// Found on the lint-precision corpus (issue 19): `ad-server` adds a column to a rollup whose
// SummingMergeTree lists the columns to sum, and changes the view to count into it.

const ROLLUP = `CREATE TABLE impressions (day Date, campaign_id UInt32, price UInt64, viewable UInt8) ENGINE = MergeTree ORDER BY (campaign_id, day);
CREATE TABLE daily (day Date, campaign_id UInt32, impressions UInt64, spend UInt64) ENGINE = SummingMergeTree((impressions, spend)) ORDER BY (campaign_id, day);`;

ruleTester(rule, {
  valid: [
    // Every written sum is in the list; a SummingMergeTree without a list sums every numeric column.
    `${ROLLUP}
CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT day, campaign_id, count() AS impressions, sum(price) AS spend FROM impressions GROUP BY day, campaign_id;
CREATE TABLE daily_all (day Date, campaign_id UInt32, impressions UInt64, viewable UInt64) ENGINE = SummingMergeTree ORDER BY (campaign_id, day);
CREATE MATERIALIZED VIEW daily_all_mv TO daily_all AS SELECT day, campaign_id, count() AS impressions, countIf(viewable = 1) AS viewable FROM impressions GROUP BY day, campaign_id;`,
    // A column outside the list that is no sum: one row's value is what it is meant to keep.
    `${ROLLUP}
ALTER TABLE daily ADD COLUMN last_price UInt64;
CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT day, campaign_id, count() AS impressions, sum(price) AS spend, max(price) AS last_price FROM impressions GROUP BY day, campaign_id;`,
  ],
  invalid: [
    {
      sql: `${ROLLUP}
CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT day, campaign_id, count() AS impressions, sum(price) AS spend FROM impressions GROUP BY day, campaign_id;
ALTER TABLE daily ADD COLUMN viewable_impressions UInt64;
ALTER TABLE daily_mv MODIFY QUERY
SELECT day, campaign_id, count() AS impressions, sum(price) AS spend, countIf(viewable = 1) AS viewable_impressions FROM impressions GROUP BY day, campaign_id;`,
      errors: [
        {
          messageId: 'notSummed',
          data: { view: 'default.daily_mv', target: 'default.daily', column: 'viewable_impressions', function: 'countIf', summed: '`impressions`, `spend`' },
          line: 3,
          column: 38,
          endColumn: 43,
        },
      ],
    },
  ],
});

describe('ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-summing-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the first row of a column outside the sum list at a merge', () => {
    session.query('CREATE TABLE t (k UInt8, a UInt64, b UInt64) ENGINE = SummingMergeTree((a)) ORDER BY k');
    for (const row of ['(1, 1, 10)', '(1, 2, 20)', '(1, 3, 30)']) session.query(`INSERT INTO t VALUES ${row}`);
    session.query('OPTIMIZE TABLE t FINAL');
    expect(session.query('SELECT k, a, b FROM t', 'TSVRaw')).toBe('1\t6\t10\n');
  });
});
