import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hashObject } from '../../packages/core/src/canon/canonical.js';
import { buildModel } from '../../packages/core/src/model/replay.js';
import { parseSql } from '../../packages/core/src/syntax/parser.js';

// Test support: one schema of every kind the reader reads, as DDL a user would write, for the
// embedded engine and the chDB HTTP front. Not used by the product.

/** The statements, in the order they run. */
export const FIXTURE_DDL = [
  'CREATE DATABASE app',
  `CREATE TABLE app.events (
    day Date,
    user_id UInt64,
    kind LowCardinality(String),
    value Float64 DEFAULT 0 COMMENT 'what it was worth'
  ) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY (day, user_id) TTL day + INTERVAL 1 YEAR`,
  'CREATE TABLE app.daily (day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day',
  'CREATE MATERIALIZED VIEW app.daily_mv TO app.daily AS SELECT day, count() AS events FROM app.events GROUP BY day',
  `CREATE DICTIONARY app.kinds (kind String, label String DEFAULT '') PRIMARY KEY kind
    SOURCE(CLICKHOUSE(DB 'app' TABLE 'kind_labels')) LIFETIME(MIN 0 MAX 300) LAYOUT(COMPLEX_KEY_HASHED())`,
  'CREATE TABLE app.kind_labels (kind String, label String) ENGINE = MergeTree ORDER BY kind',
  'CREATE FUNCTION clickplan_share AS (part, total) -> if(total = 0, 0, part / total)',
];

/** Rows inserted after the DDL, so sizes can be checked. */
export const FIXTURE_DATA = [
  "INSERT INTO app.events (day, user_id, kind, value) VALUES (today(), 1, 'click', 1), (today(), 2, 'view', 0.5), (yesterday(), 1, 'click', 2)",
];

/** The access entities as a user would write them. chDB keeps users only in its XML user directory (see below). */
export const FIXTURE_ACCESS_DDL = [
  "CREATE USER analyst IDENTIFIED WITH sha256_password BY 'not-the-real-one' SETTINGS PROFILE default",
  'GRANT SELECT ON app.* TO analyst',
];

/**
 * A configuration that gives chDB's default user access management and defines the user
 * `analyst` with a grant. chDB 3.4 (ClickHouse 26.7) has no writable access storage (no
 * local_directory or memory user directory), so CREATE USER/ROLE cannot run in it: users come from
 * an XML user directory, which SHOW CREATE USER and SHOW GRANTS print like SQL-created ones.
 * Roles cannot be defined in XML at all. Returns the configuration file's path.
 */
export function writeChdbAccessConfig(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const users = join(dir, 'users.xml');
  writeFileSync(
    users,
    `<clickhouse>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
  <users>
    <default><password></password><access_management>1</access_management><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default>
    <analyst>
      <password_sha256_hex>3b1f5ac2f7b0a7d0c5b4d3a8ad1cb4c39b0f4f8d1be8a41f1d0c3b2a19e8d7c6</password_sha256_hex>
      <networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota>
      <grants><query>GRANT SELECT ON app.*</query></grants>
    </analyst>
  </users>
</clickhouse>
`,
  );
  const config = join(dir, 'config.xml');
  writeFileSync(config, `<clickhouse>\n  <user_directories><users_xml><path>${users}</path></users_xml></user_directories>\n</clickhouse>\n`);
  return config;
}

/** What the fixture leaves in chDB, as ClickHouse 26.7 stores it. */
export const EXPECTED_TABLES = [
  {
    database: 'app',
    name: 'daily',
    engine: 'SummingMergeTree',
    createQuery: 'CREATE TABLE app.daily (`day` Date, `events` UInt64) ENGINE = SummingMergeTree ORDER BY day SETTINGS index_granularity = 8192',
    totalRows: 2,
    totalBytes: expect.any(Number),
  },
  {
    database: 'app',
    name: 'daily_mv',
    engine: 'MaterializedView',
    createQuery:
      'CREATE MATERIALIZED VIEW app.daily_mv TO app.daily (`day` Date, `events` UInt64) AS SELECT day, count() AS events FROM app.events GROUP BY day',
  },
  {
    database: 'app',
    name: 'events',
    engine: 'MergeTree',
    createQuery:
      "CREATE TABLE app.events (`day` Date, `user_id` UInt64, `kind` LowCardinality(String), `value` Float64 DEFAULT 0 COMMENT 'what it was worth') ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY (day, user_id) TTL day + toIntervalYear(1) SETTINGS index_granularity = 8192",
    totalRows: 3,
    totalBytes: expect.any(Number),
  },
  {
    database: 'app',
    name: 'kind_labels',
    engine: 'MergeTree',
    createQuery: 'CREATE TABLE app.kind_labels (`kind` String, `label` String) ENGINE = MergeTree ORDER BY kind SETTINGS index_granularity = 8192',
    totalRows: 0,
    totalBytes: 0,
  },
  {
    database: 'app',
    name: 'kinds',
    engine: 'Dictionary',
    createQuery:
      "CREATE DICTIONARY app.kinds (`kind` String, `label` String DEFAULT '') PRIMARY KEY kind SOURCE(CLICKHOUSE(DB 'app' TABLE 'kind_labels')) LIFETIME(MIN 0 MAX 300) LAYOUT(COMPLEX_KEY_HASHED())",
  },
];

/** The rest of the live schema the fixture gives (scope: databases app and absent, users analyst and ghost, role auditor). */
export const EXPECTED_REST = {
  format: 2,
  serverVersion: '26.7.2.1',
  databases: [{ name: 'app', engine: 'Atomic', createQuery: 'CREATE DATABASE app\nENGINE = Atomic' }],
  functions: [{ name: 'clickplan_share', createQuery: 'CREATE FUNCTION clickplan_share AS (part, total) -> if(total = 0, 0, part / total)' }],
  accessEntities: [{ kind: 'user', name: 'analyst', createQuery: 'CREATE USER analyst IDENTIFIED WITH sha256_password SETTINGS PROFILE `default`' }],
  grants: ['GRANT SELECT ON app.* TO analyst'],
  gaps: [],
};

/** Object id → hash, of the objects the fixture's own DDL models to. */
export function hashesOfFixtureDdl(): Map<string, string> {
  const text = [...FIXTURE_DDL, ...FIXTURE_ACCESS_DDL].join(';\n');
  const parsed = parseSql(text, { file: 'fixture.sql' });
  expect(parsed.diagnostics).toEqual([]);
  const schema = buildModel([{ file: 'fixture.sql', statements: parsed.statements }]);
  expect(schema.diagnostics).toEqual([]);
  return new Map(schema.objects.map((o) => [`${o.kind} ${o.id}`, hashObject(o)]));
}
