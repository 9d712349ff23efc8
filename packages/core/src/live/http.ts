import { readFileSync } from 'node:fs';
import { type ClickHouseClient, ClickHouseError, ClickHouseLogLevel, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { oneLine, parseServerError, redact, redactStatementSecrets, targetError } from './failure.js';
import { namesItsDatabase } from './namesItsDatabase.js';
import { readLiveSchema } from './reader.js';
import type { ConnectionSettings, ExecuteOptions, LiveSchema, ReadScope, Target } from './types.js';
import { TargetError } from './types.js';

/** Server error codes that mean the credentials were refused (AUTHENTICATION_FAILED and its 18.x ancestors). */
const AUTH_CODES = new Set([192 /* UNKNOWN_USER */, 193 /* WRONG_PASSWORD */, 194 /* REQUIRED_PASSWORD */, 195 /* IP_ADDRESS_NOT_ALLOWED */, 516]);
/** Node's socket error codes that mean no server answered. */
const NETWORK_CODES = /^(EPROTO|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|ERR_TLS_|ERR_SSL_)/;

/** A ClickHouse server over HTTP(S), through @clickhouse/client. */
export function openHttpTarget(connection: ConnectionSettings & { url: string }): Target {
  return new HttpTarget(connection);
}

class HttpTarget implements Target {
  readonly kind = 'server';
  readonly writable = true;
  readonly description: string;
  private readonly client: ClickHouseClient;
  /** The same server without the connection's database: for statements about a database (see `execute`). */
  private withoutDatabase?: ClickHouseClient;

  constructor(private readonly connection: ConnectionSettings & { url: string }) {
    const url = new URL(connection.url);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    const user = connection.user ?? 'default';
    this.description = `${url.toString().replace(/\/$/, '')} as ${user}${connection.database ? ` (database ${connection.database})` : ''}`;
    this.client = this.newClient(connection.database);
  }

  private newClient(database: string | undefined): ClickHouseClient {
    const url = new URL(this.connection.url);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return createClient({
      url: url.toString(),
      username: this.connection.user ?? 'default',
      password: this.connection.password ?? '',
      ...(database ? { database } : {}),
      ...(this.connection.caCertificate ? { tls: { ca_cert: readCertificate(this.connection.caCertificate) } } : {}),
      application: 'clickplan',
      request_timeout: 60_000,
      // The client would print failed requests itself; failures reach the caller as TargetErrors instead.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async readSchema(scope: ReadScope): Promise<LiveSchema> {
    return readLiveSchema((sql) => this.query(sql), scope);
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    try {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow' });
      return await result.json<Row>();
    } catch (error) {
      throw this.failure(error, sql);
    }
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<void> {
    // A request naming a database that does not exist fails before its statement runs (code 81,
    // ClickHouse 18.16 and current servers): `CREATE DATABASE app` goes without one, as does any
    // statement about a database, which names it (`DROP DATABASE app` while app is the session's).
    let client = this.client;
    if (namesItsDatabase(sql)) {
      if (options.database) options = { ...options, database: undefined };
      if (this.connection.database) client = this.withoutDatabase ??= this.newClient(undefined);
    }
    try {
      await client.command({
        query: sql,
        // The HTTP interface's per-request database, without changing the client's default: the
        // `database` URL parameter (which ClickHouse 18.16 reads; it ignores the header) and the header.
        // Settings go into the URL first, so this `database` wins over the client's default.
        ...(options.settings || options.database
          ? { clickhouse_settings: { ...options.settings, ...(options.database ? { database: options.database } : {}) } as ClickHouseSettings }
          : {}),
        ...(options.database ? { http_headers: { 'X-ClickHouse-Database': options.database } } : {}),
        ...(options.queryId ? { query_id: options.queryId } : {}),
      });
    } catch (error) {
      throw this.failure(error, sql);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.withoutDatabase?.close();
  }

  /** A TargetError that says what failed and what to do, without the password. */
  private failure(error: unknown, sql: string): TargetError {
    const scrub = (text: string) => redact(redactStatementSecrets(text, sql), [this.connection.password]);
    if (error instanceof TargetError) return error;
    const raw = error instanceof Error ? error : new Error(String(error));
    const serverError =
      raw instanceof ClickHouseError
        ? { serverCode: Number(raw.code), message: raw.message.trim() }
        : /Code: \d+/.test(raw.message)
          ? parseServerError(raw.message)
          : undefined;
    if (serverError?.serverCode !== undefined) {
      if (AUTH_CODES.has(serverError.serverCode))
        return targetError({
          code: 'target-auth-failed',
          serverCode: serverError.serverCode,
          message: scrub(`${this.description} refused the credentials: ${serverError.message}`),
          help: 'Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD (or --user/--password).',
        });
      return targetError({
        code: 'target-statement-failed',
        serverCode: serverError.serverCode,
        serverMessage: scrub(serverError.message),
        message: scrub(`${this.description} refused \`${oneLine(sql)}\`: Code ${serverError.serverCode}: ${serverError.message}`),
      });
    }
    const socketCode = (raw as { code?: unknown }).code;
    if (typeof socketCode === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(socketCode))
      return targetError({
        code: 'target-unreachable',
        message: scrub(`Cannot reach ${this.description}: its TLS certificate is not trusted (${raw.message}).`),
        help: 'Give the certificate authority that signed it (a PEM file) as the connection CA certificate, or check that the URL names the right server.',
      });
    // An https:// URL on a port that serves plain HTTP: OpenSSL reads the HTTP answer as a TLS record.
    if (/wrong version number|packet length too long|ERR_SSL_WRONG_VERSION_NUMBER/i.test(`${String(socketCode)} ${raw.message}`))
      return targetError({
        code: 'target-unreachable',
        message: scrub(`Cannot reach ${this.description}: the port answers in plain HTTP, not HTTPS.`),
        help: 'Use http:// for this port, or the port the server serves HTTPS on (8443 by default).',
      });
    if ((typeof socketCode === 'string' && NETWORK_CODES.test(socketCode)) || /timeout|socket hang up|ECONN|SSL routines/i.test(raw.message))
      return targetError({
        code: 'target-unreachable',
        message: scrub(`Cannot reach ${this.description}: ${raw.message}`),
        help: 'Check that the server runs and that CLICKHOUSE_URL (or --target) names its HTTP port, http:// or https:// as it serves.',
      });
    return targetError({ code: 'target-statement-failed', message: scrub(`${this.description} failed on \`${oneLine(sql)}\`: ${raw.message}`) });
  }
}

function readCertificate(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw targetError({
      code: 'target-invalid',
      message: `The CA certificate ${path} cannot be read: ${(error as Error).message}`,
      help: 'Give the path of a PEM file with the certificate authority that signed the server certificate.',
    });
  }
}
