import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, clickplan } from './support/clickplan.js';

// Issue 18, point 6: a canary password planted in every credential form must not come out of any
// output (lint, plan, apply, check, snapshot in every format), any registry table or any file
// ClickPlan writes, after a real deploy on chDB and after one that fails with a server error
// quoting the statement. Each canary holds CANARY_MARK, also both halves of the one with a doubled
// quote, so a mask that stops at the quote is caught too.

const CANARY_MARK = 'ZQXJ';
const work = mkdtempSync(join(tmpdir(), 'clickplan-canary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every form that chDB creates without reaching the server it names. */
const DECLARATIVE = `
CREATE DATABASE IF NOT EXISTS app;
CREATE TABLE app.my (a Int32) ENGINE = MySQL('127.0.0.1:1', 'db', 't', 'usr', /* password: */ 'ZQXJ''ZQXJ_mysql');
CREATE TABLE app.pg (a Int32) ENGINE = PostgreSQL('127.0.0.1:1', 'db', 't', 'usr', 'ZQXJ_pg', 'public');
CREATE TABLE app.mongo (a Int32) ENGINE = MongoDB('127.0.0.1:1', 'db', 'c', 'usr', 'ZQXJ_mongo');
CREATE TABLE app.redis (k String) ENGINE = Redis('127.0.0.1:1', 0, 'ZQXJ_redis') PRIMARY KEY k;
CREATE TABLE app.s3t (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID', 'ZQXJ_s3', 'CSV');
CREATE TABLE app.s3u (a Int32) ENGINE = S3('https://usr:ZQXJ_s3url@127.0.0.1:1/bucket1/x.csv', 'CSV');
CREATE TABLE app.web (a Int32) ENGINE = URL('http://usr:ZQXJ_url@127.0.0.1:1/x', CSV);
CREATE TABLE app.queue (a Int32) ENGINE = Kafka SETTINGS kafka_broker_list = '127.0.0.1:1', kafka_topic_list = 't', kafka_group_name = 'g', kafka_format = 'JSONEachRow', kafka_sasl_username = 'usr', kafka_sasl_password = 'ZQXJ_kafka';
CREATE TABLE app.blob (a Int32) ENGINE = AzureBlobStorage('https://a.blob', 'cont', 'blob', 'acct', 'ZQXJabcd', 'CSV');
CREATE TABLE app.remote_copy (a String) AS remote('127.0.0.1:1', 'db.t', 'usr', 'ZQXJ_remote');
CREATE TABLE app.mysql_copy (a String) AS mysql('127.0.0.1:1', 'db', 't', 'usr', 'ZQXJ_mysqlfn');
CREATE DICTIONARY app.dict_mysql (a UInt64) PRIMARY KEY a SOURCE(MYSQL(HOST '127.0.0.1' PORT 1 USER 'usr' PASSWORD 'ZQXJ_dict' DB 'db' TABLE 't')) LAYOUT(HASHED()) LIFETIME(1);
CREATE DICTIONARY app.dict_http (a UInt64) PRIMARY KEY a SOURCE(HTTP(URL 'http://127.0.0.1:1/x' FORMAT 'TSV' credentials(user 'usr' password 'ZQXJ_http'))) LAYOUT(HASHED()) LIFETIME(1);
CREATE NAMED COLLECTION canary_nc AS host = '127.0.0.1', user = 'usr', password = 'ZQXJ_nc' NOT OVERRIDABLE;
CREATE DATABASE IF NOT EXISTS canary_pg ENGINE = PostgreSQL('127.0.0.1:1', 'db', 'usr', 'ZQXJ_pgdb');
`;

/** The same, with the named collection's and the database's passwords changed: an ALTER NAMED COLLECTION step and a DROP + CREATE DATABASE. */
const CHANGED = DECLARATIVE.replace("'ZQXJ_nc'", "'ZQXJ_nc2'").replace("'ZQXJ_pgdb'", "'ZQXJ_pgdb2'");

/** Migrations: secrets in statements the registry records, then one the server refuses with an error that quotes the password. */
const MIGRATIONS = {
  'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS shop;\n',
  'migrations/V2__sources.sql': [
    "CREATE TABLE shop.orders_mysql (id UInt64) ENGINE = MySQL('127.0.0.1:1', 'shop', 'orders', 'usr', 'ZQXJ''ZQXJ_v_mysql');",
    "CREATE DICTIONARY shop.plans (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(HOST '127.0.0.1' PORT 1 USER 'usr' PASSWORD 'ZQXJ_v_dict' TABLE 'plans')) LAYOUT(FLAT()) LIFETIME(0);",
    "CREATE TABLE shop.feed (id UInt64) ENGINE = URL('http://usr:ZQXJ_v_url@127.0.0.1:1/feed.csv', CSV);",
    "CREATE NAMED COLLECTION shop_nc AS host = '127.0.0.1', password = 'ZQXJ_v_nc';",
    "ALTER NAMED COLLECTION shop_nc SET password = 'ZQXJ_v_nc2' DELETE host;",
    '',
  ].join('\n'),
  // ClickHouse reads a MongoDB URI with this many arguments as a host and quotes it: "Illegal port passed to function parseAddress: //usr:ZQXJ_v_mongo@...".
  'migrations/V3__mongo.sql': "CREATE TABLE shop.carts (id UInt64) ENGINE = MongoDB('mongodb://usr:ZQXJ_v_mongo@127.0.0.1:1/shop', 'carts', 'x', 'y', 'z');\n",
};

/** Output as in a log: no colour, no progress bar. */
const PLAIN = { env: { CI: '', NO_COLOR: '1' } };

/** What a person sees of a run: stdout and stderr together. */
function withOutput(result: CliResult): { code: number | null; output: string } {
  return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
}

function writeRepo(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Every file under a directory, as path → text. */
function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else files.set(path, readFileSync(path, 'latin1'));
  };
  walk(dir);
  return files;
}

/** Every value of every row of the registry's tables, one table per key. */
function registryRows(engineDir: string): Record<string, string> {
  const session = new Session(engineDir);
  try {
    const rows: Record<string, string> = {};
    for (const table of ['migrations', 'statements', 'objects', 'deploys', 'repairs', 'object_secrets', 'secrets_key'])
      rows[table] = session.query(`SELECT * FROM clickplan.${table}`, 'TSVRaw');
    return rows;
  } finally {
    session.close();
  }
}

function expectNoCanary(what: string, text: string): void {
  expect(text.includes(CANARY_MARK), `${what} shows a canary:\n${text}`).toBe(false);
}

describe('secrets written in SQL never leave it', () => {
  it('declarative: lint, plan, apply, plan again, check, snapshot, inspect and graph show [HIDDEN] in every format; the registry holds none', () => {
    const dir = writeRepo('declarative', { 'clickplan.yaml': 'paths:\n  schema: schema\n', 'schema/01.sql': DECLARATIVE });
    const engine = join(work, 'declarative-engine');
    const target = ['--target', `embedded:${engine}`];
    const outputs: [string, { code: number | null; output: string }][] = [];
    for (const format of ['text', 'json', 'sarif']) outputs.push([`lint ${format}`, withOutput(clickplan(['lint', dir, '--format', format], PLAIN))]);
    for (const format of ['text', 'markdown', 'json'])
      outputs.push([`plan ${format}`, withOutput(clickplan(['plan', dir, ...target, '--format', format], PLAIN))]);
    outputs.push(['apply --dry-run', withOutput(clickplan(['apply', dir, ...target, '--dry-run'], PLAIN))]);
    outputs.push(['apply json', withOutput(clickplan(['apply', dir, ...target, '--format', 'json'], PLAIN))]);
    for (const format of ['text', 'markdown', 'json'])
      outputs.push([`plan again ${format}`, withOutput(clickplan(['plan', dir, ...target, '--format', format], PLAIN))]);
    for (const format of ['text', 'json']) outputs.push([`check ${format}`, withOutput(clickplan(['check', dir, ...target, '--format', format], PLAIN))]);
    const snapshot = join(work, 'declarative-snapshot.json');
    outputs.push(['snapshot', withOutput(clickplan(['snapshot', dir, ...target, '--output', snapshot], PLAIN))]);
    for (const format of ['text', 'json']) outputs.push([`inspect ${format}`, withOutput(clickplan(['inspect', dir, '--format', format], PLAIN))]);
    for (const format of ['json', 'dot', 'mermaid']) outputs.push([`graph ${format}`, withOutput(clickplan(['graph', dir, '--format', format], PLAIN))]);
    // Passwords changed: the steps that set them, in every format, then applied.
    writeFileSync(join(dir, 'schema/01.sql'), CHANGED);
    const changed = outputs.length;
    for (const format of ['text', 'markdown', 'json'])
      outputs.push([`plan changed ${format}`, withOutput(clickplan(['plan', dir, ...target, '--format', format], PLAIN))]);
    for (const format of ['text', 'json'])
      outputs.push([`check changed ${format}`, withOutput(clickplan(['check', dir, ...target, '--format', format], PLAIN))]);
    outputs.push(['apply changed', withOutput(clickplan(['apply', dir, ...target], PLAIN))]);
    outputs.push(['plan after change', withOutput(clickplan(['plan', dir, ...target], PLAIN))]);
    for (const [what, { output }] of outputs) expectNoCanary(what, output);
    expect(outputs[changed]?.[1].output).toContain("ALTER NAMED COLLECTION canary_nc SET password = '[HIDDEN]' NOT OVERRIDABLE");
    expect(outputs[changed]?.[1].output).toContain('DROP DATABASE IF EXISTS canary_pg SYNC');
    expect(outputs[changed + 5]?.[1].code).toBe(0);
    expect(outputs[changed + 6]?.[1].output).toMatch(/^No changes/);

    // Every secret is found and hidden, not left out: one finding per form, and the plan shows [HIDDEN] for each.
    const output = (i: number) => outputs[i]?.[1].output ?? '';
    const lint = JSON.parse(output(1));
    expect(lint.diagnostics.filter((d: { code: string }) => d.code === 'secret-in-sql')).toHaveLength(15);
    // 15 secrets, and the named collection's host and user: ClickHouse hides every value of one.
    expect(output(3).split('[HIDDEN]').length - 1).toBe(17);
    expect(outputs[7]?.[1].code).toBe(0);
    // The applied definitions now compare equal to what the server stores: nothing left to plan.
    expect(output(8)).toMatch(/^No changes/);
    const registry = registryRows(engine);
    for (const [table, rows] of Object.entries(registry)) expectNoCanary(`clickplan.${table}`, rows);
    const written = [...filesUnder(dir)].filter(([path]) => !path.endsWith('.sql') && !path.endsWith('clickplan.yaml'));
    written.push([snapshot, readFileSync(snapshot, 'utf8')]);
    for (const [path, text] of written) expectNoCanary(relative(work, path), text);
    // The secrets fingerprints' key stays in the registry: no output and no file shows it.
    const key = (registry.secrets_key ?? '').split('\t')[0] ?? '';
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const [what, { output }] of outputs) expect(output.includes(key), `${what} shows the fingerprint key`).toBe(false);
    for (const [path, text] of written) expect(text.includes(key), `${relative(work, path)} shows the fingerprint key`).toBe(false);
    // About twenty runs of the CLI: minutes on a loaded machine.
    // One fingerprint per object with secrets (15 forms in 15 objects).
    expect(
      new Set(
        registry.object_secrets
          ?.trim()
          .split('\n')
          .map((line) => line.split('\t')[0]),
      ).size,
    ).toBe(15);
  }, 900_000);

  it('versioned: a deploy that fails with a server error quoting the password shows and records it hidden', () => {
    const dir = writeRepo('versioned', { 'clickplan.yaml': 'layout: flyway\n', ...MIGRATIONS });
    const engine = join(work, 'versioned-engine');
    const target = ['--target', `embedded:${engine}`];
    const text = withOutput(clickplan(['apply', dir, ...target], PLAIN));
    const json = withOutput(clickplan(['apply', dir, ...target, '--format', 'json'], PLAIN));
    // The server's error is there, with the password hidden.
    expect(text.code).toBe(2);
    expect(text.output).toContain('Illegal port passed to function parseAddress: //usr:[HIDDEN]@127.0.0.1:1/shop');
    const outputs = [
      ['apply text', text.output],
      ['apply json', json.output],
      ['plan markdown', withOutput(clickplan(['plan', dir, ...target, '--format', 'markdown'], PLAIN)).output],
      ['plan json', withOutput(clickplan(['plan', dir, ...target, '--format', 'json'], PLAIN)).output],
      ['check text', withOutput(clickplan(['check', dir, ...target], PLAIN)).output],
      ['check json', withOutput(clickplan(['check', dir, ...target, '--format', 'json'], PLAIN)).output],
    ];
    for (const [what, output] of outputs) expectNoCanary(what as string, output as string);

    const registry = registryRows(engine);
    // The statements ran and are recorded, the failure too: with their secrets as ClickHouse shows them.
    expect(registry.statements).toContain("'usr', '[HIDDEN]')");
    expect(registry.statements).toContain("ALTER NAMED COLLECTION shop_nc SET password = '[HIDDEN]' DELETE host");
    expect(registry.migrations).toContain('//usr:[HIDDEN]@127.0.0.1:1/shop');
    for (const [table, rows] of Object.entries(registry)) expectNoCanary(`clickplan.${table}`, rows);
    for (const [path, content] of filesUnder(dir)) if (!path.endsWith('.sql')) expectNoCanary(relative(work, path), content);
  }, 300_000);
});
