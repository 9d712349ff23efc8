import { CONNECTION_ENV, resolveConnection } from '../live/connection.js';
import type { ConnectionSettings } from '../live/types.js';
import type { ClickPlanConfig } from '../project/config.js';

// Which ClickHouse a command talks to, and which database unqualified names mean: one precedence
// for every front end (docs/config.md, "Which target"). What a person gives for this run (a CLI
// flag, an Action input, an editor setting) wins over the environment (CLICKHOUSE_URL,
// CLICKHOUSE_DATABASE...), which wins over clickplan.yaml; with none of them, the embedded engine.

/** What a person gave for this run: `--target`/`--database`/`--user`/`--password`, the Action's inputs, the editor's settings. */
export interface GivenTarget {
  /** `http(s)://…`, a `.json` snapshot, or `embedded[:dir]`. */
  target?: string;
  database?: string;
  user?: string;
  password?: string;
}

export interface TargetSources {
  given?: GivenTarget;
  /** `process.env` or a copy of it: CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE. */
  env?: Record<string, string | undefined>;
  /** `target:` and `database:` of clickplan.yaml. */
  config?: Partial<Pick<ClickPlanConfig, 'target' | 'database'>>;
}

/** Where a resolved setting came from. */
export type TargetSource = 'given' | 'environment' | 'config' | 'default';

export interface ResolvedTarget {
  /** What `openTarget` opens; undefined: the embedded engine in the project's `.clickplan/embedded`. */
  spec?: string;
  source: TargetSource;
  /**
   * User and password for a server (given, then environment; credentials in a URL belong to the source
   * that gave it), and CLICKHOUSE_DATABASE as the server session's database.
   */
  connection: ConnectionSettings;
  /** The database unqualified names resolve to (given, then CLICKHOUSE_DATABASE, then `database:`, then `default`). */
  database: string;
  databaseSource: TargetSource;
}

/** The target and database of a run, from what was given, the environment and the configuration, in that order. Empty values count as unset. */
export function resolveTarget(sources: TargetSources): ResolvedTarget {
  const env = sources.env ?? {};
  const given = sources.given ?? {};
  const flags: ConnectionSettings = {};
  if (given.user) flags.user = given.user;
  if (given.password) flags.password = given.password;
  // CLICKHOUSE_URL with its credentials moved out of it (they are the environment's).
  const connection = resolveConnection({ flags, env });
  const [spec, source] = firstOf([given.target, 'given'], [connection.url, 'environment'], [sources.config?.target, 'config']);
  const [database, databaseSource] = firstOf([given.database, 'given'], [env[CONNECTION_ENV.database], 'environment'], [sources.config?.database, 'config']);
  return {
    ...(spec ? { spec } : {}),
    source,
    connection,
    database: database ?? 'default',
    databaseSource,
  };
}

/** Whether a target spec names the embedded engine (`embedded`, `embedded:dir`, or nothing). */
export function isEmbeddedSpec(spec: string | undefined): boolean {
  const trimmed = spec?.trim();
  return !trimmed || trimmed === 'embedded' || trimmed.startsWith('embedded:');
}

function firstOf(...candidates: [string | undefined, TargetSource][]): [string | undefined, TargetSource] {
  for (const [value, source] of candidates) if (value !== undefined && value.trim() !== '') return [value, source];
  return [undefined, 'default'];
}
