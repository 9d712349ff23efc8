import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget } from '../packages/core/src/live/target.js';
import type { Target } from '../packages/core/src/live/types.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouseServer.js';
import { clickplanInProcess } from './support/clickplan.js';
import { writeFiles, writeRepo } from './support/deploy.js';

// Issue 18, items 7, 8 and 10 on Debian's ClickHouse 18.16 over HTTP: the risk gate, a saved plan
// that goes stale, status, repair and baseline with the registry's repairs table.

const PASSWORD = 'gate-Pw#7-never-shown';
let server: ClickHouseServer;
let target: Target;

beforeAll(async () => {
  server = await startClickHouseServer({ password: PASSWORD });
  target = await openTarget(server.url, { user: 'default', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await target?.close();
  await server?.stop();
});

/** The server's target and credentials; apply without a progress bar. */
function onServer(argv: string[]): string[] {
  return [...argv, '--target', server.url, ...(argv[0] === 'apply' ? ['--progress', 'none'] : [])];
}
const SERVER_IO = { env: { CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: PASSWORD } };

const V1 =
  "CREATE DATABASE IF NOT EXISTS gate18;\nCREATE TABLE gate18.orders (d Date, id UInt64, note String) ENGINE = MergeTree(d, id, 8192);\nINSERT INTO gate18.orders VALUES ('2024-01-01', 1, 'a');\n";

describe('ClickHouse 18.16', () => {
  it('apply --plan runs a saved plan once and refuses it after; a destructive migration stops at the gate; status and repair', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: gate18\nregistry: reg_gate18\n',
      'migrations/V1__orders.sql': V1,
    });
    const file = join(dir, 'plan.json');
    expect((await clickplanInProcess(onServer(['plan', dir, '--out', file]), SERVER_IO)).code).toBe(0);
    expect((await clickplanInProcess(onServer(['apply', dir, '--plan', file]), SERVER_IO)).code).toBe(0);
    const stale = await clickplanInProcess(onServer(['apply', dir, '--plan', file]), SERVER_IO);
    expect([stale.code, stale.stderr.split('\n')[0]]).toEqual([
      1,
      expect.stringMatching(
        /^clickplan apply: The saved plan is out of date: the target changed since the plan was saved \(.*\): object database gate18 appeared; object table gate18\.orders appeared; migration \/global\/V1 appeared\.$/,
      ),
    ]);

    writeFiles(dir, { 'migrations/V2__drop_note.sql': 'ALTER TABLE orders DROP COLUMN note;\n' });
    const refused = await clickplanInProcess(onServer(['apply', dir]), SERVER_IO);
    expect([refused.code, refused.stderr.split('\n')[0].replaceAll(`${dir}/`, '')]).toEqual([
      1,
      'clickplan apply: 1 step is riskier than heavy, the most this deploy runs without asking: migrations/V2__drop_note.sql statement 1 (data-loss: destructive-statement: DROP COLUMN deletes `note` and its data from every part of `orders`.).',
    ]);
    expect(await target.query("SELECT name FROM system.columns WHERE database = 'gate18' AND table = 'orders' ORDER BY name")).toEqual([
      { name: 'd' },
      { name: 'id' },
      { name: 'note' },
    ]);

    writeFiles(dir, { 'migrations/V1__orders.sql': `-- orders, first release\n${V1}` });
    const status = await clickplanInProcess(onServer(['status', dir, '--format', 'json']), SERVER_IO);
    expect(status.code).toBe(1);
    const document = JSON.parse(status.stdout);
    expect(
      document.migrations.map((m: { migration: string; state: string; applied_at?: string }) => [m.migration, m.state, /^\d{4}-/.test(m.applied_at ?? '')]),
    ).toEqual([
      ['/global/V1', 'changed', true],
      ['/global/V2', 'pending', false],
    ]);
    const repaired = await clickplanInProcess(onServer(['repair', dir, '--reason', 'a comment, nothing else']), SERVER_IO);
    expect(repaired.code).toBe(0);
    expect(await target.query('SELECT migration, action, reason FROM reg_gate18.repairs')).toEqual([
      { migration: '/global/V1', action: 'accept-checksum', reason: 'a comment, nothing else' },
    ]);
    const after = JSON.parse((await clickplanInProcess(onServer(['status', dir, '--format', 'json']), SERVER_IO)).stdout);
    expect(after.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'pending']);
  });

  it('a declarative deploy creates the database it names as `database:` (issue 18: 18.16 refused it, code 81)', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'database: decl18\nregistry: reg_decl18\npaths:\n  schema: schema\n',
      'schema/01.sql': 'CREATE DATABASE IF NOT EXISTS decl18;\nCREATE TABLE t (d Date, id UInt64) ENGINE = MergeTree(d, id, 8192);\n',
    });
    const applied = await clickplanInProcess(onServer(['apply', dir]), SERVER_IO);
    expect([applied.code, applied.stderr]).toEqual([0, '']);
    expect(await target.query("SELECT name FROM system.tables WHERE database = 'decl18'")).toEqual([{ name: 't' }]);
    const again = await clickplanInProcess(onServer(['plan', dir]), SERVER_IO);
    expect([again.code, again.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^No changes/)]);
  });

  it('baseline adopts a database made before ClickPlan: the next deploy runs only the files after the version', async () => {
    await target.execute('CREATE DATABASE IF NOT EXISTS gate18b');
    await target.execute('CREATE TABLE gate18b.t (d Date, id UInt64) ENGINE = MergeTree(d, id, 8192)');
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: gate18b\nregistry: reg_gate18b\n',
      'migrations/V1__db.sql': 'CREATE DATABASE gate18b;\n',
      'migrations/V2__t.sql': 'CREATE TABLE t (d Date, id UInt64) ENGINE = MergeTree(d, id, 8192);\n',
      'migrations/V3__u.sql': 'CREATE TABLE u (d Date, id UInt64) ENGINE = MergeTree(d, id, 8192);\n',
    });
    // Without a baseline the deploy replays V1, which the server refuses: the database exists.
    expect((await clickplanInProcess(onServer(['apply', dir, '--registry', 'reg_gate18b_none']), SERVER_IO)).code).toBe(2);
    expect((await clickplanInProcess(onServer(['baseline', dir, '--version', '2']), SERVER_IO)).code).toBe(0);
    const applied = await clickplanInProcess(onServer(['apply', dir]), SERVER_IO);
    expect([applied.code, applied.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'Applied 1 statement of 1 migration file (2 already applied); planning again finds nothing to do.',
    ]);
    expect(await target.query('SELECT migration, action FROM reg_gate18b.repairs ORDER BY migration')).toEqual([
      { migration: '/global/V1', action: 'baseline' },
      { migration: '/global/V2', action: 'baseline' },
    ]);
  });
});
