import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-recreate-loses-inserts.js';
import { ruleTester } from './ruleTester.js';

const SCHEMA = `CREATE TABLE events (ts DateTime, kind String, amount Float64) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE totals (kind String, total Float64) ENGINE = SummingMergeTree ORDER BY kind;
CREATE MATERIALIZED VIEW totals_mv TO totals AS SELECT kind, amount AS total FROM events;`;

ruleTester(rule, {
  valid: [
    // The query changes in place: the view never stops receiving blocks.
    `${SCHEMA}
ALTER TABLE totals_mv MODIFY QUERY SELECT kind, amount * 100 AS total FROM events;`,
    // A first deploy that guards against a leftover view: nothing existed to lose.
    `CREATE TABLE events (ts DateTime, kind String, amount Float64) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE totals (kind String, total Float64) ENGINE = SummingMergeTree ORDER BY kind;
DROP VIEW IF EXISTS totals_mv;
CREATE MATERIALIZED VIEW totals_mv TO totals AS SELECT kind, amount AS total FROM events;`,
    // A refreshable view is not fired by inserts: replacing it loses nothing.
    `CREATE TABLE events (ts DateTime, kind String, amount Float64) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW hourly REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;
CREATE OR REPLACE MATERIALIZED VIEW hourly REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;`,
    // Dropped for good, never recreated: destructive-statement's business, not a window.
    `${SCHEMA}
DROP VIEW totals_mv;`,
    // A Kafka consumer view recreated to add a column (found on the lint-precision corpus, issue 19):
    // with no view the Kafka table stops consuming, and the group's offsets let the new view resume.
    `CREATE TABLE events (ts DateTime, kind String) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE kafka_events (ts DateTime, kind String) ENGINE = Kafka('kafka:9092', 'events', 'ch', 'JSONEachRow');
CREATE MATERIALIZED VIEW events_mv TO events AS SELECT ts, kind FROM kafka_events;
DROP TABLE events_mv;
DROP TABLE kafka_events;
ALTER TABLE events ADD COLUMN person_id UUID;
CREATE TABLE kafka_events (ts DateTime, kind String, person_id UUID) ENGINE = Kafka('kafka:9092', 'events', 'ch', 'JSONEachRow');
CREATE MATERIALIZED VIEW events_mv TO events AS SELECT ts, kind, person_id FROM kafka_events;
CREATE OR REPLACE MATERIALIZED VIEW events_mv TO events AS SELECT ts, lower(kind) AS kind, person_id FROM kafka_events;`,
  ],
  invalid: [
    {
      sql: `${SCHEMA}
DROP VIEW totals_mv;
CREATE MATERIALIZED VIEW totals_mv TO totals AS SELECT kind, amount * 100 AS total FROM events;`,
      errors: [{ messageId: 'dropRecreate', line: 4, column: 11, endColumn: 20 }],
    },
    {
      sql: `${SCHEMA}
CREATE OR REPLACE MATERIALIZED VIEW totals_mv TO totals AS
SELECT kind, amount * 100 AS total FROM events;`,
      errors: [{ messageId: 'replace', line: 4, column: 37, endColumn: 46 }],
    },
    {
      // DROP TABLE drops views too; the CREATE may come in a later statement of the file.
      sql: `CREATE DATABASE shop;
CREATE TABLE shop.orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id;
CREATE MATERIALIZED VIEW shop.order_count ENGINE = SummingMergeTree ORDER BY n AS SELECT count() AS n FROM shop.orders;
DROP TABLE shop.order_count SYNC;
INSERT INTO shop.orders VALUES (1, 2.5);
CREATE MATERIALIZED VIEW shop.order_count ENGINE = SummingMergeTree ORDER BY n AS SELECT count() AS n FROM shop.orders;
CREATE OR REPLACE MATERIALIZED VIEW shop.order_count ENGINE = SummingMergeTree ORDER BY n AS SELECT count() AS n FROM shop.orders;`,
      errors: [
        { messageId: 'dropRecreate', line: 4, column: 12, endColumn: 28 },
        { messageId: 'replaceInner', line: 7, column: 37, endColumn: 53 },
      ],
    },
  ],
});

describe('what ClickHouse does when a materialized view is recreated', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-mv-recreate-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('misses rows inserted between DROP and CREATE', () => {
    run('CREATE DATABASE gap');
    run('CREATE TABLE gap.events (kind String, amount Float64) ENGINE = MergeTree ORDER BY kind');
    run('CREATE TABLE gap.totals (kind String, total Float64) ENGINE = MergeTree ORDER BY kind');
    const view = 'CREATE MATERIALIZED VIEW gap.totals_mv TO gap.totals AS SELECT kind, amount AS total FROM gap.events';
    run(view);
    run("INSERT INTO gap.events VALUES ('before', 1)");
    run('DROP VIEW gap.totals_mv');
    run("INSERT INTO gap.events VALUES ('in the window', 1)");
    run(view);
    run("INSERT INTO gap.events VALUES ('after', 1)");
    expect(run('SELECT count() FROM gap.events')).toBe('3');
    expect(run('SELECT kind FROM gap.totals ORDER BY kind')).toBe('after\nbefore');
  });

  it('deletes the rows of a view without TO on CREATE OR REPLACE, and keeps the view in place on MODIFY QUERY', () => {
    run('CREATE DATABASE inner_table');
    run('CREATE TABLE inner_table.orders (id UInt64) ENGINE = MergeTree ORDER BY id');
    run('CREATE MATERIALIZED VIEW inner_table.ids ENGINE = MergeTree ORDER BY id AS SELECT id FROM inner_table.orders');
    run('INSERT INTO inner_table.orders VALUES (1), (2)');
    expect(run('SELECT count() FROM inner_table.ids')).toBe('2');
    run('CREATE OR REPLACE MATERIALIZED VIEW inner_table.ids ENGINE = MergeTree ORDER BY id AS SELECT id * 10 AS id FROM inner_table.orders');
    expect(run('SELECT count() FROM inner_table.ids')).toBe('0');

    run('CREATE TABLE inner_table.copy (id UInt64) ENGINE = MergeTree ORDER BY id');
    run('CREATE MATERIALIZED VIEW inner_table.copy_mv TO inner_table.copy AS SELECT id FROM inner_table.orders');
    run('INSERT INTO inner_table.orders VALUES (3)');
    run('ALTER TABLE inner_table.copy_mv MODIFY QUERY SELECT id * 10 AS id FROM inner_table.orders');
    run('INSERT INTO inner_table.orders VALUES (4)');
    expect(run('SELECT id FROM inner_table.copy ORDER BY id')).toBe('3\n40');
  });
});
