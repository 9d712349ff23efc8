import rule from './distributed-local-mismatch.js';
import { ruleTester } from './ruleTester.js';

// chDB has no cluster (Distributed(...) over an unknown cluster fails with CLUSTER_DOESNT_EXIST):
// the failing reads and inserts are demonstrated on a real cluster in test/cluster-rules.test.ts.

const LOCAL = `CREATE TABLE events_local ON CLUSTER main
(
    ts DateTime,
    user_id UInt64,
    price Decimal(18, 2),
    quantity UInt32,
    amount Decimal(38, 2) MATERIALIZED price * quantity
)
ENGINE = ReplicatedMergeTree
ORDER BY ts;`;
const DISTRIBUTED = `CREATE TABLE events ON CLUSTER main AS events_local
ENGINE = Distributed(main, currentDatabase(), events_local, rand());`;

ruleTester(rule, {
  valid: [
    `${LOCAL}
${DISTRIBUTED}`,
    // Both tables get the new column in the same migration.
    `${LOCAL}
${DISTRIBUTED}
ALTER TABLE events_local ON CLUSTER main ADD COLUMN country LowCardinality(String);
ALTER TABLE events ON CLUSTER main ADD COLUMN country LowCardinality(String);`,
    // Spelled differently, stored the same; the local table's MATERIALIZED column is not needed.
    `${LOCAL}
CREATE TABLE events ON CLUSTER main (ts TIMESTAMP, user_id BIGINT UNSIGNED, price DECIMAL(18, 2), quantity INT UNSIGNED)
ENGINE = Distributed(main, currentDatabase(), events_local);`,
    // A local table the repository does not define is managed elsewhere (reference-missing judges it).
    `CREATE TABLE events ON CLUSTER main (ts DateTime) ENGINE = Distributed(main, shared, events_local);`,
  ],
  invalid: [
    {
      sql: `CREATE TABLE events ON CLUSTER main (ts DateTime, user_id UInt64, price Decimal(18, 2), quantity UInt32)
ENGINE = Distributed(main, currentDatabase(), events_local, rand());
${LOCAL}`,
      errors: [{ messageId: 'createdLater', line: 2, column: 47, endColumn: 59 }],
    },
    {
      // The forgotten ALTER of the Distributed table.
      sql: `${LOCAL}
${DISTRIBUTED}
ALTER TABLE events_local ON CLUSTER main ADD COLUMN country LowCardinality(String);`,
      errors: [{ messageId: 'missingInDistributed', line: 12, column: 47, endColumn: 59 }],
    },
    {
      sql: `${LOCAL}
CREATE TABLE events ON CLUSTER main (ts DateTime, user_id UInt32, price Decimal(18, 2), quantity UInt32, session_id String)
ENGINE = Distributed(main, currentDatabase(), events_local, rand());`,
      errors: [
        { messageId: 'typeDiffers', line: 12, column: 47, endColumn: 59 },
        { messageId: 'missingInLocal', line: 12, column: 47, endColumn: 59 },
      ],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'names both tables and the types',
      sql: `${LOCAL}
CREATE TABLE events ON CLUSTER main (ts DateTime, user_id UInt32, price Decimal(18, 2), quantity UInt32)
ENGINE = Distributed(main, currentDatabase(), events_local, rand());`,
      errors: [
        {
          messageId: 'typeDiffers',
          line: 12,
          column: 47,
          message:
            '`user_id` is `UInt32` in `default.events` but `UInt64` in its local table `default.events_local`: ClickHouse converts between the two on every read and insert through `default.events`, and values that do not fit fail or change.',
          help: 'Give `user_id` the same type in both tables (ALTER TABLE default.events MODIFY COLUMN).',
        },
      ],
    },
  ],
});
