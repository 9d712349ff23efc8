import { beforeAll, describe, expect, it } from 'vitest';
import { DDL_QUEUE_QUERY, ddlStateOfQueueRows } from '../packages/core/src/deploy/cluster.js';
import { type Target, TargetError } from '../packages/core/src/live/types.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// After an ON CLUSTER timeout (159), servers from 21.x on are polled through
// `system.distributed_ddl_queue`; the real cluster of the test suite runs ClickHouse 18.16, which has
// no such table (test/cluster-deploy.test.ts covers its `system.zookeeper` path). Here ClickHouse 26.7
// (chDB, without ZooKeeper) checks the query against the table as it is, and the rows' meaning.

const engine = embeddedEngine('ddl-queue');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

describe('the distributed DDL queue of current servers', () => {
  it('reads columns ClickHouse 26.7 has, with the types and status values the deploy expects', async () => {
    const columns = new Map(
      (
        await target.query<{ name: string; type: string }>(
          "SELECT name, type FROM system.columns WHERE database = 'system' AND table = 'distributed_ddl_queue'",
        )
      ).map((c) => [c.name, c.type]),
    );
    const read = /^SELECT (.*) FROM/.exec(DDL_QUEUE_QUERY)?.[1]?.split(', ') ?? [];
    expect(read.map((name) => [name, columns.has(name)])).toEqual(read.map((name) => [name, true]));
    expect(columns.get('entry')).toBe('String');
    expect(columns.get('status')).toMatch(/'Finished' = \d/);
    // The engine accepts the query and only lacks ZooKeeper to answer it.
    const error = await target.query(`${DDL_QUEUE_QUERY}'query-0000000001'`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).serverMessage ?? (error as TargetError).message).toMatch(/ZooKeeper|Zookeeper|Keeper/);
  });

  it('counts a host done when its row is Finished, with its exception code; the others unfinished', () => {
    const rows = [
      { host: 'ch-1', port: 9000, status: 'Finished', exception_code: 0, exception_text: '' },
      { host: 'ch-2', port: 9000, status: 'Finished', exception_code: 57, exception_text: 'Table x already exists' },
      { host: 'ch-3', port: 9000, status: 'Active', exception_code: null, exception_text: null },
      { host: '::1', port: '9440', status: 'Inactive', exception_code: null, exception_text: null },
    ];
    expect(ddlStateOfQueueRows('/clickhouse/task_queue/ddl/query-0000000007', rows)).toEqual({
      task: '/clickhouse/task_queue/ddl/query-0000000007',
      hosts: ['ch-1:9000', 'ch-2:9000', 'ch-3:9000', '[::1]:9440'],
      finished: [
        { host: 'ch-1:9000', code: 0, message: '' },
        { host: 'ch-2:9000', code: 57, message: 'Table x already exists' },
      ],
      unfinished: ['ch-3:9000', '[::1]:9440'],
    });
    expect(ddlStateOfQueueRows('/clickhouse/task_queue/ddl/query-0000000008', [])).toBeUndefined();
  });
});
