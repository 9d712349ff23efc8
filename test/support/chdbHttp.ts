import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from 'chdb';

// Test support: a tiny HTTP front for chDB that speaks enough of ClickHouse's HTTP interface
// (https://clickhouse.com/docs/interfaces/http) for @clickhouse/client to run modern DDL against a
// real engine. The protocol itself is covered by the real server (test/live-http.test.ts); this
// front is for what that 2018 server cannot parse. Not used by the product.

/** URL parameters that are not settings. */
const NOT_SETTINGS = new Set([
  'query',
  'database',
  'default_format',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'user',
  'password',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
]);

export interface ChdbHttp {
  url: string;
  port: number;
  /** Every query text received, in order (for assertions about what the client sent). */
  queries: string[];
  close(): Promise<void>;
}

/**
 * Serves `session` on a free loopback port. With `password`, requests must authenticate as
 * `user` (default `default`) by Basic auth, X-ClickHouse-User/Key headers or user/password
 * parameters, as ClickHouse accepts them. Requests run one at a time: settings and the current
 * database are applied to the shared session around each query and then restored.
 */
export async function startChdbHttp(session: Session, options: { user?: string; password?: string } = {}): Promise<ChdbHttp> {
  const queries: string[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((request, response) => {
    queue = queue.then(() => handle(session, request, response, options, queries)).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(session: Session, request: IncomingMessage, response: ServerResponse, options: { user?: string; password?: string }, queries: string[]) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const body = await readBody(request);
  if (url.pathname === '/ping' || (url.pathname === '/' && request.method === 'GET' && !url.searchParams.has('query'))) {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  const queryId = url.searchParams.get('query_id') ?? randomUUID();
  const fail = (code: number, name: string, message: string, status = 500) => {
    response
      .writeHead(status, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Query-Id': queryId,
        'X-ClickHouse-Exception-Code': String(code),
        'X-ClickHouse-Server-Display-Name': 'chdb-http',
      })
      .end(`Code: ${code}. DB::Exception: ${message}. (${name}) (version chdb)\n`);
  };
  const user = credentials(request, url);
  if (options.password !== undefined && (user.name !== (options.user ?? 'default') || user.password !== options.password)) {
    fail(516, 'AUTHENTICATION_FAILED', `${user.name}: Authentication failed: password is incorrect, or there is no user with such name`, 401);
    return;
  }
  const query = [url.searchParams.get('query'), body].filter((part) => part).join('\n');
  queries.push(query);
  const settings = [...url.searchParams].filter(([name]) => !NOT_SETTINGS.has(name) && !name.startsWith('param_') && /^\w+$/.test(name));
  const params = Object.fromEntries([...url.searchParams].filter(([name]) => name.startsWith('param_')).map(([name, value]) => [name.slice(6), value]));
  const header = request.headers['x-clickhouse-database'];
  const database = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('database');
  const format = url.searchParams.get('default_format') ?? 'TabSeparated';
  const run = (sql: string) => session.queryAsync(sql, { format });
  const before: string[] = [];
  const after: string[] = [];
  for (const [name, value] of settings) {
    before.push(`SET ${name} = ${/^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`}`);
    after.push(`SET ${name} = DEFAULT`);
  }
  if (database) {
    const current = (await session.queryAsync('SELECT currentDatabase()', { format: 'TSVRaw' })).text().trim();
    before.push(`USE \`${database.replace(/`/g, '\\`')}\``);
    after.push(`USE \`${current.replace(/`/g, '\\`')}\``);
  }
  try {
    for (const sql of before) await run(sql);
    const result = Object.keys(params).length > 0 ? await session.queryBindAsync(query, params, { format }) : await run(query);
    const text = result.text();
    response
      .writeHead(200, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Query-Id': queryId,
        'X-ClickHouse-Format': format,
        'X-ClickHouse-Timezone': 'UTC',
        'X-ClickHouse-Server-Display-Name': 'chdb-http',
        'X-ClickHouse-Summary': JSON.stringify({
          read_rows: String(result.rowsRead),
          read_bytes: String(result.bytesRead),
          written_rows: '0',
          written_bytes: '0',
          total_rows_to_read: '0',
          result_rows: '0',
          result_bytes: String(Buffer.byteLength(text)),
          elapsed_ns: String(Math.round(result.elapsed * 1e9)),
        }),
      })
      .end(text);
  } catch (error) {
    // chDB says `Query failed: Code: 57. DB::Exception: Table x already exists. (TABLE_ALREADY_EXISTS)`.
    const message = error instanceof Error ? error.message : String(error);
    const match = /Code: (\d+)\. DB::Exception: ([\s\S]*?)\.? \(([A-Z0-9_]+)\)/.exec(message);
    if (match) fail(Number(match[1]), match[3], match[2]);
    else fail(1001, 'STD_EXCEPTION', message.replace(/^Query failed: /, ''));
  } finally {
    for (const sql of after) await run(sql).catch(() => undefined);
  }
}

function credentials(request: IncomingMessage, url: URL): { name: string; password: string } {
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    name: header('x-clickhouse-user') ?? url.searchParams.get('user') ?? 'default',
    password: header('x-clickhouse-key') ?? url.searchParams.get('password') ?? '',
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
