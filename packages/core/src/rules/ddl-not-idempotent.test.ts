import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './ddl-not-idempotent.js';
import { ruleTester } from './ruleTester.js';

/** How `clickplan lint` describes the test file: a versioned migration, run as written. */
const VERSIONED = { migrations: [{ file: 'test.sql', kind: 'versioned' as const, checksum: '' }] };

ruleTester(rule, {
  valid: [
    // A file not known to be a migration (an editor buffer, a declarative schema) is not judged.
    'CREATE TABLE analytics.events (ts DateTime) ENGINE = MergeTree ORDER BY ts;',
    // Every statement can run again after a failure further on.
    {
      project: VERSIONED,
      sql: `
CREATE DATABASE IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS analytics.events
(
    ts DateTime,
    user_id UInt64,
    event_type LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (event_type, ts);

CREATE TABLE IF NOT EXISTS analytics.daily (day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.daily_mv TO analytics.daily AS
SELECT toDate(ts) AS day, count() AS events FROM analytics.events GROUP BY day;

CREATE DICTIONARY IF NOT EXISTS analytics.countries (code String, name String)
PRIMARY KEY code SOURCE(CLICKHOUSE(DB 'analytics' TABLE 'country_names')) LIFETIME(3600) LAYOUT(COMPLEX_KEY_HASHED());

CREATE FUNCTION IF NOT EXISTS share AS (part, total) -> if(total = 0, 0, part / total);
CREATE ROLE IF NOT EXISTS analyst;

DROP TABLE IF EXISTS analytics.events_old SYNC;
DROP VIEW IF EXISTS analytics.events_by_day;
DROP DICTIONARY IF EXISTS analytics.old_countries;
`,
    },
    // OR REPLACE replaces what exists; ATTACH, temporary tables, UNDROP and ALTERs are not judged.
    {
      project: VERSIONED,
      sql: `
CREATE OR REPLACE VIEW analytics.signups AS SELECT * FROM analytics.events WHERE event_type = 'signup';
CREATE OR REPLACE FUNCTION share AS (part, total) -> if(total = 0, 0, part / total);
REPLACE TABLE analytics.scratch (id UInt64) ENGINE = MergeTree ORDER BY id;
CREATE TEMPORARY TABLE batch (id UInt64);
DROP TEMPORARY TABLE batch;
UNDROP TABLE analytics.events_old;
ALTER TABLE analytics.events ADD COLUMN country String;
`,
    },
    // A CREATE right after DROP ... IF EXISTS of the same name runs again as it did the first time (issue 19).
    {
      project: VERSIONED,
      sql: `
DROP TABLE IF EXISTS analytics.sessions_mv;
CREATE MATERIALIZED VIEW analytics.sessions_mv TO analytics.sessions AS SELECT user_id FROM analytics.events;
DROP DICTIONARY IF EXISTS analytics.countries;
CREATE DICTIONARY analytics.countries (code String, name String)
PRIMARY KEY code SOURCE(CLICKHOUSE(DB 'analytics' TABLE 'country_names')) LIFETIME(3600) LAYOUT(COMPLEX_KEY_HASHED());
DROP FUNCTION IF EXISTS share;
CREATE FUNCTION share AS (part, total) -> if(total = 0, 0, part / total);
`,
    },
  ],
  invalid: [
    {
      // A CREATE gets IF NOT EXISTS, a DROP gets IF EXISTS.
      sql: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE t;',
      project: VERSIONED,
      errors: [
        {
          messageId: 'create',
          line: 1,
          column: 14,
          endColumn: 15,
          data: { what: 'CREATE TABLE', name: 't' },
          fixes: [{ title: 'Add IF NOT EXISTS', output: 'CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE t;' }],
        },
        {
          messageId: 'drop',
          line: 2,
          column: 12,
          endColumn: 13,
          data: { what: 'DROP TABLE', name: 't' },
          fixes: [{ title: 'Add IF EXISTS', output: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE IF EXISTS t;' }],
        },
      ],
    },
    {
      // A DROP of another kind of name, or of another name, protects nothing (issue 19).
      project: VERSIONED,
      sql: `
DROP FUNCTION IF EXISTS sessions;
CREATE VIEW sessions AS SELECT 1;
DROP VIEW IF EXISTS analytics.recent;
CREATE VIEW analytics.latest AS SELECT 1;
`,
      errors: [
        { messageId: 'create', line: 3, column: 13, endColumn: 21 },
        { messageId: 'create', line: 5, column: 13, endColumn: 29 },
      ],
    },
    {
      project: VERSIONED,
      sql: `
CREATE DATABASE analytics;

CREATE TABLE analytics.events
(
    ts DateTime,
    user_id UInt64
)
ENGINE = MergeTree
ORDER BY ts;

CREATE MATERIALIZED VIEW analytics.daily_mv TO analytics.daily AS
SELECT toDate(ts) AS day, count() AS events FROM analytics.events GROUP BY day;
`,
      errors: [
        { messageId: 'create', line: 2, column: 17, endColumn: 26 },
        { messageId: 'create', line: 4, column: 14, endColumn: 30 },
        { messageId: 'create', line: 12, column: 26, endColumn: 44 },
      ],
    },
    {
      project: VERSIONED,
      sql: `
USE analytics;
CREATE DICTIONARY countries (code String, name String)
PRIMARY KEY code SOURCE(CLICKHOUSE(TABLE 'country_names')) LIFETIME(3600) LAYOUT(COMPLEX_KEY_HASHED());
CREATE VIEW signups AS SELECT * FROM events WHERE event_type = 'signup';
CREATE FUNCTION share AS (part, total) -> if(total = 0, 0, part / total);
CREATE USER loader IDENTIFIED WITH sha256_hash BY 'ab' HOST NONE;
`,
      errors: [
        { messageId: 'create', line: 3, column: 19, endColumn: 28 },
        { messageId: 'create', line: 5, column: 13, endColumn: 20 },
        { messageId: 'create', line: 6, column: 17, endColumn: 22 },
        { messageId: 'create', line: 7, column: 13, endColumn: 19 },
      ],
    },
    {
      project: VERSIONED,
      sql: `
DROP TABLE analytics.events_old SYNC;
DETACH DICTIONARY analytics.old_countries;
DROP DATABASE staging ON CLUSTER main;
`,
      errors: [
        { messageId: 'drop', line: 2, column: 12, endColumn: 32 },
        { messageId: 'drop', line: 3, column: 19, endColumn: 42 },
        { messageId: 'drop', line: 4, column: 15, endColumn: 22 },
      ],
    },
  ],
});

const LAYOUT_TEXT = 'CREATE TABLE analytics.events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\n';

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'says what fails and that IF NOT EXISTS hides drift',
      files: [{ file: 'V1__init.sql', text: 'CREATE TABLE analytics.events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\nDROP VIEW analytics.old;\n' }],
      project: { migrations: [{ file: 'V1__init.sql', kind: 'versioned', checksum: '' }] },
      errors: [
        {
          messageId: 'create',
          line: 1,
          column: 14,
          message:
            'CREATE TABLE `analytics.events` has no IF NOT EXISTS: if the migration runs again after failing further on, ClickHouse refuses it because `analytics.events` exists, and the migration cannot finish.',
          help: 'Write CREATE TABLE IF NOT EXISTS; ClickPlan plan and check still report an existing `analytics.events` whose definition differs, which IF NOT EXISTS keeps silently.',
        },
        {
          messageId: 'drop',
          line: 2,
          column: 11,
          message:
            'DROP VIEW `analytics.old` has no IF EXISTS: if the migration runs again after failing further on, ClickHouse refuses it because `analytics.old` is gone already, and the migration cannot finish.',
          help: 'Write DROP VIEW IF EXISTS.',
        },
      ],
    },
    {
      name: 'judges versioned and repeatable migrations, and leaves declarative schema files alone: they never run as written',
      files: [
        { file: 'schema/events.sql', text: LAYOUT_TEXT },
        { file: 'db/migration/V1__events.sql', text: LAYOUT_TEXT },
        { file: 'db/migration/R__views.sql', text: 'CREATE VIEW analytics.recent AS SELECT * FROM analytics.events;\n' },
      ],
      project: {
        migrations: [
          { file: 'schema/events.sql', kind: 'declarative', checksum: '' },
          { file: 'db/migration/V1__events.sql', kind: 'versioned', checksum: '' },
          { file: 'db/migration/R__views.sql', kind: 'repeatable', checksum: '' },
        ],
      },
      errors: [
        { messageId: 'create', file: 'db/migration/V1__events.sql', line: 1, column: 14 },
        { messageId: 'create', file: 'db/migration/R__views.sql', line: 1, column: 13 },
      ],
    },
  ],
});

describe('ddl-not-idempotent on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-idempotent-'));
  const session = new Session(dataDir);
  const run = (sql: string) => session.query(sql, 'TSVRaw');
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a CREATE of what exists and a DROP of what is gone, so a migration run again stops there', () => {
    const migration = [
      'CREATE DATABASE idem',
      'CREATE TABLE idem.events (ts DateTime) ENGINE = MergeTree ORDER BY ts',
      'CREATE VIEW idem.recent AS SELECT * FROM idem.events',
      "CREATE DICTIONARY idem.kinds (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'events')) LIFETIME(0) LAYOUT(FLAT())",
      'DROP TABLE idem.scratch',
      'DROP DATABASE idem_old',
    ];
    for (const sql of migration.slice(0, 4)) run(sql);
    const codes = migration.map((sql) => {
      try {
        run(sql);
        return 'ok';
      } catch (error) {
        return /\((\w+)\)/.exec((error as Error).message)?.[1];
      }
    });
    expect(codes).toEqual([
      'DATABASE_ALREADY_EXISTS',
      'TABLE_ALREADY_EXISTS',
      'TABLE_ALREADY_EXISTS',
      'DICTIONARY_ALREADY_EXISTS',
      'UNKNOWN_TABLE',
      'UNKNOWN_DATABASE',
    ]);
    // With IF [NOT] EXISTS the same migration runs again to the end.
    for (const sql of migration) run(sql.replace(/^(CREATE \w+)/, '$1 IF NOT EXISTS').replace(/^(DROP \w+)/, '$1 IF EXISTS'));
  });

  it('keeps an existing table as it is under IF NOT EXISTS: drift goes unnoticed', () => {
    run('CREATE TABLE IF NOT EXISTS idem.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts');
    expect(run("SELECT name FROM system.columns WHERE database = 'idem' AND table = 'events'")).toBe('ts\n');
  });
});
