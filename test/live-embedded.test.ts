import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashObject } from '../packages/core/src/canon/canonical.js';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import { modelLiveSchema } from '../packages/core/src/live/liveModel.js';
import { readLiveSchema } from '../packages/core/src/live/reader.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { type LiveSchema, type Target, TargetError } from '../packages/core/src/live/types.js';
import { EXPECTED_REST, EXPECTED_TABLES, FIXTURE_DATA, FIXTURE_DDL, hashesOfFixtureDdl, writeChdbAccessConfig } from './support/liveFixture.js';

// The embedded engine (chDB) on a data directory of its own: this file runs in its own fork, and
// chDB opens one data directory per process.

const root = mkdtempSync(join(tmpdir(), 'clickplan-embedded-'));
const dataDir = join(root, 'data');
let target: Target;

beforeAll(async () => {
  target = await openEmbeddedTarget(dataDir, { configFile: writeChdbAccessConfig(join(root, 'config')) });
  for (const sql of [...FIXTURE_DDL, ...FIXTURE_DATA]) await target.execute(sql);
});

afterAll(async () => {
  await target?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('embedded target', () => {
  let live: LiveSchema;
  beforeAll(async () => {
    live = await target.readSchema({ databases: ['app', 'absent'], users: ['analyst', 'ghost'], roles: ['auditor'] });
  });

  it('reads databases, tables, views, dictionaries, functions, users and grants', () => {
    expect({ ...live, readAt: '' }).toEqual({ ...EXPECTED_REST, readAt: '', tables: EXPECTED_TABLES });
    expect(live.tables.find((t) => t.name === 'events')?.totalBytes).toBeGreaterThan(0);
  });

  it('models every object to the hash of the DDL that created it', () => {
    const { schema, diagnostics } = modelLiveSchema(live, 'default');
    expect(diagnostics).toEqual([]);
    const modelled = new Map(schema.objects.map((o) => [`${o.kind} ${o.id}`, hashObject(o)]));
    expect(modelled).toEqual(hashesOfFixtureDdl());
    expect([...modelled.keys()]).toEqual([
      'database app',
      'function clickplan_share',
      'table app.daily',
      'materialized-view app.daily_mv',
      'table app.events',
      'table app.kind_labels',
      'dictionary app.kinds',
      'user analyst',
    ]);
    expect(schema.grants.map((g) => g.location.file)).toEqual(['<live grant 1>']);
  });

  it('reads the same objects through the fallbacks for servers without newer system columns', async () => {
    // The real engine, with the answers an older server would give: no create_table_query (SHOW
    // CREATE instead), no total_rows/total_bytes (system.parts instead), and dictionaries listed
    // only in system.dictionaries (19.17 to 20.x).
    const hidden = new Set(['tables.create_table_query', 'tables.total_rows', 'tables.total_bytes']);
    const asOlderServer = async (sql: string) => {
      const rows = await target.query(sql);
      if (sql.startsWith('SELECT table, name FROM system.columns')) return rows.filter((r) => !hidden.has(`${r.table}.${r.name}`));
      if (sql.includes('FROM system.tables')) return rows.filter((r) => r.engine !== 'Dictionary');
      return rows;
    };
    const older = await readLiveSchema(asOlderServer, { databases: ['app'], users: ['analyst'] });
    expect(older.gaps).toEqual([]);
    expect(older.tables.map((t) => [t.name, t.engine, t.totalRows])).toEqual([
      ['daily', 'SummingMergeTree', 2],
      ['daily_mv', 'MaterializedView', undefined],
      ['events', 'MergeTree', 3],
      ['kind_labels', 'MergeTree', undefined],
      ['kinds', 'Dictionary', undefined],
    ]);
    // SHOW CREATE prints over several lines where create_table_query is one: the same objects all the same.
    expect(older.tables.find((t) => t.name === 'events')?.createQuery).toContain('\n');
    const { schema, diagnostics } = modelLiveSchema(older);
    expect(diagnostics).toEqual([]);
    expect(new Map(schema.objects.map((o) => [`${o.kind} ${o.id}`, hashObject(o)]))).toEqual(hashesOfFixtureDdl());
  });

  it('turns a definition our parser cannot read into a warning naming the object', () => {
    const broken: LiveSchema = { ...live, tables: [{ database: 'app', name: 'odd', engine: 'MergeTree', createQuery: 'CREATE TABLE app.odd (x UInt8' }] };
    const { schema, diagnostics } = modelLiveSchema(broken);
    expect(schema.objects.some((o) => o.id === 'app.odd')).toBe(false);
    expect(diagnostics).toEqual([
      {
        code: 'live-object-unreadable',
        severity: 'warning',
        file: '<live app.odd>',
        range: { start: 0, end: 29 },
        message: 'The definition of `app.odd` read from the target could not be parsed, so it is left out of the live schema: This `(` is never closed.',
        help: 'Report it with this definition: ClickPlan should read everything ClickHouse prints.',
      },
    ]);
  });

  it('reads nothing for functions when asked not to, and only the databases in scope', async () => {
    const other = await target.readSchema({ databases: ['absent'], functions: false });
    expect({ ...other, readAt: '' }).toEqual({ ...EXPECTED_REST, readAt: '', databases: [], tables: [], functions: [], accessEntities: [], grants: [] });
  });

  it('shares the open data directory and refuses another one', async () => {
    const same = await openTarget(`embedded:${dataDir}`, {});
    expect(same.kind).toBe('embedded');
    expect(same.description).toBe(`embedded ClickHouse in ${dataDir}`);
    expect(await same.query("SELECT count() AS n FROM system.tables WHERE database = 'app'")).toEqual([{ n: '5' }]);
    await same.close();
    // Closing one user of the session leaves it open for the other.
    expect(await target.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const error = await openTarget(`embedded:${join(root, 'elsewhere')}`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).errorCode).toBe('embedded-in-use');
    expect((error as TargetError).message).toBe(
      `The embedded engine already has ${dataDir} open; it can open one data directory per process, so ${join(root, 'elsewhere')} cannot be opened too.`,
    );
  });

  it('runs statements with settings and reports refusals with the server code', async () => {
    await target.execute('CREATE TABLE app.tmp_settings (x UInt8) ENGINE = MergeTree ORDER BY x', { settings: { max_threads: 1 } });
    expect(await target.query("SELECT getSetting('max_threads') = 1 AS same")).toEqual([{ same: 0 }]);
    await target.execute('DROP TABLE app.tmp_settings');
    const error = (await target.execute('CREATE TABLE app.events (x UInt8) ENGINE = Memory').catch((e: unknown) => e)) as TargetError;
    expect(error).toBeInstanceOf(TargetError);
    expect(error.errorCode).toBe('target-statement-failed');
    expect(error.code).toBe(57);
    expect(error.message).toBe(
      `The embedded ClickHouse in ${dataDir} refused \`CREATE TABLE app.events (x UInt8) ENGINE = Memory\`: Code 57: Table app.events already exists.`,
    );
    expect(error.help).toBeUndefined();
  });

  it('creates, renames and drops the database a statement runs in (`database: fresh` in clickplan.yaml), which USE would refuse (81)', async () => {
    await target.execute('CREATE DATABASE IF NOT EXISTS fresh', { database: 'fresh' });
    await target.execute('CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x', { database: 'fresh' });
    await target.execute('RENAME DATABASE fresh TO fresher', { database: 'fresh' });
    expect(await target.query("SELECT database, name FROM system.tables WHERE database LIKE 'fresh%'")).toEqual([{ database: 'fresher', name: 't' }]);
    await target.execute('DROP DATABASE fresher SYNC', { database: 'fresher' });
    expect(await target.query("SELECT name FROM system.databases WHERE name LIKE 'fresh%'")).toEqual([]);
    expect(await target.query('SELECT currentDatabase() AS db')).toEqual([{ db: 'default' }]);
    // Any other statement still runs in the database it is given, which must exist.
    const error = (await target.execute('CREATE TABLE t (x UInt8) ENGINE = Memory', { database: 'fresh' }).catch((e: unknown) => e)) as TargetError;
    expect(error.code).toBe(81);
  });

  it('runs access control on its emulated catalog, beside the users of its users.xml', async () => {
    // chDB itself refuses them: it has no writable access storage (Code 514).
    for (const sql of ['CREATE ROLE IF NOT EXISTS reader_role', 'CREATE USER someone HOST NONE', 'GRANT SELECT ON app.* TO reader_role'])
      await target.execute(sql);
    const access = await target.readSchema({ databases: [], users: ['analyst', 'someone'], roles: ['reader_role'] });
    expect([access.accessEntities.map((e) => e.createQuery), access.grants]).toEqual([
      [
        'CREATE USER analyst IDENTIFIED WITH sha256_password SETTINGS PROFILE `default`',
        'CREATE ROLE reader_role',
        'CREATE USER someone IDENTIFIED WITH no_password HOST NONE',
      ],
      ['GRANT SELECT ON app.* TO analyst', 'GRANT SELECT ON app.* TO reader_role'],
    ]);
  });
});
