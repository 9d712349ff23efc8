import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSql } from '../syntax/parser.js';
import rule from './partition-or-engine-change.js';
import { ruleTester } from './ruleTester.js';

const CREATE = `CREATE TABLE events
(
    ts DateTime,
    user_id UInt64,
    version UInt32
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts);
`;

const valid = [
  // Same partition key and engine (spelled `MergeTree()`): only the settings change.
  `${CREATE}
CREATE OR REPLACE TABLE events
(
    ts DateTime,
    user_id UInt64,
    version UInt32
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts)
SETTINGS index_granularity = 4096;`,
  // AS SELECT fills the new table, here from the old one: the rebuild keeps the rows.
  `${CREATE}
CREATE OR REPLACE TABLE events
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (user_id, ts)
AS SELECT * FROM events;`,
  // The first CREATE OR REPLACE of a table creates it.
  `CREATE OR REPLACE TABLE events (ts DateTime, user_id UInt64) ENGINE = MergeTree PARTITION BY toDate(ts) ORDER BY user_id;`,
  // An explicit DROP and CREATE is a rebuild too, but destructive-statement reports the DROP.
  `${CREATE}
DROP TABLE events;
CREATE TABLE events (ts DateTime, user_id UInt64, version UInt32) ENGINE = MergeTree PARTITION BY toDate(ts) ORDER BY (user_id, ts);`,
];

const invalid = [
  {
    sql: `${CREATE}
CREATE OR REPLACE TABLE events
(
    ts DateTime,
    user_id UInt64,
    version UInt32
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (user_id, ts);`,
    errors: [{ messageId: 'partition', line: 18, column: 14, endColumn: 24 }],
  },
  {
    sql: `${CREATE}
REPLACE TABLE events
(
    ts DateTime,
    user_id UInt64,
    version UInt32
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts);`,
    errors: [{ messageId: 'engine', line: 17, column: 10, endColumn: 37 }],
  },
  {
    // Dropping the partition key is a change of it too; reported at the table name.
    sql: `${CREATE}
CREATE OR REPLACE TABLE events (ts DateTime, user_id UInt64, version UInt32) ENGINE = MergeTree ORDER BY (user_id, ts);`,
    errors: [{ messageId: 'partition', line: 11, column: 25, endColumn: 31 }],
  },
  {
    sql: `${CREATE}
CREATE OR REPLACE TABLE events (ts DateTime, user_id UInt64, version UInt32)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toDate(ts)
ORDER BY (user_id, ts);`,
    errors: [
      { messageId: 'partition', line: 13, column: 14, endColumn: 24 },
      { messageId: 'engine', line: 12, column: 10, endColumn: 37 },
    ],
  },
];

ruleTester(rule, { valid, invalid });

describe('partition-or-engine-change against ClickHouse', () => {
  let session: Session;
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clickplan-partition-'));
    session = new Session(dataDir);
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });
  /** Runs the first statement, inserts two rows, runs the rest, and counts the rows left. */
  const rowsAfter = (name: string, sql: string): string => {
    session.query(`CREATE DATABASE ${name}`);
    session.query(`USE ${name}`);
    const [first, ...rest] = parseSql(sql).statements;
    session.query(sql.slice(first.start, first.end));
    session.query("INSERT INTO events (ts, user_id) VALUES ('2024-01-01 00:00:00', 1), ('2024-02-01 00:00:00', 2)");
    for (const s of rest) session.query(sql.slice(s.start, s.end));
    return session.query('SELECT count() FROM events', 'TSV').trim();
  };

  it('has no ALTER for the partition key or the engine', () => {
    session.query(CREATE);
    expect(() => session.query('ALTER TABLE events MODIFY PARTITION BY toDate(ts)')).toThrow(/Code: 62\. DB::Exception: Syntax error/);
    expect(() => session.query('ALTER TABLE events MODIFY ENGINE = ReplacingMergeTree(version)')).toThrow(/Code: 62\. DB::Exception: Syntax error/);
    // ClickPlan's parser refuses them as ClickHouse does, so they never reach a rule.
    expect(parseSql('ALTER TABLE events MODIFY PARTITION BY toDate(ts)').diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
  });

  for (const [i, { sql }] of invalid.entries()) {
    it(`invalid #${i + 1} leaves the table empty`, () => {
      expect(rowsAfter(`invalid_${i}`, sql)).toBe('0');
    });
  }

  it('valid #2 (AS SELECT from the old table) keeps the rows', () => {
    expect(rowsAfter('valid_as_select', valid[1])).toBe('2');
  });
});
