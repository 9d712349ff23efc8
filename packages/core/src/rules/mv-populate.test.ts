import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-populate.js';
import { ruleTester } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // The safe pattern: a view with TO, then a backfill over a closed time range.
    `
CREATE TABLE analytics.daily_events
(
    day Date,
    event_type LowCardinality(String),
    events UInt64
)
ENGINE = SummingMergeTree
ORDER BY (day, event_type);

CREATE MATERIALIZED VIEW analytics.daily_events_mv TO analytics.daily_events AS
SELECT toDate(ts) AS day, event_type, count() AS events
FROM analytics.events
GROUP BY day, event_type;

INSERT INTO analytics.daily_events
SELECT toDate(ts) AS day, event_type, count() AS events
FROM analytics.events
WHERE ts < '2024-06-01 00:00:00'
GROUP BY day, event_type;
`,
    // Without POPULATE the view starts empty and only sees new inserts.
    `
CREATE MATERIALIZED VIEW analytics.hourly_users
ENGINE = AggregatingMergeTree ORDER BY hour
AS SELECT toStartOfHour(ts) AS hour, uniqState(user_id) AS users FROM analytics.events GROUP BY hour;
`,
    // A refreshable view fills itself by running its whole query; EMPTY only delays the first refresh.
    `
CREATE MATERIALIZED VIEW analytics.top_countries
REFRESH EVERY 1 DAY
ENGINE = MergeTree ORDER BY country
EMPTY
AS SELECT country, count() AS events FROM analytics.events GROUP BY country;
`,
    // A plain view and CREATE TABLE ... AS SELECT copy nothing into a view.
    `
CREATE VIEW analytics.signups AS SELECT * FROM analytics.events WHERE event_type = 'signup';

CREATE TABLE analytics.signups_2023 ENGINE = MergeTree ORDER BY ts
AS SELECT * FROM analytics.events WHERE event_type = 'signup' AND toYear(ts) = 2023;
`,
  ],
  invalid: [
    {
      // The fix removes POPULATE; the data names the view.
      sql: 'CREATE MATERIALIZED VIEW mv ENGINE = MergeTree ORDER BY a POPULATE AS SELECT 1 AS a;',
      errors: [
        {
          messageId: 'populate',
          line: 1,
          column: 26,
          endColumn: 28,
          data: { view: 'mv' },
          fixes: [
            {
              title: 'Remove POPULATE (backfill with INSERT ... SELECT after creating the view)',
              output: 'CREATE MATERIALIZED VIEW mv ENGINE = MergeTree ORDER BY a AS SELECT 1 AS a;',
            },
          ],
        },
      ],
    },
    {
      sql: `
CREATE MATERIALIZED VIEW analytics.hourly_users
ENGINE = AggregatingMergeTree ORDER BY hour
POPULATE
AS SELECT toStartOfHour(ts) AS hour, uniqState(user_id) AS users FROM analytics.events GROUP BY hour;
`,
      errors: [{ messageId: 'populate', line: 2, column: 26, endColumn: 48 }],
    },
    {
      sql: `
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.errors_by_service ON CLUSTER main
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/analytics/errors_by_service', '{replica}')
ORDER BY (service, day)
POPULATE
AS SELECT service, toDate(ts) AS day, count() AS errors FROM logs.entries WHERE level = 'error' GROUP BY service, day;
`,
      errors: [{ messageId: 'populate', line: 2, column: 40, endColumn: 67 }],
    },
    {
      // CREATE OR REPLACE ... POPULATE: inserts during the replace also go to the old view and are lost.
      sql: `
USE analytics;

CREATE OR REPLACE MATERIALIZED VIEW sessions_by_device
ENGINE = SummingMergeTree ORDER BY device
POPULATE
AS SELECT device, count() AS sessions FROM sessions GROUP BY device;
`,
      errors: [{ messageId: 'populate', line: 4, column: 37, endColumn: 55 }],
    },
    {
      // Each view is its own finding.
      sql: `
CREATE MATERIALIZED VIEW analytics.clicks_by_page ENGINE = SummingMergeTree ORDER BY page POPULATE AS
SELECT page, count() AS clicks FROM analytics.events WHERE event_type = 'click' GROUP BY page;

CREATE MATERIALIZED VIEW analytics.views_by_page ENGINE = SummingMergeTree ORDER BY page POPULATE AS
SELECT page, count() AS views FROM analytics.events WHERE event_type = 'page_view' GROUP BY page;
`,
      errors: [
        { messageId: 'populate', line: 2, column: 26, endColumn: 50 },
        { messageId: 'populate', line: 5, column: 26, endColumn: 49 },
      ],
    },
  ],
});

describe('mv-populate on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-populate-'));
  const session = new Session(dataDir);
  const count = (sql: string) => Number(session.query(sql, 'TSVRaw'));
  const waitFor = async (condition: () => boolean, what: string) => {
    for (let i = 0; i < 200; i++) {
      if (condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('misses the rows that an INSERT already running writes after the copy starts', async () => {
    session.query('CREATE DATABASE populate_demo ENGINE = Atomic');
    session.query('CREATE TABLE populate_demo.events (id UInt64, batch UInt8) ENGINE = MergeTree ORDER BY id');
    session.query('INSERT INTO populate_demo.events SELECT number, 0 FROM numbers(1000)');
    // chDB runs one query at a time per session, so the concurrent INSERT comes from a background
    // refresh: an APPEND refreshable view writes 60 one-row blocks into events, 0.1 s apart.
    session.query(`
      CREATE MATERIALIZED VIEW populate_demo.feeder REFRESH EVERY 1 YEAR APPEND TO populate_demo.events AS
      SELECT 1000000 + number AS id, 1 AS batch FROM numbers(60) WHERE sleepEachRow(0.1) = 0
      SETTINGS max_block_size = 1, min_insert_block_size_rows = 1, min_insert_block_size_bytes = 1, max_threads = 1`);
    await waitFor(() => count('SELECT count() FROM populate_demo.events WHERE batch = 1') > 0, 'the INSERT to start');

    session.query('CREATE MATERIALIZED VIEW populate_demo.by_batch ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id, batch FROM populate_demo.events');
    await waitFor(() => count('SELECT count() FROM populate_demo.events WHERE batch = 1') === 60, 'the INSERT to finish');

    // Every row that was there before reached the view; of the 60 rows the running INSERT wrote, some never did.
    expect(count('SELECT count() FROM populate_demo.by_batch WHERE batch = 0')).toBe(1000);
    expect(count('SELECT count() FROM populate_demo.by_batch WHERE batch = 1')).toBeLessThan(60);
    // A later INSERT reaches the view: only the one in flight was missed.
    session.query('INSERT INTO populate_demo.events VALUES (2000000, 2)');
    expect(count('SELECT count() FROM populate_demo.by_batch WHERE batch = 2')).toBe(1);
  });

  it('leaves the view created, without the old rows, when the copy fails', () => {
    expect(() =>
      session.query(
        'CREATE MATERIALIZED VIEW populate_demo.failed ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id, throwIf(id = 900) AS bad FROM populate_demo.events',
      ),
    ).toThrow(/Code: 395/);
    expect(count("SELECT count() FROM system.tables WHERE database = 'populate_demo' AND name = 'failed'")).toBe(1);
    expect(count('SELECT count() FROM populate_demo.failed')).toBe(0);
    // It is attached: new inserts reach it, so it now holds new rows without the old ones.
    session.query('INSERT INTO populate_demo.events VALUES (3000000, 3)');
    expect(count('SELECT count() FROM populate_demo.failed')).toBe(1);
  });

  it('is refused together with TO (code 62)', () => {
    session.query('CREATE TABLE populate_demo.by_id (id UInt64) ENGINE = MergeTree ORDER BY id');
    expect(() =>
      session.query('CREATE MATERIALIZED VIEW populate_demo.by_id_mv TO populate_demo.by_id POPULATE AS SELECT id FROM populate_demo.events'),
    ).toThrow(/Code: 62\./);
  });
});
