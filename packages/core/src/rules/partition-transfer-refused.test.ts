import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './partition-transfer-refused.js';
import { ruleTester, testRule } from './ruleTester.js';

// Found on the lint-precision corpus (issue 19): `payments-ledger` adds a column to its hot table
// and later moves old partitions to an archive table made `AS` it before the column existed;
// ClickHouse refuses the move (code 122) while lint was silent.

const TABLES = `CREATE TABLE entries (d Date, k UInt64, v String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k;
CREATE TABLE archive AS entries ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k;`;

ruleTester(rule, {
  valid: [
    // Same columns and keys; indices, TTLs and another MergeTree engine do not matter.
    `${TABLES}
ALTER TABLE archive ADD INDEX i v TYPE bloom_filter GRANULARITY 1, MODIFY TTL d + INTERVAL 10 YEAR;
ALTER TABLE entries MOVE PARTITION 202201 TO TABLE archive;
ALTER TABLE archive REPLACE PARTITION 202202 FROM entries;`,
    // The column added to both, in another order, and an ALIAS on one side only.
    `${TABLES}
ALTER TABLE entries ADD COLUMN batch String FIRST;
ALTER TABLE archive ADD COLUMN batch String, ADD COLUMN v_upper String ALIAS upper(v);
ALTER TABLE archive ATTACH PARTITION 202201 FROM entries;`,
  ],
  invalid: [
    {
      sql: `${TABLES}
ALTER TABLE entries ADD COLUMN batch String;
ALTER TABLE entries MOVE PARTITION 202201 TO TABLE archive;
ALTER TABLE entries MODIFY COLUMN v LowCardinality(String);
ALTER TABLE archive REPLACE PARTITION 202202 FROM entries;`,
      errors: [
        {
          messageId: 'columns',
          data: { operation: 'MOVE PARTITION TO TABLE', source: 'default.entries', destination: 'default.archive', difference: '`batch` only in the source' },
          line: 4,
          column: 21,
          endColumn: 59,
        },
        {
          messageId: 'columns',
          data: {
            operation: 'REPLACE PARTITION',
            source: 'default.entries',
            destination: 'default.archive',
            difference: '`v` is LowCardinality(String) and String, `batch` only in the source',
          },
          line: 6,
          column: 21,
          endColumn: 58,
        },
      ],
    },
    {
      sql: `CREATE TABLE a (d Date, k UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k;
CREATE TABLE b (d Date, k UInt64) ENGINE = MergeTree PARTITION BY toYYYYMMDD(d) ORDER BY k;
CREATE TABLE c (d Date, k UInt64) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(d) ORDER BY (k, d);
ALTER TABLE b ATTACH PARTITION 20240105 FROM a;
ALTER TABLE a MOVE PARTITION 202401 TO TABLE c;`,
      errors: [
        {
          messageId: 'key',
          data: {
            operation: 'ATTACH PARTITION FROM',
            source: 'default.a',
            destination: 'default.b',
            key: 'partition keys',
            sourceKey: '`toYYYYMM(d)`',
            destinationKey: '`toYYYYMMDD(d)`',
          },
          line: 4,
          column: 15,
          endColumn: 47,
        },
        {
          messageId: 'key',
          data: {
            operation: 'MOVE PARTITION TO TABLE',
            source: 'default.a',
            destination: 'default.c',
            key: 'sorting keys',
            sourceKey: '`k`',
            destinationKey: '`(k, d)`',
          },
          line: 5,
          column: 15,
          endColumn: 47,
        },
      ],
    },
  ],
});

const BASE = '(d Date, k UInt8, v String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k';
/** Destination tables for a partition of BASE: the rule must report exactly the moves ClickHouse refuses. */
const DESTINATIONS = [
  BASE,
  '(k UInt8, d Date, v String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String, w UInt8) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v LowCardinality(String)) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String, a String ALIAS v) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String, m UInt8 MATERIALIZED k) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String, INDEX i v TYPE bloom_filter GRANULARITY 1) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String, PROJECTION p (SELECT k, count() GROUP BY k)) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  '(d Date, k UInt8, v String) ENGINE = MergeTree PARTITION BY toYYYYMMDD(d) ORDER BY k',
  '(d Date, k UInt8, v String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY (k, v)',
  '(d Date, k UInt8, v String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k TTL d + INTERVAL 1 YEAR',
  '(d Date, k UInt8, v String) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(d) ORDER BY k',
  "(d Date, k UInt8, v String DEFAULT 'x' CODEC(ZSTD(3))) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k",
];

describe('agrees with ClickHouse on which partition moves it refuses', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-partition-transfer-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [i, destination] of DESTINATIONS.entries()) {
    it(destination, () => {
      session.query(`CREATE TABLE src_${i} ${BASE}`);
      session.query(`INSERT INTO src_${i} VALUES ('2024-01-05', 1, 'a')`);
      session.query(`CREATE TABLE dst_${i} ${destination}`);
      let refused = false;
      try {
        session.query(`ALTER TABLE src_${i} MOVE PARTITION 202401 TO TABLE dst_${i}`);
      } catch (error) {
        expect(String(error)).toMatch(/Code: (122|36)\./);
        refused = true;
      }
      const sql = `CREATE TABLE src ${BASE};\nCREATE TABLE dst ${destination};\nALTER TABLE src MOVE PARTITION 202401 TO TABLE dst;`;
      expect(testRule(rule, { sql }).length > 0).toBe(refused);
    });
  }
});
