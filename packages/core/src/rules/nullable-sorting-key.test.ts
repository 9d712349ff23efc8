import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './nullable-sorting-key.js';
import { ruleTester, testRule } from './ruleTester.js';

ruleTester(rule, {
  valid: [
    // Nullable columns outside every key are fine.
    `
CREATE TABLE analytics.events
(
    ts DateTime64(3, 'UTC'),
    user_id UInt64,
    event_type LowCardinality(String),
    device Nullable(String),
    referrer LowCardinality(Nullable(String))
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/analytics/events', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (event_type, user_id, ts);
`,
    // allow_nullable_key lets NULL into the key, written as 1 or as true.
    `
CREATE TABLE analytics.sessions
(
    session_id String,
    campaign Nullable(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign, session_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8192;

CREATE TABLE analytics.campaigns (campaign Nullable(String), clicks UInt64)
ENGINE = SummingMergeTree ORDER BY campaign SETTINGS allow_nullable_key = true;
`,
    // Regression: ClickHouse checks the type of each key element, and these are never NULL.
    `
CREATE TABLE analytics.devices
(
    user_id UInt64,
    device Nullable(String),
    os Nullable(String),
    first_seen Nullable(DateTime)
)
ENGINE = MergeTree
PARTITION BY isNull(first_seen)
ORDER BY (user_id, ifNull(device, ''), coalesce(os, device, 'unknown'), assumeNotNull(first_seen), device IS NULL);
`,
    // Not a MergeTree engine: no sorting key to check.
    `
CREATE TABLE analytics.events_buffer
(
    ts DateTime,
    device Nullable(String)
)
ENGINE = Memory;

CREATE TABLE analytics.events_log (ts DateTime, device Nullable(String)) ENGINE = Log;
`,
  ],
  invalid: [
    {
      sql: `
CREATE TABLE analytics.page_views
(
    ts DateTime,
    user_id Nullable(UInt64),
    url String
)
ENGINE = MergeTree
ORDER BY (user_id, ts);
`,
      errors: [{ messageId: 'nullable', line: 5, column: 5, endColumn: 29 }],
    },
    {
      // LowCardinality(Nullable(T)) and `T NULL` are Nullable too; PRIMARY KEY is part of the sorting key.
      sql: `
CREATE TABLE analytics.clicks
(
    ts DateTime,
    country LowCardinality(Nullable(String)),
    campaign String NULL,
    user_id UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/analytics/clicks', '{replica}')
PRIMARY KEY (country, campaign)
ORDER BY (country, campaign, user_id);
`,
      errors: [
        { messageId: 'nullable', line: 5, column: 5, endColumn: 45 },
        { messageId: 'nullable', line: 6, column: 5, endColumn: 25 },
      ],
    },
    {
      // Most functions of a Nullable column are Nullable; ifNull of two Nullable columns is too.
      sql: `
CREATE TABLE analytics.signups
(
    ts DateTime,
    email Nullable(String),
    referrer Nullable(String),
    fallback Nullable(String)
)
ENGINE = MergeTree
ORDER BY (lower(email), ifNull(referrer, fallback), ts);
`,
      errors: [
        { messageId: 'nullable', line: 5, column: 5, endColumn: 27 },
        { messageId: 'nullable', line: 6, column: 5, endColumn: 30 },
        { messageId: 'nullable', line: 7, column: 5, endColumn: 30 },
      ],
    },
    {
      // Regression: a Nullable partition key is refused the same way.
      sql: `
CREATE TABLE analytics.orders
(
    order_id UInt64,
    paid_at Nullable(DateTime)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(paid_at)
ORDER BY order_id;
`,
      errors: [{ messageId: 'nullable', line: 5, column: 5, endColumn: 31 }],
    },
    {
      // Regression: allow_nullable_key = false is the default, not a way out.
      sql: `
CREATE TABLE analytics.refunds (refund_id Nullable(UInt64), amount Decimal(18, 2))
ENGINE = MergeTree
ORDER BY refund_id
SETTINGS allow_nullable_key = false;
`,
      errors: [{ messageId: 'nullable', line: 2, column: 33, endColumn: 59 }],
    },
  ],
});

describe('nullable-sorting-key on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-nullable-key-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const table = (name: string, key: string) =>
    `CREATE TABLE ${name} (ts DateTime, email Nullable(String), paid_at Nullable(DateTime), user_id UInt64) ENGINE = MergeTree ${key}`;

  it.each([
    ['sorting key', 'ORDER BY (email, ts)'],
    ['sorting key', 'ORDER BY (lower(email), ts)'],
    ['partition key', 'PARTITION BY toYYYYMM(paid_at) ORDER BY ts'],
    ['sorting key', 'ORDER BY email SETTINGS allow_nullable_key = false'],
  ])('refuses the table (code 44) and the rule reports it: %s, %s', (key, clauses) => {
    const sql = table('refused', clauses);
    expect(testRule(rule, { sql: sql }).map((f) => f.message)).toEqual([expect.stringContaining(`in the ${key} of \`refused\``)]);
    const label = key === 'sorting key' ? 'Sorting key' : 'Partition key';
    expect(() => session.query(sql)).toThrow(new RegExp(`Code: 44\\. DB::Exception: ${label} contains nullable columns`));
  });

  it.each([
    ["ORDER BY (user_id, ifNull(email, ''), ts)"],
    ['ORDER BY (user_id, email IS NULL, assumeNotNull(paid_at))'],
    ["PARTITION BY isNull(paid_at) ORDER BY (coalesce(email, ''), ts)"],
    ['ORDER BY (email, ts) SETTINGS allow_nullable_key = 1'],
  ])('accepts the table and the rule is silent: %s', (clauses) => {
    const sql = table('accepted', clauses);
    expect(testRule(rule, { sql: sql })).toEqual([]);
    session.query(sql);
    session.query('DROP TABLE accepted');
  });
});
