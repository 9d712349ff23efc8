import rule from './on-cluster-in-replicated-database.js';
import { ruleTester } from './ruleTester.js';

// A Replicated database needs ZooKeeper, which chDB does not have: the refusal (code 80) is
// not demonstrated: ClickHouse 18.16, the only server here with ZooKeeper, has no Replicated database engine.

const APP = `CREATE DATABASE app ON CLUSTER main ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');`;

ruleTester(rule, {
  valid: [
    // Creating the Replicated database itself on every server is what ON CLUSTER is for.
    `${APP}
CREATE TABLE app.events (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
ALTER TABLE app.events ADD COLUMN country String;`,
    // An Atomic database needs ON CLUSTER.
    `CREATE DATABASE analytics ON CLUSTER main;
CREATE TABLE analytics.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
    // The database's own name is its implicit cluster: ClickHouse accepts it.
    `${APP}
CREATE TABLE app.events ON CLUSTER app (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
    // The setting makes ClickHouse ignore the clause.
    `${APP}
SET ignore_on_cluster_for_replicated_database = 1;
CREATE TABLE app.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
  ],
  invalid: [
    {
      // The fix removes ON CLUSTER with the space before it.
      sql: `CREATE DATABASE r ENGINE = Replicated('/clickhouse/r', '{shard}', '{replica}');
CREATE TABLE r.t ON CLUSTER main (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a;`,
      errors: [
        {
          messageId: 'refused',
          line: 2,
          column: 29,
          endColumn: 33,
          data: { cluster: 'main', object: 'r.t', db: 'r' },
          fixes: [
            {
              title: 'Remove ON CLUSTER: the Replicated database sends the DDL to every replica',
              output: `CREATE DATABASE r ENGINE = Replicated('/clickhouse/r', '{shard}', '{replica}');
CREATE TABLE r.t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a;`,
            },
          ],
        },
      ],
    },
    {
      sql: `${APP}
CREATE TABLE app.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
      errors: [{ messageId: 'refused', line: 2, column: 36, endColumn: 40 }],
    },
    {
      // Unqualified names after USE, and the cluster as a macro.
      sql: `${APP}
USE app;
ALTER TABLE events ON CLUSTER '{cluster}' ADD COLUMN country String;
DROP TABLE events_old ON CLUSTER '{cluster}' SYNC;`,
      errors: [
        { messageId: 'refused', line: 3, column: 31, endColumn: 42 },
        { messageId: 'refused', line: 4, column: 34, endColumn: 45 },
      ],
    },
    {
      sql: `${APP}
CREATE TABLE app.events (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW app.daily_mv ON CLUSTER main ENGINE = ReplicatedSummingMergeTree ORDER BY day
AS SELECT toDate(ts) AS day, count() AS n FROM app.events GROUP BY day;
RENAME TABLE app.events TO app.events_old ON CLUSTER main;`,
      errors: [
        { messageId: 'refused', line: 3, column: 50, endColumn: 54 },
        { messageId: 'refused', line: 5, column: 54, endColumn: 58 },
      ],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'quotes the refusal',
      sql: `${APP}\nCREATE TABLE app.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
      errors: [
        {
          messageId: 'refused',
          line: 2,
          column: 36,
          message:
            'ON CLUSTER `main` on `app.events`, which is in the Replicated database `app`: the database already runs its DDL on every replica, and ClickHouse refuses the statement (code 80: ON CLUSTER is not allowed for Replicated database).',
          help: 'Remove ON CLUSTER: the Replicated database sends the statement to every replica.',
        },
      ],
    },
  ],
});
