import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLiveSchema } from '../packages/core/src/live/liveModel.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { type Target, TargetError } from '../packages/core/src/live/types.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouseServer.js';

// A real server over real HTTP: Debian's clickhouse-server 18.16, read through @clickhouse/client.
// 18.16 predates user-defined functions, SQL access control, DDL dictionaries and total_rows:
// the reader must read what it has and say what it could not.

const PASSWORD = 'pw-Zq8#never-print-me';
let server: ClickHouseServer;
let target: Target;

beforeAll(async () => {
  server = await startClickHouseServer({ password: PASSWORD, tls: true });
  target = await openTarget(server.url, { user: 'default', password: PASSWORD });
  for (const sql of [
    'CREATE DATABASE shop',
    'CREATE DATABASE other',
    'CREATE TABLE shop.orders (day Date, id UInt64, amount Float64) ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY id',
    'CREATE TABLE shop.daily (day Date, orders UInt64) ENGINE = SummingMergeTree() ORDER BY day',
    'CREATE MATERIALIZED VIEW shop.daily_mv TO shop.daily AS SELECT day, count() AS orders FROM shop.orders GROUP BY day',
    'CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 100',
    'CREATE TABLE shop.scratch (note String) ENGINE = Memory',
    'CREATE TABLE other.ignored (x UInt8) ENGINE = Memory',
    "INSERT INTO shop.orders VALUES ('2024-01-01', 1, 50), ('2024-01-01', 2, 150), ('2024-02-01', 3, 250)",
  ])
    await target.execute(sql);
}, 60_000);

afterAll(async () => {
  await target?.close();
  await server?.stop();
});

/** Every text a failure shows a user or a log. */
function everythingShown(error: unknown): string {
  const e = error as TargetError;
  return [String(e), e.message, e.help, e.stack, JSON.stringify(e), JSON.stringify({ ...e })].join('\n');
}

async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe('HTTP target on ClickHouse 18.16', () => {
  it('describes itself without the password', () => {
    expect(target.kind).toBe('server');
    expect(target.writable).toBe(true);
    expect(target.description).toBe(`${server.url} as default`);
  });

  it('reads the databases in scope, with what 18.16 lacks as gaps', async () => {
    const live = await target.readSchema({ databases: ['shop', 'missing'], users: ['deployer'], roles: ['reader'] });
    expect({ ...live, readAt: '' }).toEqual({
      format: 2,
      serverVersion: '18.16.1',
      readAt: '',
      databases: [{ name: 'shop', engine: 'Ordinary', createQuery: 'CREATE DATABASE shop ENGINE = Ordinary' }],
      tables: [
        {
          database: 'shop',
          name: 'big_orders',
          engine: 'View',
          createQuery: 'CREATE VIEW shop.big_orders ( id UInt64,  amount Float64) AS SELECT id, amount FROM shop.orders  WHERE amount > 100',
        },
        {
          database: 'shop',
          name: 'daily',
          engine: 'SummingMergeTree',
          createQuery: 'CREATE TABLE shop.daily ( day Date,  orders UInt64) ENGINE = SummingMergeTree() ORDER BY day SETTINGS index_granularity = 8192',
          totalRows: 2,
          totalBytes: expect.any(Number),
        },
        {
          database: 'shop',
          name: 'daily_mv',
          engine: 'MaterializedView',
          createQuery:
            'CREATE MATERIALIZED VIEW shop.daily_mv TO shop.daily ( day Date,  orders UInt64) AS SELECT day, count() AS orders FROM shop.orders  GROUP BY day',
        },
        {
          database: 'shop',
          name: 'orders',
          engine: 'MergeTree',
          createQuery:
            'CREATE TABLE shop.orders ( day Date,  id UInt64,  amount Float64) ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY id SETTINGS index_granularity = 8192',
          totalRows: 3,
          totalBytes: expect.any(Number),
        },
        { database: 'shop', name: 'scratch', engine: 'Memory', createQuery: 'CREATE TABLE shop.scratch ( note String) ENGINE = Memory' },
      ],
      functions: [],
      accessEntities: [],
      grants: [],
      gaps: [
        {
          what: 'dictionaries',
          reason:
            'system.dictionaries has no database column: ClickHouse 18.16.1 has no DDL dictionaries; dictionaries from its configuration files are not read',
        },
        { what: 'user-defined functions', reason: 'system.functions has no create_query column: ClickHouse 18.16.1 has no user-defined SQL functions' },
        {
          what: 'roles reader',
          reason: 'ClickHouse 18.16.1 has no SQL-driven access control (no system.roles): access entities live in its configuration files',
        },
        {
          what: 'users deployer',
          reason: 'ClickHouse 18.16.1 has no SQL-driven access control (no system.users): access entities live in its configuration files',
        },
      ],
    });
    expect(live.tables.find((t) => t.name === 'orders')?.totalBytes).toBeGreaterThan(0);
    expect(Date.parse(live.readAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('models what 18.16 stores with our parser', async () => {
    const live = await target.readSchema({ databases: ['shop'] });
    const { schema, diagnostics } = modelLiveSchema(live);
    expect(diagnostics).toEqual([]);
    // Replayed as a declarative layout: a view after the tables it reads (its column types come from them).
    expect(schema.objects.map((o) => `${o.kind} ${o.id}`)).toEqual([
      'database shop',
      'table shop.daily',
      'materialized-view shop.daily_mv',
      'table shop.orders',
      'view shop.big_orders',
      'table shop.scratch',
    ]);
  });

  it('creates and drops a database named as the session database: the request leaves it out (issue 18)', async () => {
    // 18.16 refuses any request whose `database` does not exist (code 81), CREATE DATABASE of it included.
    await target.execute('CREATE DATABASE fresh18', { database: 'fresh18' });
    await target.execute('DROP DATABASE fresh18', { database: 'fresh18' });
    const session = await openTarget(server.url, { user: 'default', password: PASSWORD, database: 'fresh18b' });
    try {
      await session.execute('CREATE DATABASE IF NOT EXISTS fresh18b', { database: 'fresh18b' });
      expect(await session.query('SELECT currentDatabase() AS d')).toEqual([{ d: 'fresh18b' }]);
      await session.execute('DROP DATABASE fresh18b');
    } finally {
      await session.close();
    }
    expect(await target.query("SELECT name FROM system.databases WHERE name LIKE 'fresh18%'")).toEqual([]);
  });

  it('says that 18.16 has no named collections, as a gap', async () => {
    const live = await target.readSchema({ databases: ['shop'], namedCollections: ['warehouse'] });
    expect(live.namedCollections).toBeUndefined();
    expect(live.gaps.filter((g) => g.what.startsWith('named collections'))).toEqual([
      { what: 'named collections warehouse', reason: 'ClickHouse 18.16.1 has no named collections (no system.named_collections)' },
    ]);
  });

  it('executes statements with settings', async () => {
    // 18.16 refuses LowCardinality unless the setting allows it: the setting reaches the server.
    const refused = await failure(target.execute('CREATE TABLE shop.tags (tag LowCardinality(String)) ENGINE = Memory'));
    expect(refused.errorCode).toBe('target-statement-failed');
    await target.execute('CREATE TABLE shop.tags (tag LowCardinality(String)) ENGINE = Memory', { settings: { allow_experimental_low_cardinality_type: 1 } });
    expect(await target.query("SELECT name, engine FROM system.tables WHERE database = 'shop' AND name = 'tags'")).toEqual([
      { name: 'tags', engine: 'Memory' },
    ]);
  });

  it('reports a failing statement with the server code, without the password', async () => {
    const error = await failure(target.execute('CREATE TABLE shop.orders (x UInt8) ENGINE = Memory'));
    expect(error.errorCode).toBe('target-statement-failed');
    expect(error.code).toBe(57);
    expect(error.message).toBe(
      `${server.url} as default refused \`CREATE TABLE shop.orders (x UInt8) ENGINE = Memory\`: Code 57: Table shop.orders already exists.`,
    );
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('masks a password a statement sets, also where the server quotes it back', async () => {
    const error = await failure(target.execute(`CREATE USER deployer IDENTIFIED BY '${PASSWORD}'`));
    expect(error.code).toBe(62); // 18.16 has no CREATE USER
    expect(error.message).toContain("IDENTIFIED BY '[HIDDEN]'");
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('reports a wrong password as refused credentials, without the password', async () => {
    const wrong = `${PASSWORD}-wrong`;
    for (const [spec, connection] of [
      [server.url, { user: 'default', password: wrong }],
      [`http://default:${encodeURIComponent(wrong)}@127.0.0.1:${server.httpPort}`, {}],
    ] as const) {
      const bad = await openTarget(spec, connection);
      expect(bad.description).toBe(`${server.url} as default`);
      const error = await failure(bad.readSchema({ databases: ['shop'] }));
      await bad.close();
      expect(error.errorCode).toBe('target-auth-failed');
      expect(error.code).toBe(193);
      expect(error.message).toBe(`${server.url} as default refused the credentials: Wrong password for user default`);
      expect(error.help).toBe('Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD (or --user/--password).');
      expect(everythingShown(error)).not.toContain(wrong);
      expect(everythingShown(error)).not.toContain(encodeURIComponent(wrong));
    }
  });

  it('reads over TLS, trusting the server certificate it is given', async () => {
    const tls = await openTarget(server.httpsUrl, { user: 'default', password: PASSWORD, caCertificate: server.certificate });
    expect(tls.description).toBe(`${server.httpsUrl} as default`);
    expect(await tls.query('SELECT version() AS version')).toEqual([{ version: '18.16.1' }]);
    const live = await tls.readSchema({ databases: ['shop'] });
    await tls.close();
    expect(live.tables.map((t) => t.name)).toEqual(['big_orders', 'daily', 'daily_mv', 'orders', 'scratch', 'tags']);
  });

  it('reports an unreachable server clearly, without the password', async () => {
    // Port 1 (tcpmux) is closed here; a port from the ephemeral range could be the client's own
    // source port and connect to itself (TCP simultaneous open), which never answers.
    // (https:// to 18.16's plain HTTP port is not tried: 18.16 sometimes waits for the rest of a
    // request line and never answers the TLS hello, so the client waits for its request timeout.)
    const reachHelp = 'Check that the server runs and that CLICKHOUSE_URL (or --target) names its HTTP port, http:// or https:// as it serves.';
    const trustHelp =
      'Give the certificate authority that signed it (a PEM file) as the connection CA certificate, or check that the URL names the right server.';
    for (const [spec, message, help] of [
      ['http://127.0.0.1:1', 'connect ECONNREFUSED 127.0.0.1:1', reachHelp],
      ['http://clickplan-no-such-host.invalid:8123', 'getaddrinfo ENOTFOUND clickplan-no-such-host.invalid', reachHelp],
      [server.httpsUrl!, 'its TLS certificate is not trusted (self-signed certificate).', trustHelp],
    ]) {
      const bad = await openTarget(spec, { user: 'default', password: PASSWORD });
      const error = await failure(bad.readSchema({ databases: ['shop'] }));
      await bad.close();
      expect([error.errorCode, error.message, error.help]).toEqual(['target-unreachable', `Cannot reach ${spec} as default: ${message}`, help]);
      expect(everythingShown(error)).not.toContain(PASSWORD);
    }
  });
});
