import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget } from '../packages/core/src/live/target.js';
import type { Target } from '../packages/core/src/live/types.js';
import { type ClickHouseCluster, startCluster } from './support/cluster.js';
import { deploy, writeFiles, writeRepo } from './support/deploy.js';

// ON CLUSTER deploys on a real cluster: ZooKeeper and four ClickHouse 18.16 servers (2 shards x 2
// replicas) on loopback, started and stopped by this file. The deploy talks to node 1.

let cluster: ClickHouseCluster;
let target: Target;
const started = Date.now();
let upMs = 0;

beforeAll(async () => {
  cluster = await startCluster();
  upMs = Date.now() - started;
  target = await openTarget(cluster.nodes[0]?.url, {});
}, 120_000);

afterAll(async () => {
  await target?.close();
  const down = Date.now();
  await cluster?.stop();
  console.log(`cluster up in ${upMs} ms, down in ${Date.now() - down} ms`);
});

const everyNode = (sql: string) => Promise.all(cluster.nodes.map((n) => cluster.query(n.index, sql)));

/** A versioned repository for the cluster: statements written without ON CLUSTER, which the deploy adds. */
function clusterRepo(database: string, registry: string, files: Record<string, string>): string {
  return writeRepo({
    'clickplan.yaml': `layout: flyway\ndatabase: ${database}\nregistry: ${registry}\ncluster: ${cluster.name}\n`,
    ...files,
  });
}

const CLUSTER_OPTIONS = () => ({ alterCluster: cluster.flatName, ddlTaskTimeoutSeconds: 1, ddlPollSeconds: 2, ddlPollIntervalMs: 100 });

describe('deploy ON CLUSTER on a 2x2 ClickHouse 18.16 cluster', () => {
  it('runs every statement on every node, ALTERs a Distributed table on the flat cluster, and verifies each node', async () => {
    const dir = clusterRepo('app', 'reg_app', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS app;\n',
      'migrations/V2__events.sql': [
        "CREATE TABLE events_local (d Date, user_id UInt64, event String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/app/events_local', '{replica}') PARTITION BY toYYYYMM(d) ORDER BY (d, user_id);",
        `CREATE TABLE events AS events_local ENGINE = Distributed(${'test_cluster'}, app, events_local, cityHash64(user_id));`,
        '',
      ].join('\n'),
      'migrations/V3__country.sql':
        "ALTER TABLE events_local ADD COLUMN country String DEFAULT 'xx';\nALTER TABLE events ADD COLUMN country String DEFAULT 'xx';\n",
    });
    const report = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(report.failure).toBeUndefined();
    expect(report.statementsRun).toBe(5);
    expect(report.verification).toEqual({ remaining: [], nodes: [] });
    const tables = await everyNode("SELECT name FROM system.tables WHERE database = 'app' ORDER BY name FORMAT TSV");
    expect(tables).toEqual(cluster.nodes.map(() => 'events\nevents_local'));
    const columns = await everyNode(
      "SELECT countIf(table = 'events_local'), countIf(table = 'events') FROM system.columns WHERE database = 'app' AND name = 'country' FORMAT TSV",
    );
    expect(columns).toEqual(cluster.nodes.map(() => '1\t1'));
    // The registry lives on the node the deploy talks to.
    expect(await cluster.query(1, 'SELECT count() FROM reg_app.statements')).toBe('5');

    // Replication and distribution work through what the deploy created.
    await cluster.query(1, "INSERT INTO app.events (d, user_id, event) SELECT toDate('2024-01-01'), number, 'e' FROM system.numbers LIMIT 100", {
      insert_distributed_sync: '1',
    });
    await everyNode('SYSTEM SYNC REPLICA app.events_local');
    expect(await everyNode('SELECT count() FROM app.events')).toEqual(['100', '100', '100', '100']);

    const again = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(again.statementsRun).toBe(0);
  });

  it('gives Replicated tables written without arguments the paths of the replication convention, sharded or not', async () => {
    const files = {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS conv;\n',
      'migrations/V2__tables.sql': [
        // 18.16 refuses ReplicatedMergeTree without arguments: the convention is what makes these deployable.
        'CREATE TABLE events_local (d Date, user_id UInt64) ENGINE = ReplicatedMergeTree() ORDER BY (d, user_id);',
        `CREATE TABLE events AS events_local ENGINE = Distributed(${cluster.name}, conv, events_local, cityHash64(user_id));`,
        'CREATE TABLE countries (code String, name String) ENGINE = ReplicatedMergeTree() ORDER BY code;',
        '',
      ].join('\n'),
    };
    const dir = writeRepo({
      'clickplan.yaml': `layout: flyway\ndatabase: conv\nregistry: reg_conv\ncluster: ${cluster.name}\nreplication:\n  unsharded: /clickhouse/tables/all/{database}/{table}\n`,
      ...files,
    });
    const report = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(report.failure).toBeUndefined();
    expect(report.verification).toEqual({ remaining: [], nodes: [] });
    const paths = await everyNode("SELECT table, zookeeper_path FROM system.replicas WHERE database = 'conv' ORDER BY table FORMAT TSV");
    // Node n is in shard ceil(n / 2): the sharded table's path names its shard, the other one path for all.
    expect(paths).toEqual(
      cluster.nodes.map(
        (n) => `countries\t/clickhouse/tables/all/conv/countries\nevents_local\t/clickhouse/tables/${Math.ceil(n.index / 2)}/conv/events_local`,
      ),
    );
    // Unsharded: every replica of every shard holds every row.
    await cluster.query(1, "INSERT INTO conv.countries VALUES ('fr', 'France'), ('de', 'Germany')");
    await everyNode('SYSTEM SYNC REPLICA conv.countries');
    expect(await everyNode('SELECT count() FROM conv.countries')).toEqual(['2', '2', '2', '2']);
    // Later tests count the cluster's replicated tables.
    await cluster.query(1, `DROP DATABASE conv ON CLUSTER ${cluster.name}`);
  });

  it('applies a declarative plan ON CLUSTER, ALTERs the Distributed table on the flat cluster, and plans nothing after', async () => {
    const schema = (extra: string) =>
      [
        'CREATE DATABASE IF NOT EXISTS decl;',
        `CREATE TABLE decl.hits_local (d Date, url String${extra}) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/decl/hits_local', '{replica}') ORDER BY (d, url);`,
        `CREATE TABLE decl.hits (d Date, url String${extra}) ENGINE = Distributed(test_cluster, decl, hits_local, rand());`,
        '',
      ].join('\n');
    const dir = writeRepo({ 'clickplan.yaml': `registry: reg_decl\ncluster: ${cluster.name}\n`, 'schema/hits.sql': schema('') });
    const first = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(first.failure).toBeUndefined();
    expect(first.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual([
      'create decl applied',
      'create decl.hits_local applied',
      'create decl.hits applied',
    ]);
    expect(first.verification).toEqual({ remaining: [], nodes: [] });

    writeFiles(dir, { 'schema/hits.sql': schema(', referrer String') });
    const changed = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(changed.failure).toBeUndefined();
    expect(changed.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual(['alter decl.hits_local applied', 'alter decl.hits applied']);
    expect(changed.verification).toEqual({ remaining: [], nodes: [] });
    expect(await everyNode("SELECT count() FROM system.columns WHERE database = 'decl' AND name = 'referrer' FORMAT TSV")).toEqual(['2', '2', '2', '2']);
    expect((await deploy(dir, target, CLUSTER_OPTIONS())).steps).toEqual([]);
  });

  it('refuses to start while a replica is down; with the checks skipped, a 159 is followed by polling, the state is recorded, and the deploy resumes after the replica is back', async () => {
    const dir = clusterRepo('down', 'reg_down', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS down;\n',
    });
    expect((await deploy(dir, target, CLUSTER_OPTIONS())).failure).toBeUndefined();
    writeFiles(dir, {
      'migrations/V2__t.sql': [
        "CREATE TABLE t (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/down/t', '{replica}') ORDER BY x;",
        "CREATE TABLE u (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/down/u', '{replica}') ORDER BY x;",
        '',
      ].join('\n'),
    });
    await cluster.stopNode(4);
    try {
      const refused = await deploy(dir, target, CLUSTER_OPTIONS());
      expect(refused.failure).toMatchObject({
        code: 'cluster-not-ready',
        // n4 is down: it does not answer, and the replicas it holds are inactive as n3 sees them.
        message: `Cluster ${cluster.name} is not ready for an ON CLUSTER deploy: ${cluster.nodes[3]?.host} did not answer; app.events_local on ${cluster.nodes[2]?.host} has 1 of 2 replicas active; decl.hits_local on ${cluster.nodes[2]?.host} has 1 of 2 replicas active.`,
        state: 'Nothing ran.',
      });
      expect(await cluster.query(1, 'EXISTS TABLE down.t')).toBe('0');

      const timedOut = await deploy(dir, target, { ...CLUSTER_OPTIONS(), skipClusterChecks: true });
      expect(timedOut.events.filter((e) => e.kind === 'ddl-timeout')).toHaveLength(1);
      expect(timedOut.failure).toMatchObject({
        code: 'cluster-ddl-unfinished',
        statement: 1,
        serverCode: 159,
        message: expect.stringMatching(
          new RegExp(
            `^Statement 1 of .*V2__t\\.sql outlived distributed_ddl_task_timeout and, polling the DDL queue, /clickhouse/task_queue/ddl/query-\\d+ ran on 3 of 4 hosts; ${cluster.nodes[3]?.host} did not run it\\.$`,
          ),
        ),
        state: expect.stringMatching(
          /Statements 1-1 of .*V2__t\.sql ran \(the last one on the hosts that answered, queued for the others\) and are recorded\. Run the deploy again once the cause is fixed: it resumes at statement 2\.$/,
        ),
      });
      expect(await Promise.all([1, 2, 3].map((n) => cluster.query(n, 'EXISTS TABLE down.t')))).toEqual(['1', '1', '1']);
    } finally {
      await cluster.startNode(4);
    }
    // The replica runs the queued CREATE when it comes back.
    for (let i = 0; i < 100 && (await cluster.query(4, 'EXISTS TABLE down.t')) !== '1'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await cluster.query(4, 'EXISTS TABLE down.t')).toBe('1');

    const resumed = await deploy(dir, target, CLUSTER_OPTIONS());
    expect(resumed.failure).toBeUndefined();
    expect(resumed.migrations.map((m) => [m.status, m.ran, m.resumedAt])).toEqual([
      ['already-applied', 0, undefined],
      ['applied', 1, 2],
    ]);
    expect(await everyNode('EXISTS TABLE down.u')).toEqual(['1', '1', '1', '1']);
    expect(resumed.verification?.nodes).toEqual([]);
  });

  it('a replica that comes back while the deploy polls the DDL queue lets the deploy go on', async () => {
    const dir = clusterRepo('slow', 'reg_slow', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS slow;\n',
    });
    expect((await deploy(dir, target, CLUSTER_OPTIONS())).failure).toBeUndefined();
    writeFiles(dir, {
      'migrations/V2__t.sql':
        "CREATE TABLE t (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/slow/t', '{replica}') ORDER BY x;\nALTER TABLE t ADD COLUMN y UInt8;\n",
    });
    await cluster.stopNode(4);
    let restarting: Promise<void> | undefined;
    const report = await deploy(dir, target, {
      ...CLUSTER_OPTIONS(),
      skipClusterChecks: true,
      ddlPollSeconds: 60,
      onEvent: (event) => {
        if (event.kind === 'ddl-timeout' && !restarting) restarting = cluster.startNode(4);
      },
    });
    await restarting;
    expect(report.failure).toBeUndefined();
    expect(report.events.filter((e) => e.kind === 'ddl-timeout')).toHaveLength(1);
    expect(report.notes).toEqual([
      expect.stringMatching(/^\/clickhouse\/task_queue\/ddl\/query-\d+ outlived distributed_ddl_task_timeout; polling saw all 4 hosts finish it\.$/),
    ]);
    expect(await everyNode("SELECT count() FROM system.columns WHERE database = 'slow' AND table = 't' AND name = 'y'")).toEqual(['1', '1', '1', '1']);
  });
});
