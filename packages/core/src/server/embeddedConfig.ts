import { join } from 'node:path';
import type { ConfigValue, ServerConfig } from './model.js';
import { quoteXml } from './quoteXml.js';

// The chDB configuration that mirrors a server configuration: what DDL names and depends on is kept,
// so the embedded engine accepts the statements the servers accept; what cannot run in one process
// is dropped and said. Pure: the caller writes the files.

/**
 * Server settings that change what DDL does or accepts: pool sizes bound MergeTree settings
 * (`number_of_free_entries_in_pool_to_*` above the pool is refused, code 36), replica defaults fill
 * Replicated engines written without arguments, drop limits refuse DROP, the timezone types DateTime.
 */
const DDL_SERVER_SETTINGS = [
  'background_pool_size',
  'background_merges_mutations_concurrency_ratio',
  'default_replica_path',
  'default_replica_name',
  'database_replicated_default_zk_path_prefix',
  'max_table_size_to_drop',
  'max_partition_size_to_drop',
  'timezone',
];

export interface EmbeddedConfigFiles {
  /** config.xml for `--config-file`. */
  config: string;
  /** users.xml, which config.xml names: the default user with the server's default profile. */
  users: string;
  /** What was dropped or changed, one sentence each, to show the user. */
  dropped: string[];
}

/**
 * Renders the chDB configuration of a server configuration. `dataDir` is the embedded engine's
 * directory: disks become directories under `<dataDir>/disks/`; `usersFile` is where the users file
 * will be written.
 */
export function renderEmbeddedConfig(server: ServerConfig, { dataDir, usersFile }: { dataDir: string; usersFile: string }): EmbeddedConfigFiles {
  const dropped: string[] = [];
  const lines: string[] = ['<clickhouse>', `  <user_directories><users_xml><path>${quoteXml(usersFile)}</path></users_xml></user_directories>`];

  const kept = (value: ConfigValue, what: string): boolean => {
    if (value.placeholder === undefined) return true;
    dropped.push(`${what}: its value comes from ${value.placeholder} at the server's start.`);
    return false;
  };
  const leaves = (values: Map<string, ConfigValue>, indent: string, what: string) =>
    [...values].filter(([name, value]) => kept(value, `${what} \`${name}\``)).map(([name, value]) => `${indent}<${name}>${quoteXml(value.value)}</${name}>`);

  const settings = [...server.serverSettings].filter(([name]) => DDL_SERVER_SETTINGS.includes(name));
  lines.push(...leaves(new Map(settings), '  ', 'server setting'));
  const others = [...server.serverSettings.keys()].filter((name) => !DDL_SERVER_SETTINGS.includes(name));
  if (others.length) dropped.push(`server settings that run a server, not a schema: ${others.map((n) => `\`${n}\``).join(', ')}.`);

  if (server.disks.size || server.storagePolicies.size) {
    lines.push('  <storage_configuration>', '    <disks>');
    for (const disk of server.disks.values()) {
      lines.push(`      <${disk.name}><path>${quoteXml(join(dataDir, 'disks', disk.name))}/</path></${disk.name}>`);
      if (disk.type !== 'local')
        dropped.push(`disk \`${disk.name}\` (${disk.type}): a local directory stands for it; its endpoint and credentials are not used.`);
    }
    lines.push('    </disks>', '    <policies>');
    for (const policy of server.storagePolicies.values()) {
      lines.push(`      <${policy.name}>`, '        <volumes>');
      for (const volume of policy.volumes)
        lines.push(`          <${volume.name}>${volume.disks.map((d) => `<disk>${quoteXml(d)}</disk>`).join('')}</${volume.name}>`);
      lines.push('        </volumes>');
      const moveFactor = policy.settings.get('move_factor');
      if (moveFactor && kept(moveFactor, `move_factor of storage policy \`${policy.name}\``))
        lines.push(`        <move_factor>${quoteXml(moveFactor.value)}</move_factor>`);
      lines.push(`      </${policy.name}>`);
    }
    lines.push('    </policies>', '  </storage_configuration>');
  }

  if (server.clusters.size) {
    // Defined so that Distributed tables and ON CLUSTER names resolve; never queried, so every
    // replica points at this host (remote hosts cannot be reached from a laptop or CI).
    lines.push('  <remote_servers>');
    for (const cluster of server.clusters.values()) {
      lines.push(`    <${cluster.name}>`);
      for (const shard of cluster.shards) {
        const internal = shard.internalReplication?.placeholder === undefined ? shard.internalReplication?.value : undefined;
        lines.push(
          `      <shard>${internal ? `<internal_replication>${quoteXml(internal)}</internal_replication>` : ''}${shard.replicas
            .map(() => '<replica><host>localhost</host><port>9000</port></replica>')
            .join('')}</shard>`,
        );
      }
      lines.push(`    </${cluster.name}>`);
      if (cluster.secret) dropped.push(`the secret of cluster \`${cluster.name}\`.`);
    }
    lines.push('  </remote_servers>');
    const hosts = [...server.clusters.values()].flatMap((c) => c.shards.flatMap((s) => s.replicas)).length;
    dropped.push(`the ${hosts} remote host${hosts === 1 ? '' : 's'} of the clusters: every replica is localhost, and the clusters are never queried.`);
  }

  if (server.macros.size) lines.push('  <macros>', ...leaves(server.macros, '    ', 'macro'), '  </macros>');
  if (server.mergeTree.size) lines.push('  <merge_tree>', ...leaves(server.mergeTree, '    ', 'merge_tree setting'), '  </merge_tree>');

  if (server.zookeeper) {
    // No keeper: chDB's in-memory one leaves Replicated tables read-only and never starts a
    // `keeper_server`, so the embedded target emulates replication instead (live/replicationEmulation.ts).
    dropped.push('ZooKeeper: no keeper runs in process; replication is emulated.');
  }
  if (server.interserverCredentials) dropped.push('interserver_http_credentials.');
  const users = [...server.users.keys()];
  if (users.length)
    dropped.push(`users ${users.map((u) => `\`${u}\``).join(', ')}: the embedded engine runs as its own default user with the server's default profile.`);
  lines.push('</clickhouse>', '');

  const profile = server.profiles.get('default');
  const usersLines = [
    '<clickhouse>',
    '  <profiles>',
    '    <default>',
    ...(profile ? leaves(profile.settings, '      ', 'setting of profile `default`') : []),
    '    </default>',
    '  </profiles>',
    '  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota><access_management>1</access_management><named_collection_control>1</named_collection_control></default></users>',
    '  <quotas><default/></quotas>',
    '</clickhouse>',
    '',
  ];
  return { config: lines.join('\n'), users: usersLines.join('\n'), dropped };
}
