import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleTester } from './ruleTester.js';
import rule from './unqualified-name.js';

const QUALIFIED = { qualifiedNames: true };

/** A pipeline written the way the events fixture writes it, every name unqualified after USE. */
const UNQUALIFIED = `USE analytics;

CREATE TABLE events (ts DateTime, user_id UInt64, country String) ENGINE = MergeTree ORDER BY ts;

CREATE TABLE daily (day Date, country String, events UInt64) ENGINE = SummingMergeTree ORDER BY (day, country);

CREATE MATERIALIZED VIEW daily_mv TO daily AS
SELECT toDate(ts) AS day, dictGet('country_names', 'name', tuple(country)) AS country, count() AS events
FROM events
WHERE user_id NOT IN (SELECT user_id FROM analytics.test_users)
GROUP BY day, country;
`;

ruleTester(rule, {
  valid: [
    // Off unless clickplan.yaml sets qualifiedNames: true.
    UNQUALIFIED,
  ],
  invalid: [
    {
      // The fix writes the database the session is in.
      sql: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;',
      project: { qualifiedNames: true },
      errors: [
        {
          messageId: 'unqualified',
          line: 1,
          column: 14,
          endColumn: 15,
          data: { name: 't', database: 'default' },
          fixes: [{ title: 'Qualify as default.t', output: 'CREATE TABLE default.t (a UInt8) ENGINE = MergeTree ORDER BY a;' }],
        },
      ],
    },
  ],
});

const POSITIONS = [
  { messageId: 'unqualified', line: 3, column: 14, endColumn: 20 },
  { messageId: 'unqualified', line: 5, column: 14, endColumn: 19 },
  { messageId: 'unqualified', line: 7, column: 26, endColumn: 34 },
  { messageId: 'unqualified', line: 7, column: 38, endColumn: 43 },
  { messageId: 'unqualified', line: 8, column: 35, endColumn: 50 },
  { messageId: 'unqualified', line: 9, column: 6, endColumn: 12 },
];

ruleTester(rule, {
  valid: [
    {
      name: 'accepts qualified names, temporary tables, CTEs, aliases and table functions',
      sql: `CREATE TABLE analytics.events (ts DateTime, user_id UInt64, country String) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW analytics.daily_mv TO analytics.daily AS
WITH recent AS (SELECT user_id FROM analytics.sessions WHERE ts > now() - INTERVAL 1 DAY)
SELECT toDate(e.ts) AS day, dictGet('analytics.country_names', 'name', tuple(e.country)) AS country, count() AS events
FROM analytics.events AS e
WHERE e.user_id IN (SELECT user_id FROM recent)
GROUP BY day, country;
CREATE TEMPORARY TABLE batch (id UInt64);
INSERT INTO batch SELECT number FROM numbers(10);
INSERT INTO analytics.events SELECT now(), id, 'FR' FROM batch;
CREATE DATABASE IF NOT EXISTS analytics;
GRANT SELECT ON analytics.* TO analyst;`,
      project: QUALIFIED,
    },
  ],
  invalid: [
    {
      name: 'with qualifiedNames: true, reports every unqualified name: objects, TO targets, view queries, dictGet names',
      sql: UNQUALIFIED,
      project: QUALIFIED,
      errors: POSITIONS,
    },
    {
      name: 'names the database the name means where it stands',
      files: [{ file: 'V1__events.sql', text: UNQUALIFIED }],
      project: QUALIFIED,
      errors: [
        {
          ...POSITIONS[0],
          message:
            '`events` has no database, but clickplan.yaml asks for qualified names: it means `analytics.events` only while the session is in `analytics`, so a deploy that connects with another default database reads or changes another object (and a view stores the name resolved at CREATE).',
          help: 'Write `analytics.events`.',
        },
        ...POSITIONS.slice(1),
      ],
    },
    {
      name: 'reports names in ALTER, DROP, RENAME, INSERT, OPTIMIZE and partition operations',
      sql: `ALTER TABLE events ADD COLUMN region String DEFAULT dictGet('analytics.regions', 'name', country);
ALTER TABLE analytics.daily_mv MODIFY QUERY SELECT toDate(ts) AS day, country, count() AS events FROM events GROUP BY day, country;
ALTER TABLE analytics.events ATTACH PARTITION 202401 FROM events_import;
RENAME TABLE analytics.events_old TO events_archive;
INSERT INTO daily SELECT toDate(ts), country, count() FROM analytics.events GROUP BY 1, 2;
OPTIMIZE TABLE daily FINAL;
DROP TABLE IF EXISTS events_import;
TRUNCATE TABLE scratch;`,
      project: QUALIFIED,
      errors: [
        { messageId: 'unqualified', line: 1, column: 13 },
        { messageId: 'unqualified', line: 2, column: 103 },
        { messageId: 'unqualified', line: 3, column: 59 },
        { messageId: 'unqualified', line: 4, column: 38 },
        { messageId: 'unqualified', line: 5, column: 13 },
        { messageId: 'unqualified', line: 6, column: 16 },
        { messageId: 'unqualified', line: 7, column: 22 },
        { messageId: 'unqualified', line: 8, column: 16 },
      ],
    },
    {
      name: "leaves a tenant's files alone: they are unqualified on purpose, to run in each tenant's database",
      files: [
        { file: 'prod/global/V1__shared.sql', text: 'CREATE TABLE countries (code String) ENGINE = MergeTree ORDER BY code;\n' },
        {
          file: 'prod/tenants/acme/schema/V1__events.sql',
          text: 'CREATE TABLE events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\n',
          defaultDatabase: 'tenant_acme',
        },
      ],
      project: QUALIFIED,
      errors: [{ messageId: 'unqualified', file: 'prod/global/V1__shared.sql', line: 1, column: 14 }],
    },
  ],
});

describe('unqualified-name on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-unqualified-'));
  const session = new Session(dataDir);
  const run = (sql: string) => session.query(sql, 'TSVRaw');
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resolves the names of one migration against the session database, and stores a view with them resolved', () => {
    const migration = [
      'CREATE TABLE events (ts DateTime, country String) ENGINE = MergeTree ORDER BY ts',
      'CREATE TABLE countries (code String, name String) ENGINE = MergeTree ORDER BY code',
      "CREATE DICTIONARY country_names (code String, name String) PRIMARY KEY code SOURCE(CLICKHOUSE(TABLE 'countries')) LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())",
      "CREATE VIEW by_country AS SELECT dictGet('country_names', 'name', tuple(country)) AS name, count() AS n FROM events GROUP BY name",
    ];
    // The same migration, deployed by two connections whose default databases differ.
    for (const database of ['staging', 'analytics']) {
      run(`CREATE DATABASE ${database}`);
      run(`USE ${database}`);
      for (const sql of migration) run(sql);
    }
    run('USE default');
    expect(run("SELECT database, name FROM system.tables WHERE name = 'events' AND database != 'system' ORDER BY database")).toBe(
      'analytics\tevents\nstaging\tevents\n',
    );
    // ClickHouse stores the view's query with the names resolved at CREATE, dictGet's included.
    expect(run("SELECT as_select FROM system.tables WHERE database = 'staging' AND name = 'by_country'")).toBe(
      "SELECT dictGet('staging.country_names', 'name', tuple(country)) AS name, count() AS n FROM staging.events GROUP BY name\n",
    );
  });
});
