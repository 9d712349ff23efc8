import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './column-type-change-refused.js';
import { ruleTester, testRule } from './ruleTester.js';

const EVENTS = `CREATE TABLE events
(
    ts DateTime,
    user_id UInt32,
    kind Enum8('view' = 1, 'click' = 2),
    amount Decimal(18, 2),
    tags Array(String)
)
ENGINE = MergeTree ORDER BY (kind, user_id, ts);`;

ruleTester(rule, {
  valid: [
    // Accepted: metadata-only changes of key columns (an Enum value added, a time zone), and rewrites of other columns.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 1, 'click' = 2, 'buy' = 3);
ALTER TABLE events MODIFY COLUMN ts DateTime('UTC');
ALTER TABLE events MODIFY COLUMN amount Float64;`,
    // Renumbering an Enum label is enum-value-removed's, on a key column too.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 2, 'click' = 1);`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN user_id UInt64;
ALTER TABLE events MODIFY COLUMN tags String, MODIFY COLUMN amount Date;`,
      errors: [
        { messageId: 'key', line: 10, column: 20, endColumn: 48 },
        { messageId: 'cast', line: 11, column: 47, endColumn: 72 },
      ],
    },
  ],
});

/** Changes of `events` columns: the rule must report exactly those ClickHouse refuses (other than Nullable and Enum renumbering). */
const CHANGES = [
  'user_id UInt64',
  'user_id UInt32 CODEC(ZSTD(3))',
  "kind Enum8('view' = 1, 'click' = 2, 'buy' = 3)",
  "kind Enum8('view' = 1)",
  'ts DateTime64(3)',
  'amount Date',
  'amount Decimal(20, 2)',
  'tags String',
  'tags Array(UInt8)',
  'amount UUID',
];

describe('agrees with ClickHouse on which type changes it refuses', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-type-refused-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [i, change] of CHANGES.entries()) {
    it(change, () => {
      const create = EVENTS.replace('CREATE TABLE events', `CREATE TABLE events_${i}`);
      session.query(create);
      let refused = false;
      try {
        session.query(`ALTER TABLE events_${i} MODIFY COLUMN ${change}`);
      } catch (error) {
        expect(String(error)).toMatch(/Code: (524|43|44|48|53|70)\./);
        refused = true;
      }
      expect(testRule(rule, { sql: `${EVENTS}\nALTER TABLE events MODIFY COLUMN ${change};` }).length > 0).toBe(refused);
    });
  }
});
