import rule from './replicated-path-without-shard.js';
import { ruleTester } from './ruleTester.js';

// Shards and ZooKeeper are not available in chDB: both shards meeting on one path (their replicas
// collide, code 253, on a cluster whose replica names repeat per shard) is shown in test/cluster-rules.test.ts.

const DISTRIBUTED = `CREATE TABLE events ON CLUSTER main AS events_local
ENGINE = Distributed(main, currentDatabase(), events_local, rand());`;

ruleTester(rule, {
  valid: [
    `CREATE TABLE events_local ON CLUSTER main (ts DateTime, user_id UInt64)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ts;
${DISTRIBUTED}`,
    // No Distributed table: nothing says the cluster has more than one shard.
    `CREATE TABLE events ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')
ORDER BY ts;`,
    // The default path is /clickhouse/tables/{uuid}/{shard}.
    `CREATE TABLE events_local ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
${DISTRIBUTED}`,
    // A custom shard macro.
    `CREATE TABLE events_local ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/{layer}-{shard_name}/{database}/{table}', '{replica}')
ORDER BY ts;
${DISTRIBUTED}`,
  ],
  invalid: [
    {
      sql: `CREATE TABLE events_local ON CLUSTER main (ts DateTime, user_id UInt64)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')
ORDER BY ts;
${DISTRIBUTED}`,
      errors: [{ messageId: 'noShard', line: 2, column: 30, endColumn: 69 }],
    },
    {
      // The Distributed table in another database, named with a string.
      sql: `CREATE DATABASE raw ON CLUSTER main;
CREATE DATABASE api ON CLUSTER main;
CREATE TABLE raw.events ON CLUSTER main (ts DateTime, version UInt32)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/raw_events', '{replica}', version)
ORDER BY ts;
CREATE TABLE api.events ON CLUSTER main (ts DateTime, version UInt32)
ENGINE = Distributed('main', 'raw', 'events');`,
      errors: [{ messageId: 'noShard', line: 4, column: 39, endColumn: 70 }],
    },
    {
      // Two Distributed tables over the table: one finding.
      sql: `CREATE TABLE events_local ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/events', '{replica}')
ORDER BY ts;
${DISTRIBUTED}
CREATE TABLE events_by_user ON CLUSTER main AS events_local
ENGINE = Distributed(main, currentDatabase(), events_local, cityHash64(ts));`,
      errors: [{ messageId: 'noShard', line: 2, column: 30, endColumn: 57 }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'names the Distributed table',
      sql: `CREATE TABLE events_local (ts DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{table}', '{replica}') ORDER BY ts;\n${DISTRIBUTED}`,
      errors: [
        {
          messageId: 'noShard',
          line: 1,
          column: 70,
          message:
            '`default.events_local` is sharded by the Distributed table `default.events`, but its ZooKeeper path `/clickhouse/tables/{table}` has no `{shard}` macro: on a cluster with several shards all their servers become replicas of one table, so each shard holds every row and `default.events` returns each row once per shard.',
          help: 'Put `{shard}` in the path (e.g. `/clickhouse/tables/{shard}/{database}/{table}`); for a table that already exists this means a rebuild.',
        },
      ],
    },
  ],
});
