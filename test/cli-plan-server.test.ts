import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChdbHttp, startChdbHttp } from './support/chdbHttp.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouseServer.js';
import { clickplanAsync } from './support/clickplan.js';

// The CLI against servers over real HTTP through @clickhouse/client: Debian's ClickHouse 18.16 for
// the protocol and an old server's system tables, and chDB behind a test HTTP front for modern DDL.
// Each plan is applied and planned again: empty.

const root = new URL('..', import.meta.url).pathname;
const PASSWORD = 'cli-Pw#9-never-shown';
const SERVER_ENV = { CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: PASSWORD };

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-cli-server-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** plan → apply → plan: the second plan is empty; returns the first plan as JSON. */
async function planApplyReplan(repo: string, url: string) {
  const first = await clickplanAsync(['plan', repo, '--target', url, '--format', 'json'], { env: SERVER_ENV });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const apply = await clickplanAsync(['apply', repo, '--target', url], { env: SERVER_ENV });
  expect(apply.stderr).toBe('');
  expect(apply.code).toBe(0);
  const again = await clickplanAsync(['plan', repo, '--target', url, '--format', 'json'], { env: SERVER_ENV });
  expect(JSON.parse(again.stdout).steps).toEqual([]);
  for (const output of [first.stdout, apply.stdout, again.stdout]) expect(output).not.toContain(PASSWORD);
  return JSON.parse(first.stdout);
}

describe('clickplan plan and apply against ClickHouse 18.16 over HTTP', () => {
  let server: ClickHouseServer;
  beforeAll(async () => {
    server = await startClickHouseServer({ password: PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('creates, then alters, an old-syntax pipeline and plans nothing afterwards', async () => {
    const repo = repository({
      'V1__shop.sql': `CREATE DATABASE shop;
CREATE TABLE shop.orders (day Date, id UInt64, amount Float64) ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY id;
CREATE TABLE shop.daily (day Date, orders UInt64) ENGINE = SummingMergeTree() ORDER BY day;
CREATE MATERIALIZED VIEW shop.daily_mv TO shop.daily AS SELECT day, count() AS orders FROM shop.orders GROUP BY day;
CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 100;
`,
    });
    const created = await planApplyReplan(repo, server.url);
    expect(created.steps.map((s: { action: string; object: string }) => `${s.action} ${s.object}`)).toEqual([
      'create shop',
      'create shop.orders',
      'create shop.daily',
      'create shop.daily_mv',
      'create shop.big_orders',
    ]);
    // 18.16 has no DDL dictionaries, functions or SQL users: the plan says what it could not read.
    expect(created.diagnostics.map((d: { code: string }) => d.code)).toContain('live-gap');

    writeFileSync(join(repo, 'V2__customer.sql'), 'ALTER TABLE shop.orders ADD COLUMN customer String;\n');
    const altered = await planApplyReplan(repo, server.url);
    expect(altered.steps.map((s: { sql: string; risk: string }) => [s.sql, s.risk])).toEqual([
      ['ALTER TABLE shop.orders ADD COLUMN customer String AFTER amount', 'safe'],
    ]);
  });

  it('refuses a wrong password in one sentence that does not contain it', async () => {
    const wrong = await clickplanAsync(['plan', repository({ 'V1__a.sql': 'CREATE DATABASE a;\n' }), '--target', server.url], {
      env: {
        ...SERVER_ENV,
        ...{
          CLICKHOUSE_PASSWORD: 'wrong-Pw-77',
        },
      },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^clickplan plan: .*\n/);
    expect(wrong.stderr).not.toContain('wrong-Pw-77');
    expect(wrong.stderr).not.toContain('    at ');
  });
});

describe('clickplan plan and apply against a modern engine over HTTP', () => {
  let front: ChdbHttp;
  let session: Session;
  beforeAll(async () => {
    session = new Session(mkdtempSync(join(tmpdir(), 'clickplan-cli-chdb-http-')));
    front = await startChdbHttp(session, { user: 'default', password: PASSWORD });
  });
  afterAll(async () => {
    await front?.close();
    session?.cleanup();
  });

  it('applies the quickstart (codecs, TTL, LowCardinality, dictionaries) and plans nothing afterwards', async () => {
    const plan = await planApplyReplan(join(root, 'fixtures/quickstart'), front.url);
    expect(plan.steps.length).toBe(7);
    expect(plan.risk).toBe('safe');
  });
});
