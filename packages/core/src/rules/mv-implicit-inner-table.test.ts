import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-implicit-inner-table.js';
import { ruleTester } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // The recommended shape: the target is a table of its own.
    `
CREATE TABLE analytics.daily_events
(
    day Date,
    event_type LowCardinality(String),
    events UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/analytics/daily_events', '{replica}')
ORDER BY (day, event_type);

CREATE MATERIALIZED VIEW analytics.daily_events_mv TO analytics.daily_events AS
SELECT toDate(ts) AS day, event_type, count() AS events
FROM analytics.events
GROUP BY day, event_type;
`,
    // A refreshable view replaces its table on each refresh: there is no insert trigger to lose rows from.
    `
CREATE MATERIALIZED VIEW analytics.top_pages
REFRESH EVERY 1 HOUR
ENGINE = MergeTree ORDER BY views
AS SELECT page, count() AS views FROM analytics.page_views GROUP BY page ORDER BY views DESC LIMIT 100;
`,
    // A plain view stores nothing.
    `
CREATE VIEW analytics.purchases AS
SELECT ts, user_id, price * quantity AS amount
FROM analytics.events
WHERE event_type = 'purchase';
`,
    // CREATE TABLE ... AS SELECT makes an ordinary table.
    `
CREATE TABLE analytics.events_2023
ENGINE = MergeTree ORDER BY (user_id, ts)
AS SELECT * FROM analytics.events WHERE toYear(ts) = 2023;
`,
  ],
  invalid: [
    {
      sql: `
CREATE MATERIALIZED VIEW analytics.hourly_users
ENGINE = AggregatingMergeTree
ORDER BY hour
AS SELECT toStartOfHour(ts) AS hour, uniqState(user_id) AS users
FROM analytics.events
GROUP BY hour;
`,
      errors: [{ messageId: 'implicit', line: 2, column: 26, endColumn: 48 }],
    },
    {
      sql: `
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.errors_by_service ON CLUSTER main
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/analytics/errors_by_service', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (service, day)
AS SELECT service, toDate(ts) AS day, count() AS errors
FROM logs.entries
WHERE level = 'error'
GROUP BY service, day;
`,
      errors: [{ messageId: 'implicit', line: 2, column: 40, endColumn: 67 }],
    },
    {
      // Also with POPULATE (which mv-populate reports on its own).
      sql: `
USE analytics;

CREATE MATERIALIZED VIEW signups_by_country
ENGINE = SummingMergeTree ORDER BY country
POPULATE
AS SELECT country, count() AS signups FROM events WHERE event_type = 'signup' GROUP BY country;
`,
      errors: [{ messageId: 'implicit', line: 4, column: 26, endColumn: 44 }],
    },
    {
      // Each view without TO is reported; the one with TO is not.
      sql: `
CREATE TABLE analytics.sessions_daily (day Date, sessions UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW analytics.sessions_daily_mv TO analytics.sessions_daily AS
SELECT toDate(started_at) AS day, count() AS sessions FROM analytics.sessions GROUP BY day;

CREATE MATERIALIZED VIEW analytics.sessions_by_device ENGINE = SummingMergeTree ORDER BY device AS
SELECT device, count() AS sessions FROM analytics.sessions GROUP BY device;

CREATE OR REPLACE MATERIALIZED VIEW analytics.sessions_by_os ENGINE = SummingMergeTree ORDER BY os AS
SELECT os, count() AS sessions FROM analytics.sessions GROUP BY os;
`,
      errors: [
        { messageId: 'implicit', line: 7, column: 26, endColumn: 54 },
        { messageId: 'implicit', line: 10, column: 37, endColumn: 61 },
      ],
    },
  ],
});

describe('mv-implicit-inner-table on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-inner-'));
  const session = new Session(dataDir);
  const tables = () => session.query("SELECT name FROM system.tables WHERE database = 'inner_demo' ORDER BY name", 'TSVRaw');
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('DROP VIEW drops the hidden inner table and every row in it', () => {
    session.query('CREATE DATABASE inner_demo ENGINE = Atomic');
    session.query('CREATE TABLE inner_demo.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts');
    session.query(
      'CREATE MATERIALIZED VIEW inner_demo.hourly ENGINE = MergeTree ORDER BY hour AS SELECT toStartOfHour(ts) AS hour, user_id FROM inner_demo.events',
    );
    session.query("INSERT INTO inner_demo.events VALUES ('2024-05-01 10:00:00', 1), ('2024-05-01 11:00:00', 2)");
    expect(session.query('SELECT count() FROM inner_demo.hourly', 'TSVRaw')).toBe('2\n');
    expect(tables()).toMatch(/^\.inner_id\.[0-9a-f-]{36}\nevents\nhourly\n$/);

    session.query('DROP VIEW inner_demo.hourly');
    expect(tables()).toBe('events\n');
  });

  it('CREATE OR REPLACE empties it, and MODIFY QUERY refuses a new column (code 16)', () => {
    session.query(
      'CREATE MATERIALIZED VIEW inner_demo.hourly ENGINE = MergeTree ORDER BY hour AS SELECT toStartOfHour(ts) AS hour, user_id FROM inner_demo.events',
    );
    session.query("INSERT INTO inner_demo.events VALUES ('2024-05-01 12:00:00', 3)");
    expect(session.query('SELECT count() FROM inner_demo.hourly', 'TSVRaw')).toBe('1\n');
    expect(() => session.query('ALTER TABLE inner_demo.hourly MODIFY QUERY SELECT toStartOfHour(ts) AS hour, user_id, ts FROM inner_demo.events')).toThrow(
      /Code: 16/,
    );

    session.query(
      'CREATE OR REPLACE MATERIALIZED VIEW inner_demo.hourly ENGINE = MergeTree ORDER BY hour AS SELECT toStartOfHour(ts) AS hour, user_id FROM inner_demo.events',
    );
    expect(session.query('SELECT count() FROM inner_demo.hourly', 'TSVRaw')).toBe('0\n');
  });
});
