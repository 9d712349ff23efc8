import rule from './replicated-recreate-without-sync.js';
import { ruleTester } from './ruleTester.js';

// Replicated tables need ZooKeeper, which chDB does not have: the REPLICA_ALREADY_EXISTS cases are
// not demonstrated: ClickHouse 18.16, the only server here with ZooKeeper, has no Atomic databases or DROP ... SYNC, so its DROP is synchronous.

const ENGINE = `ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')`;

ruleTester(rule, {
  valid: [
    `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
DROP TABLE events SYNC;
CREATE TABLE events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;`,
    // The setting adds SYNC to every DROP of the session.
    `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
SET database_atomic_wait_for_drop_and_detach_synchronously = 1;
DROP TABLE events;
CREATE TABLE events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;`,
    // A new path for the new table.
    `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
DROP TABLE events;
CREATE TABLE events (ts DateTime, user_id UInt64)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}_v2', '{replica}')
ORDER BY ts;`,
    // Without arguments the path has `{uuid}`, and the new table has a new UUID.
    `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
DROP TABLE events ON CLUSTER main;
CREATE TABLE events ON CLUSTER main (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
    // An Ordinary database drops its tables at once.
    `CREATE DATABASE legacy ENGINE = Ordinary;
CREATE TABLE legacy.events (ts DateTime) ${ENGINE} ORDER BY ts;
DROP TABLE legacy.events;
CREATE TABLE legacy.events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;`,
  ],
  invalid: [
    {
      // The fix adds SYNC to the DROP.
      sql: `CREATE TABLE r (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r', '{replica}') ORDER BY a;
DROP TABLE r;
CREATE TABLE r (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r', '{replica}') ORDER BY a;`,
      errors: [
        {
          messageId: 'recreated',
          line: 2,
          column: 12,
          endColumn: 13,
          fixes: [
            {
              title: 'Add SYNC',
              output: `CREATE TABLE r (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r', '{replica}') ORDER BY a;
DROP TABLE r SYNC;
CREATE TABLE r (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r', '{replica}') ORDER BY a;`,
            },
          ],
        },
      ],
    },
    {
      sql: `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
DROP TABLE events;
CREATE TABLE events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;`,
      errors: [{ messageId: 'recreated', line: 2, column: 12, endColumn: 18 }],
    },
    {
      // The idempotent "drop if exists, create" migration, run after the table was created.
      sql: `CREATE TABLE raw.events (ts DateTime) ${ENGINE} ORDER BY ts;

DROP TABLE IF EXISTS raw.events ON CLUSTER main;
CREATE TABLE raw.events ON CLUSTER main (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;`,
      errors: [{ messageId: 'recreated', line: 3, column: 22, endColumn: 32 }],
    },
    {
      // Dropping the database drops its tables the same delayed way.
      sql: `CREATE DATABASE raw;
CREATE TABLE raw.events (ts DateTime) ${ENGINE} ORDER BY ts;
DROP DATABASE raw;
CREATE DATABASE raw;
CREATE TABLE raw.events (ts DateTime) ${ENGINE} ORDER BY ts;`,
      errors: [{ messageId: 'recreated', line: 3, column: 15, endColumn: 18 }],
    },
    {
      // A materialized view's inner table on a literal path.
      sql: `CREATE TABLE events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;
CREATE MATERIALIZED VIEW users_mv
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/users_mv', '{replica}') ORDER BY user_id
AS SELECT user_id, countState() AS n FROM events GROUP BY user_id;
DROP VIEW users_mv;
CREATE MATERIALIZED VIEW users_mv
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/users_mv', '{replica}') ORDER BY user_id
AS SELECT user_id, uniqState(ts) AS n FROM events GROUP BY user_id;`,
      errors: [{ messageId: 'recreated', line: 5, column: 11, endColumn: 19 }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'names the file of the CREATE',
      files: [
        { file: '001_events.sql', text: `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;\n` },
        { file: '002_drop.sql', text: 'DROP TABLE events;\n' },
        { file: '003_events.sql', text: `CREATE TABLE events (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;\n` },
      ],
      errors: [
        {
          messageId: 'recreated',
          file: '002_drop.sql',
          line: 1,
          column: 12,
          message:
            '`default.events` is dropped without SYNC, and a later CREATE in 003_events.sql registers replica `{replica}` at the same ZooKeeper path `/clickhouse/tables/{shard}/default/events`: ClickHouse removes the old replica only when the drop completes (480 s later by default), so when both run in one deployment the CREATE fails with REPLICA_ALREADY_EXISTS (code 253).',
          help: 'Add SYNC to the DROP (`DROP TABLE ... SYNC`) so the replica is gone before the CREATE runs, or give the new table a path of its own.',
        },
      ],
    },
  ],
});
