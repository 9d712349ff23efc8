import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickhouseServerBinary, freePort, retryOnPortClash } from './clickhouseServer.js';

// Test support: a real ClickHouse cluster on loopback — ZooKeeper 3.8 and four Debian
// clickhouse-server 18.16 processes, 2 shards x 2 replicas — started on free ports in a temporary
// directory and stopped by PID. scripts/ensure-system-deps.sh installs ZooKeeper, Java and slf4j.
//
// Topology (as in shared/recipes/clickhouse-cluster.sh): shard 1 = n1 (r1), n2 (r2); shard 2 = n3
// (r1), n4 (r2). Two clusters over the same hosts: `test_cluster`, 2x2 with internal_replication
// (CREATE/DROP/RENAME, ALTER of Replicated* tables), and `test_cluster_flat`, every host its own
// shard (ALTER of Distributed and plain MergeTree tables, which 18.16 refuses on the first, code 371).

const ZK_CLASSPATH = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-simple.jar'];

export interface ClusterNode {
  index: number;
  httpPort: number;
  tcpPort: number;
  /** `http://127.0.0.1:<httpPort>` */
  url: string;
  /** `127.0.0.1:<tcpPort>`, as the DDL queue names the host. */
  host: string;
}

export interface ClickHouseCluster {
  name: string;
  flatName: string;
  nodes: ClusterNode[];
  zookeeperPort: number;
  root: string;
  /** SIGTERM and wait (a graceful stop); resolves once the process is gone. */
  stopNode(index: number): Promise<void>;
  /** Starts a stopped node again and resolves once it answers with a ZooKeeper session. */
  startNode(index: number): Promise<void>;
  /** Runs SQL over HTTP on a node and returns the body (throws with the server's text on failure). */
  query(index: number, sql: string, params?: Record<string, string>): Promise<string>;
  /** Stops every process (SIGKILL) and removes the directory. */
  stop(): Promise<void>;
}

/** The ZooKeeper jar and Java, or an error that says how to install them: tests that need them fail, never skip. */
function zookeeperClasspath(): string {
  const missing = ZK_CLASSPATH.filter((path) => !existsSync(path));
  if (missing.length)
    throw new Error(
      `${missing.join(', ')} missing. Run \`bash scripts/ensure-system-deps.sh\` (apt-get install zookeeper libslf4j-java default-jre-headless).`,
    );
  return ZK_CLASSPATH.join(':');
}

/** Starts ZooKeeper and four ClickHouse nodes; resolves when every node answers with a ZooKeeper session. */
export function startCluster(options: { ddlTaskTimeout?: number } = {}): Promise<ClickHouseCluster> {
  return retryOnPortClash(() => startClusterOnce(options));
}

async function startClusterOnce(options: { ddlTaskTimeout?: number }): Promise<ClickHouseCluster> {
  const binary = clickhouseServerBinary();
  const classpath = zookeeperClasspath();
  const root = mkdtempSync(join(tmpdir(), 'clickplan-cluster-'));
  const name = 'test_cluster';
  const flatName = 'test_cluster_flat';
  const zookeeperPort = await freePort();
  const nodes: ClusterNode[] = [];
  for (const index of [1, 2, 3, 4]) {
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    nodes.push({ index, httpPort, tcpPort, url: `http://127.0.0.1:${httpPort}`, host: `127.0.0.1:${tcpPort}` });
  }
  const interserver = new Map<number, number>();
  for (const node of nodes) interserver.set(node.index, await freePort());
  const processes = new Map<string, ChildProcess>();
  const killOnExit = () => {
    for (const child of processes.values()) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const spawnLogged = (key: string, command: string, args: string[], cwd: string) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    processes.set(key, child);
    return child;
  };

  mkdirSync(join(root, 'zk/data'), { recursive: true });
  writeFileSync(join(root, 'zk/zoo.cfg'), zooCfg(join(root, 'zk/data'), zookeeperPort));
  spawnLogged(
    'zk',
    'java',
    [
      '-Xms32m',
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-cp',
      classpath,
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      join(root, 'zk/zoo.cfg'),
    ],
    join(root, 'zk'),
  );
  const startNode = async (index: number) => {
    const node = nodes[index - 1] as ClusterNode;
    const dir = join(root, `n${index}`);
    if (!existsSync(join(dir, 'config.xml'))) {
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'config.xml'), nodeConfig(dir, node, interserver.get(index) as number, nodes, zookeeperPort, name, flatName));
      writeFileSync(join(dir, 'users.xml'), usersXml(options.ddlTaskTimeout));
    }
    spawnLogged(`n${index}`, binary, [`--config-file=${join(dir, 'config.xml')}`], dir);
    await waitFor(
      `n${index}`,
      () => answers(node),
      () => processGone(processes.get(`n${index}`)),
      () => readTail(join(dir, 'log/server.err.log')),
    );
  };

  const stop = async () => {
    process.off('exit', killOnExit);
    await Promise.all([...processes.values()].map((child) => killAndWait(child, 'SIGKILL')));
    processes.clear();
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitFor(
      'zookeeper',
      () => zookeeperServes(zookeeperPort),
      () => processGone(processes.get('zk')),
      () => '',
    );
    await Promise.all(nodes.map((node) => startNode(node.index)));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    name,
    flatName,
    nodes,
    zookeeperPort,
    root,
    startNode,
    async stopNode(index) {
      const child = processes.get(`n${index}`);
      if (child) await killAndWait(child, 'SIGTERM');
      processes.delete(`n${index}`);
    },
    query: (index, sql, params = {}) => httpQuery(nodes[index - 1] as ClusterNode, sql, params),
    stop,
  };
}

async function httpQuery(node: ClusterNode, sql: string, params: Record<string, string>): Promise<string> {
  const url = new URL(node.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { method: 'POST', body: sql, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(text.trim());
  return text.trim();
}

async function answers(node: ClusterNode): Promise<boolean> {
  try {
    // HTTP up and the ZooKeeper session usable.
    await httpQuery(node, "SELECT count() FROM system.zookeeper WHERE path = '/'", {});
    return true;
  } catch {
    return false;
  }
}

/** ZooKeeper's `srvr` prints `Mode:` only once it serves sessions (`ruok` answers earlier). */
function zookeeperServes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('close', () => resolve(/^Mode: /m.test(text)));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => socket.destroy());
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, died: () => boolean, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (died()) throw new Error(`${what} exited before it was ready:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function processGone(child: ChildProcess | undefined): boolean {
  return !child || child.exitCode !== null || child.signalCode !== null;
}

async function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (processGone(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

function zooCfg(dataDir: string, port: number): string {
  return [
    'tickTime=500',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    'clientPortAddress=127.0.0.1',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,mntr,stat',
    'maxClientCnxns=0',
    'minSessionTimeout=1000',
    'maxSessionTimeout=30000',
    'forceSync=no',
    '',
  ].join('\n');
}

function nodeConfig(
  dir: string,
  node: ClusterNode,
  interserverPort: number,
  nodes: ClusterNode[],
  zookeeperPort: number,
  name: string,
  flatName: string,
): string {
  const replica = (n: ClusterNode) => `<replica><host>127.0.0.1</host><port>${n.tcpPort}</port></replica>`;
  const shards = [nodes.slice(0, 2), nodes.slice(2, 4)]
    .map((pair) => `<shard><internal_replication>true</internal_replication>${pair.map(replica).join('')}</shard>`)
    .join('\n            ');
  const flat = nodes.map((n) => `<shard>${replica(n)}</shard>`).join('\n            ');
  return `<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
    <display_name>n${node.index}</display_name>
    <listen_host>127.0.0.1</listen_host>
    <http_port>${node.httpPort}</http_port>
    <tcp_port>${node.tcpPort}</tcp_port>
    <interserver_http_port>${interserverPort}</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <mark_cache_size>67108864</mark_cache_size>
    <path>${dir}/data/</path>
    <tmp_path>${dir}/tmp/</tmp_path>
    <user_files_path>${dir}/user_files/</user_files_path>
    <format_schema_path>${dir}/format_schemas/</format_schema_path>
    <users_config>${dir}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <max_table_size_to_drop>0</max_table_size_to_drop>
    <remote_servers>
        <${name}>
            ${shards}
        </${name}>
        <${flatName}>
            ${flat}
        </${flatName}>
    </remote_servers>
    <zookeeper>
        <node index="1"><host>127.0.0.1</host><port>${zookeeperPort}</port></node>
        <session_timeout_ms>10000</session_timeout_ms>
    </zookeeper>
    <macros>
        <cluster>${name}</cluster>
        <shard>${node.index <= 2 ? 1 : 2}</shard>
        <replica>r${node.index % 2 === 1 ? 1 : 2}</replica>
    </macros>
    <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
`;
}

/** ON CLUSTER DDL runs with the server-side profile: its distributed_ddl_task_timeout is the one that counts on 18.16. */
function usersXml(ddlTaskTimeout: number | undefined): string {
  const timeout = ddlTaskTimeout === undefined ? '' : `<distributed_ddl_task_timeout>${ddlTaskTimeout}</distributed_ddl_task_timeout>`;
  return `<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing>${timeout}</default></profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}
