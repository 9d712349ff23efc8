import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './destructive-statement.js';
import { ruleTester } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // A temporary table lives only in the session that created it.
    `
CREATE TEMPORARY TABLE staging_events
(
    event_id UUID,
    ts DateTime64(3, 'UTC')
)
ENGINE = Memory;

INSERT INTO staging_events SELECT event_id, ts FROM analytics.events WHERE ts > now() - INTERVAL 1 HOUR;

DROP TEMPORARY TABLE IF EXISTS staging_events;
`,
    // Functions and access entities hold no data.
    `
CREATE FUNCTION normalize_country AS (c) -> upper(trim(c));
CREATE USER IF NOT EXISTS etl_loader IDENTIFIED WITH sha256_password BY {loader_password:String};
CREATE ROLE IF NOT EXISTS readonly_analyst;

DROP FUNCTION IF EXISTS normalize_country;
DROP USER IF EXISTS etl_loader;
DROP ROLE IF EXISTS readonly_analyst;
DROP SETTINGS PROFILE IF EXISTS legacy_profile;
`,
    // DETACH keeps the data on disk; ATTACH brings it back.
    `
DETACH TABLE analytics.events_2023;
DETACH VIEW analytics.daily_events_mv;
ALTER TABLE analytics.events DETACH PARTITION 202301;
ALTER TABLE analytics.events FREEZE PARTITION 202302;
`,
    // Regression: a plain view, an MV with TO and a dictionary store no rows of their own.
    `
CREATE DATABASE IF NOT EXISTS analytics;

CREATE TABLE analytics.events
(
    ts DateTime,
    user_id UInt64,
    country LowCardinality(String)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/analytics/events', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts);

CREATE TABLE analytics.daily_users (day Date, users UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE VIEW analytics.recent_events AS SELECT * FROM analytics.events WHERE ts > now() - INTERVAL 1 DAY;

CREATE MATERIALIZED VIEW analytics.daily_users_mv TO analytics.daily_users AS
SELECT toDate(ts) AS day, count() AS users FROM analytics.events GROUP BY day;

CREATE DICTIONARY analytics.country_names (code String, name String)
PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'analytics' TABLE 'countries'))
LAYOUT(COMPLEX_KEY_HASHED())
LIFETIME(3600);

DROP VIEW analytics.recent_events;
DROP VIEW IF EXISTS analytics.daily_users_mv;
DROP DICTIONARY analytics.country_names;
`,
    // Tables whose rows live elsewhere (Null, Distributed) and unqualified names under USE.
    `
USE analytics;

CREATE TABLE events_sink (ts DateTime, user_id UInt64) ENGINE = Null;
CREATE TABLE events_all AS analytics.events ENGINE = Distributed(main, analytics, events, rand());
CREATE VIEW events_today AS SELECT * FROM events_all WHERE toDate(ts) = today();

DROP TABLE events_sink;
DROP TABLE analytics.events_all;
DROP VIEW events_today;
`,
    // Renaming and exchanging keep every row.
    `
RENAME TABLE analytics.events TO analytics.events_old;
EXCHANGE TABLES analytics.events_new AND analytics.events_old;
`,
    // A migration that drops and re-creates tables that store no rows: a queue and a Distributed table.
    `
DROP TABLE IF EXISTS events_queue;
CREATE TABLE events_queue (id UInt64) ENGINE = Kafka
SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'events', kafka_group_name = 'g', kafka_format = 'JSONEachRow';
DROP TABLE IF EXISTS events;
CREATE TABLE events (id UInt64) ENGINE = Distributed(main, default, events_local, rand());
`,
    // A guard against a view that may not exist: the migrations never made it (issue 19).
    `
DROP VIEW IF EXISTS analytics.events_by_day;
`,
  ],
  invalid: [
    {
      // A view the migrations made with an inner table, then dropped twice: the second finds nothing to drop.
      sql: `
CREATE MATERIALIZED VIEW analytics.by_day ENGINE = SummingMergeTree ORDER BY day AS SELECT toDate(ts) AS day, count() AS n FROM analytics.events GROUP BY day;
DROP VIEW IF EXISTS analytics.by_day;
DROP VIEW IF EXISTS analytics.by_day;
`,
      errors: [{ messageId: 'drop', line: 3, column: 21, endColumn: 37 }],
    },
    {
      // Re-created with rows of its own: running the migration again deletes them.
      sql: `
DROP TABLE IF EXISTS events_local;
CREATE TABLE events_local (id UInt64) ENGINE = MergeTree ORDER BY id;
`,
      errors: [{ messageId: 'drop', line: 2, column: 22, endColumn: 34 }],
    },
    {
      sql: `
DROP TABLE IF EXISTS analytics.events_2022 SYNC;
`,
      errors: [{ messageId: 'drop', line: 2, column: 22, endColumn: 43 }],
    },
    {
      // Each name of a multi-table DROP is its own finding.
      sql: `
DROP TABLE analytics.events_2021, analytics.events_2022;
DROP DATABASE IF EXISTS staging;
`,
      errors: [
        { messageId: 'drop', line: 2, column: 12, endColumn: 33 },
        { messageId: 'drop', line: 2, column: 35, endColumn: 56 },
        { messageId: 'drop', line: 3, column: 25, endColumn: 32 },
      ],
    },
    {
      sql: `
TRUNCATE TABLE analytics.events_buffer;

ALTER TABLE analytics.events
    DROP COLUMN legacy_session_id,
    DROP PARTITION 202201;

ALTER TABLE analytics.events DROP PART 'all_1_1_0';
`,
      errors: [
        { messageId: 'truncate', line: 2, column: 1, endColumn: 39 },
        { messageId: 'dropColumn', line: 5, column: 5, endColumn: 34 },
        { messageId: 'dropPartition', line: 6, column: 5, endColumn: 26 },
        { messageId: 'dropPartition', line: 8, column: 30, endColumn: 51 },
      ],
    },
    {
      // An MV without TO keeps its rows in an inner table that DROP VIEW deletes.
      sql: `
CREATE TABLE analytics.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY (user_id, ts);

CREATE MATERIALIZED VIEW analytics.hourly_users
ENGINE = AggregatingMergeTree ORDER BY hour
AS SELECT toStartOfHour(ts) AS hour, uniqState(user_id) AS users FROM analytics.events GROUP BY hour;

DROP VIEW analytics.hourly_users;
`,
      errors: [{ messageId: 'drop', line: 8, column: 11, endColumn: 33 }],
    },
    {
      // A table the migrations created and filled is data too; DROP TABLE also drops views.
      sql: `
USE analytics;

CREATE TABLE sessions
(
    session_id String,
    started_at DateTime
)
ENGINE = ReplacingMergeTree
ORDER BY session_id;

CREATE MATERIALIZED VIEW sessions_by_day ENGINE = SummingMergeTree ORDER BY day
AS SELECT toDate(started_at) AS day, count() AS sessions FROM sessions GROUP BY day;

DROP TABLE sessions_by_day;
DROP TABLE sessions;
`,
      errors: [
        { messageId: 'drop', line: 15, column: 12, endColumn: 27 },
        { messageId: 'drop', line: 16, column: 12, endColumn: 20 },
      ],
    },
  ],
});

describe('destructive-statement on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-destructive-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('DROP TABLE removes the table and its rows; DETACH keeps them for ATTACH', () => {
    session.query('CREATE TABLE kept (id UInt64) ENGINE = MergeTree ORDER BY id');
    session.query('CREATE TABLE dropped (id UInt64) ENGINE = MergeTree ORDER BY id');
    session.query('INSERT INTO kept SELECT number FROM numbers(100)');
    session.query('INSERT INTO dropped SELECT number FROM numbers(100)');

    session.query('DETACH TABLE kept');
    session.query('DROP TABLE dropped');
    expect(session.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('kept', 'dropped')", 'TSVRaw')).toBe('');

    session.query('ATTACH TABLE kept');
    expect(session.query('SELECT count() FROM kept', 'TSVRaw')).toBe('100\n');
    expect(() => session.query('ATTACH TABLE dropped')).toThrow(/dropped/);
  });

  it('in an Atomic database UNDROP restores a dropped table for 480 s by default, and never after DROP ... SYNC', () => {
    session.query('CREATE DATABASE atomic_demo ENGINE = Atomic');
    session.query('CREATE TABLE atomic_demo.events (id UInt64) ENGINE = MergeTree ORDER BY id');
    session.query('INSERT INTO atomic_demo.events SELECT number FROM numbers(10)');
    expect(session.query("SELECT value FROM system.server_settings WHERE name = 'database_atomic_delay_before_drop_table_sec'", 'TSVRaw')).toBe('480\n');

    session.query('DROP TABLE atomic_demo.events');
    session.query('UNDROP TABLE atomic_demo.events');
    expect(session.query('SELECT count() FROM atomic_demo.events', 'TSVRaw')).toBe('10\n');

    session.query('DROP TABLE atomic_demo.events SYNC');
    expect(() => session.query('UNDROP TABLE atomic_demo.events')).toThrow(/Code: 60\./);
  });

  it('DROP PARTITION deletes the rows; DETACH PARTITION keeps them for ATTACH PARTITION', () => {
    session.query('CREATE TABLE orders (day Date, id UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY id');
    session.query("INSERT INTO orders VALUES ('2024-01-15', 1), ('2024-02-15', 2)");
    session.query('ALTER TABLE orders DROP PARTITION 202401');
    session.query('ALTER TABLE orders DETACH PARTITION 202402');
    expect(session.query('SELECT count() FROM orders', 'TSVRaw')).toBe('0\n');
    session.query('ALTER TABLE orders ATTACH PARTITION 202402');
    expect(session.query('SELECT id FROM orders', 'TSVRaw')).toBe('2\n');
  });
});
