import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './enum-value-removed.js';
import { ruleTester } from './ruleTester.js';

const EVENTS = `CREATE TABLE events (ts DateTime, kind Enum8('view' = 1, 'click' = 2, 'buy' = 3), source Nullable(Enum('web', 'ios'))) ENGINE = MergeTree ORDER BY ts;`;

ruleTester(rule, {
  valid: [
    // Values added, with new numbers; the same Enum written with implicit numbers.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 1, 'click' = 2, 'buy' = 3, 'refund' = 4);
ALTER TABLE events MODIFY COLUMN source Nullable(Enum8('web' = 1, 'ios' = 2, 'android' = 3));`,
    // A wider Enum with the same labels and numbers, or a String.
    `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum16('view' = 1, 'click' = 2, 'buy' = 3);
ALTER TABLE events MODIFY COLUMN source Nullable(String);`,
    // A column that was not an Enum before (column-type-narrowing's business).
    `CREATE TABLE t (id UInt64, status String) ENGINE = MergeTree ORDER BY id;
ALTER TABLE t MODIFY COLUMN status Enum8('new' = 1, 'done' = 2);`,
    // The Enum of a key column cannot shrink: ClickHouse refuses the ALTER (code 524), nothing is lost.
    `CREATE TABLE t (kind Enum8('a' = 1, 'b' = 2), n UInt64) ENGINE = MergeTree ORDER BY kind;
ALTER TABLE t MODIFY COLUMN kind Enum8('a' = 1);`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 1, 'click' = 2);`,
      errors: [{ messageId: 'removed', line: 2, column: 20, endColumn: 69 }],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN kind Enum8('view' = 1, 'buy' = 2);`,
      errors: [{ messageId: 'renumbered', line: 2, column: 20, endColumn: 67 }],
    },
    {
      // Inside Nullable; one label renamed (same number) and one removed.
      sql: `CREATE DATABASE app;
CREATE TABLE app.users (id UInt64, plan Nullable(Enum8('free' = 0, 'pro' = 1, 'team' = 2))) ENGINE = MergeTree ORDER BY id;
ALTER TABLE app.users MODIFY COLUMN plan Nullable(Enum8('free' = 0, 'business' = 2));`,
      errors: [
        { messageId: 'removed', line: 3, column: 23, endColumn: 85 },
        { messageId: 'renamed', line: 3, column: 23, endColumn: 85 },
      ],
    },
  ],
});

describe('what ClickHouse does when Enum values change', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-enum-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();
  run('CREATE DATABASE e');

  it('keeps the numbers of a removed value: its rows cannot be read, and inserts of it fail', () => {
    run("CREATE TABLE e.removed (id UInt8, kind Enum8('view' = 1, 'click' = 2)) ENGINE = MergeTree ORDER BY id");
    run("INSERT INTO e.removed VALUES (1, 'view'), (2, 'click')");
    run("ALTER TABLE e.removed MODIFY COLUMN kind Enum8('view' = 1)");
    expect(() => run('SELECT id, kind FROM e.removed ORDER BY id')).toThrow(/Code: 691.*Unexpected value 2 in enum/);
    expect(run('SELECT count() FROM e.removed')).toBe('2');
    expect(() => run("INSERT INTO e.removed VALUES (3, 'click')")).toThrow(/Code: 691.*Unknown element 'click'/);
  });

  it('refuses to remove a value from the Enum of a key column', () => {
    run("CREATE TABLE e.keyed (kind Enum8('a' = 1, 'b' = 2), n UInt8) ENGINE = MergeTree ORDER BY kind");
    expect(() => run("ALTER TABLE e.keyed MODIFY COLUMN kind Enum8('a' = 1)")).toThrow(/Code: 524.*ALTER of key column kind/);
  });

  it('refuses a new number for an existing label, even on an empty table', () => {
    run("CREATE TABLE e.renumbered (id UInt8, kind Enum8('view' = 1, 'click' = 2)) ENGINE = MergeTree ORDER BY id");
    expect(() => run("ALTER TABLE e.renumbered MODIFY COLUMN kind Enum8('view' = 1, 'click' = 3)")).toThrow(
      /Code: 70.*Enum conversion changes value for element 'click' from 2 to 3/,
    );
  });

  it('reads stored rows under a renamed label and refuses inserts of the old one', () => {
    run("CREATE TABLE e.renamed (id UInt8, plan Enum8('free' = 0, 'pro' = 1)) ENGINE = MergeTree ORDER BY id");
    run("INSERT INTO e.renamed VALUES (1, 'pro')");
    run("ALTER TABLE e.renamed MODIFY COLUMN plan Enum8('free' = 0, 'business' = 1)");
    expect(run('SELECT plan FROM e.renamed')).toBe('business');
    expect(() => run("INSERT INTO e.renamed VALUES (2, 'pro')")).toThrow(/Code: 691/);
  });
});
