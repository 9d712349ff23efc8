import { ruleTester } from './ruleTester.js';
import rule from './server-internal-replication-off.js';

const server = {
  storagePolicies: ['default'],
  clusters: { replicated: { internalReplication: true }, plain: { internalReplication: false } },
  macros: { cluster: 'plain' },
};

const LOCAL = `CREATE TABLE events_local (ts DateTime)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ts;`;

ruleTester(rule, {
  valid: [
    // Without the server configuration nothing is known.
    `${LOCAL}\nCREATE TABLE events (ts DateTime) ENGINE = Distributed(plain, default, events_local);`,
    { sql: `${LOCAL}\nCREATE TABLE events (ts DateTime) ENGINE = Distributed(replicated, default, events_local);`, project: { server } },
    // Over a non-replicated table, writing to every replica is how the copies are made.
    {
      sql: 'CREATE TABLE events_local (ts DateTime) ENGINE = MergeTree ORDER BY ts;\nCREATE TABLE events (ts DateTime) ENGINE = Distributed(plain, default, events_local);',
      project: { server },
    },
  ],
  invalid: [
    {
      sql: `${LOCAL}\nCREATE TABLE events (ts DateTime) ENGINE = Distributed(plain, default, events_local);`,
      project: { server },
      errors: [{ messageId: 'off', line: 4, column: 56, endColumn: 61 }],
    },
    {
      sql: `${LOCAL}\nCREATE TABLE events (ts DateTime) ENGINE = Distributed('{cluster}', default, events_local);`,
      project: { server },
      errors: [{ messageId: 'off', line: 4, column: 56, endColumn: 67 }],
    },
  ],
});
