import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-target-columns.js';
import { ruleTester, testRule } from './ruleTester.js';

const events = `
CREATE DATABASE IF NOT EXISTS analytics;

CREATE TABLE analytics.events
(
    ts DateTime64(3, 'UTC'),
    user_id UInt64,
    event_type LowCardinality(String),
    country LowCardinality(String),
    price Decimal(18, 2),
    items Nested(sku String, qty UInt16)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/analytics/events', '{replica}')
ORDER BY (event_type, user_id, ts);
`;

const STAR = `
CREATE TABLE orders (order_id UInt64, price Decimal(18, 2), total Decimal(18, 2) MATERIALIZED price * 2, note String) ENGINE = MergeTree ORDER BY order_id;
CREATE TABLE orders_copy (order_id UInt64, price Decimal(18, 2), note String) ENGINE = MergeTree ORDER BY order_id;`;

ruleTester(rule, {
  valid: [
    // `*` over one table the migrations create is its columns, less MATERIALIZED ones and EXCEPT (issue 19).
    `${STAR}
CREATE MATERIALIZED VIEW orders_copy_mv TO orders_copy AS SELECT * FROM orders;
CREATE TABLE notes (order_id UInt64, price Decimal(18, 2)) ENGINE = MergeTree ORDER BY order_id;
CREATE MATERIALIZED VIEW notes_mv TO notes AS SELECT o.* EXCEPT (note) FROM orders AS o;`,
    // Every target column is produced, by alias or by a table-qualified column (named without the qualifier).
    `${events}
CREATE TABLE analytics.purchases
(
    ts DateTime64(3, 'UTC'),
    user_id UInt64,
    country LowCardinality(String),
    amount Decimal(18, 2)
)
ENGINE = MergeTree ORDER BY (user_id, ts);

CREATE MATERIALIZED VIEW analytics.purchases_mv TO analytics.purchases AS
SELECT e.ts, e.user_id, analytics.events.country, e.price AS amount
FROM analytics.events AS e
WHERE e.event_type = 'purchase';
`,
    // A target column with an explicit DEFAULT, or MATERIALIZED, ALIAS or EPHEMERAL, need not be produced.
    `${events}
CREATE TABLE analytics.daily_events
(
    day Date,
    event_type LowCardinality(String),
    events UInt64,
    inserted_at DateTime DEFAULT now(),
    month UInt32 MATERIALIZED toYYYYMM(day),
    weekday UInt8 ALIAS toDayOfWeek(day),
    raw_country String EPHEMERAL ''
)
ENGINE = SummingMergeTree ORDER BY (day, event_type);

CREATE MATERIALIZED VIEW analytics.daily_events_mv TO analytics.daily_events AS
SELECT toDate(ts) AS day, event_type, count() AS events
FROM analytics.events
GROUP BY day, event_type;
`,
    // Regression: Nested sub-columns selected as `items.sku` match the target's Nested column.
    `${events}
CREATE TABLE analytics.carts
(
    user_id UInt64,
    items Nested(sku String, qty UInt16)
)
ENGINE = MergeTree ORDER BY user_id;

CREATE MATERIALIZED VIEW analytics.carts_mv TO analytics.carts AS
SELECT user_id, items.sku, e.items.qty
FROM analytics.events AS e;
`,
    // Regression: an EPHEMERAL target column can be written; it feeds another column's DEFAULT.
    `${events}
CREATE TABLE analytics.users_by_country
(
    user_id UInt64,
    country_raw String EPHEMERAL,
    country LowCardinality(String) DEFAULT upper(country_raw)
)
ENGINE = ReplacingMergeTree ORDER BY user_id;

CREATE MATERIALIZED VIEW analytics.users_by_country_mv TO analytics.users_by_country AS
SELECT user_id, country AS country_raw FROM analytics.events;
`,
    // SELECT * of a table with the same columns; a target in a database the repository does not create cannot be checked.
    `${events}
CREATE TABLE analytics.events_copy AS analytics.events ENGINE = MergeTree ORDER BY ts;

CREATE MATERIALIZED VIEW analytics.events_copy_mv TO analytics.events_copy AS SELECT * FROM analytics.events;

CREATE MATERIALIZED VIEW analytics.export_mv TO warehouse.events AS SELECT ts, user_id FROM analytics.events;
`,
    // The first SELECT of a UNION names the columns.
    `${events}
CREATE TABLE analytics.activity (ts DateTime64(3, 'UTC'), user_id UInt64, kind String) ENGINE = MergeTree ORDER BY ts;

CREATE MATERIALIZED VIEW analytics.activity_mv TO analytics.activity AS
SELECT ts, user_id, 'event' AS kind FROM analytics.events
UNION ALL
SELECT ts, user_id, event_type FROM analytics.events WHERE event_type = 'signup';
`,
    // Several views fill one AggregatingMergeTree target, each its own columns (issue 19).
    `${events}
CREATE TABLE analytics.user_stats
(
    user_id UInt64,
    views AggregateFunction(count),
    spent AggregateFunction(sum, Decimal(18, 2)),
    last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree ORDER BY user_id;

CREATE MATERIALIZED VIEW analytics.user_views_mv TO analytics.user_stats AS
SELECT user_id, countState() AS views, max(ts) AS last_seen FROM analytics.events WHERE event_type = 'view' GROUP BY user_id;

CREATE MATERIALIZED VIEW analytics.user_spend_mv TO analytics.user_stats AS
SELECT user_id, sumState(price) AS spent FROM analytics.events WHERE event_type = 'purchase' GROUP BY user_id;
`,
  ],
  invalid: [
    // Found on the lint-precision corpus (data-platform): the target's column renamed under a `SELECT *` view.
    // chDB 26.7 then writes 0 to `unit_price` for every row.
    {
      sql: `${STAR}
CREATE MATERIALIZED VIEW orders_copy_mv TO orders_copy AS SELECT * FROM orders;
ALTER TABLE orders_copy RENAME COLUMN price TO unit_price;`,
      errors: [
        {
          messageId: 'missing',
          data: { view: 'default.orders_copy_mv', column: 'unit_price', target: 'default.orders_copy' },
          line: 4,
          column: 44,
          endColumn: 55,
        },
        { messageId: 'extra', data: { view: 'default.orders_copy_mv', column: 'price', target: 'default.orders_copy' }, line: 4, column: 66, endColumn: 67 },
      ],
    },
    {
      // A column none of the views fills is said once, at the first view; each view's own extra column still is.
      sql: `${events}
CREATE TABLE analytics.user_stats
(
    user_id UInt64,
    views AggregateFunction(count),
    spent AggregateFunction(sum, Decimal(18, 2)),
    last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    country LowCardinality(String)
)
ENGINE = AggregatingMergeTree ORDER BY user_id;

CREATE MATERIALIZED VIEW analytics.user_views_mv TO analytics.user_stats AS
SELECT user_id, countState() AS views, max(ts) AS last_seen FROM analytics.events WHERE event_type = 'view' GROUP BY user_id;

CREATE MATERIALIZED VIEW analytics.user_spend_mv TO analytics.user_stats AS
SELECT user_id, sumState(price) AS spent, 1 AS purchases FROM analytics.events WHERE event_type = 'purchase' GROUP BY user_id;
`,
      errors: [
        { messageId: 'missingFromAll', line: 26, column: 53, endColumn: 73 },
        { messageId: 'extra', line: 30, column: 43, endColumn: 57 },
      ],
    },
    {
      // A view whose FROM is a CTE gets the same check (issue 19).
      sql: `${events}
CREATE TABLE analytics.daily_buyers (day Date, buyers UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW analytics.daily_buyers_mv TO analytics.daily_buyers AS
WITH purchases AS (SELECT ts, user_id FROM analytics.events WHERE event_type = 'purchase')
SELECT toDate(ts) AS day, uniqExact(user_id) AS users
FROM purchases
GROUP BY day;
`,
      errors: [
        { messageId: 'missing', line: 18, column: 55, endColumn: 77 },
        { messageId: 'extra', line: 20, column: 27, endColumn: 54 },
      ],
    },
    {
      // `country` and `amount` get their defaults in every row; `total` is not a column of the target.
      sql: `${events}
CREATE TABLE analytics.purchases
(
    ts DateTime64(3, 'UTC'),
    user_id UInt64,
    country LowCardinality(String),
    amount Decimal(18, 2)
)
ENGINE = MergeTree ORDER BY (user_id, ts);

CREATE MATERIALIZED VIEW analytics.purchases_mv TO analytics.purchases AS
SELECT ts, user_id, price AS total
FROM analytics.events
WHERE event_type = 'purchase';
`,
      errors: [
        { messageId: 'missing', line: 25, column: 52, endColumn: 71 },
        { messageId: 'missing', line: 25, column: 52, endColumn: 71 },
        { messageId: 'extra', line: 26, column: 21, endColumn: 35 },
      ],
    },
    {
      // An expression without alias is named after its text (`count()`), which is no column.
      sql: `${events}
CREATE TABLE analytics.daily_events (day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW analytics.daily_events_mv TO analytics.daily_events AS
SELECT toDate(ts) AS day, count()
FROM analytics.events
GROUP BY day;
`,
      errors: [
        { messageId: 'missing', line: 18, column: 55, endColumn: 77 },
        { messageId: 'extra', line: 19, column: 27, endColumn: 34 },
      ],
    },
    {
      // A MATERIALIZED target column cannot be inserted into.
      sql: `${events}
CREATE TABLE analytics.monthly (month UInt32 MATERIALIZED toYYYYMM(day), day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day;

CREATE MATERIALIZED VIEW analytics.monthly_mv TO analytics.monthly AS
SELECT toDate(ts) AS day, toYYYYMM(ts) AS month, count() AS events FROM analytics.events GROUP BY day, month;
`,
      errors: [{ messageId: 'extra', line: 19, column: 27, endColumn: 48 }],
    },
    {
      // The target as the migrations leave it: a column added later is not produced. USE resolves the TO name.
      sql: `${events}
USE analytics;

CREATE TABLE sessions (user_id UInt64, started_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY user_id;

CREATE MATERIALIZED VIEW sessions_mv TO sessions AS
SELECT user_id, ts AS started_at FROM events WHERE event_type = 'session_start';

ALTER TABLE sessions ADD COLUMN device LowCardinality(String);
`,
      errors: [{ messageId: 'missing', line: 20, column: 41, endColumn: 49 }],
    },
  ],
});

describe('mv-target-columns on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-mv-columns-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a target column the SELECT does not produce gets its default in every row', () => {
    session.query('CREATE TABLE events (ts DateTime, user_id UInt64, price Decimal(18, 2)) ENGINE = MergeTree ORDER BY ts');
    session.query('CREATE TABLE purchases (ts DateTime, user_id UInt64, country String, amount Decimal(18, 2)) ENGINE = MergeTree ORDER BY ts');
    const sql = `CREATE MATERIALIZED VIEW purchases_mv TO purchases AS SELECT ts, user_id, price AS amount FROM events`;
    expect(testRule(rule, { sql: `${session.query('SHOW CREATE TABLE purchases', 'TSVRaw').replaceAll('\\n', '\n')};\n${sql};` })).toMatchObject([
      { messageId: 'missing', message: expect.stringContaining('`country`') },
    ]);
    session.query(sql);
    session.query("INSERT INTO events VALUES ('2024-05-01 10:00:00', 7, 9.99)");
    expect(session.query('SELECT user_id, country, amount FROM purchases', 'TSVRaw')).toBe('7\t\t9.99\n');
  });

  it('a SELECT column the target lacks makes ClickHouse refuse the view (code 8)', () => {
    session.query('CREATE TABLE totals (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts');
    expect(() => session.query('CREATE MATERIALIZED VIEW totals_mv TO totals AS SELECT ts, user_id, price AS total FROM events')).toThrow(
      /Code: 8\..*SELECT query outputs column with name 'total', which is not found in the target table/,
    );
    // So does a MATERIALIZED target column.
    session.query('CREATE TABLE monthly (day Date, month UInt32 MATERIALIZED toYYYYMM(day)) ENGINE = MergeTree ORDER BY day');
    expect(() => session.query('CREATE MATERIALIZED VIEW monthly_mv TO monthly AS SELECT toDate(ts) AS day, toYYYYMM(ts) AS month FROM events')).toThrow(
      /Code: 8\./,
    );
  });

  it('when the target loses a column after the view exists, the value is silently dropped', () => {
    session.query('CREATE TABLE spend (ts DateTime, user_id UInt64, total Decimal(18, 2)) ENGINE = MergeTree ORDER BY ts');
    session.query('CREATE MATERIALIZED VIEW spend_mv TO spend AS SELECT ts, user_id, price AS total FROM events');
    session.query('ALTER TABLE spend DROP COLUMN total');
    session.query("INSERT INTO events VALUES ('2024-05-02 10:00:00', 8, 19.99)");
    expect(session.query('SELECT * FROM spend', 'TSVRaw')).toBe('2024-05-02 10:00:00\t8\n');
  });

  it('names table-qualified columns without the qualifier and Nested sub-columns with their path; EPHEMERAL columns are writable', () => {
    session.query('CREATE TABLE carts_src (user_id UInt64, items Nested(sku String, qty UInt16)) ENGINE = MergeTree ORDER BY user_id');
    session.query(
      'CREATE TABLE carts (user_id UInt64, items Nested(sku String, qty UInt16), note_raw String EPHEMERAL, note String DEFAULT upper(note_raw)) ENGINE = MergeTree ORDER BY user_id',
    );
    session.query("CREATE MATERIALIZED VIEW carts_mv TO carts AS SELECT c.user_id, items.sku, c.items.qty, 'gift' AS note_raw FROM carts_src AS c");
    session.query("INSERT INTO carts_src VALUES (1, ['a', 'b'], [2, 3])");
    expect(session.query('SELECT user_id, items.sku, items.qty, note FROM carts', 'TSVRaw')).toBe("1\t['a','b']\t[2,3]\tGIFT\n");
  });
});
