import rule from './replicated-path-renamed.js';
import { ruleTester } from './ruleTester.js';

// ZooKeeper is not available in chDB: that the path keeps the old name is demonstrated on a
// real cluster in test/cluster-rules.test.ts.

const ENGINE = `ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')`;

ruleTester(rule, {
  valid: [
    // A path without the name macros does not name the table at all.
    `CREATE TABLE events (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events_v1', '{replica}') ORDER BY ts;
RENAME TABLE events TO events_old;`,
    // The default path is per UUID.
    `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
RENAME TABLE events TO events_old ON CLUSTER main;`,
    // Moving to another database keeps `{table}` right.
    `CREATE DATABASE raw;
CREATE DATABASE archive;
CREATE TABLE raw.events (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{table}', '{replica}') ORDER BY ts;
RENAME TABLE raw.events TO archive.events;`,
    // A non-replicated table has no path.
    `CREATE TABLE events (ts DateTime) ENGINE = MergeTree ORDER BY ts;
RENAME TABLE events TO events_old;`,
  ],
  invalid: [
    {
      sql: `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
RENAME TABLE events TO events_old;`,
      errors: [{ messageId: 'renamed', line: 2, column: 14, endColumn: 20 }],
    },
    {
      // The rebuild swap: both tables keep their paths and swap names.
      sql: `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;
CREATE TABLE events_new (ts DateTime, user_id UInt64) ${ENGINE} ORDER BY ts;
EXCHANGE TABLES events AND events_new;`,
      errors: [
        { messageId: 'renamed', line: 3, column: 17, endColumn: 23 },
        { messageId: 'renamed', line: 3, column: 28, endColumn: 38 },
      ],
    },
    {
      sql: `CREATE DATABASE raw;
CREATE TABLE raw.events (ts DateTime) ${ENGINE} ORDER BY ts;
CREATE TABLE raw.sessions (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/sessions', '{replica}') ORDER BY ts;
RENAME DATABASE raw TO raw_old;`,
      errors: [{ messageId: 'renamed', line: 4, column: 17, endColumn: 20 }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'shows the path the table keeps',
      sql: `CREATE TABLE events (ts DateTime) ${ENGINE} ORDER BY ts;\nRENAME TABLE events TO events_old;`,
      errors: [
        {
          messageId: 'renamed',
          line: 2,
          column: 14,
          message:
            '`default.events` is renamed to `default.events_old` but keeps its ZooKeeper path `/clickhouse/tables/{shard}/default/events`, expanded when it was created: a later table whose path expands to the same value fails with REPLICA_ALREADY_EXISTS (code 253).',
          help: 'Give a table created under the old name a path of its own (e.g. `.../{table}_v2`); suppress when the old name is never used again.',
        },
      ],
    },
  ],
});
