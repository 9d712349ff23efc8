import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './column-change-breaks-dependent.js';
import { ruleTester } from './ruleTester.js';

const EVENTS = `CREATE TABLE events (ts DateTime, user_id UInt64, country String, amount Float64, note String) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE daily (day Date, users AggregateFunction(uniq, UInt64), revenue SimpleAggregateFunction(sum, Float64)) ENGINE = AggregatingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW daily_mv TO daily AS
SELECT toDate(ts) AS day, uniqState(user_id) AS users, sum(amount) AS revenue FROM events GROUP BY day;`;

ruleTester(rule, {
  valid: [
    // No view reads `note`; `SELECT *` adapts to the columns the table has, and `* EXCEPT (note)` does not read it.
    `${EVENTS}
CREATE VIEW everything AS SELECT * FROM events;
CREATE TABLE events_copy (ts DateTime, user_id UInt64, country String, amount Float64) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW events_copy_mv TO events_copy AS SELECT * EXCEPT (note) FROM events;
ALTER TABLE events DROP COLUMN note;`,
    // The view is changed in the same migration, right after the rename.
    `${EVENTS}
ALTER TABLE events RENAME COLUMN amount TO amount_eur;
ALTER TABLE daily_mv MODIFY QUERY SELECT toDate(ts) AS day, uniqState(user_id) AS users, sum(amount_eur) AS revenue FROM events GROUP BY day;`,
    // A type change under sum() (target: SimpleAggregateFunction) converts; a plain view reads any type.
    `${EVENTS}
CREATE VIEW by_country AS SELECT country, count() AS n FROM events GROUP BY country;
ALTER TABLE events MODIFY COLUMN amount Decimal(18, 2), MODIFY COLUMN country LowCardinality(String);`,
    // `u.name` is another table's column; `day` in GROUP BY is the SELECT alias, not a column.
    `CREATE TABLE orders (ts DateTime, user_id UInt64, name String, day Date) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE users (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
CREATE VIEW order_users AS SELECT toDate(o.ts) AS day, u.name FROM orders AS o JOIN users AS u ON u.id = o.user_id GROUP BY day, u.name;
ALTER TABLE orders DROP COLUMN name, DROP COLUMN day;`,
    // The type of the target's state is changed first, so the new state type matches it.
    `${EVENTS}
ALTER TABLE daily MODIFY COLUMN users AggregateFunction(uniq, UInt32);
ALTER TABLE events MODIFY COLUMN user_id UInt32;`,
  ],
  invalid: [
    {
      sql: `${EVENTS}
ALTER TABLE events DROP COLUMN amount;`,
      errors: [{ messageId: 'dropRefused', line: 5, column: 20, endColumn: 38 }],
    },
    {
      sql: `${EVENTS}
CREATE VIEW by_user AS SELECT e.user_id, count() AS n FROM events AS e GROUP BY e.user_id;
ALTER TABLE events RENAME COLUMN user_id TO uid;`,
      errors: [
        { messageId: 'insertsFail', line: 6, column: 20, endColumn: 48 },
        { messageId: 'viewFails', line: 6, column: 20, endColumn: 48 },
      ],
    },
    {
      // The joined table's column breaks inserts into the left table; the dictionary's source breaks its loads.
      sql: `CREATE DATABASE shop;
CREATE TABLE shop.orders (id UInt64, country String) ENGINE = MergeTree ORDER BY id;
CREATE TABLE shop.countries (code String, name String, region String) ENGINE = MergeTree ORDER BY code;
CREATE TABLE shop.named_orders (id UInt64, country_name String) ENGINE = MergeTree ORDER BY id;
CREATE MATERIALIZED VIEW shop.named_orders_mv TO shop.named_orders AS
SELECT o.id, c.name AS country_name FROM shop.orders AS o LEFT JOIN shop.countries AS c ON c.code = o.country;
CREATE DICTIONARY shop.regions (code String, region String) PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'shop' TABLE 'countries')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(300);
ALTER TABLE shop.countries DROP COLUMN name;
ALTER TABLE shop.countries RENAME COLUMN region TO area;`,
      errors: [
        { messageId: 'insertsFail', line: 9, column: 28, endColumn: 44 },
        { messageId: 'dictionaryFails', line: 10, column: 28, endColumn: 56 },
      ],
    },
    {
      sql: `${EVENTS}
ALTER TABLE events MODIFY COLUMN user_id UInt32;`,
      errors: [{ messageId: 'stateTypeChanges', line: 5, column: 20, endColumn: 48 }],
    },
    {
      // `SELECT *` in a view fired by the table: the drop is refused, a renamed column misses the target.
      sql: `CREATE TABLE raw (id UInt64, payload String, source String) ENGINE = MergeTree ORDER BY id;
CREATE TABLE raw_copy (id UInt64, payload String, source String) ENGINE = MergeTree ORDER BY id;
CREATE MATERIALIZED VIEW raw_copy_mv TO raw_copy AS SELECT * FROM raw;
ALTER TABLE raw DROP COLUMN source;
ALTER TABLE raw RENAME COLUMN payload TO body;`,
      errors: [
        { messageId: 'dropRefused', line: 4, column: 17, endColumn: 35 },
        { messageId: 'starRenamed', line: 5, column: 17, endColumn: 46 },
      ],
    },
  ],
});

describe('what ClickHouse does when a column that a dependent reads changes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-column-change-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();
  const setUp = (database: string) => {
    run(`CREATE DATABASE ${database}`);
    run(`CREATE TABLE ${database}.events (ts DateTime, user_id UInt64, amount Float64) ENGINE = MergeTree ORDER BY ts`);
    run(
      `CREATE TABLE ${database}.daily (day Date, users AggregateFunction(uniq, UInt64), revenue SimpleAggregateFunction(sum, Float64)) ENGINE = AggregatingMergeTree ORDER BY day`,
    );
    run(
      `CREATE MATERIALIZED VIEW ${database}.daily_mv TO ${database}.daily AS SELECT toDate(ts) AS day, uniqState(user_id) AS users, sum(amount) AS revenue FROM ${database}.events GROUP BY day`,
    );
  };

  it('refuses to drop a column that a materialized view fired by the table reads', () => {
    setUp('dropped');
    expect(() => run('ALTER TABLE dropped.events DROP COLUMN amount')).toThrow(/Code: 524.*referenced by materialized view/);
  });

  it('accepts a rename, then refuses every insert into the source and every query of a view', () => {
    setUp('renamed');
    run('CREATE VIEW renamed.by_user AS SELECT user_id, count() AS n FROM renamed.events GROUP BY user_id');
    run('ALTER TABLE renamed.events RENAME COLUMN user_id TO uid');
    expect(() => run('INSERT INTO renamed.events VALUES (now(), 1, 2.5)')).toThrow(/Code: 47.*while pushing to view renamed.daily_mv/);
    expect(() => run('SELECT * FROM renamed.by_user')).toThrow(/Code: 47/);
  });

  it('fails inserts when an argument of a -State function changes type, and converts under sum()', () => {
    setUp('retyped');
    run('ALTER TABLE retyped.events MODIFY COLUMN amount Decimal(18, 2)');
    run('INSERT INTO retyped.events VALUES (now(), 1, 2.5)');
    run('ALTER TABLE retyped.events MODIFY COLUMN user_id UInt32');
    expect(() => run('INSERT INTO retyped.events VALUES (now(), 2, 2.5)')).toThrow(
      /Code: 70.*Conversion from AggregateFunction\(uniq, UInt32\) to AggregateFunction\(uniq, UInt64\) is not supported/,
    );
    expect(run('SELECT sum(revenue) FROM retyped.daily')).toBe('2.5');
  });

  it('refuses to drop a column a view fired by the table reads with *, and delivers a renamed one under its new name', () => {
    run('CREATE DATABASE star');
    run('CREATE TABLE star.raw (id UInt64, payload String, source String) ENGINE = MergeTree ORDER BY id');
    run('CREATE TABLE star.raw_copy (id UInt64, payload String, source String) ENGINE = MergeTree ORDER BY id');
    run('CREATE MATERIALIZED VIEW star.raw_copy_mv TO star.raw_copy AS SELECT * FROM star.raw');
    expect(() => run('ALTER TABLE star.raw DROP COLUMN source')).toThrow(/Code: 524/);
    run('ALTER TABLE star.raw RENAME COLUMN payload TO body');
    run("INSERT INTO star.raw VALUES (1, 'hello', 'web')");
    expect(run("SELECT id, payload = '', source FROM star.raw_copy")).toBe('1\t1\tweb');
  });

  it('accepts dropping a column of a joined table or a dictionary source, which then fail', () => {
    run('CREATE DATABASE joined');
    run('CREATE TABLE joined.orders (id UInt64, country String) ENGINE = MergeTree ORDER BY id');
    run('CREATE TABLE joined.countries (code String, name String, region String) ENGINE = MergeTree ORDER BY code');
    run('CREATE TABLE joined.named (id UInt64, country_name String) ENGINE = MergeTree ORDER BY id');
    run(`CREATE MATERIALIZED VIEW joined.named_mv TO joined.named AS
         SELECT o.id, c.name AS country_name FROM joined.orders AS o LEFT JOIN joined.countries AS c ON c.code = o.country`);
    run(`CREATE DICTIONARY joined.regions (code String, region String) PRIMARY KEY code
         SOURCE(CLICKHOUSE(DB 'joined' TABLE 'countries')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(300)`);
    run("INSERT INTO joined.countries VALUES ('NL', 'Netherlands', 'Europe')");
    expect(run("SELECT dictGet('joined.regions', 'region', tuple('NL'))")).toBe('Europe');
    run('ALTER TABLE joined.countries DROP COLUMN name');
    expect(() => run("INSERT INTO joined.orders VALUES (1, 'NL')")).toThrow(/Code: 47.*while pushing to view joined.named_mv/);
    run('ALTER TABLE joined.countries RENAME COLUMN region TO area');
    expect(() => run('SYSTEM RELOAD DICTIONARY joined.regions')).toThrow(/Code: 47/);
    // The loaded dictionary keeps serving what it loaded before.
    expect(run("SELECT dictGet('joined.regions', 'region', tuple('NL'))")).toBe('Europe');
  });
});
