import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mutation-in-migration.js';
import { ruleTester } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // Schema changes that touch metadata only.
    `
ALTER TABLE analytics.events
    ADD COLUMN IF NOT EXISTS referrer String DEFAULT '' AFTER country,
    COMMENT COLUMN referrer 'HTTP referrer, empty when unknown',
    MODIFY SETTING merge_with_ttl_timeout = 86400;
`,
    // Inserting and backfilling write new parts; they rewrite nothing.
    `
CREATE TABLE analytics.daily_users (day Date, users UInt64) ENGINE = SummingMergeTree ORDER BY day;

INSERT INTO analytics.daily_users
SELECT toDate(ts) AS day, uniqExact(user_id) AS users
FROM analytics.events
WHERE ts >= '2024-01-01' AND ts < '2024-02-01'
GROUP BY day;
`,
    // Partition operations move whole parts; other rules judge them.
    `
ALTER TABLE analytics.events DETACH PARTITION 202301;
ALTER TABLE analytics.events_archive ATTACH PARTITION 202301 FROM analytics.events;
OPTIMIZE TABLE analytics.daily_users FINAL;
`,
    // Reading is not writing: a SELECT that mentions UPDATE and DELETE as values.
    `
SELECT count() FROM analytics.audit_log WHERE action IN ('UPDATE', 'DELETE');
`,
    // `lightweightUpdates: false` (clickplan.yaml) leaves lightweight UPDATEs alone.
    {
      sql: `
UPDATE analytics.users SET plan = 'free' WHERE plan = 'trial';
`,
      options: { lightweightUpdates: false },
    },
  ],
  invalid: [
    {
      sql: `
ALTER TABLE analytics.events UPDATE country = 'GB' WHERE country = 'UK';
`,
      errors: [{ messageId: 'mutation', line: 2, column: 30, endColumn: 72 }],
    },
    {
      // Every mutating command of one ALTER is its own finding.
      sql: `
ALTER TABLE analytics.events ON CLUSTER main
    DELETE WHERE is_test = 1,
    UPDATE user_id = 0 WHERE user_id IS NULL
SETTINGS mutations_sync = 2;
`,
      errors: [
        { messageId: 'mutation', line: 3, column: 5, endColumn: 29 },
        { messageId: 'mutation', line: 4, column: 5, endColumn: 45 },
      ],
    },
    {
      // A lightweight DELETE is a mutation too (it shows in system.mutations).
      sql: `
DELETE FROM analytics.sessions WHERE started_at < '2020-01-01';
`,
      errors: [{ messageId: 'mutation', line: 2, column: 1, endColumn: 63 }],
    },
    {
      // A lightweight UPDATE writes patch parts instead.
      sql: `
CREATE TABLE analytics.users
(
    user_id UInt64,
    email String,
    plan LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY user_id
SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1;

UPDATE analytics.users SET plan = 'free' WHERE plan = 'trial';
`,
      errors: [{ messageId: 'lightweightUpdate', line: 12, column: 1, endColumn: 62 }],
    },
    {
      // The option turns off lightweight UPDATEs only: mutations are still reported.
      sql: `
UPDATE analytics.users SET plan = 'free' WHERE plan = 'trial';
ALTER TABLE analytics.users UPDATE plan = 'free' WHERE plan = 'trial';
`,
      options: { lightweightUpdates: false },
      errors: [{ messageId: 'mutation', line: 3, column: 29, endColumn: 70, data: { what: 'ALTER UPDATE', table: 'users' } }],
    },
    {
      sql: `
ALTER TABLE analytics.events DELETE IN PARTITION 202401 WHERE user_id = 42;
DELETE FROM analytics.events IN PARTITION 202402 WHERE user_id = 42;
`,
      errors: [
        { messageId: 'mutation', line: 2, column: 30, endColumn: 75 },
        { messageId: 'mutation', line: 3, column: 1, endColumn: 68 },
      ],
    },
  ],
});

describe('mutation-in-migration on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-mutation-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ALTER UPDATE and DELETE FROM are mutations, listed in system.mutations', () => {
    session.query('CREATE TABLE events (id UInt64, country String) ENGINE = MergeTree ORDER BY id');
    session.query("INSERT INTO events VALUES (1, 'UK'), (2, 'FR')");
    session.query("ALTER TABLE events UPDATE country = 'GB' WHERE country = 'UK'");
    session.query('DELETE FROM events WHERE id = 2');
    expect(session.query("SELECT command FROM system.mutations WHERE table = 'events' ORDER BY create_time, mutation_id", 'TSVRaw')).toBe(
      "(UPDATE country = 'GB' WHERE country = 'UK')\n(UPDATE _row_exists = 0 WHERE id = 2)\n",
    );
  });

  it('the mutation rewrites the parts; with mutations_sync = 0 the statement returns before it is done', () => {
    session.query('CREATE TABLE countries (id UInt64, code String) ENGINE = MergeTree ORDER BY id');
    session.query("INSERT INTO countries VALUES (1, 'UK')");
    session.query("INSERT INTO countries VALUES (2, 'FR')");
    expect(session.query("SELECT name FROM system.parts WHERE table = 'countries' AND active ORDER BY name", 'TSVRaw')).toBe('all_1_1_0\nall_2_2_0\n');

    // ClickHouse 26.7 defaults to mutations_sync = 1: the statement waits for this server.
    expect(session.query("SELECT value FROM system.settings WHERE name = 'mutations_sync'", 'TSVRaw')).toBe('1\n');
    session.query("ALTER TABLE countries UPDATE code = 'GB' WHERE code = 'UK'");
    expect(session.query("SELECT is_done FROM system.mutations WHERE table = 'countries'", 'TSVRaw')).toBe('1\n');
    expect(session.query("SELECT name FROM system.parts WHERE table = 'countries' AND active ORDER BY name", 'TSVRaw')).toMatch(
      /^all_1_1_0_\d+\nall_2_2_0_\d+\n$/,
    );

    // With mutations_sync = 0 it only queues the mutation (background merges are stopped so the check cannot race it).
    session.query('SYSTEM STOP MERGES countries');
    session.query("ALTER TABLE countries UPDATE code = 'FR' WHERE id = 2 SETTINGS mutations_sync = 0");
    expect(session.query("SELECT is_done, parts_to_do FROM system.mutations WHERE table = 'countries' ORDER BY create_time, mutation_id", 'TSVRaw')).toBe(
      '1\t0\n0\t2\n',
    );
  });

  it('a lightweight UPDATE is refused without the block columns (code 48), and otherwise writes a patch part, not a mutation', () => {
    session.query('CREATE TABLE plain (id UInt64, plan String) ENGINE = MergeTree ORDER BY id');
    expect(() => session.query("UPDATE plain SET plan = 'free' WHERE id = 1")).toThrow(/Code: 48/);

    session.query(
      'CREATE TABLE users (id UInt64, plan String) ENGINE = MergeTree ORDER BY id SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1',
    );
    session.query("INSERT INTO users VALUES (1, 'trial'), (2, 'pro')");
    session.query("UPDATE users SET plan = 'free' WHERE plan = 'trial'");
    expect(session.query('SELECT id, plan FROM users ORDER BY id', 'TSVRaw')).toBe('1\tfree\n2\tpro\n');
    expect(session.query("SELECT count() FROM system.mutations WHERE table = 'users'", 'TSVRaw')).toBe('0\n');
    expect(session.query("SELECT count() FROM system.parts WHERE table = 'users' AND startsWith(name, 'patch-')", 'TSVRaw')).toBe('1\n');
  });
});
