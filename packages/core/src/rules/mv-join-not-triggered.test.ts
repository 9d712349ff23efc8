import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-join-not-triggered.js';
import { ruleTester } from './ruleTester.js';

const TABLES = `CREATE TABLE orders (ts DateTime, user_id UInt64, country String, amount Float64) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE countries (code String, name String) ENGINE = ReplacingMergeTree ORDER BY code;
CREATE TABLE named_orders (user_id UInt64, country_name String, amount Float64) ENGINE = MergeTree ORDER BY user_id;`;

ruleTester(rule, {
  valid: [
    // dictGet reads an in-memory dictionary: the recommended way to enrich rows in a view.
    `${TABLES}
CREATE DICTIONARY country_dict (code String, name String) PRIMARY KEY code
SOURCE(CLICKHOUSE(TABLE 'countries')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(300);
CREATE MATERIALIZED VIEW named_orders_mv TO named_orders AS
SELECT user_id, dictGet('country_dict', 'name', tuple(country)) AS country_name, amount FROM orders;`,
    // A Join-engine table is kept in memory for exactly this.
    `${TABLES}
CREATE TABLE country_join (code String, name String) ENGINE = Join(ANY, LEFT, code);
CREATE MATERIALIZED VIEW named_orders_mv TO named_orders AS
SELECT o.user_id, j.name AS country_name, o.amount FROM orders AS o LEFT JOIN country_join AS j ON j.code = o.country;`,
    // A refreshable view reruns its whole query on schedule; a plain view reads at query time.
    `${TABLES}
CREATE MATERIALIZED VIEW named_orders_hourly REFRESH EVERY 1 HOUR TO named_orders AS
SELECT o.user_id, c.name AS country_name, o.amount FROM orders AS o LEFT JOIN countries AS c ON c.code = o.country;
CREATE VIEW named_orders_view AS
SELECT o.user_id, c.name AS country_name, o.amount FROM orders AS o LEFT JOIN countries AS c ON c.code = o.country;`,
  ],
  invalid: [
    {
      sql: `${TABLES}
CREATE MATERIALIZED VIEW named_orders_mv TO named_orders AS
SELECT o.user_id, c.name AS country_name, o.amount
FROM orders AS o
LEFT JOIN countries AS c ON c.code = o.country;`,
      errors: [{ messageId: 'join', line: 7, column: 11, endColumn: 20 }],
    },
    {
      // IN (subquery) reads the other table for every block too; reading the source again scans all of it.
      sql: `${TABLES}
CREATE TABLE blocked_users (user_id UInt64) ENGINE = MergeTree ORDER BY user_id;
CREATE TABLE first_orders (user_id UInt64, ts DateTime) ENGINE = MergeTree ORDER BY user_id;
CREATE MATERIALIZED VIEW first_orders_mv TO first_orders AS
SELECT user_id, ts FROM orders
WHERE user_id NOT IN (SELECT user_id FROM blocked_users)
  AND user_id NOT IN (SELECT user_id FROM orders WHERE ts < now() - INTERVAL 1 DAY);`,
      errors: [
        { messageId: 'join', line: 8, column: 43, endColumn: 56 },
        { messageId: 'rereadsSource', line: 9, column: 43, endColumn: 49 },
      ],
    },
    {
      // A join through a CTE names the table inside the CTE (as in fixtures/repos/events-pipeline).
      sql: `CREATE DATABASE mart;
CREATE TABLE mart.events (ts DateTime, user_id UInt64, country String) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE mart.countries (code String, name String) ENGINE = MergeTree ORDER BY code;
CREATE TABLE mart.named (user_id UInt64, country_name String) ENGINE = MergeTree ORDER BY user_id;
CREATE MATERIALIZED VIEW mart.named_mv TO mart.named AS
WITH recent AS (SELECT code, name FROM mart.countries)
SELECT e.user_id, c.name AS country_name
FROM mart.events AS e
LEFT JOIN recent AS c ON c.code = e.country;`,
      errors: [{ messageId: 'join', line: 6, column: 40, endColumn: 54 }],
    },
  ],
});

describe('what ClickHouse does with a join in a materialized view', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-mv-join-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('fires only on inserts into the left-most table, never on inserts into the joined one', () => {
    run('CREATE DATABASE j');
    run('CREATE TABLE j.orders (user_id UInt64, country String) ENGINE = MergeTree ORDER BY user_id');
    run('CREATE TABLE j.countries (code String, name String) ENGINE = MergeTree ORDER BY code');
    run('CREATE TABLE j.named (user_id UInt64, country_name String) ENGINE = MergeTree ORDER BY user_id');
    run(`CREATE MATERIALIZED VIEW j.named_mv TO j.named AS
         SELECT o.user_id, c.name AS country_name FROM j.orders AS o LEFT JOIN j.countries AS c ON c.code = o.country`);
    run("INSERT INTO j.orders VALUES (7, 'NL')");
    run("INSERT INTO j.countries VALUES ('NL', 'Netherlands')");
    // The country arrived after the order: the view was not fired and the row keeps the empty name.
    expect(run("SELECT user_id, if(country_name = '', '(none)', country_name) FROM j.named ORDER BY user_id")).toBe('7\t(none)');
    run("INSERT INTO j.orders VALUES (8, 'NL')");
    expect(run("SELECT user_id, if(country_name = '', '(none)', country_name) FROM j.named ORDER BY user_id")).toBe('7\t(none)\n8\tNetherlands');
  });
});
