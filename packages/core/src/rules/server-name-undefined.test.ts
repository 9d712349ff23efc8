import { ruleTester } from './ruleTester.js';
import rule from './server-name-undefined.js';

const server = {
  storagePolicies: ['default', 'tiered'],
  clusters: { analytics: { internalReplication: true } },
  macros: { cluster: 'analytics', shard: '01', replica: 'ch-01-a' },
};

ruleTester(rule, {
  valid: [
    // Without the server configuration nothing is known, so nothing is judged.
    "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS storage_policy = 'cold';",
    {
      sql: `CREATE TABLE t ON CLUSTER '{cluster}' (a UInt8)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}/{uuid}', '{replica}')
ORDER BY a SETTINGS storage_policy = 'tiered';
CREATE TABLE d ON CLUSTER analytics (a UInt8) ENGINE = Distributed(analytics, default, t);
CREATE TABLE d2 (a UInt8) ENGINE = Distributed('{cluster}', default, t);
CREATE TABLE m (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS storage_policy = 'default';`,
      project: { server },
    },
    // A macro from the environment (from_env): its cluster is not known here.
    { sql: "CREATE TABLE t ON CLUSTER '{cluster}' (a UInt8) ENGINE = MergeTree ORDER BY a;", project: { server: { ...server, macros: { cluster: '' } } } },
  ],
  invalid: [
    {
      sql: `CREATE TABLE t ON CLUSTER main (a UInt8)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{layer}-{shard}/t', '{replica}')
ORDER BY a SETTINGS storage_policy = 'cold';
CREATE TABLE d (a UInt8) ENGINE = Distributed('{cluster_name}', default, t);
CREATE TABLE d2 (a UInt8) ENGINE = Distributed(main, default, t);`,
      project: { server },
      errors: [
        { messageId: 'cluster', line: 1, column: 27, endColumn: 31 },
        { messageId: 'storagePolicy', line: 3, column: 38, endColumn: 44 },
        { messageId: 'macro', line: 2, column: 30, endColumn: 68 },
        { messageId: 'macro', line: 4, column: 47, endColumn: 63 },
        { messageId: 'cluster', line: 5, column: 48, endColumn: 52 },
      ],
    },
    {
      // The macro is defined, but names a cluster the configuration does not define.
      sql: "CREATE TABLE t ON CLUSTER '{cluster}' (a UInt8) ENGINE = MergeTree ORDER BY a;",
      project: { server: { ...server, macros: { cluster: 'old_cluster' } } },
      errors: [{ messageId: 'cluster', line: 1, column: 27, endColumn: 38 }],
    },
  ],
});
