import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALREADY_IN_EFFECT_CODES } from '../packages/core/src/deploy/retry.js';
import { isRerunnable } from '../packages/core/src/deploy/statements.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { type Target, TargetError } from '../packages/core/src/live/types.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouseServer.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// The deploy writes registry rows of rerunnable statements in batches, so a deploy that dies may
// run them a second time (deploy/statements.ts `isRerunnable`). The claim, on real engines: each
// statement called rerunnable, run again right after it took effect, either changes nothing or
// fails with an error the deploy counts as "already in effect". And the statements called not
// rerunnable do change something the second time (which is why they are recorded one by one).

const engine = embeddedEngine('rerunnable');
const PASSWORD = 'rerun-Pw';
let embedded: Target;
let server: ClickHouseServer;
let http: Target;

beforeAll(async () => {
  embedded = await engine.open();
  server = await startClickHouseServer({ password: PASSWORD });
  http = await openTarget(server.url, { user: 'default', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await server?.stop();
});

/** Runs a statement; a server error comes back as its code. */
async function run(target: Target, sql: string): Promise<number | 'ok'> {
  try {
    await target.execute(sql);
    return 'ok';
  } catch (error) {
    if (error instanceof TargetError && error.code !== undefined) return error.code;
    throw error;
  }
}

/** The state a second run could change: tables with their columns, indexes and comments, and the rows of `r.t`. */
async function state(target: Target): Promise<string> {
  const tables = await target.query<Record<string, string>>(
    "SELECT name, engine, create_table_query AS q FROM system.tables WHERE database = 'r' ORDER BY name",
  );
  const rows = await target.query<Record<string, string>>('SELECT * FROM r.t ORDER BY x');
  return JSON.stringify({ tables, rows });
}

const SETUP = [
  'CREATE DATABASE IF NOT EXISTS r',
  'CREATE TABLE r.t (x UInt8, s String) ENGINE = MergeTree ORDER BY x',
  "INSERT INTO r.t VALUES (1, 'a'), (2, 'b')",
];

/** Statements called rerunnable, each with the engines it runs on (18.16 lacks some). */
const RERUNNABLE: { sql: string; old?: false }[] = [
  { sql: 'CREATE DATABASE r2' },
  { sql: 'CREATE TABLE r.u (x UInt8) ENGINE = MergeTree ORDER BY x' },
  { sql: 'CREATE TABLE IF NOT EXISTS r.t (x UInt8) ENGINE = MergeTree ORDER BY x' },
  { sql: 'CREATE VIEW r.v AS SELECT x FROM r.t' },
  { sql: 'CREATE OR REPLACE VIEW r.w AS SELECT x FROM r.t', old: false },
  { sql: 'CREATE MATERIALIZED VIEW r.mv ENGINE = MergeTree ORDER BY x AS SELECT x FROM r.t' },
  { sql: 'CREATE TABLE r.copy ENGINE = MergeTree ORDER BY x AS SELECT * FROM r.t' },
  { sql: "CREATE DICTIONARY r.d (x UInt64, s String) PRIMARY KEY x SOURCE(CLICKHOUSE(TABLE 't' DB 'r')) LAYOUT(FLAT()) LIFETIME(0)", old: false },
  { sql: 'CREATE FUNCTION rerun_plus AS (a, b) -> a + b', old: false },
  { sql: 'ALTER TABLE r.t ADD COLUMN y UInt8' },
  { sql: 'ALTER TABLE r.t ADD COLUMN IF NOT EXISTS z UInt8', old: false },
  { sql: 'ALTER TABLE r.t ADD INDEX ix s TYPE bloom_filter GRANULARITY 1', old: false },
  { sql: "ALTER TABLE r.t COMMENT COLUMN s 'the s'" },
  { sql: "ALTER TABLE r.t MODIFY COMMENT 'the t'", old: false },
  { sql: 'ALTER TABLE r.t MODIFY SETTING parts_to_delay_insert = 500', old: false },
];

/** Statements called not rerunnable: their second run changes the state (or would, had the first not been undone). */
const NOT_RERUNNABLE = [
  "INSERT INTO r.t VALUES (3, 'c')",
  'ALTER TABLE r.t DELETE WHERE x = 1',
  'DROP TABLE r.u',
  'EXCHANGE TABLES r.t AND r.u',
  'TRUNCATE TABLE r.t',
  'ALTER TABLE r.t DROP COLUMN s',
  'ALTER TABLE r.t MODIFY COLUMN s LowCardinality(String)',
  'CREATE OR REPLACE TABLE r.t (x UInt8) ENGINE = MergeTree ORDER BY x',
  'REPLACE TABLE r.t (x UInt8) ENGINE = MergeTree ORDER BY x',
];

describe('statements the deploy may run twice', () => {
  it('calls CREATE, GRANT and additive ALTERs rerunnable, and statements that move, delete or add rows not', () => {
    for (const { sql } of RERUNNABLE) expect([sql, isRerunnable(parseSql(sql).statements[0] as never)]).toEqual([sql, true]);
    for (const sql of NOT_RERUNNABLE) expect([sql, isRerunnable(parseSql(sql).statements[0] as never)]).toEqual([sql, false]);
    // A RENAME run again mostly fails harmlessly (its source is gone), but it moves tables: recorded one by one all the same.
    expect(isRerunnable(parseSql('RENAME TABLE r.u TO r.u2').statements[0] as never)).toBe(false);
    expect(isRerunnable(parseSql('GRANT SELECT ON r.* TO someone').statements[0] as never)).toBe(true);
    expect(isRerunnable(parseSql('CREATE OR REPLACE USER u').statements[0] as never)).toBe(false);
    expect(isRerunnable(parseSql('ALTER TABLE r.t ADD COLUMN y UInt8, DROP COLUMN s').statements[0] as never)).toBe(false);
  });

  for (const engine of ['chDB (ClickHouse 26.7)', 'ClickHouse 18.16'] as const) {
    it(`on ${engine}, a rerunnable statement run again right after it took effect changes nothing or fails with an "already in effect" code`, async () => {
      const target = engine === 'ClickHouse 18.16' ? http : embedded;
      const cases = RERUNNABLE.filter((c) => engine !== 'ClickHouse 18.16' || c.old !== false);
      for (const { sql } of cases) {
        await run(target, 'DROP DATABASE IF EXISTS r');
        await run(target, 'DROP DATABASE IF EXISTS r2');
        if (engine !== 'ClickHouse 18.16') await run(target, 'DROP FUNCTION IF EXISTS rerun_plus');
        for (const setup of SETUP) expect([setup, await run(target, setup)]).toEqual([setup, 'ok']);
        expect([sql, await run(target, sql)]).toEqual([sql, 'ok']);
        const before = await state(target);
        const again = await run(target, sql);
        if (again !== 'ok') expect(ALREADY_IN_EFFECT_CODES.has(again), `${sql}: code ${again}`).toBe(true);
        expect([sql, await state(target)]).toEqual([sql, before]);
      }
    }, 120_000);
  }

  it('on chDB, the statements called not rerunnable change rows or tables when run again', async () => {
    for (const sql of NOT_RERUNNABLE) {
      await run(embedded, 'DROP DATABASE IF EXISTS r');
      for (const setup of [...SETUP, 'CREATE TABLE r.u (x UInt8, s String) ENGINE = MergeTree ORDER BY x', "INSERT INTO r.t VALUES (4, 'd')"])
        await run(embedded, setup);
      expect([sql, await run(embedded, sql)]).toEqual([sql, 'ok']);
      // What the first run did, undone by what a later statement of the same deploy might do.
      if (sql.startsWith('DROP TABLE r.u')) await run(embedded, 'CREATE TABLE r.u (x UInt8) ENGINE = MergeTree ORDER BY x');
      if (sql.startsWith('TRUNCATE') || sql.includes('REPLACE TABLE') || sql.startsWith('ALTER TABLE r.t DELETE'))
        await run(embedded, 'INSERT INTO r.t (x) SELECT 1');
      if (sql.startsWith('ALTER TABLE r.t DROP COLUMN')) await run(embedded, "ALTER TABLE r.t ADD COLUMN s String DEFAULT 'new'");
      if (sql.startsWith('ALTER TABLE r.t MODIFY COLUMN')) await run(embedded, 'ALTER TABLE r.t MODIFY COLUMN s String');
      const before = await state(embedded);
      await run(embedded, sql);
      expect(await state(embedded), sql).not.toEqual(before);
    }
  }, 120_000);
});
