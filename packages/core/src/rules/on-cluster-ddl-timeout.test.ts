import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './on-cluster-ddl-timeout.js';
import { ruleTester } from './ruleTester.js';

const TABLES = `CREATE TABLE analytics.events ON CLUSTER main
(
    ts DateTime,
    user_id UInt64,
    country String,
    payload String
)
ENGINE = ReplicatedMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts);
`;

ruleTester(rule, {
  valid: [
    // Schema changes that touch no data answer at once.
    `${TABLES}
ALTER TABLE analytics.events ON CLUSTER main ADD COLUMN IF NOT EXISTS device LowCardinality(String);
ALTER TABLE analytics.events ON CLUSTER main ADD INDEX idx_country country TYPE set(100) GRANULARITY 4;
ALTER TABLE analytics.events ON CLUSTER main COMMENT COLUMN country 'ISO code';
CREATE MATERIALIZED VIEW analytics.daily_mv ON CLUSTER main TO analytics.daily AS
SELECT toDate(ts) AS day, count() AS events FROM analytics.events GROUP BY day;
OPTIMIZE TABLE analytics.events ON CLUSTER main PARTITION 202401;
CREATE TABLE analytics.events_all ON CLUSTER main (ts DateTime, user_id UInt64, country String, payload String)
ENGINE = Distributed(main, analytics, events, rand());
-- A Distributed table holds no parts: its MODIFY COLUMN changes metadata only.
ALTER TABLE analytics.events_all ON CLUSTER main MODIFY COLUMN payload LowCardinality(String);
`,
    // Without ON CLUSTER (and no cluster configured) only the server the migration connects to works, and it answers when done.
    `
CREATE TABLE analytics.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
OPTIMIZE TABLE analytics.events FINAL;
ALTER TABLE analytics.events DELETE WHERE user_id = 0;
`,
    // Each server answers once the mutation is queued, or the wait is set for the statement or the file.
    `${TABLES}
ALTER TABLE analytics.events ON CLUSTER main DELETE WHERE user_id = 0 SETTINGS mutations_sync = 0;
ALTER TABLE analytics.events ON CLUSTER main MATERIALIZE INDEX idx_country SETTINGS distributed_ddl_task_timeout = 3600;
ALTER TABLE analytics.events ON CLUSTER main MODIFY TTL ts + INTERVAL 90 DAY SETTINGS materialize_ttl_after_modify = 0;
`,
    `${TABLES}
SET distributed_ddl_task_timeout = 7200;
OPTIMIZE TABLE analytics.events ON CLUSTER main FINAL;
CREATE TABLE analytics.events_2023 ON CLUSTER main ENGINE = ReplicatedMergeTree ORDER BY ts
AS SELECT * FROM analytics.events WHERE toYear(ts) = 2023;
`,
    `${TABLES}
SET distributed_ddl_output_mode = 'null_status_on_timeout';
ALTER TABLE analytics.events ON CLUSTER main UPDATE payload = '' WHERE ts < '2023-01-01';
`,
    `${TABLES}
SET lightweight_deletes_sync = 0;
DELETE FROM analytics.events ON CLUSTER main WHERE user_id = 0;
CREATE TABLE analytics.events_empty ON CLUSTER main ENGINE = ReplicatedMergeTree ORDER BY ts EMPTY AS SELECT * FROM analytics.events;
`,
  ],
  invalid: [
    {
      sql: `${TABLES}
OPTIMIZE TABLE analytics.events ON CLUSTER main FINAL;
ALTER TABLE analytics.events ON CLUSTER main DELETE WHERE user_id = 0;
ALTER TABLE analytics.events ON CLUSTER main MATERIALIZE INDEX idx_country, MATERIALIZE COLUMN country;
DELETE FROM analytics.events ON CLUSTER main WHERE country = '';
`,
      errors: [
        { messageId: 'optimize', line: 12, column: 16, endColumn: 32 },
        { messageId: 'mutation', line: 13, column: 46, endColumn: 70 },
        { messageId: 'mutation', line: 14, column: 46, endColumn: 75 },
        { messageId: 'mutation', line: 14, column: 77, endColumn: 103 },
        { messageId: 'lightweightDelete', line: 15, column: 13, endColumn: 29 },
      ],
    },
    {
      // MODIFY COLUMN to a type stored differently and MODIFY TTL wait for their rewrite whatever mutations_sync says.
      sql: `${TABLES}
ALTER TABLE analytics.events ON CLUSTER main MODIFY COLUMN user_id String SETTINGS mutations_sync = 0;
ALTER TABLE analytics.events ON CLUSTER main MODIFY TTL ts + INTERVAL 90 DAY;
`,
      errors: [
        { messageId: 'rewrite', line: 12, column: 46, endColumn: 74 },
        { messageId: 'ttl', line: 13, column: 46, endColumn: 77 },
      ],
    },
    {
      // The copy runs inside the statement on every server; a SET in another file does not count.
      sql: `${TABLES}
CREATE TABLE analytics.events_2023 ON CLUSTER main ENGINE = ReplicatedMergeTree ORDER BY ts
AS SELECT * FROM analytics.events WHERE toYear(ts) = 2023;
CREATE MATERIALIZED VIEW analytics.users_mv ON CLUSTER '{cluster}' ENGINE = ReplicatedAggregatingMergeTree ORDER BY day POPULATE AS
SELECT toDate(ts) AS day, uniqState(user_id) AS users FROM analytics.events GROUP BY day;
`,
      errors: [
        { messageId: 'copy', line: 12, column: 14, endColumn: 35 },
        { messageId: 'copy', line: 14, column: 26, endColumn: 44 },
      ],
    },
  ],
});

const REPLICATED_DATABASE = `CREATE DATABASE app ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');
CREATE TABLE app.events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree ORDER BY ts;
OPTIMIZE TABLE app.events FINAL;
CREATE TABLE analytics.events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree ORDER BY ts;
OPTIMIZE TABLE analytics.events FINAL;`;

ruleTester(rule, {
  valid: [{ name: 'judges nothing without ON CLUSTER or a configured cluster', sql: REPLICATED_DATABASE }],
  invalid: [
    {
      name: 'says what waits, for how long, and what the deploy sees',
      files: [{ file: 'V7__backfill.sql', text: `${TABLES}ALTER TABLE analytics.events ON CLUSTER main DELETE WHERE user_id = 0;\n` }],
      errors: [
        {
          messageId: 'mutation',
          line: 11,
          column: 46,
          message:
            'ALTER ... DELETE ON CLUSTER `main` rewrites the parts of `analytics.events` (a mutation, waited for while mutations_sync is not 0) before each server answers, but the server that runs the migration waits for them only distributed_ddl_task_timeout (180 s by default): past that the statement fails with TIMEOUT_EXCEEDED (code 159) while the servers go on working, and the deploy stops on a change that is still being made.',
          help: 'Add `SETTINGS mutations_sync = 0` so that each server answers once the mutation is queued (then watch system.mutations), or put `SET distributed_ddl_task_timeout = <seconds>` before it in the file, longer than the work takes on the largest server.',
        },
      ],
    },
    {
      name: 'judges statements the deploy runs ON CLUSTER when a cluster is configured, except in a Replicated database',
      sql: REPLICATED_DATABASE,
      project: { cluster: 'main' },
      errors: [{ messageId: 'optimize', line: 5, column: 16, endColumn: 32 }],
    },
    {
      name: 'takes alter_sync = 0 as not waiting for OPTIMIZE only on a replicated table',
      sql: `CREATE TABLE analytics.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE TABLE analytics.local ON CLUSTER main (ts DateTime) ENGINE = MergeTree ORDER BY ts;
SET alter_sync = 0;
OPTIMIZE TABLE analytics.events ON CLUSTER main FINAL;
OPTIMIZE TABLE analytics.local ON CLUSTER main FINAL;`,
      errors: [{ messageId: 'optimize', line: 5, column: 16 }],
    },
  ],
});

describe('on-cluster-ddl-timeout on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-ddl-timeout-'));
  const session = new Session(dataDir);
  const run = (sql: string) => session.query(sql, 'TSVRaw');
  /**
   * What a statement answers: `ok`, or its error code. A mutation that fails is reported (code 341,
   * UNFINISHED) only by a statement that waited for it.
   */
  const answer = (sql: string) => {
    try {
      run(sql);
      return 'ok';
    } catch (error) {
      return /Code: (\d+)/.exec((error as Error).message)?.[1] ?? (error as Error).message;
    }
  };
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits 180 s for the servers of an ON CLUSTER statement, throws on timeout, and waits for mutations by default', () => {
    const settings = run(
      "SELECT name, value FROM system.settings WHERE name IN ('distributed_ddl_task_timeout', 'distributed_ddl_output_mode', 'mutations_sync', 'lightweight_deletes_sync', 'materialize_ttl_after_modify') ORDER BY name",
    );
    expect(settings).toBe(
      'distributed_ddl_output_mode\tthrow\ndistributed_ddl_task_timeout\t180\nlightweight_deletes_sync\t2\nmaterialize_ttl_after_modify\t1\nmutations_sync\t1\n',
    );
    // chDB runs no distributed DDL (code 392, "Replicated DDL queries are disabled"): the timeout itself needs a cluster.
    run('CREATE TABLE events (id UInt64, kind String, ts DateTime) ENGINE = MergeTree ORDER BY id');
    expect(answer('OPTIMIZE TABLE events ON CLUSTER main FINAL')).toBe('392');
  });

  it('returns from OPTIMIZE FINAL once the merge is done', () => {
    run('SYSTEM STOP MERGES events');
    for (let i = 0; i < 3; i++) run(`INSERT INTO events SELECT number + ${i * 10}, 'x', now() FROM numbers(10)`);
    run('SYSTEM START MERGES events');
    expect(run("SELECT count() FROM system.parts WHERE table = 'events' AND active")).toBe('3\n');
    run('OPTIMIZE TABLE events FINAL');
    expect(run("SELECT count() FROM system.parts WHERE table = 'events' AND active")).toBe('1\n');
  });

  it('waits for a mutation unless mutations_sync = 0 (a failing mutation fails only a statement that waited)', () => {
    const failing = "ALTER TABLE events UPDATE kind = 'y' WHERE throwIf(id = 5) = 0";
    expect(answer(`${failing} SETTINGS mutations_sync = 0`)).toBe('ok');
    expect(answer(failing)).toBe('341');
    run("KILL MUTATION WHERE table = 'events' SYNC");
    expect(answer('DELETE FROM events WHERE throwIf(id = 5) = 0')).toBe('341');
    run("KILL MUTATION WHERE table = 'events' SYNC");
    expect(answer('DELETE FROM events WHERE throwIf(id = 5) = 0 SETTINGS lightweight_deletes_sync = 0')).toBe('ok');
    run("KILL MUTATION WHERE table = 'events' SYNC");
  });

  it('waits for MODIFY COLUMN and MODIFY TTL rewrites whatever mutations_sync says', () => {
    expect(answer('ALTER TABLE events MODIFY COLUMN kind UInt64 SETTINGS mutations_sync = 0')).toBe('341');
    run("KILL MUTATION WHERE table = 'events' SYNC");
    const ttl = 'ALTER TABLE events MODIFY TTL ts + toIntervalDay(throwIf(id = 5)) SETTINGS mutations_sync = 0';
    expect(answer(ttl)).toBe('341');
    run("KILL MUTATION WHERE table = 'events' SYNC");
    expect(answer(`${ttl}, materialize_ttl_after_modify = 0`)).toBe('ok');
  });

  it('copies the rows of CREATE ... AS SELECT inside the statement', () => {
    expect(answer('CREATE TABLE copied ENGINE = MergeTree ORDER BY id AS SELECT id FROM events WHERE throwIf(id = 5) = 0')).toBe('395');
    run('CREATE TABLE copied ENGINE = MergeTree ORDER BY id AS SELECT id FROM events');
    expect(run('SELECT count() FROM copied')).toBe('30\n');
  });
});
