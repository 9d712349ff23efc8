import rule from './on-cluster-missing.js';
import { ruleTester } from './ruleTester.js';

// chDB has no cluster (`ON CLUSTER` fails with CLUSTER_DOESNT_EXIST): that a statement without it
// changes one server only is demonstrated on a real cluster in test/cluster-rules.test.ts.

const LOCAL = `CREATE DATABASE analytics;
CREATE TABLE analytics.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
ALTER TABLE analytics.events ADD COLUMN country String;`;

ruleTester(rule, {
  valid: [
    // No cluster configured and no ON CLUSTER anywhere: a single server.
    LOCAL,
    `CREATE DATABASE analytics ON CLUSTER main;
CREATE TABLE analytics.events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
ALTER TABLE analytics.events ON CLUSTER main ADD COLUMN country String;
RENAME TABLE analytics.events TO analytics.events_old ON CLUSTER main;
DROP TABLE analytics.events_old ON CLUSTER main SYNC;`,
    // A Replicated database sends the DDL of its tables to every replica itself.
    `CREATE DATABASE app ON CLUSTER main ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');
CREATE TABLE app.events (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
ALTER TABLE app.events ADD COLUMN country String;`,
    // Temporary tables, data statements and access control are not schema DDL of a server.
    `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE TEMPORARY TABLE batch (ts DateTime);
INSERT INTO events SELECT * FROM batch;
CREATE USER loader IDENTIFIED WITH sha256_hash BY 'ab';
GRANT INSERT ON events TO loader;`,
  ],
  invalid: [
    {
      // The fix adds the cluster the other statements use, after the last name of a DROP.
      sql: 'CREATE TABLE t ON CLUSTER main (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE t;',
      errors: [
        {
          messageId: 'mixed',
          line: 2,
          column: 12,
          endColumn: 13,
          data: { what: 'DROP TABLE `default.t`', cluster: 'main', file: 'test.sql' },
          fixes: [
            { title: 'Add ON CLUSTER main', output: 'CREATE TABLE t ON CLUSTER main (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE t ON CLUSTER main;' },
          ],
        },
      ],
    },
    {
      // A configured cluster with a name that needs quoting, written as ClickHouse reads it.
      sql: 'CREATE DATABASE db;',
      project: { cluster: 'my-cluster' },
      errors: [
        {
          messageId: 'missing',
          line: 1,
          column: 17,
          endColumn: 19,
          data: { what: 'CREATE DATABASE `db`', cluster: 'my-cluster', file: '' },
          fixes: [{ title: 'Add ON CLUSTER `my-cluster`', output: 'CREATE DATABASE db ON CLUSTER `my-cluster`;' }],
        },
      ],
    },
    {
      // One ALTER forgot ON CLUSTER.
      sql: `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
ALTER TABLE events ADD COLUMN country String;`,
      errors: [{ messageId: 'mixed', line: 2, column: 13, endColumn: 19 }],
    },
    {
      // The database exists on one server only, so the ON CLUSTER CREATE fails on the others.
      sql: `CREATE DATABASE IF NOT EXISTS analytics;
CREATE TABLE analytics.events ON CLUSTER '{cluster}' (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
DROP TABLE analytics.events_old;`,
      errors: [
        { messageId: 'mixed', line: 1, column: 31, endColumn: 40 },
        { messageId: 'mixed', line: 3, column: 12, endColumn: 32 },
      ],
    },
    {
      sql: `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW events_daily_mv TO events_daily AS SELECT toDate(ts) AS day, count() AS n FROM events GROUP BY day;
TRUNCATE TABLE events;
EXCHANGE TABLES events AND events_new;`,
      errors: [
        { messageId: 'mixed', line: 2, column: 26, endColumn: 41 },
        { messageId: 'mixed', line: 3, column: 16, endColumn: 22 },
        { messageId: 'mixed', line: 4, column: 17, endColumn: 23 },
      ],
    },
  ],
});

const LOCAL_POSITIONS = [
  { messageId: 'missing', line: 1, column: 17, endColumn: 26 },
  { messageId: 'missing', line: 2, column: 14, endColumn: 30 },
  { messageId: 'missing', line: 3, column: 13, endColumn: 29 },
];

ruleTester(rule, {
  valid: [
    {
      name: 'accepts statements in a Replicated database with a configured cluster',
      sql: `CREATE DATABASE app ON CLUSTER main ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');
CREATE TABLE app.events (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;`,
      project: { cluster: 'main' },
    },
  ],
  invalid: [
    { name: 'reports every statement without ON CLUSTER with a configured cluster', sql: LOCAL, project: { cluster: 'main' }, errors: LOCAL_POSITIONS },
    {
      name: 'names the configured cluster',
      sql: LOCAL,
      project: { cluster: 'main' },
      errors: [
        {
          ...LOCAL_POSITIONS[0],
          message:
            'CREATE DATABASE `analytics` has no ON CLUSTER, but the migrations are deployed to cluster `main`: ClickHouse runs it only on the server the migration connects to, and the other servers miss the change.',
          help: 'Add `ON CLUSTER main` after the name. (`clickplan apply` adds it when it deploys; the file needs it for every other way it runs. When only ClickPlan deploys this repository, set `on-cluster-missing: off` under `rules:`.)',
        },
        ...LOCAL_POSITIONS.slice(1),
      ],
    },
    {
      name: 'names the first ON CLUSTER statement when mixed',
      files: [
        { file: '001.sql', text: 'CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = ReplicatedMergeTree ORDER BY ts;\n' },
        { file: '002.sql', text: 'ALTER TABLE events ADD COLUMN country String;\n' },
      ],
      errors: [
        {
          messageId: 'mixed',
          file: '002.sql',
          line: 1,
          column: 13,
          message:
            'ALTER TABLE `default.events` has no ON CLUSTER, while other statements use ON CLUSTER `main` (first in 001.sql): ClickHouse runs it only on the server the migration connects to, and the other servers miss the change.',
        },
      ],
    },
  ],
});
