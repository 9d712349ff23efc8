import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSql } from '../syntax/parser.js';
import rule from './order-by-change-refused.js';
import { ruleTester } from './ruleTester.js';

const EVENTS = `CREATE TABLE events
(
    ts DateTime,
    user_id UInt64,
    event LowCardinality(String)
)
ENGINE = MergeTree`;

const valid = [
  // A column added by the same ALTER may extend the key.
  `${EVENTS}
ORDER BY (event, user_id, ts);
ALTER TABLE events ADD COLUMN country LowCardinality(String), MODIFY ORDER BY (event, user_id, ts, country);`,
  // Columns after the primary key may be dropped from the end: the rows stay sorted by what is left.
  `${EVENTS}
PRIMARY KEY event
ORDER BY (event, user_id, ts);
ALTER TABLE events MODIFY ORDER BY (event, user_id);`,
  // A new column may go between old ones after the primary key: it is empty in every existing row.
  `${EVENTS}
PRIMARY KEY event
ORDER BY (event, user_id, ts);
ALTER TABLE events ADD COLUMN country LowCardinality(String), MODIFY ORDER BY (event, country, user_id, ts);`,
  // The primary key stays the ORDER BY of the CREATE, so a column appended later may be dropped again.
  `${EVENTS}
ORDER BY (event, user_id);
ALTER TABLE events ADD COLUMN session_id UInt64, MODIFY ORDER BY (event, user_id, session_id);
ALTER TABLE events MODIFY ORDER BY (event, user_id);`,
];

const invalid = [
  {
    // Reordering the key: the primary key (the CREATE's ORDER BY) is no longer its prefix.
    sql: `${EVENTS}
ORDER BY (event, user_id, ts);
ALTER TABLE events MODIFY ORDER BY (user_id, event, ts);`,
    errors: [{ messageId: 'primaryKey', line: 9, column: 36, endColumn: 56 }],
  },
  {
    // Shortening the key below the primary key.
    sql: `${EVENTS}
ORDER BY (event, user_id, ts);
ALTER TABLE events MODIFY ORDER BY (event, user_id);`,
    errors: [{ messageId: 'primaryKey', line: 9, column: 36, endColumn: 52 }],
  },
  {
    // Dropping a column from the middle makes `ts` an added expression over an existing column.
    sql: `${EVENTS}
PRIMARY KEY event
ORDER BY (event, user_id, ts);
ALTER TABLE events MODIFY ORDER BY (event, ts);`,
    errors: [{ messageId: 'moved', line: 10, column: 36, endColumn: 47 }],
  },
  {
    // Swapping columns after the primary key.
    sql: `${EVENTS}
PRIMARY KEY event
ORDER BY (event, user_id, ts);
ALTER TABLE events ADD COLUMN country String, MODIFY ORDER BY (event, ts, user_id, country);`,
    errors: [{ messageId: 'moved', line: 10, column: 63, endColumn: 92 }],
  },
];

ruleTester(rule, { valid, invalid });

// ClickHouse is the oracle: each valid case runs, and each invalid one is refused at its last statement.
describe('order-by-change-refused against ClickHouse', () => {
  let session: Session;
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clickplan-order-by-'));
    session = new Session(dataDir);
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (name: string, sql: string): (string | undefined)[] => {
    session.query(`CREATE DATABASE ${name}`);
    session.query(`USE ${name}`);
    return parseSql(sql).statements.map((s) => {
      try {
        session.query(sql.slice(s.start, s.end));
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    });
  };
  for (const [i, sql] of valid.entries()) {
    it(`accepts valid #${i + 1}`, () => {
      expect(run(`valid_${i}`, sql).filter(Boolean)).toEqual([]);
    });
  }
  const refusals: Record<string, RegExp> = {
    primaryKey: /Code: 36\. DB::Exception: Primary key must be a prefix of the sorting key/,
    moved: /Code: 36\. DB::Exception: Existing column \w+ is used in the expression that was added to the sorting key/,
  };
  for (const [i, { sql, errors }] of invalid.entries()) {
    it(`refuses invalid #${i + 1} at the ALTER`, () => {
      const results = run(`invalid_${i}`, sql);
      expect(results.slice(0, -1).filter(Boolean)).toEqual([]);
      expect(results.at(-1)).toMatch(refusals[errors[0].messageId]);
    });
  }
});
