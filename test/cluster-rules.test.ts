import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import distributedLocalMismatch from '../packages/core/src/rules/distributed-local-mismatch.js';
import onClusterMissing from '../packages/core/src/rules/on-cluster-missing.js';
import replicaNameWithoutMacro from '../packages/core/src/rules/replica-name-without-macro.js';
import replicatedPathDuplicate from '../packages/core/src/rules/replicated-path-duplicate.js';
import replicatedPathRenamed from '../packages/core/src/rules/replicated-path-renamed.js';
import replicatedPathWithoutShard from '../packages/core/src/rules/replicated-path-without-shard.js';
import { testRule } from '../packages/core/src/rules/ruleTester.js';
import { type ClickHouseCluster, startCluster } from './support/cluster.js';

// The cluster rules' claims, shown on a real cluster: ZooKeeper and four ClickHouse 18.16 servers
// (2 shards x 2 replicas) on loopback. chDB has no cluster, so this is where they are grounded. Each
// case runs the SQL a rule reports, shows what the cluster does with it, and checks the rule fires.

let cluster: ClickHouseCluster;

beforeAll(async () => {
  cluster = await startCluster();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const onEveryNode = (sql: string) => Promise.all(cluster.nodes.map((n) => cluster.query(n.index, sql)));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: Error) => e.message,
  );
const fires = (rule: Parameters<typeof testRule>[0], sql: string, project?: object) =>
  testRule(rule, { files: [{ file: 'migration.sql', text: sql }], ...(project ? { project } : {}) }).map((f) => f.messageId);

describe('cluster rules, grounded on a 2x2 cluster', () => {
  it('on-cluster-missing: DDL without ON CLUSTER changes the one server it runs on', async () => {
    const sql = 'CREATE DATABASE IF NOT EXISTS r1 ON CLUSTER test_cluster;\nCREATE TABLE r1.events (x UInt8) ENGINE = MergeTree() ORDER BY x;';
    expect(fires(onClusterMissing, sql, { cluster: cluster.name })).not.toEqual([]);
    await cluster.query(1, `CREATE DATABASE IF NOT EXISTS r1 ON CLUSTER ${cluster.name}`);
    await cluster.query(1, 'CREATE TABLE r1.events (x UInt8) ENGINE = MergeTree() ORDER BY x');
    const present = await onEveryNode("SELECT count() FROM system.tables WHERE database = 'r1' AND name = 'events'");
    expect(present.map((n) => n.trim())).toEqual(['1', '0', '0', '0']);
    await cluster.query(1, `CREATE TABLE r1.events_all ON CLUSTER ${cluster.name} (x UInt8) ENGINE = MergeTree() ORDER BY x`);
    const everywhere = await onEveryNode("SELECT count() FROM system.tables WHERE database = 'r1' AND name = 'events_all'");
    expect(everywhere.map((n) => n.trim())).toEqual(['1', '1', '1', '1']);
  });

  it('replicated-path-duplicate: a second table on the same ZooKeeper path and replica is refused', async () => {
    const sql = `CREATE TABLE r2.a (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/shared_path', 'r1') ORDER BY x;
CREATE TABLE r2.b (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/shared_path', 'r1') ORDER BY x;`;
    expect(fires(replicatedPathDuplicate, sql)).not.toEqual([]);
    await cluster.query(1, 'CREATE DATABASE r2');
    const [first, second] = sql.split(';\n');
    expect(await refusal(cluster.query(1, first as string))).toBe('accepted');
    expect(await refusal(cluster.query(1, (second as string).replace(/;$/, '')))).toMatch(/Code: 253|REPLICA_IS_ALREADY_EXIST|already exists/i);
  });

  it('replicated-path-without-shard: without {shard}, the replicas of both shards share one path and collide', async () => {
    const sql = `CREATE TABLE r3.events ON CLUSTER test_cluster (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/r3_events', '{replica}') ORDER BY x;`;
    const sharded = `CREATE DATABASE r3 ON CLUSTER test_cluster;\n${sql}\nCREATE TABLE r3.events_all ON CLUSTER test_cluster AS r3.events ENGINE = Distributed(test_cluster, r3, events, rand());`;
    expect(fires(replicatedPathWithoutShard, sharded)).not.toEqual([]);
    await cluster.query(1, `CREATE DATABASE r3 ON CLUSTER ${cluster.name}`);
    // Shard 2's replicas are named like shard 1's (r1, r2): on one path they are the same replicas.
    const outcome = await refusal(cluster.query(1, sql.replace('test_cluster', cluster.name).replace(/;$/, ''), { distributed_ddl_task_timeout: '20' }));
    const tables = await onEveryNode("SELECT count() FROM system.tables WHERE database = 'r3' AND name = 'events'");
    expect(outcome).toMatch(/Code: 253.*Replica \/clickhouse\/tables\/r3_events\/replicas\/r\d already exists/);
    // Only one shard's two replicas got the table: the other shard's collided with them.
    expect(tables.map((n) => n.trim()).sort()).toEqual(['0', '0', '1', '1']);
  });

  it('distributed-local-mismatch: until its local table is created, a Distributed table cannot be read', async () => {
    const sql = `CREATE DATABASE r4 ON CLUSTER test_cluster;
CREATE TABLE r4.events_all ON CLUSTER test_cluster (x UInt8) ENGINE = Distributed(test_cluster, r4, events_local, rand());
CREATE TABLE r4.events_local ON CLUSTER test_cluster (x UInt8) ENGINE = MergeTree() ORDER BY x;`;
    expect(fires(distributedLocalMismatch, sql)).not.toEqual([]);
    await cluster.query(1, `CREATE DATABASE r4 ON CLUSTER ${cluster.name}`);
    await cluster.query(1, `CREATE TABLE r4.events_all ON CLUSTER ${cluster.name} (x UInt8) ENGINE = Distributed(${cluster.name}, r4, events_local, rand())`);
    // 26.x says UNKNOWN_TABLE (code 60); 18.16 wraps the same in code 279 with "There is no table".
    expect(await refusal(cluster.query(1, 'SELECT count() FROM r4.events_all'))).toMatch(/There is no table r4\.events_local|Code: 60/);
    await cluster.query(1, `CREATE TABLE r4.events_local ON CLUSTER ${cluster.name} (x UInt8) ENGINE = MergeTree() ORDER BY x`);
    expect((await cluster.query(1, 'SELECT count() FROM r4.events_all')).trim()).toBe('0');
  });

  it('replica-name-without-macro: a literal replica name ON CLUSTER makes the replicas of a shard collide', async () => {
    const sql = `CREATE DATABASE r5 ON CLUSTER test_cluster;
CREATE TABLE r5.events ON CLUSTER test_cluster (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r5/events', 'replica_1') ORDER BY x;`;
    expect(fires(replicaNameWithoutMacro, sql)).not.toEqual([]);
    await cluster.query(1, `CREATE DATABASE r5 ON CLUSTER ${cluster.name}`);
    const outcome = await refusal(
      cluster.query(
        1,
        `CREATE TABLE r5.events ON CLUSTER ${cluster.name} (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r5/events', 'replica_1') ORDER BY x`,
        {
          distributed_ddl_task_timeout: '20',
        },
      ),
    );
    expect(outcome).toMatch(/Code: 253.*replicas\/replica_1 already exists/);
    const tables = await onEveryNode("SELECT count() FROM system.tables WHERE database = 'r5' AND name = 'events'");
    // One replica per shard got the table; its twin on the same shard collided.
    expect(tables.map((n) => n.trim()).sort()).toEqual(['0', '0', '1', '1']);
  });

  it('replicated-path-renamed: a {table} path keeps the old name after RENAME, so a new table under that name collides', async () => {
    const sql = `CREATE TABLE r6.events (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r6/{table}', '{replica}') ORDER BY x;
RENAME TABLE r6.events TO r6.events_old;`;
    expect(fires(replicatedPathRenamed, sql)).not.toEqual([]);
    await cluster.query(1, 'CREATE DATABASE r6');
    const create = "CREATE TABLE r6.events (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/r6/{table}', '{replica}') ORDER BY x";
    await cluster.query(1, create);
    await cluster.query(1, 'RENAME TABLE r6.events TO r6.events_old');
    expect((await cluster.query(1, "SELECT zookeeper_path FROM system.replicas WHERE database = 'r6' AND table = 'events_old'")).trim()).toBe(
      '/clickhouse/tables/1/r6/events',
    );
    expect(await refusal(cluster.query(1, create))).toMatch(/Code: 253|already exists/);
  });
});
