import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './materialize-mutation.js';
import { ruleTester } from './ruleTester.js';

const EVENTS = `CREATE TABLE events (ts DateTime, session_id String, kind String, day Date DEFAULT toDate(ts))
ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY ts;`;

/** How `clickplan lint` describes the test file: one versioned migration, run at once. */
const MIGRATION = { migrations: [{ file: 'test.sql', kind: 'versioned' as const, checksum: '' }] };

ruleTester(rule, {
  valid: [
    // Adding an index or a projection only applies to new parts.
    `${EVENTS}
ALTER TABLE events ADD INDEX idx_session session_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE events ADD PROJECTION by_kind (SELECT kind, count() GROUP BY kind);`,
    // Dropping and clearing are not MATERIALIZE (destructive-statement and others judge those).
    `${EVENTS}
ALTER TABLE events ADD INDEX idx_session session_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE events DROP INDEX idx_session;
ALTER TABLE events ADD STATISTICS kind TYPE uniq;`,
    // Changing a TTL with materialization turned off.
    `${EVENTS}
ALTER TABLE events MODIFY TTL ts + INTERVAL 1 YEAR SETTINGS materialize_ttl_after_modify = 0;`,
    // A migration that creates the table and materializes on it: the table has no parts yet (issue 19).
    {
      project: MIGRATION,
      sql: `${EVENTS}
ALTER TABLE events ADD INDEX idx_session session_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE events MATERIALIZE INDEX idx_session;`,
    },
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events ADD INDEX idx_session session_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE events MATERIALIZE INDEX idx_session;`,
      errors: [{ messageId: 'mutation', line: 4, column: 20, endColumn: 49 }],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events ADD PROJECTION by_kind (SELECT kind, count() GROUP BY kind), MATERIALIZE PROJECTION by_kind;
ALTER TABLE events MATERIALIZE COLUMN day IN PARTITION 202401;`,
      errors: [
        { messageId: 'mutation', line: 3, column: 81, endColumn: 111 },
        { messageId: 'mutation', line: 4, column: 20, endColumn: 62 },
      ],
    },
    {
      sql: `CREATE DATABASE logs;
CREATE TABLE logs.requests (ts DateTime, path String) ENGINE = MergeTree ORDER BY ts TTL ts + INTERVAL 30 DAY;
ALTER TABLE logs.requests ON CLUSTER main MATERIALIZE TTL;
ALTER TABLE logs.requests MATERIALIZE STATISTICS ALL;`,
      errors: [
        { messageId: 'mutation', line: 3, column: 43, endColumn: 58 },
        { messageId: 'mutation', line: 4, column: 27, endColumn: 53 },
      ],
    },
  ],
});

const IN_MIGRATIONS = [
  {
    file: 'V1.sql',
    text: `${EVENTS}
INSERT INTO events (ts, session_id, kind) VALUES (now(), 's', 'view');
ALTER TABLE events MATERIALIZE COLUMN day;
CREATE TABLE copy ENGINE = MergeTree ORDER BY ts AS SELECT * FROM events;
ALTER TABLE copy MATERIALIZE COLUMN day;
CREATE TABLE fresh (ts DateTime) ENGINE = MergeTree ORDER BY ts TTL ts + INTERVAL 1 YEAR;
ALTER TABLE fresh MATERIALIZE TTL;`,
  },
  { file: 'V2.sql', text: 'ALTER TABLE fresh MATERIALIZE TTL;' },
];

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'reports tables with rows in migrations: inserted after the CREATE, created with its rows, or created by another migration',
      files: IN_MIGRATIONS,
      project: { migrations: IN_MIGRATIONS.map(({ file }) => ({ file, kind: 'versioned' as const, checksum: '' })) },
      errors: [
        { messageId: 'mutation', file: 'V1.sql', line: 4, column: 20, endColumn: 42 },
        { messageId: 'mutation', file: 'V1.sql', line: 6, column: 18, endColumn: 40 },
        { messageId: 'mutation', file: 'V2.sql', line: 1, column: 19, endColumn: 34 },
      ],
    },
  ],
});

describe('what ClickHouse does on MATERIALIZE', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-materialize-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('runs each MATERIALIZE as a mutation over the parts, and ADD INDEX/PROJECTION as none', () => {
    run('CREATE DATABASE m');
    run('CREATE TABLE m.events (ts DateTime, s String, day Date DEFAULT toDate(ts)) ENGINE = MergeTree ORDER BY ts TTL ts + INTERVAL 10 YEAR');
    run("INSERT INTO m.events (ts, s) VALUES (now(), 'a')");
    run('ALTER TABLE m.events ADD INDEX i s TYPE bloom_filter GRANULARITY 1');
    run('ALTER TABLE m.events ADD PROJECTION p (SELECT s, count() GROUP BY s)');
    expect(run("SELECT count() FROM system.mutations WHERE database = 'm'")).toBe('0');
    run('ALTER TABLE m.events MATERIALIZE INDEX i');
    run('ALTER TABLE m.events MATERIALIZE PROJECTION p');
    run('ALTER TABLE m.events MATERIALIZE COLUMN day');
    run('ALTER TABLE m.events MATERIALIZE TTL');
    expect(run("SELECT command FROM system.mutations WHERE database = 'm' ORDER BY create_time, mutation_id")).toBe(
      '(MATERIALIZE INDEX i)\n(MATERIALIZE PROJECTION p)\n(MATERIALIZE COLUMN day)\n(MATERIALIZE TTL)',
    );
  });
});
