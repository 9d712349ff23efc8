import { targetError } from './failure.js';
import type { ConnectionSettings } from './types.js';

/** The environment variables ClickHouse deployments already use. */
export const CONNECTION_ENV = {
  url: 'CLICKHOUSE_URL',
  user: 'CLICKHOUSE_USER',
  password: 'CLICKHOUSE_PASSWORD',
  database: 'CLICKHOUSE_DATABASE',
} as const;

export interface ConnectionSources {
  /** Command-line flags or Action inputs: they win. */
  flags?: ConnectionSettings;
  /** `process.env` or a copy of it. */
  env?: Record<string, string | undefined>;
  /** The config file's `connection` section: used where neither flags nor environment say. */
  config?: ConnectionSettings;
}

/**
 * Connection settings from flags, then `CLICKHOUSE_*` variables, then the config file. Credentials
 * written into a URL (`https://user:pass@host`) belong to the source that gave the URL and are moved
 * out of it, so the URL can be shown; an explicit user or password of the same source wins.
 */
export function resolveConnection(sources: ConnectionSources): ConnectionSettings {
  const env = sources.env ?? {};
  const fromEnv: ConnectionSettings = {
    url: env[CONNECTION_ENV.url],
    user: env[CONNECTION_ENV.user],
    password: env[CONNECTION_ENV.password],
    database: env[CONNECTION_ENV.database],
  };
  const layers = [sources.flags ?? {}, fromEnv, sources.config ?? {}].map(withCredentialsOutOfUrl);
  const settings: ConnectionSettings = {};
  for (const key of ['url', 'user', 'password', 'database', 'caCertificate'] as const) {
    const value = layers.map((layer) => layer[key]).find((v) => v !== undefined && v !== '');
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** Moves `user:password@` out of a URL into the settings. */
function withCredentialsOutOfUrl(settings: ConnectionSettings): ConnectionSettings {
  if (!settings.url || !/^https?:\/\//i.test(settings.url)) return { ...settings };
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    // Never echo the text: it may hold a password.
    throw targetError({
      code: 'target-invalid',
      message: 'The ClickHouse URL is not a valid URL.',
      help: 'Give it as http(s)://host:port, with the user and password in CLICKHOUSE_USER and CLICKHOUSE_PASSWORD.',
    });
  }
  const result: ConnectionSettings = { ...settings };
  if (url.username && result.user === undefined) result.user = decodeURIComponent(url.username);
  if (url.password && result.password === undefined) result.password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  result.url = url.toString().replace(/\/$/, '');
  return result;
}
