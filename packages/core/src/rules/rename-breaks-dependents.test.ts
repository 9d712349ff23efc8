import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './rename-breaks-dependents.js';
import { ruleTester } from './ruleTester.js';

const SHOP = `CREATE TABLE orders (id UInt64, country String, amount Float64) ENGINE = MergeTree ORDER BY id;
CREATE TABLE countries (code String, name String) ENGINE = MergeTree ORDER BY code;
CREATE TABLE order_totals (country String, amount Float64) ENGINE = SummingMergeTree ORDER BY country;
CREATE MATERIALIZED VIEW order_totals_mv TO order_totals AS SELECT country, amount FROM orders;`;

ruleTester(rule, {
  valid: [
    // Nothing uses the renamed table.
    `${SHOP}
RENAME TABLE countries TO countries_v1;`,
    // The view is moved to the new name in the same migration.
    `${SHOP}
RENAME TABLE orders TO orders_v2;
ALTER TABLE order_totals_mv MODIFY QUERY SELECT country, amount FROM orders_v2;`,
    // A swap: a rebuilt table takes the old name in the same statement.
    `${SHOP}
CREATE TABLE orders_new (id UInt64, country LowCardinality(String), amount Float64) ENGINE = MergeTree ORDER BY id;
RENAME TABLE orders TO orders_old, orders_new TO orders;`,
    // A TO target is mv-target-dropped's, not this rule's.
    `${SHOP}
RENAME TABLE order_totals TO order_totals_old;`,
  ],
  invalid: [
    {
      sql: `${SHOP}
RENAME TABLE orders TO orders_v2;`,
      errors: [{ messageId: 'stopsFiring', line: 5, column: 14, endColumn: 20 }],
    },
    {
      sql: `${SHOP}
CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 1000;
CREATE TABLE named_orders (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
CREATE MATERIALIZED VIEW named_orders_mv TO named_orders AS
SELECT o.id, c.name FROM orders AS o LEFT JOIN countries AS c ON c.code = o.country;
RENAME TABLE countries TO country_names;
RENAME TABLE big_orders TO large_orders;`,
      errors: [{ messageId: 'insertsFail', line: 9, column: 14, endColumn: 23 }],
    },
    {
      // A dictionary's source is tracked by ClickHouse (refused); dictGet in a view is not.
      sql: `CREATE DATABASE ref;
CREATE TABLE ref.countries (code String, name String) ENGINE = MergeTree ORDER BY code;
CREATE DICTIONARY ref.country_dict (code String, name String) PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'ref' TABLE 'countries')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(300);
CREATE VIEW ref.named AS SELECT dictGet('ref.country_dict', 'name', tuple('NL')) AS name;
CREATE MATERIALIZED VIEW ref.hourly REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY code AS SELECT code FROM ref.countries;
CREATE MATERIALIZED VIEW ref.daily REFRESH EVERY 1 DAY DEPENDS ON ref.hourly ENGINE = MergeTree ORDER BY code AS SELECT code FROM ref.countries;
RENAME TABLE ref.countries TO ref.countries_v2;
RENAME DICTIONARY ref.country_dict TO ref.country_names;
RENAME TABLE ref.hourly TO ref.hourly_v2;`,
      errors: [
        { messageId: 'refused', line: 8, column: 14, endColumn: 27 },
        { messageId: 'queriesFail', line: 9, column: 19, endColumn: 35 },
        { messageId: 'refreshWaits', line: 10, column: 14, endColumn: 24 },
      ],
    },
    {
      sql: `CREATE TABLE sales (day Date, amount Float64) ENGINE = MergeTree ORDER BY day;
CREATE MATERIALIZED VIEW sales_daily REFRESH EVERY 1 DAY ENGINE = MergeTree ORDER BY day
AS SELECT day, sum(amount) AS amount FROM sales GROUP BY day;
RENAME TABLE sales TO sales_eur;`,
      errors: [{ messageId: 'refreshFails', line: 4, column: 14, endColumn: 19 }],
    },
  ],
});

describe('what ClickHouse does when a table that others use is renamed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-rename-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('keeps a materialized view waiting for inserts into the old name', () => {
    run('CREATE DATABASE fired');
    run('CREATE TABLE fired.orders (id UInt64) ENGINE = MergeTree ORDER BY id');
    run('CREATE TABLE fired.ids (id UInt64) ENGINE = MergeTree ORDER BY id');
    run('CREATE MATERIALIZED VIEW fired.ids_mv TO fired.ids AS SELECT id FROM fired.orders');
    run('INSERT INTO fired.orders VALUES (1)');
    run('RENAME TABLE fired.orders TO fired.orders_v2');
    run('INSERT INTO fired.orders_v2 VALUES (2)');
    expect(run('SELECT count() FROM fired.orders_v2')).toBe('2');
    expect(run('SELECT id FROM fired.ids')).toBe('1');
  });

  it('fails views, inserts through joins and dictGet, and refuses renaming a dictionary source', () => {
    run('CREATE DATABASE used');
    run('CREATE TABLE used.orders (id UInt64, country String) ENGINE = MergeTree ORDER BY id');
    run('CREATE TABLE used.countries (code String, name String) ENGINE = MergeTree ORDER BY code');
    run('CREATE TABLE used.named (id UInt64, name String) ENGINE = MergeTree ORDER BY id');
    run(`CREATE MATERIALIZED VIEW used.named_mv TO used.named AS
         SELECT o.id, c.name FROM used.orders AS o LEFT JOIN used.countries AS c ON c.code = o.country`);
    run('CREATE VIEW used.codes AS SELECT code FROM used.countries');
    run('RENAME TABLE used.countries TO used.countries_v2');
    expect(() => run("INSERT INTO used.orders VALUES (1, 'NL')")).toThrow(/Code: 60.*while pushing to view used.named_mv/);
    expect(() => run('SELECT * FROM used.codes')).toThrow(/Code: 60/);

    run(`CREATE DICTIONARY used.country_dict (code String, name String) PRIMARY KEY code
         SOURCE(CLICKHOUSE(DB 'used' TABLE 'countries_v2')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(300)`);
    expect(() => run('RENAME TABLE used.countries_v2 TO used.countries_v3')).toThrow(/Code: 630.*some tables depend on it: used.country_dict/);
    run('CREATE TABLE used.visits (code String) ENGINE = MergeTree ORDER BY code');
    run('CREATE TABLE used.visit_names (name String) ENGINE = MergeTree ORDER BY name');
    run(
      `CREATE MATERIALIZED VIEW used.visit_names_mv TO used.visit_names AS SELECT dictGet('used.country_dict', 'name', tuple(code)) AS name FROM used.visits`,
    );
    run('RENAME DICTIONARY used.country_dict TO used.country_names');
    expect(() => run("INSERT INTO used.visits VALUES ('NL')")).toThrow(/Code: 36.*not found.*while pushing to view used.visit_names_mv/);
  });

  it('leaves a refreshable view that depends on the old name waiting', async () => {
    run('CREATE DATABASE refresh');
    run('CREATE TABLE refresh.t (x UInt8) ENGINE = MergeTree ORDER BY x');
    run('CREATE MATERIALIZED VIEW refresh.hourly REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY x AS SELECT x FROM refresh.t');
    run('CREATE MATERIALIZED VIEW refresh.daily REFRESH EVERY 1 DAY DEPENDS ON refresh.hourly ENGINE = MergeTree ORDER BY x AS SELECT x FROM refresh.t');
    run('RENAME TABLE refresh.hourly TO refresh.hourly_v2');
    let status = '';
    for (let i = 0; i < 100 && status !== 'MissingDependencies'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = run("SELECT status FROM system.view_refreshes WHERE database = 'refresh' AND view = 'daily'");
    }
    expect(status).toBe('MissingDependencies');
  });

  it('fails the refresh of a refreshable view that reads the old name', async () => {
    run('CREATE TABLE refresh.sales (x UInt8) ENGINE = MergeTree ORDER BY x');
    run('CREATE MATERIALIZED VIEW refresh.sales_daily REFRESH EVERY 1 DAY ENGINE = MergeTree ORDER BY x AS SELECT x FROM refresh.sales');
    run('RENAME TABLE refresh.sales TO refresh.sales_eur');
    run('SYSTEM REFRESH VIEW refresh.sales_daily');
    let exception = '';
    for (let i = 0; i < 100 && !exception; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      exception = run("SELECT exception FROM system.view_refreshes WHERE database = 'refresh' AND view = 'sales_daily'");
    }
    expect(exception).toMatch(/Code: 60/);
  });
});
