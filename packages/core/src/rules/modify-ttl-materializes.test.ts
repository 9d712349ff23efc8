import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './modify-ttl-materializes.js';
import { ruleTester } from './ruleTester.js';

const EVENTS = `CREATE TABLE events (ts DateTime, kind String, payload String TTL ts + INTERVAL 30 DAY)
ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY ts TTL ts + INTERVAL 1 YEAR;`;

ruleTester(rule, {
  valid: [
    // The ALTER's own SETTINGS turn materialization off.
    `${EVENTS}
ALTER TABLE events MODIFY TTL ts + INTERVAL 6 MONTH SETTINGS materialize_ttl_after_modify = 0;`,
    // So does a SET earlier in the same file; an unchanged column TTL materializes nothing.
    `${EVENTS}
SET materialize_ttl_after_modify = 0;
ALTER TABLE events MODIFY TTL ts + INTERVAL 6 MONTH;
ALTER TABLE events MODIFY COLUMN payload String COMMENT 'raw body' TTL ts + INTERVAL 30 DAY;`,
    // Removing a TTL changes metadata only.
    `${EVENTS}
ALTER TABLE events REMOVE TTL;
ALTER TABLE events MODIFY COLUMN payload REMOVE TTL;`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY TTL ts + INTERVAL 6 MONTH;`,
      errors: [{ messageId: 'materializes', line: 3, column: 20, endColumn: 52 }],
    },
    {
      // SETTINGS = 1 keeps the default; a new column TTL is materialized as well.
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN payload String TTL ts + INTERVAL 7 DAY SETTINGS materialize_ttl_after_modify = 1;`,
      errors: [{ messageId: 'materializes', line: 3, column: 20, endColumn: 72 }],
    },
    {
      // A SET in another file does not carry over (each file is its own session).
      sql: `CREATE DATABASE logs;
CREATE TABLE logs.requests (ts DateTime, path String) ENGINE = ReplicatedMergeTree('/t/{shard}/requests', '{replica}') ORDER BY ts;
SET materialize_ttl_after_modify = 1;
ALTER TABLE logs.requests ON CLUSTER main MODIFY TTL ts + INTERVAL 90 DAY DELETE, ts + INTERVAL 30 DAY TO VOLUME 'cold';`,
      errors: [{ messageId: 'materializes', line: 4, column: 43, endColumn: 120 }],
    },
  ],
});

describe('what ClickHouse does on MODIFY TTL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-ttl-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();
  const mutations = (table: string) => run(`SELECT command FROM system.mutations WHERE database = 'ttl' AND table = '${table}' ORDER BY create_time`);
  run('CREATE DATABASE ttl');

  for (const [table, alter, expected] of [
    ['plain', 'ALTER TABLE ttl.plain MODIFY TTL d + INTERVAL 1 YEAR', '(MATERIALIZE TTL)'],
    ['column', 'ALTER TABLE ttl.column MODIFY COLUMN note String TTL d + INTERVAL 1 DAY', '(MATERIALIZE TTL)'],
    ['off', 'ALTER TABLE ttl.off MODIFY TTL d + INTERVAL 1 YEAR SETTINGS materialize_ttl_after_modify = 0', ''],
  ]) {
    it(`${alter} → ${expected || 'no mutation'}`, () => {
      run(`CREATE TABLE ttl.${table} (id UInt8, d Date, note String) ENGINE = MergeTree ORDER BY id`);
      run(`INSERT INTO ttl.${table} VALUES (1, today(), 'x')`);
      run(alter);
      expect(mutations(table)).toBe(expected);
    });
  }

  it('does not materialize a column TTL that stays the same', () => {
    run('CREATE TABLE ttl.same (id UInt8, d Date, note String TTL d + INTERVAL 1 DAY) ENGINE = MergeTree ORDER BY id');
    run("INSERT INTO ttl.same VALUES (1, today(), 'x')");
    run("ALTER TABLE ttl.same MODIFY COLUMN note String COMMENT 'kept a day' TTL d + INTERVAL 1 DAY");
    expect(mutations('same')).toBe('');
  });

  it('is a query setting: a table cannot keep it', () => {
    run('CREATE TABLE ttl.setting (id UInt8, d Date) ENGINE = MergeTree ORDER BY id');
    expect(() => run('ALTER TABLE ttl.setting MODIFY SETTING materialize_ttl_after_modify = 0')).toThrow(/Code: 115.*Unknown setting/);
    // In CREATE TABLE ... SETTINGS it is accepted, applies to the CREATE only, and is not kept.
    run('CREATE TABLE ttl.created (id UInt8, d Date) ENGINE = MergeTree ORDER BY id SETTINGS materialize_ttl_after_modify = 0');
    run('INSERT INTO ttl.created VALUES (1, today())');
    run('ALTER TABLE ttl.created MODIFY TTL d + INTERVAL 1 YEAR');
    expect(mutations('created')).toBe('(MATERIALIZE TTL)');
  });
});
