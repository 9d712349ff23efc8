import rule from './replica-name-without-macro.js';
import { ruleTester } from './ruleTester.js';

// Replicated tables need ZooKeeper, and ON CLUSTER a cluster, neither of which chDB has: the
// REPLICA_ALREADY_EXISTS case is demonstrated on a real cluster in test/cluster-rules.test.ts.

const LITERAL = `CREATE TABLE events (ts DateTime, user_id UInt64)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', 'replica_1')
ORDER BY ts;`;

ruleTester(rule, {
  valid: [
    // Without a cluster, the CREATE runs on one server: a literal replica name is harmless.
    LITERAL,
    `CREATE TABLE events ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ts;`,
    // Any macro (here a custom one) can make the name differ from server to server.
    `CREATE TABLE events ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{host}-1')
ORDER BY ts;`,
    // A Replicated database names the replicas of its tables itself.
    `CREATE DATABASE app ON CLUSTER main ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');
CREATE TABLE app.events ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', 'replica_1')
ORDER BY ts;`,
  ],
  invalid: [
    {
      sql: `CREATE TABLE events ON CLUSTER main (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', 'replica_1')
ORDER BY ts;`,
      errors: [{ messageId: 'literal', line: 2, column: 79, endColumn: 90 }],
    },
    {
      sql: `CREATE TABLE raw.events ON CLUSTER 'analytics' (ts DateTime, version UInt32)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/events', 'clickhouse-01', version)
ORDER BY ts;`,
      errors: [{ messageId: 'literal', line: 2, column: 68, endColumn: 83 }],
    },
    {
      // A materialized view's inner table too.
      sql: `CREATE TABLE events ON CLUSTER main (ts DateTime, user_id UInt64)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ts;
CREATE MATERIALIZED VIEW users_mv ON CLUSTER main
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/users_mv', 'r1')
ORDER BY user_id
AS SELECT user_id, countState() AS n FROM events GROUP BY user_id;`,
      errors: [{ messageId: 'literal', line: 5, column: 80, endColumn: 84 }],
    },
  ],
});

ruleTester(rule, {
  valid: [{ name: 'still accepts a macro with a configured cluster', sql: LITERAL.replace("'replica_1'", "'{replica}'"), project: { cluster: 'main' } }],
  invalid: [
    {
      name: 'reports a CREATE without ON CLUSTER with a configured cluster, saying where it runs',
      sql: LITERAL,
      project: { cluster: 'main' },
      errors: [
        {
          messageId: 'literal',
          line: 2,
          column: 79,
          endColumn: 90,
          message:
            '`default.events` names its replica `replica_1` on every server of the configured cluster `main`: the servers of a shard share the path `/clickhouse/tables/{shard}/{database}/{table}`, so on a shard with more than one replica the CREATE fails with REPLICA_ALREADY_EXISTS (code 253) on all but the first.',
          help: 'Use the `{replica}` macro as the replica name: each server expands it from its own `<macros>` configuration.',
        },
      ],
    },
  ],
});
