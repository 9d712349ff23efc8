import type { Diagnostic } from '../diagnostics.js';
import type { EmbeddedOptions } from '../live/embedded.js';
import type { ClickPlanConfig } from '../project/config.js';
import type { SourceFile } from '../project/files.js';
import { lintServerConfig } from '../rules/serverRule.js';
import { SERVER_RULES } from '../rules/serverRules.js';
import { type ServerFacts, serverFactsOf } from '../server/facts.js';
import { readServerConfig } from '../server/index.js';

// The project's server configuration as every front end uses it (CLI, Action, language server):
// read once, its server-* rules run, and the embedded engine started from it. One function, so the
// three cannot drift apart.

export interface ProjectServerConfig {
  /** How the embedded engine starts: `embedded.config` as it is (it wins), else generated from `server.config`. */
  embedded: EmbeddedOptions;
  /** What went wrong reading `server.config` (errors: it cannot be used) and the findings of the server-* rules. */
  diagnostics: Diagnostic[];
  /** The files read (config.xml, config.d/, users.xml...), for positions. */
  files: SourceFile[];
  /** What SQL rules read of it (storage policies, clusters, macros), when it could be read. */
  facts?: ServerFacts;
  /** `server.config` is set but could not be read: nothing may start from it. */
  unreadable: boolean;
}

export interface ServerConfigOverrides {
  /** `--server-config`: wins over `server.config`. */
  serverConfig?: string;
  /** `--embedded-config`: wins over `embedded.config`. */
  embeddedConfig?: string;
  /** Whether to run the server-* rules (lint and review do; plan only starts the engine). Default true. */
  lint?: boolean;
}

/** Reads the configuration named by the overrides or clickplan.yaml, runs the server-* rules on it, and says how the embedded engine starts. */
export function projectServerConfig(
  config: Partial<Pick<ClickPlanConfig, 'server' | 'embedded' | 'rules'>>,
  overrides: ServerConfigOverrides = {},
): ProjectServerConfig {
  const embeddedConfig = overrides.embeddedConfig ?? config.embedded?.config;
  const serverPath = overrides.serverConfig ?? config.server?.config;
  const result: ProjectServerConfig = { embedded: embeddedConfig ? { configFile: embeddedConfig } : {}, diagnostics: [], files: [], unreadable: false };
  // Only to start the engine, a raw chDB configuration is all that is needed.
  if (!serverPath || (embeddedConfig && overrides.lint === false)) return result;
  const read = readServerConfig(serverPath);
  result.files = read.files;
  result.diagnostics = [...read.diagnostics];
  if (!read.value) {
    result.unreadable = true;
    return result;
  }
  result.facts = serverFactsOf(read.value);
  if (overrides.lint !== false) result.diagnostics.push(...lintServerConfig(read.value, read.files, SERVER_RULES, { rules: config.rules ?? {} }));
  // A raw chDB configuration wins: the server's is then read for its rules only.
  if (!embeddedConfig) result.embedded = { server: read.value };
  return result;
}
