import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rule from './reference-missing.js';
import { ruleTester, testRule } from './ruleTester.js';

const databases = `
CREATE DATABASE IF NOT EXISTS raw;
CREATE DATABASE IF NOT EXISTS mart;

CREATE TABLE raw.events
(
    ts DateTime64(3, 'UTC'),
    user_id UInt64,
    country LowCardinality(String),
    price Decimal(18, 2)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/raw/events', '{replica}')
ORDER BY (user_id, ts);
`;

ruleTester(rule, {
  valid: [
    // Databases the repository does not create are managed elsewhere: their objects are not checked.
    `
CREATE MATERIALIZED VIEW analytics.events_export_mv TO warehouse.events AS
SELECT ts, user_id, dictGet('geo.countries', 'name', country) AS country_name
FROM ingest.events;
`,
    // A complete pipeline: MV source and target, dictionary source, dictGet, CTE names.
    `${databases}
CREATE TABLE mart.countries (code String, name String) ENGINE = ReplacingMergeTree ORDER BY code;

CREATE DICTIONARY mart.country_dict (code String, name String DEFAULT 'Unknown')
PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'mart' TABLE 'countries'))
LAYOUT(COMPLEX_KEY_HASHED())
LIFETIME(3600);

CREATE TABLE mart.purchases (ts DateTime64(3, 'UTC'), user_id UInt64, country_name String) ENGINE = MergeTree ORDER BY ts;

CREATE MATERIALIZED VIEW mart.purchases_mv TO mart.purchases AS
WITH known AS (SELECT code FROM mart.countries)
SELECT ts, user_id, dictGet('mart.country_dict', 'name', country) AS country_name
FROM raw.events
WHERE country IN (SELECT code FROM known);
`,
    // Regression: an unqualified name means the database in USE when the CREATE ran, not the view's database.
    `${databases}
USE raw;

CREATE VIEW mart.recent_events AS SELECT * FROM events WHERE ts > now() - INTERVAL 1 DAY;
`,
    // A dictionary source on another server, and system tables, are not part of the schema.
    `${databases}
CREATE DICTIONARY mart.plans (plan_id UInt64, name String)
PRIMARY KEY plan_id
SOURCE(CLICKHOUSE(HOST 'billing.internal' PORT 9000 DB 'mart' TABLE 'plans'))
LAYOUT(HASHED())
LIFETIME(600);

CREATE VIEW mart.replicas AS SELECT database, table, is_readonly FROM system.replicas;
`,
    // Objects in \`default\` that ClickHouse or another tool makes: system tables, and databases the repository only reads (issue 19).
    `
CREATE TABLE events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
CREATE VIEW disk_usage AS SELECT name, free_space FROM system.disks;
CREATE VIEW imported AS SELECT * FROM crm.accounts;
`,
  ],
  invalid: [
    {
      // The one database that has the name qualifies it: the rule's fix.
      sql: `CREATE DATABASE raw;
CREATE DATABASE app;
CREATE TABLE raw.events (a UInt8) ENGINE = MergeTree ORDER BY a;
USE app;
CREATE VIEW v AS SELECT a FROM events;`,
      errors: [
        {
          messageId: 'missing',
          line: 5,
          column: 32,
          endColumn: 38,
          fixes: [
            {
              title: 'Qualify as raw.events',
              output: `CREATE DATABASE raw;
CREATE DATABASE app;
CREATE TABLE raw.events (a UInt8) ENGINE = MergeTree ORDER BY a;
USE app;
CREATE VIEW v AS SELECT a FROM raw.events;`,
            },
          ],
        },
      ],
    },
    {
      // Two databases have it: two suggestions for a person to choose from.
      sql: `CREATE DATABASE raw;
CREATE DATABASE old;
CREATE DATABASE app;
CREATE TABLE raw.events (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE old.events (a UInt8) ENGINE = MergeTree ORDER BY a;
USE app;
CREATE VIEW v AS SELECT a FROM events;`,
      errors: [
        {
          messageId: 'missing',
          line: 7,
          column: 32,
          endColumn: 38,
          fixes: ['raw', 'old'].map((database) => ({
            title: `Qualify as ${database}.events`,
            output: `CREATE DATABASE raw;
CREATE DATABASE old;
CREATE DATABASE app;
CREATE TABLE raw.events (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE old.events (a UInt8) ENGINE = MergeTree ORDER BY a;
USE app;
CREATE VIEW v AS SELECT a FROM ${database}.events;`,
          })),
        },
      ],
    },
    {
      // A name written with its database gets no qualification.
      sql: `CREATE DATABASE raw;
CREATE DATABASE old;
CREATE DATABASE app;
CREATE TABLE raw.events (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE old.events (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE VIEW app.v AS SELECT a FROM app.events;`,
      errors: [
        {
          messageId: 'missing',
          line: 6,
          column: 36,
          endColumn: 46,
          data: {
            from: 'app.v',
            how: 'reads',
            to: 'app.events',
            database: 'app',
            effect: 'ClickHouse refuses to create the view while it is missing (code 60), and if it is dropped later every query of the view fails.',
          },
          // Written qualified already: no qualification applies.
          fixes: [],
        },
      ],
    },
    {
      // Everything in \`default\`, which the repository never creates (issue 19): a Distributed table over
      // a missing local table, a dictionary over a missing source, and a view left reading a dropped table.
      sql: `
CREATE TABLE events_local (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE events AS events_local ENGINE = Distributed(main, default, events_locl, rand());
CREATE DICTIONARY users_dict (user_id UInt64, name String) PRIMARY KEY user_id
SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(HASHED()) LIFETIME(600);
CREATE TABLE sessions (user_id UInt64, started DateTime) ENGINE = MergeTree ORDER BY user_id;
CREATE VIEW recent_sessions AS SELECT * FROM sessions WHERE started > now() - INTERVAL 1 DAY;
DROP TABLE sessions;
`,
      errors: [
        { messageId: 'missing', line: 3, column: 73, endColumn: 84 },
        { messageId: 'missing', line: 5, column: 25, endColumn: 32 },
        { messageId: 'missing', line: 7, column: 46, endColumn: 54 },
      ],
    },
    {
      // A database created elsewhere (a provisioning script) that the repository makes tables in.
      sql: `
CREATE TABLE analytics.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW analytics.daily_mv TO analytics.daily AS SELECT toDate(ts) AS day, count() AS n FROM analytics.events GROUP BY day;
`,
      errors: [{ messageId: 'missing', line: 3, column: 48, endColumn: 63 }],
    },
    {
      sql: `${databases}
CREATE MATERIALIZED VIEW mart.daily_users_mv TO mart.daily_users AS
SELECT toDate(ts) AS day, uniqState(user_id) AS users
FROM raw.events
GROUP BY day;
`,
      errors: [{ messageId: 'missing', line: 15, column: 49, endColumn: 65 }],
    },
    {
      // The source that fires the view and a joined table.
      sql: `${databases}
CREATE TABLE mart.purchases (ts DateTime64(3, 'UTC'), user_id UInt64, plan String) ENGINE = MergeTree ORDER BY ts;

CREATE MATERIALIZED VIEW mart.purchases_mv TO mart.purchases AS
SELECT o.ts, o.user_id, p.name AS plan
FROM raw.orders AS o
LEFT JOIN mart.plans AS p ON p.plan_id = o.plan_id;
`,
      errors: [
        { messageId: 'missing', line: 19, column: 6, endColumn: 16 },
        { messageId: 'missing', line: 20, column: 11, endColumn: 21 },
      ],
    },
    {
      // dictGet in a column DEFAULT and in a view; a Buffer and a dictionary whose tables are missing.
      sql: `${databases}
CREATE TABLE mart.visits
(
    user_id UInt64,
    country LowCardinality(String),
    country_name String DEFAULT dictGet('mart.country_dict', 'name', country)
)
ENGINE = MergeTree ORDER BY user_id;

CREATE TABLE raw.events_buffer AS raw.events ENGINE = Buffer(raw, events_v2, 16, 10, 100, 10000, 1000000, 10000000, 100000000);

CREATE DICTIONARY mart.user_plans (user_id UInt64, plan String)
PRIMARY KEY user_id
SOURCE(CLICKHOUSE(DB 'mart' TABLE 'user_plan_rows'))
LAYOUT(HASHED())
LIFETIME(600);
`,
      errors: [
        { messageId: 'missing', line: 19, column: 41, endColumn: 60 },
        { messageId: 'missing', line: 23, column: 67, endColumn: 76 },
        { messageId: 'missing', line: 27, column: 35, endColumn: 51 },
      ],
    },
    {
      // Missing after the migrations: the target existed when the view was created, then was dropped.
      sql: `${databases}
CREATE TABLE mart.daily_users (day Date, users AggregateFunction(uniq, UInt64)) ENGINE = AggregatingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW mart.daily_users_mv TO mart.daily_users AS
SELECT toDate(ts) AS day, uniqState(user_id) AS users FROM raw.events GROUP BY day;

DROP TABLE mart.daily_users;
`,
      errors: [{ messageId: 'missing', line: 17, column: 49, endColumn: 65 }],
    },
    {
      // Regression: under USE raw, `TO daily_users` means raw.daily_users, whatever database the view is in.
      sql: `${databases}
CREATE TABLE mart.daily_users (day Date, users UInt64) ENGINE = SummingMergeTree ORDER BY day;

USE raw;

CREATE MATERIALIZED VIEW mart.daily_users_mv TO daily_users AS
SELECT toDate(ts) AS day, count() AS users FROM events GROUP BY day;
`,
      errors: [{ messageId: 'missing', line: 19, column: 49, endColumn: 60 }],
    },
  ],
});

describe('reference-missing on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-reference-'));
  const session = new Session(dataDir);
  const query = (sql: string) => session.query(sql, 'TSVRaw');
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  /** The rule's message for SQL that creates the databases first. */
  const messageFor = (sql: string) => testRule(rule, { sql: `CREATE DATABASE raw;\nCREATE DATABASE mart;\n${sql}` }).map((f) => f.message);

  beforeAll(() => {
    query('CREATE DATABASE raw ENGINE = Atomic');
    query('CREATE DATABASE mart ENGINE = Atomic');
    query('CREATE TABLE raw.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts');
  });

  it('a missing TO target: the CREATE is refused; dropped later, every insert into the source fails and writes nothing', () => {
    const view = 'CREATE MATERIALIZED VIEW mart.users_mv TO mart.users AS SELECT user_id FROM raw.events';
    expect(messageFor(`CREATE TABLE raw.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;\n${view};`)).toEqual([
      expect.stringContaining(
        'refuses to create the view while its target is missing (code 60), and if the target is dropped later every insert into the source fails',
      ),
    ]);
    expect(() => query(view)).toThrow(/Code: 60\..*mart\.users does not exist/);

    query('CREATE TABLE mart.users (user_id UInt64) ENGINE = MergeTree ORDER BY user_id');
    query(view);
    query('DROP TABLE mart.users');
    expect(() => query("INSERT INTO raw.events VALUES ('2024-05-01 10:00:00', 1)")).toThrow(/Code: 60\..*Target table 'mart\.users'/);
    expect(query('SELECT count() FROM raw.events')).toBe('0\n');
    query('DROP VIEW mart.users_mv');
  });

  it('a missing source or joined table: the CREATE is refused; a joined table dropped later fails every insert into the source', () => {
    expect(() => query('CREATE MATERIALIZED VIEW mart.orders_mv TO mart.orders AS SELECT user_id FROM raw.orders')).toThrow(/Code: 60\./);
    // A source dropped later is accepted: the view stays, with nothing left to fire it.
    query('CREATE TABLE raw.orders (user_id UInt64) ENGINE = MergeTree ORDER BY user_id');
    query('CREATE TABLE mart.orders (user_id UInt64) ENGINE = MergeTree ORDER BY user_id');
    query('CREATE MATERIALIZED VIEW mart.orders_mv TO mart.orders AS SELECT user_id FROM raw.orders');
    query('DROP TABLE raw.orders');
    expect(query("SELECT name FROM system.tables WHERE database = 'mart' AND name = 'orders_mv'")).toBe('orders_mv\n');

    query('CREATE TABLE mart.plans (user_id UInt64, plan String) ENGINE = MergeTree ORDER BY user_id');
    query('CREATE TABLE mart.user_plans (user_id UInt64, plan String) ENGINE = MergeTree ORDER BY user_id');
    const view =
      'CREATE MATERIALIZED VIEW mart.user_plans_mv TO mart.user_plans AS SELECT e.user_id AS user_id, p.plan AS plan FROM raw.events AS e LEFT JOIN mart.plans AS p ON p.user_id = e.user_id';
    query(view);
    query('DROP TABLE mart.plans');
    expect(
      messageFor(
        `CREATE TABLE raw.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;\nCREATE TABLE mart.user_plans (user_id UInt64, plan String) ENGINE = MergeTree ORDER BY user_id;\n${view};`,
      ),
    ).toEqual([expect.stringContaining("if it is dropped later every insert into the view's source fails (code 60)")]);
    expect(() => query("INSERT INTO raw.events VALUES ('2024-05-01 10:00:00', 2)")).toThrow(/Code: 60\..*mart\.plans/);
    query('DROP VIEW mart.user_plans_mv');
    query('TRUNCATE TABLE raw.events');
  });

  it('a plain view over a missing table: the CREATE is refused; dropped later, every query of the view fails', () => {
    expect(() => query('CREATE VIEW mart.sessions_view AS SELECT * FROM raw.sessions')).toThrow(/Code: 60\./);
    query('CREATE TABLE raw.sessions (id UInt64) ENGINE = MergeTree ORDER BY id');
    query('CREATE VIEW mart.sessions_view AS SELECT * FROM raw.sessions');
    query('DROP TABLE raw.sessions');
    expect(() => query('SELECT * FROM mart.sessions_view')).toThrow(/Code: 60\./);
  });

  it('dictGet of a missing dictionary: the CREATE is refused (code 36); dropped later, every insert through an MV that evaluates it fails', () => {
    const table =
      "CREATE TABLE mart.visits (user_id UInt64, plan String DEFAULT dictGet('mart.plan_dict', 'plan', user_id)) ENGINE = MergeTree ORDER BY user_id";
    expect(messageFor(`${table};`)).toEqual([expect.stringContaining('refuses the CREATE while the dictionary is missing (code 36)')]);
    expect(() => query(table)).toThrow(/Code: 36\..*mart\.plan_dict/);

    query('CREATE TABLE mart.plan_rows (user_id UInt64, plan String) ENGINE = MergeTree ORDER BY user_id');
    query(
      "CREATE DICTIONARY mart.plan_dict (user_id UInt64, plan String) PRIMARY KEY user_id SOURCE(CLICKHOUSE(DB 'mart' TABLE 'plan_rows')) LAYOUT(HASHED()) LIFETIME(0)",
    );
    // A dictionary's source table, and a dictionary a column DEFAULT uses, cannot be dropped (code 630)...
    expect(() => query('DROP TABLE mart.plan_rows')).toThrow(/Code: 630\./);
    query(table);
    expect(() => query('DROP DICTIONARY mart.plan_dict')).toThrow(/Code: 630\./);
    query('DROP TABLE mart.visits');
    // ...but one that only a materialized view's query uses can, and then every insert into the view's source fails.
    query('CREATE TABLE mart.event_plans (user_id UInt64, plan String) ENGINE = MergeTree ORDER BY user_id');
    query(
      "CREATE MATERIALIZED VIEW mart.event_plans_mv TO mart.event_plans AS SELECT user_id, dictGet('mart.plan_dict', 'plan', user_id) AS plan FROM raw.events",
    );
    query('DROP DICTIONARY mart.plan_dict');
    expect(() => query("INSERT INTO raw.events VALUES ('2024-05-01 10:00:00', 4)")).toThrow(/Code: 36\./);
    query('DROP VIEW mart.event_plans_mv');
    query('TRUNCATE TABLE raw.events');
  });

  it('joinGet of a missing Join table: the CREATE is refused (code 60)', () => {
    expect(() =>
      query("CREATE MATERIALIZED VIEW mart.plans_mv TO mart.user_plans AS SELECT user_id, joinGet('mart.plan_join', 'plan', user_id) AS plan FROM raw.events"),
    ).toThrow(/Code: 60\..*mart\.plan_join/);
  });

  it('a dictionary whose source table is missing: created, but every lookup fails (code 60)', () => {
    const dictionary =
      "CREATE DICTIONARY mart.plan_lookup (user_id UInt64, plan String) PRIMARY KEY user_id SOURCE(CLICKHOUSE(DB 'mart' TABLE 'plan_source')) LAYOUT(HASHED()) LIFETIME(0)";
    expect(messageFor(`${dictionary};`)).toEqual([expect.stringContaining('creates the dictionary, but it cannot load, so every lookup fails (code 60)')]);
    query(dictionary);
    expect(() => query("SELECT dictGet('mart.plan_lookup', 'plan', toUInt64(1))")).toThrow(/Code: 60\..*mart\.plan_source/);
  });

  it('a Buffer table whose destination is missing: inserts are accepted and the rows discarded at the flush', () => {
    const buffer =
      'CREATE TABLE raw.events_buffer (ts DateTime, user_id UInt64) ENGINE = Buffer(raw, events_v2, 1, 10, 100, 10000, 1000000, 10000000, 100000000)';
    expect(messageFor(`${buffer};`)).toEqual([expect.stringContaining('accepts inserts into the Buffer table and discards the rows when it flushes them')]);
    query(buffer);
    query("INSERT INTO raw.events_buffer VALUES ('2024-05-01 10:00:00', 3)");
    expect(query('SELECT count() FROM raw.events_buffer')).toBe('1\n');
    query('OPTIMIZE TABLE raw.events_buffer');
    expect(query('SELECT count() FROM raw.events_buffer')).toBe('0\n');
  });

  it('CREATE TABLE AS a missing table is refused (code 390); DEPENDS ON a missing view never refreshes', async () => {
    expect(messageFor('CREATE TABLE mart.events_copy AS raw.events_v1;')).toEqual([expect.stringContaining('ClickHouse refuses the CREATE (code 390)')]);
    expect(() => query('CREATE TABLE mart.events_copy AS raw.events_v1')).toThrow(/Code: 390\./);

    const refreshable =
      'CREATE MATERIALIZED VIEW mart.top_users REFRESH EVERY 1 HOUR DEPENDS ON mart.users_rollup ENGINE = MergeTree ORDER BY user_id AS SELECT user_id FROM raw.events';
    expect(messageFor(`CREATE TABLE raw.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;\n${refreshable};`)).toEqual([
      expect.stringContaining('system.view_refreshes shows MissingDependencies'),
    ]);
    query(refreshable);
    const status = () => query("SELECT status FROM system.view_refreshes WHERE view = 'top_users'");
    for (let i = 0; i < 50 && status() !== 'MissingDependencies\n'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(status()).toBe('MissingDependencies\n');
    expect(query("SELECT last_success_time IS NULL FROM system.view_refreshes WHERE view = 'top_users'")).toBe('1\n');
  });

  it('resolves unqualified names against the database in USE, not the view database', () => {
    query('USE raw');
    query('CREATE VIEW mart.recent AS SELECT * FROM events');
    expect(query("SELECT create_table_query FROM system.tables WHERE database = 'mart' AND name = 'recent'")).toContain('FROM raw.events');
    expect(() => query('CREATE MATERIALIZED VIEW mart.users_mv TO users AS SELECT user_id FROM events')).toThrow(/Code: 60\..*raw\.users does not exist/);
  });
});
