import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { maskStatementSecrets, oneLine, parseServerError, targetError } from './failure.js';
import { quoteName, readLiveSchema } from './reader.js';
import type { ExecuteOptions, LiveSchema, ReadScope, Target } from './types.js';

/** Statements of SQL-driven access control, which chDB has no writable storage for. */
const ACCESS_CONTROL =
  /^\s*(?:(?:CREATE|ALTER|DROP)\s+(?:USER|ROLE|ROW\s+POLICY|POLICY|QUOTA|SETTINGS\s+PROFILE|PROFILE)\b|GRANT\b|REVOKE\b|SET\s+DEFAULT\s+ROLE\b)/i;

/** Where the embedded engine keeps its data when `embedded` names no directory, under the project root (`defaultEmbeddedDir`). */
export const DEFAULT_EMBEDDED_DIR = '.clickplan/embedded';

export interface EmbeddedOptions {
  /**
   * A ClickHouse configuration file for the engine (`--config-file`), e.g. to give the default user
   * access management. Only used when the directory is opened first in this process.
   */
  configFile?: string;
}

type ChdbSession = import('chdb').Session;

/**
 * The one chDB session of this process. chDB runs one engine per process with one data directory,
 * so every embedded target shares it; it is closed when the last target using it is closed.
 */
let shared: { dir: string; session: ChdbSession; users: number } | undefined;

/**
 * The embedded engine (chDB, ClickHouse in-process) on a persistent data directory, created if
 * missing. chDB is loaded here, on first use, so nothing else pays for it. Opening the directory
 * that is already open shares its session; another directory is refused while it is open.
 */
export async function openEmbeddedTarget(dir: string = DEFAULT_EMBEDDED_DIR, options: EmbeddedOptions = {}): Promise<Target> {
  const path = resolve(dir);
  if (isFile(path))
    throw targetError({
      code: 'target-invalid',
      message: `The embedded engine keeps its data in a directory, and ${path} is a file.`,
      help: 'Name a directory after `embedded:` (it is created when missing), or remove the file.',
    });
  if (shared && shared.dir !== path)
    throw targetError({
      code: 'embedded-in-use',
      message: `The embedded engine already has ${shared.dir} open; it can open one data directory per process, so ${path} cannot be opened too.`,
      help: 'Use one embedded directory per command, or close the target that uses the other one first.',
    });
  if (!shared) {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw targetError({
        code: 'target-invalid',
        message: `The embedded engine cannot create its data directory ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        help: 'Name a directory after `embedded:` that can be created and written (not below a file).',
      });
    }
    const { Session } = await loadChdb();
    if (shared) return openEmbeddedTarget(dir, options); // another caller opened it while chDB loaded
    let session: ChdbSession;
    try {
      session = new Session(path, options.configFile ? { connectionArgs: [`--config-file=${options.configFile}`] } : {});
    } catch (error) {
      throw targetError({
        code: 'target-unreachable',
        message: `The embedded engine could not open ${path}: ${error instanceof Error ? error.message : String(error)}`,
        help: 'Check that the directory is writable and not used by another ClickPlan process.',
      });
    }
    // Servers quote 64-bit integers in JSON by default; chDB does not. Rows read the same from either.
    session.query('SET output_format_json_quote_64bit_integers = 1');
    shared = { dir: path, session, users: 0 };
  }
  shared.users += 1;
  return new EmbeddedTarget(shared.session, path);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // missing, or below a file: creating the directory says which
  }
}

/**
 * chDB, the embedded ClickHouse: an optional dependency of the published packages (a native module
 * of ~550 MB), so a missing one is a user's choice to explain, not a crash.
 */
async function loadChdb(): Promise<typeof import('chdb')> {
  try {
    return await import('chdb');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw targetError({
      code: 'engine-missing',
      message: 'The embedded target needs chDB (ClickHouse in-process, the npm package `chdb`, ~550 MB), which is not installed.',
      help: 'Install it beside clickplan (`npm install chdb`, or `npm install -g chdb` for a global clickplan), or plan against a server (`--target https://host:8443` or CLICKHOUSE_URL) or a snapshot (`--target schema.json`).',
    });
  }
}

class EmbeddedTarget implements Target {
  readonly kind = 'embedded';
  readonly writable = true;
  readonly description: string;
  private closed = false;

  constructor(
    private readonly session: ChdbSession,
    readonly dir: string,
  ) {
    this.description = `embedded ClickHouse in ${dir}`;
  }

  async readSchema(scope: ReadScope): Promise<LiveSchema> {
    return readLiveSchema((sql) => this.query(sql), scope);
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    const text = await this.run(sql, 'JSONEachRow');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Row);
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<void> {
    const settings = options.settings ?? {};
    const names = Object.keys(settings);
    const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    if (bad) throw targetError({ code: 'target-invalid', message: `\`${bad}\` is not a ClickHouse setting name.` });
    // chDB takes no per-query settings or database: set them on the session for this statement, then restore them.
    const previous = options.database ? (await this.run('SELECT currentDatabase()', 'TSVRaw')).trim() : undefined;
    if (options.database) await this.run(`USE ${quoteName(options.database)}`);
    for (const name of names) await this.run(`SET ${name} = ${settingValue(settings[name] as string | number)}`);
    try {
      await this.run(sql);
    } finally {
      for (const name of names) await this.run(`SET ${name} = DEFAULT`);
      if (previous) await this.run(`USE ${quoteName(previous)}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (shared && shared.session === this.session && --shared.users === 0) {
      shared = undefined;
      this.session.close();
    }
  }

  private async run(sql: string, format = 'TSV'): Promise<string> {
    if (this.closed) throw targetError({ code: 'target-invalid', message: `The ${this.description} target was closed.` });
    try {
      return (await this.session.queryAsync(sql, { format })).text();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const { serverCode, message } = parseServerError(maskStatementSecrets(text));
      throw targetError({
        code: 'target-statement-failed',
        serverCode,
        serverMessage: message,
        message: `The ${this.description} refused \`${oneLine(sql)}\`: ${serverCode !== undefined ? `Code ${serverCode}: ` : ''}${message}`,
        ...(ACCESS_CONTROL.test(sql)
          ? {
              help: 'The embedded engine (chDB) cannot store users, roles, grants or policies: deploy access control to a server (--target http(s)://...), where ClickPlan runs these statements as written.',
            }
          : {}),
      });
    }
  }
}

function settingValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
