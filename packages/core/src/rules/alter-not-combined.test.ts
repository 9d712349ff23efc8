import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './alter-not-combined.js';
import { ruleTester } from './ruleTester.js';

const REPLICATED = `CREATE TABLE events (ts DateTime, user_id UInt32, kind String)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', '{replica}') ORDER BY ts;`;
const LOCAL = `CREATE TABLE events (ts DateTime, user_id UInt32, kind String, note String) ENGINE = MergeTree ORDER BY ts;`;

ruleTester(rule, {
  valid: [
    // One ALTER with every command.
    `${REPLICATED}
ALTER TABLE events ADD COLUMN country LowCardinality(String), ADD INDEX idx_kind kind TYPE set(100) GRANULARITY 4;`,
    // On a plain MergeTree, metadata-only ALTERs cost nothing apart; an ALTER with a mutation after metadata-only ones is fine.
    `${LOCAL}
ALTER TABLE events ADD COLUMN country String;
ALTER TABLE events COMMENT COLUMN kind 'event name';
ALTER TABLE events MODIFY COLUMN user_id UInt64;`,
    // Something else in between (a data fix that needs the new column, a view that reads it) keeps the order meaningful.
    `${REPLICATED}
ALTER TABLE events ADD COLUMN country String;
ALTER TABLE events UPDATE country = 'NL' WHERE 1;
ALTER TABLE events ADD INDEX idx_country country TYPE set(100) GRANULARITY 4;
INSERT INTO events (ts, user_id, kind) VALUES (now(), 1, 'x');
ALTER TABLE events ADD COLUMN device String;`,
    // DROP INDEX and DROP PROJECTION hard-link the column files: nothing is rewritten (issue 19).
    `CREATE TABLE events (ts DateTime, n UInt32, INDEX i n TYPE minmax GRANULARITY 1, PROJECTION p (SELECT n, count() GROUP BY n)) ENGINE = MergeTree ORDER BY ts;
ALTER TABLE events MODIFY COLUMN n UInt64;
ALTER TABLE events DROP INDEX i;
ALTER TABLE events DROP PROJECTION p;`,
    // RENAME COLUMN cannot share an ALTER with a change of the same column.
    `${REPLICATED}
ALTER TABLE events RENAME COLUMN kind TO event;
ALTER TABLE events MODIFY COLUMN event LowCardinality(String);`,
  ],
  invalid: [
    {
      sql: `${REPLICATED}
ALTER TABLE events ADD COLUMN country String;
ALTER TABLE events ADD COLUMN device String;
ALTER TABLE events ADD INDEX idx_country country TYPE set(100) GRANULARITY 4;`,
      errors: [
        { messageId: 'replicated', line: 4, column: 13, endColumn: 19 },
        { messageId: 'replicated', line: 5, column: 13, endColumn: 19 },
      ],
    },
    {
      // Two rewrites of a plain MergeTree table; ALTERs of another table in between do not matter.
      sql: `${LOCAL}
CREATE TABLE users (id UInt32, name String) ENGINE = MergeTree ORDER BY id;
ALTER TABLE events MODIFY COLUMN user_id UInt64;
ALTER TABLE users ADD COLUMN email String;
ALTER TABLE events DROP COLUMN note;`,
      errors: [{ messageId: 'mutations', line: 5, column: 13, endColumn: 19 }],
    },
    {
      // A MergeTree in a Replicated database is replicated; so is anything altered ON CLUSTER.
      sql: `CREATE DATABASE app ENGINE = Replicated('/clickhouse/databases/app', '{shard}', '{replica}');
CREATE TABLE app.users (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
CREATE TABLE logs (ts DateTime, path String) ENGINE = MergeTree ORDER BY ts;
ALTER TABLE app.users ADD COLUMN email String;
ALTER TABLE app.users MODIFY COMMENT 'customers';
ALTER TABLE logs ON CLUSTER main ADD COLUMN status UInt16;
ALTER TABLE logs ON CLUSTER main ADD COLUMN bytes UInt64;`,
      errors: [
        { messageId: 'replicated', line: 5, column: 13, endColumn: 22 },
        { messageId: 'replicated', line: 7, column: 13, endColumn: 17 },
      ],
    },
  ],
});

describe('what ClickHouse does with consecutive ALTERs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-alter-combined-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('runs one mutation per ALTER, and one for an ALTER with several commands', () => {
    run('CREATE DATABASE a');
    for (const table of ['apart', 'together']) {
      run(`CREATE TABLE a.${table} (id UInt32, n UInt32, note String) ENGINE = MergeTree ORDER BY id`);
      run(`INSERT INTO a.${table} VALUES (1, 2, 'y')`);
    }
    run('ALTER TABLE a.apart MODIFY COLUMN n UInt64');
    run('ALTER TABLE a.apart DROP COLUMN note');
    run('ALTER TABLE a.together MODIFY COLUMN n UInt64, DROP COLUMN note');
    // system.mutations has a row per command; one ALTER's commands share one mutation.
    expect(run("SELECT table, uniqExact(mutation_id) FROM system.mutations WHERE database = 'a' GROUP BY table ORDER BY table")).toBe('apart\t2\ntogether\t1');
    // The part's data version counts the rewrites it went through.
    expect(run("SELECT table, name FROM system.parts WHERE database = 'a' AND active ORDER BY table")).toBe('apart\tall_1_1_0_3\ntogether\tall_1_1_0_2');
  });

  it('hard-links the column files for DROP INDEX and DROP PROJECTION: nothing is rewritten', () => {
    run('CREATE DATABASE d');
    run(
      'CREATE TABLE d.t (id UInt32, n UInt32, INDEX i n TYPE minmax GRANULARITY 1, PROJECTION p (SELECT n, count() GROUP BY n)) ENGINE = MergeTree ORDER BY id SETTINGS min_bytes_for_wide_part = 0',
    );
    run('INSERT INTO d.t SELECT number, number FROM numbers(1000)');
    run('ALTER TABLE d.t DROP INDEX i');
    run('ALTER TABLE d.t DROP PROJECTION p');
    const parts = run("SELECT path FROM system.parts WHERE database = 'd' ORDER BY name").split('\n');
    // The original part and the two the mutations made share every column file (one inode, three links).
    expect(parts).toHaveLength(3);
    for (const part of parts) for (const file of ['id.bin', 'n.bin']) expect(statSync(join(part, file)).nlink, `${part}${file}`).toBe(3);
  });
});
