import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { renderEmbeddedConfig } from '../server/embeddedConfig.js';
import type { ServerConfig } from '../server/model.js';
import { oneLine, parseServerError, redactStatementSecrets, targetError } from './failure.js';
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
  /**
   * The team's server configuration (`server.config`): without `configFile`, the engine starts from
   * the chDB configuration generated from it, written beside the directory (`<dir>.config/`).
   */
  server?: ServerConfig;
}

/** Server error codes a configuration fixes, and what in it would. */
const CONFIG_FIXES: [RegExp, string][] = [
  [/^Code: 478\b|UNKNOWN_POLICY/, 'the storage policy'],
  [/^Code: 701\b|CLUSTER_DOESNT_EXIST/, 'the cluster (`remote_servers`)'],
  [/No macro '|NO_ELEMENTS_IN_CONFIG/, 'the macro (`macros`)'],
  [/^Code: 225\b|NO_ZOOKEEPER/, 'ZooKeeper (`zookeeper`), which Replicated tables need'],
  [/background_pool_size|default values are defined in <merge_tree>/, 'the pool size (`background_pool_size`) or the `merge_tree` defaults'],
];

type ChdbSession = import('chdb').Session;

/**
 * The one chDB session of this process. chDB runs one engine per process with one data directory,
 * so every embedded target shares it; it is closed when the last target using it is closed.
 */
let shared: { dir: string; session: ChdbSession; users: number; engine: EngineConfig } | undefined;

/** How the engine of the shared session was started. */
interface EngineConfig {
  /** Whether a configuration file was given (the server's, generated, or a raw chDB one). */
  configured: boolean;
  notes: string[];
}

/** The configuration file the engine starts with, writing the one generated from the server's configuration. */
function engineConfigOf(path: string, options: EmbeddedOptions): EngineConfig & { file?: string } {
  if (options.configFile) return { configured: true, notes: [], file: options.configFile };
  if (!options.server) return { configured: false, notes: [] };
  const directory = join(dirname(path), `${basename(path)}.config`);
  mkdirSync(directory, { recursive: true });
  const usersFile = join(directory, 'users.xml');
  const files = renderEmbeddedConfig(options.server, { dataDir: path, usersFile });
  writeFileSync(join(directory, 'config.xml'), files.config);
  writeFileSync(usersFile, files.users);
  const notes = files.dropped.map((d) => `The embedded engine leaves out of the server configuration ${d}`);
  return { configured: true, notes, file: join(directory, 'config.xml') };
}

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
    const { file, ...engine } = engineConfigOf(path, options);
    let session: ChdbSession;
    try {
      // Always a configuration file: without one, ClickHouse reads config.xml from the working directory.
      session = new Session(path, { connectionArgs: [`--config-file=${file ?? emptyConfigFile(path)}`] });
    } catch (error) {
      throw targetError({
        code: 'target-unreachable',
        message: `The embedded engine could not open ${path}: ${error instanceof Error ? error.message : String(error)}`,
        help: 'Check that the directory is writable and not used by another ClickPlan process.',
      });
    }
    // Servers quote 64-bit integers in JSON by default; chDB does not. Rows read the same from either.
    session.query('SET output_format_json_quote_64bit_integers = 1');
    shared = { dir: path, session, users: 0, engine };
  }
  shared.users += 1;
  return new EmbeddedTarget(shared.session, path, shared.engine);
}

/** An empty configuration, so the engine never picks up a config.xml that happens to be in the working directory. */
function emptyConfigFile(path: string): string {
  const file = join(dirname(path), `${basename(path)}.config`, 'empty.xml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '<clickhouse/>\n');
  return file;
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

  readonly notes: readonly string[];

  constructor(
    private readonly session: ChdbSession,
    readonly dir: string,
    private readonly engine: EngineConfig,
  ) {
    this.description = `embedded ClickHouse in ${dir}`;
    this.notes = engine.notes;
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
    if (shared && shared.session === this.session && shared.users === 1) {
      // chDB's shutdown waits forever on a Replicated table created by this process (seen with the
      // in-memory keeper); detached (not permanently), it is attached again at the next start.
      const replicated = await this.query<{ database: string; table: string }>('SELECT database, table FROM system.replicas').catch(() => []);
      for (const { database, table } of replicated) await this.run(`DETACH TABLE ${quoteName(database)}.${quoteName(table)} SYNC`).catch(() => undefined);
      shared = undefined;
      this.closed = true;
      this.session.close();
      return;
    }
    this.closed = true;
    if (shared && shared.session === this.session) shared.users -= 1;
  }

  private async run(sql: string, format = 'TSV'): Promise<string> {
    if (this.closed) throw targetError({ code: 'target-invalid', message: `The ${this.description} target was closed.` });
    try {
      return (await this.session.queryAsync(sql, { format })).text();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const { serverCode, message } = parseServerError(redactStatementSecrets(text, sql));
      throw targetError({
        code: 'target-statement-failed',
        serverCode,
        serverMessage: message,
        message: `The ${this.description} refused \`${oneLine(sql)}\`: ${serverCode !== undefined ? `Code ${serverCode}: ` : ''}${message}`,
        ...(ACCESS_CONTROL.test(sql)
          ? {
              help: 'The embedded engine (chDB) cannot store users, roles, grants or policies: deploy access control to a server (--target http(s)://...), where ClickPlan runs these statements as written.',
            }
          : configHelp(`${serverCode !== undefined ? `Code: ${serverCode}. ` : ''}${message}`, this.engine.configured)),
      });
    }
  }
}

/** What to do about a failure that the servers' configuration would avoid: which configuration key helps. */
function configHelp(failure: string, configured: boolean): { help?: string } {
  const fix = CONFIG_FIXES.find(([pattern]) => pattern.test(failure))?.[1];
  if (!fix) return {};
  return {
    help: configured
      ? `Define ${fix} in the configuration the embedded engine starts from (\`server.config\` or \`embedded.config\` in clickplan.yaml), as the servers do.`
      : `The embedded engine starts without the servers' configuration: set \`server.config\` in clickplan.yaml (or --server-config) to the servers' config.xml, which defines ${fix}, or \`embedded.config\` (--embedded-config) to a chDB configuration file.`,
  };
}

function settingValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
