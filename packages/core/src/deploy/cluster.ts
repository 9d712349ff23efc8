import { createHash } from 'node:crypto';
import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import { quoteString } from '../syntax/printer.js';

// ON CLUSTER deploys: checks before running, the distributed DDL queue after a timeout, and the
// schema on every node after. An ON CLUSTER statement is a task in ZooKeeper that every host runs;
// the server that received it waits `distributed_ddl_task_timeout` seconds for all of them and then
// answers 159 (TIMEOUT_EXCEEDED) while the task stays queued: the hosts that were down run it when
// they come back. Retrying would queue it a second time, so the deploy reads the task's state instead:
// `system.distributed_ddl_queue` where the server has it, else `system.zookeeper` under the task's
// path (ClickHouse 18.16), which the 159 message names.

/** The error of an ON CLUSTER statement that outlived `distributed_ddl_task_timeout`. */
export const DDL_TIMEOUT = 159;

/** The default `distributed_ddl.path` of ClickHouse's configuration. */
export const DEFAULT_DDL_QUEUE_PATH = '/clickhouse/task_queue/ddl';

export interface ClusterHost {
  /** `host:port` (the TCP port), as ClickHouse names hosts in the DDL queue. */
  host: string;
  shard: number;
  replica: number;
}

/** The state of one distributed DDL task. */
export interface DdlTaskState {
  task: string;
  hosts: string[];
  /** Hosts that ran it, with their result: code 0 is success. */
  finished: { host: string; code: number; message: string }[];
  /** Hosts that have not run it yet. */
  unfinished: string[];
}

/** The task path in a 159 message: `Watching task /clickhouse/task_queue/ddl/query-0000000005 is executing longer than ...`. */
export function ddlTaskOf(message: string): string | undefined {
  return /task (\/\S*query-\d+)/.exec(message)?.[1];
}

/** The hosts of a cluster as the server it is asked of configures it (`system.clusters`). */
export async function clusterHosts(target: Target, cluster: string): Promise<ClusterHost[]> {
  const rows = await target.query<Record<string, string>>(
    `SELECT host_address, port, shard_num, replica_num FROM system.clusters WHERE cluster = ${quoteString(cluster)} ORDER BY shard_num, replica_num`,
  );
  return rows.map((row) => ({ host: hostPort(row.host_address, row.port), shard: Number(row.shard_num), replica: Number(row.replica_num) }));
}

function hostPort(address: string, port: string | number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Whether a host answers a query through `remote()` from the server the deploy talks to. */
async function isReachable(target: Target, host: string): Promise<boolean> {
  try {
    await target.query(
      `SELECT 1 AS ok FROM remote(${quoteString(host)}, system.one) SETTINGS connect_timeout_with_failover_ms = 1000, connections_with_failover_max_tries = 1`,
    );
    return true;
  } catch (error) {
    if (error instanceof TargetError && error.errorCode === 'target-statement-failed') return false;
    throw error;
  }
}

export interface ClusterReadiness {
  hosts: ClusterHost[];
  /** Hosts that did not answer. */
  unreachable: string[];
  /** Replicated tables, seen from a host that answered, with fewer active replicas than they have. */
  inactiveReplicas: { host: string; table: string; active: number; total: number }[];
  /** Recent DDL tasks some host has not finished. */
  pendingTasks: DdlTaskState[];
  /** What could not be checked, and why. */
  notes: string[];
}

/**
 * Checks before an ON CLUSTER deploy: the cluster is configured, every host answers, every replica of
 * the replicated tables is active, and the last tasks of the DDL queue are finished everywhere (a host still working through the queue would run
 * the deploy's statements late).
 */
export async function checkClusterReady(target: Target, cluster: string, ddlQueuePath = DEFAULT_DDL_QUEUE_PATH): Promise<ClusterReadiness> {
  const hosts = await clusterHosts(target, cluster);
  const unreachable: string[] = [];
  for (const { host } of hosts) if (!(await isReachable(target, host))) unreachable.push(host);
  const notes: string[] = [];
  const inactiveReplicas: ClusterReadiness['inactiveReplicas'] = [];
  for (const { host } of hosts) {
    if (unreachable.includes(host)) continue;
    const rows = await target.query<Record<string, string>>(
      `SELECT database, table, active_replicas, total_replicas FROM remote(${quoteString(host)}, system.replicas) WHERE active_replicas < total_replicas ORDER BY database, table`,
    );
    for (const row of rows)
      inactiveReplicas.push({ host, table: `${row.database}.${row.table}`, active: Number(row.active_replicas), total: Number(row.total_replicas) });
  }
  const pendingTasks: DdlTaskState[] = [];
  let names: string[] = [];
  try {
    const rows = await target.query<{ name: string }>(
      `SELECT name FROM system.zookeeper WHERE path = ${quoteString(ddlQueuePath)} AND name LIKE 'query-%' ORDER BY name DESC LIMIT 10`,
    );
    names = rows.map((r) => r.name);
  } catch (error) {
    if (!(error instanceof TargetError) || error.errorCode !== 'target-statement-failed') throw error;
    notes.push(`the DDL queue at ${ddlQueuePath} could not be read: ${error.serverMessage ?? error.message}`);
  }
  const queueTable = names.length > 0 && (await hasDistributedDdlQueue(target));
  for (const name of names) {
    const state = await readDdlTask(target, `${ddlQueuePath}/${name}`, queueTable);
    if (state && state.unfinished.length > 0) pendingTasks.push(state);
  }
  return { hosts, unreachable, inactiveReplicas, pendingTasks, notes };
}

/**
 * A task's hosts and results from ZooKeeper (`system.zookeeper`), or undefined when the task is gone
 * (cleaned up). `queueTable`: whether the server has `system.distributed_ddl_queue` (asked when not given).
 */
export async function readDdlTask(target: Target, task: string, queueTable?: boolean): Promise<DdlTaskState | undefined> {
  const slash = task.lastIndexOf('/');
  const [dir, name] = [task.slice(0, slash), task.slice(slash + 1)];
  if (queueTable ?? (await hasDistributedDdlQueue(target))) return readDdlQueueTable(target, task, name);
  const entry = await target.query<{ value: string }>(`SELECT value FROM system.zookeeper WHERE path = ${quoteString(dir)} AND name = ${quoteString(name)}`);
  if (!entry[0]) return undefined;
  const hostList = /hosts: \[([^\]]*)\]/.exec(entry[0].value)?.[1] ?? '';
  const hosts = [...hostList.matchAll(/'([^']*)'/g)].map((m) => decodeURIComponent(m[1]));
  const finishedRows = await target.query<{ name: string; value: string }>(
    `SELECT name, value FROM system.zookeeper WHERE path = ${quoteString(`${task}/finished`)}`,
  );
  const finished = finishedRows.map((row) => {
    const [code, ...message] = row.value.split('\n');
    return { host: decodeURIComponent(row.name), code: Number(code), message: message.join('\n').trim() };
  });
  const done = new Set(finished.map((f) => f.host));
  return { task, hosts, finished, unfinished: hosts.filter((h) => !done.has(h)) };
}

/** Whether the server lists DDL tasks in `system.distributed_ddl_queue` (21.x on). Asked once per check or poll, not cached between them. */
async function hasDistributedDdlQueue(target: Target): Promise<boolean> {
  const rows = await target.query(`SELECT name FROM system.tables WHERE database = 'system' AND name = 'distributed_ddl_queue'`);
  return rows.length > 0;
}

/** What servers from 21.x on list about a task in `system.distributed_ddl_queue`, one row per host. */
export const DDL_QUEUE_QUERY = 'SELECT host, port, status, exception_code, exception_text FROM system.distributed_ddl_queue WHERE entry = ';

async function readDdlQueueTable(target: Target, task: string, name: string): Promise<DdlTaskState | undefined> {
  return ddlStateOfQueueRows(task, await target.query<DdlQueueRow>(`${DDL_QUEUE_QUERY}${quoteString(name)}`));
}

export interface DdlQueueRow {
  host: string | null;
  port: number | string | null;
  status: string | null;
  exception_code: number | string | null;
  exception_text: string | null;
}

/** A task's state from its rows of `system.distributed_ddl_queue`; undefined when it has none (cleaned up). */
export function ddlStateOfQueueRows(task: string, rows: readonly DdlQueueRow[]): DdlTaskState | undefined {
  if (rows.length === 0) return undefined;
  const host = (row: DdlQueueRow) => hostPort(row.host ?? '', String(row.port ?? ''));
  const hosts = rows.map(host);
  const finished = rows
    .filter((row) => row.status === 'Finished')
    .map((row) => ({ host: host(row), code: Number(row.exception_code ?? 0), message: row.exception_text ?? '' }));
  const done = new Set(finished.map((f) => f.host));
  return { task, hosts, finished, unfinished: hosts.filter((h) => !done.has(h)) };
}

/**
 * Polls a task until every host finished it or `timeoutMs` passed. Returns the last state seen;
 * undefined when the task could not be found at all.
 */
export async function pollDdlTask(
  target: Target,
  task: string,
  options: { timeoutMs: number; intervalMs?: number },
  onPoll: (state: DdlTaskState) => void = () => {},
): Promise<DdlTaskState | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const queueTable = await hasDistributedDdlQueue(target);
  for (;;) {
    const state = await readDdlTask(target, task, queueTable);
    if (state) onPoll(state);
    if (!state || state.unfinished.length === 0 || Date.now() >= deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}

export interface NodeSchema {
  host: string;
  /** Hash of every table's `create_table_query` in the databases, by `db.name`. */
  tables: Map<string, string>;
  error?: string;
}

/**
 * The tables of `databases` on every host of the cluster, read through `remote()` from the server
 * the deploy talks to, so that a deploy can show every node holds the same definitions.
 */
export async function readNodeSchemas(target: Target, cluster: string, databases: string[]): Promise<NodeSchema[]> {
  const hosts = await clusterHosts(target, cluster);
  const result: NodeSchema[] = [];
  for (const { host } of hosts) {
    const node: NodeSchema = { host, tables: new Map() };
    if (databases.length > 0) {
      try {
        const rows = await target.query<Record<string, string>>(
          `SELECT database, name, create_table_query FROM remote(${quoteString(host)}, system.tables) WHERE database IN (${databases.map(quoteString).join(', ')})`,
        );
        for (const row of rows) node.tables.set(`${row.database}.${row.name}`, createHash('sha256').update(row.create_table_query).digest('hex'));
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        node.error = error.serverMessage ?? error.message;
      }
    }
    result.push(node);
  }
  return result;
}

/** Hosts whose tables differ from the first host's, with what differs. */
export function nodeDifferences(nodes: NodeSchema[]): { host: string; differences: string[] }[] {
  const reference = nodes.find((n) => !n.error);
  if (!reference) return nodes.map((n) => ({ host: n.host, differences: [n.error ?? 'unreadable'] }));
  const out: { host: string; differences: string[] }[] = [];
  for (const node of nodes) {
    if (node === reference) continue;
    if (node.error) {
      out.push({ host: node.host, differences: [`could not be read: ${node.error}`] });
      continue;
    }
    const differences: string[] = [];
    for (const [id, hash] of reference.tables) {
      const other = node.tables.get(id);
      if (other === undefined) differences.push(`${id} is missing`);
      else if (other !== hash) differences.push(`${id} differs from ${reference.host}`);
    }
    for (const id of node.tables.keys()) if (!reference.tables.has(id)) differences.push(`${id} exists only there`);
    if (differences.length) out.push({ host: node.host, differences });
  }
  return out;
}
