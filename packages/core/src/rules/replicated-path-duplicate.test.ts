import rule from './replicated-path-duplicate.js';
import { ruleTester } from './ruleTester.js';

// Replicated tables need ZooKeeper, which chDB does not have: the REPLICA_ALREADY_EXISTS cases are
// demonstrated on a real cluster in test/cluster-rules.test.ts.

const PATH = `'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'`;

ruleTester(rule, {
  valid: [
    // `{database}` and `{table}` make each table's path its own, in every database.
    `CREATE DATABASE raw;
CREATE DATABASE mart;
CREATE TABLE raw.events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
CREATE TABLE raw.sessions (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
CREATE TABLE mart.events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;`,
    // Without arguments the path is the server's default_replica_path, `/clickhouse/tables/{uuid}/{shard}`.
    `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE TABLE events_copy ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
    // DROP ... SYNC removes the replica from ZooKeeper before the CREATE runs.
    `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
DROP TABLE events SYNC;
CREATE TABLE events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;`,
    // CREATE TABLE IF NOT EXISTS of an existing table does nothing (idempotent migrations).
    `CREATE TABLE IF NOT EXISTS events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
CREATE TABLE IF NOT EXISTS events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;`,
    // CREATE OR REPLACE expands `{table}` to its temporary `_tmp_replace_...` name: a path of its own.
    `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
CREATE OR REPLACE TABLE events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;`,
  ],
  invalid: [
    {
      // Renamed aside, the old table keeps the path expanded with its old name.
      sql: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
RENAME TABLE events TO events_old;
CREATE TABLE events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;`,
      errors: [{ messageId: 'duplicate', line: 3, column: 80, endColumn: 127 }],
    },
    {
      // A path copied from another table without `{table}`.
      sql: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', '{replica}') ORDER BY ts;
CREATE TABLE sessions (ts DateTime) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/events', '{replica}') ORDER BY ts;`,
      errors: [{ messageId: 'duplicate', line: 2, column: 75, endColumn: 110 }],
    },
    {
      // AS copies the stored arguments of `events`, already expanded with its name.
      sql: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;
CREATE TABLE events_backup AS events;`,
      errors: [{ messageId: 'duplicate', line: 2, column: 14, endColumn: 27 }],
    },
    {
      sql: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', 'replica_1') ORDER BY ts;
CREATE TABLE events_v2 (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', 'replica_2') ORDER BY ts;`,
      errors: [{ messageId: 'shared', line: 2, column: 67, endColumn: 102 }],
    },
    {
      sql: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', '{replica}') ORDER BY ts;
CREATE OR REPLACE TABLE events (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', '{replica}') ORDER BY ts;`,
      errors: [{ messageId: 'replaced', line: 2, column: 91, endColumn: 126 }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'names the table and the file that hold the path, across files',
      files: [
        { file: '001_events.sql', text: `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;\n` },
        {
          file: '002_rebuild.sql',
          text: `RENAME TABLE events TO events_old;\nCREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree(${PATH}) ORDER BY ts;\n`,
        },
      ],
      errors: [
        {
          messageId: 'duplicate',
          file: '002_rebuild.sql',
          line: 2,
          column: 64,
          message:
            '`default.events` registers replica `{replica}` at the ZooKeeper path `/clickhouse/tables/{shard}/default/events`, where `default.events_old` (created in 001_events.sql) already has it: ClickHouse refuses the CREATE with REPLICA_ALREADY_EXISTS (code 253).',
          help: 'Give each table its own path, e.g. `/clickhouse/tables/{shard}/{database}/{table}`; a renamed table keeps the path of its old name, so pick a new name or path for the new table.',
        },
      ],
    },
  ],
});
