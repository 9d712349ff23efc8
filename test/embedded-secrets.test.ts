import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import type { Target } from '../packages/core/src/live/types.js';

// Issue 14, point 4: ClickHouse writes every CREATE to its metadata files as sent, secrets included
// (`store/.../<table>.sql`, `named_collections/<name>.sql`; measured on chDB 3.4, ClickHouse 26.7),
// and shows them `[HIDDEN]` in SHOW CREATE and system.tables. The embedded target sends them hidden,
// so its data directory holds none, and what it reads back is unchanged. One form is kept as
// written: `encrypt`'s key, which hiding would take out of the expression (docs/server-config.md).

const CANARY = 'QZKW';
const root = new URL('..', import.meta.url).pathname;

const MIGRATIONS: Record<string, string> = {
  'clickplan.yaml': 'layout: flyway\n',
  'migrations/V1__sources.sql': `CREATE DATABASE IF NOT EXISTS app;
CREATE TABLE app.orders_mysql (id UInt64) ENGINE = MySQL('127.0.0.1:1', 'shop', 'orders', 'usr', 'QZKW_mysql');
CREATE TABLE app.orders_pg (id UInt64) ENGINE = PostgreSQL('127.0.0.1:1', 'shop', 'orders', 'usr', 'QZKW''QZKW_pg');
CREATE TABLE app.exports (id UInt64) ENGINE = S3('https://127.0.0.1:1/bucket/x.csv', 'KEYID', 'QZKW_s3', 'CSV');
CREATE TABLE app.feed (id UInt64) ENGINE = URL('http://usr:QZKW_url@127.0.0.1:1/feed.csv', CSV);
CREATE TABLE app.queue (id UInt64) ENGINE = Kafka SETTINGS kafka_broker_list = '127.0.0.1:1', kafka_topic_list = 't', kafka_group_name = 'g', kafka_format = 'JSONEachRow', kafka_sasl_password = 'QZKW_kafka';
CREATE DICTIONARY app.plans (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(HOST '127.0.0.1' PORT 1 USER 'usr' PASSWORD 'QZKW_dict' TABLE 'plans')) LAYOUT(FLAT()) LIFETIME(0);
CREATE TABLE app.sealed (id UInt64, secret String DEFAULT encrypt('aes-256-ofb', toString(id), 'QZKW_key_0123456789abcdef0123456')) ENGINE = MergeTree ORDER BY id;
`,
};

function clickplan(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'packages/cli/bin/clickplan.js'), ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, CLICKHOUSE_URL: '', CLICKHOUSE_PASSWORD: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The files under a directory whose bytes hold the canary. */
function filesWithCanary(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return; // metadata/<db> links to store/...: seen there
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else if (readFileSync(path, 'latin1').includes(CANARY)) found.push(relative(dir, path));
  };
  walk(dir);
  return found.sort();
}

describe("the embedded engine's data directory", () => {
  it('holds no secret the statements sent it, except the encrypt key, and reads back the same schema', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'clickplan-embedded-secrets-')), 'project');
    for (const [path, text] of Object.entries(MIGRATIONS)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    const applied = clickplan(['apply', project]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const engine = join(project, '.clickplan');
    // The table's metadata file, under the store directory of its database's UUID.
    expect(filesWithCanary(engine).map((path) => path.replace(/store\/\w{3}\/[\w-]{36}\//, 'store/…/'))).toEqual(['embedded/store/…/sealed.sql']);
    const planned = clickplan(['plan', project, '--format', 'json']);
    expect(JSON.parse(planned.stdout).steps).toEqual([]);
    // What the engine shows is what a server shows: the secrets hidden.
    const snapshot = join(project, 'snapshot.json');
    expect(clickplan(['snapshot', project, '--output', snapshot]).code).toBe(0);
    const tables = JSON.parse(readFileSync(snapshot, 'utf8')).tables as { name: string; create_query: string }[];
    expect(tables.find((t) => t.name === 'plans')?.create_query).toContain("USER 'usr' PASSWORD '[HIDDEN]' TABLE 'plans'");
    expect(tables.find((t) => t.name === 'orders_pg')?.create_query).toContain("'usr', '[HIDDEN]')");
  }, 300_000);

  it('holds no password of a named collection', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'clickplan-embedded-secrets-')), 'data');
    target = await openEmbeddedTarget(dir);
    await target.execute("CREATE NAMED COLLECTION warehouse AS host = '127.0.0.1', user = 'usr', password = 'QZKW_collection'");
    // The values a table reads (`host`, `user`) are kept; the password is a placeholder.
    expect(readFileSync(join(dir, 'named_collections/warehouse.sql'), 'utf8').trim()).toBe(
      "CREATE NAMED COLLECTION warehouse AS host = '127.0.0.1', password = 'HIDDEN00', user = 'usr'",
    );
    expect(filesWithCanary(dir)).toEqual([]);
  });
});

let target: Target | undefined;
afterAll(async () => {
  await target?.close();
});
