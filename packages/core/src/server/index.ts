import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../project/files.js';
import { loadServerConfig } from './load.js';
import { buildServerConfig, type ServerConfig } from './model.js';

export type { Cluster, ConfigValue, Disk, Location, Profile, ServerConfig, StoragePolicy, User } from './model.js';

export interface ServerConfigResult {
  /** The model; unset when a file could not be read or parsed (the diagnostics say why). */
  value?: ServerConfig;
  /** Every file read (main file, conf.d/, config.d/, users file, users.d/), for positions. */
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/** Reads a server configuration (`server.config`) as ClickHouse assembles it, and models it. */
export function readServerConfig(path: string): ServerConfigResult {
  const loaded = loadServerConfig(path);
  const failed = loaded.diagnostics.some((d) => d.severity === 'error');
  return {
    ...(failed ? {} : { value: buildServerConfig(loaded.config, loaded.users) }),
    files: loaded.files,
    diagnostics: loaded.diagnostics,
  };
}
