import type { ServerConfig } from './model.js';

/**
 * What SQL rules need to know of the server configuration, as plain data (so that a rule's options
 * can state it, as in docs/rules examples): the names a statement may use.
 */
export interface ServerFacts {
  /** Storage policies the servers define (`default` always exists). */
  storagePolicies: string[];
  /** Clusters (`remote_servers`), with whether every shard replicates internally. */
  clusters: Record<string, { internalReplication: boolean }>;
  /** Macros and their values (placeholders as ''). */
  macros: Record<string, string>;
}

export function serverFactsOf(server: ServerConfig): ServerFacts {
  return {
    storagePolicies: ['default', ...[...server.storagePolicies.keys()].filter((name) => name !== 'default')],
    clusters: Object.fromEntries(
      [...server.clusters.values()].map((c) => [
        c.name,
        { internalReplication: c.shards.length > 0 && c.shards.every((s) => ['true', '1'].includes(s.internalReplication?.value.toLowerCase() ?? '')) },
      ]),
    ),
    macros: Object.fromEntries([...server.macros].map(([name, value]) => [name, value.placeholder === undefined ? value.value : ''])),
  };
}
