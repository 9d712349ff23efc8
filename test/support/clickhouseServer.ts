import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Test support: a real ClickHouse server (Debian's clickhouse-server, 18.16) on free loopback ports
// with a throwaway configuration and data directory. scripts/ensure-system-deps.sh installs it.

/** Where Debian puts the binary; CLICKHOUSE_SERVER_BIN overrides. */
const CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

export interface ClickHouseServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  httpPort: number;
  /** With `tls`: `https://127.0.0.1:<port>`, served with a self-signed certificate for 127.0.0.1. */
  httpsUrl?: string;
  /** With `tls`: the PEM file of that certificate, for clients to trust. */
  certificate?: string;
  user: string;
  password: string;
  /** The directory that holds its config, data and logs (removed by stop). */
  root: string;
  /** Stops the server (SIGKILL: the data is thrown away) and removes its directory. */
  stop(): Promise<void>;
}

/** The server binary, or an error that says how to install it: tests that need it fail, never skip. */
export function clickhouseServerBinary(): string {
  const candidates = process.env.CLICKHOUSE_SERVER_BIN ? [process.env.CLICKHOUSE_SERVER_BIN] : CANDIDATES;
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `clickhouse-server is not installed (looked for ${candidates.join(', ')}). Run \`bash scripts/ensure-system-deps.sh\` (apt-get install clickhouse-server) or set CLICKHOUSE_SERVER_BIN.`,
    );
  return found;
}

/** A port nothing listens on now (the kernel's choice), on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Runs `start` again (up to three times) when it failed because a port was taken: `freePort` can
 * only find a port that is free now, and another test file running at the same time may bind it
 * before the server does ("Address already in use"). `start` cleans up after itself when it fails.
 */
export async function retryOnPortClash<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String((error as Error).message))) throw error;
    }
  }
}

/** Starts clickhouse-server and resolves once it answers `/ping`; rejects with its log if it dies or is not up within `timeoutMs`. */
export function startClickHouseServer(options: { password?: string; timeoutMs?: number; tls?: boolean } = {}): Promise<ClickHouseServer> {
  return retryOnPortClash(() => startClickHouseServerOnce(options));
}

async function startClickHouseServerOnce(options: { password?: string; timeoutMs?: number; tls?: boolean }): Promise<ClickHouseServer> {
  const binary = clickhouseServerBinary();
  const root = mkdtempSync(join(tmpdir(), 'clickplan-ch-'));
  const password = options.password ?? 'ch-test-password';
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const httpsPort = options.tls ? await freePort() : undefined;
  for (const dir of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(root, dir));
  if (options.tls) writeCertificate(root);
  writeFileSync(join(root, 'config.xml'), configXml(root, httpPort, tcpPort, httpsPort));
  writeFileSync(join(root, 'users.xml'), usersXml(password));
  const child = spawn(binary, [`--config-file=${join(root, 'config.xml')}`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await killAndWait(child);
    rmSync(root, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = [stderr, readLog(join(root, 'log/server.err.log'))].join('\n').trim().split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(`clickhouse-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${log}`);
    }
    if (await answersPing(url)) break;
    if (Date.now() > deadline) {
      const log = readLog(join(root, 'log/server.err.log'));
      await stop();
      throw new Error(`clickhouse-server did not answer on ${url} within ${options.timeoutMs ?? 30_000} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const tls = httpsPort ? { httpsUrl: `https://127.0.0.1:${httpsPort}`, certificate: join(root, 'cert.pem') } : {};
  return { url, httpPort, ...tls, user: 'default', password, root, stop };
}

/** A self-signed certificate for 127.0.0.1 (openssl, from Debian's openssl package). */
function writeCertificate(root: string): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'cert.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
}

async function answersPing(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A server configuration of 18.16's vintage (`<yandex>` root), everything under `root`, listening on loopback only. */
function configXml(root: string, httpPort: number, tcpPort: number, httpsPort?: number): string {
  const tls = httpsPort
    ? `
    <https_port>${httpsPort}</https_port>
    <openSSL>
        <server>
            <certificateFile>${root}/cert.pem</certificateFile>
            <privateKeyFile>${root}/key.pem</privateKeyFile>
            <verificationMode>none</verificationMode>
            <loadDefaultCAFile>false</loadDefaultCAFile>
            <cacheSessions>true</cacheSessions>
            <disableProtocols>sslv2,sslv3</disableProtocols>
            <preferServerCiphers>true</preferServerCiphers>
        </server>
    </openSSL>`
    : '';
  return `<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>${root}/log/server.log</log>
        <errorlog>${root}/log/server.err.log</errorlog>
        <size>10M</size>
        <count>1</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>${httpPort}</http_port>
    <tcp_port>${tcpPort}</tcp_port>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <mark_cache_size>67108864</mark_cache_size>
    <path>${root}/data/</path>
    <tmp_path>${root}/tmp/</tmp_path>
    <user_files_path>${root}/user_files/</user_files_path>
    <format_schema_path>${root}/format_schemas/</format_schema_path>
    <users_config>${root}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <max_table_size_to_drop>0</max_table_size_to_drop>${tls}
</yandex>
`;
}

function usersXml(password: string): string {
  const escaped = password.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0"?>
<yandex>
    <profiles>
        <default><max_memory_usage>2000000000</max_memory_usage></default>
    </profiles>
    <users>
        <default>
            <password>${escaped}</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries><errors>0</errors><result_rows>0</result_rows>
                <read_rows>0</read_rows><execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
`;
}
