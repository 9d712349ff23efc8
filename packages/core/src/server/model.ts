import type { Range } from '../diagnostics.js';
import { type ConfigNode, child, childrenNamed } from './tree.js';

// What a schema depends on in a server configuration, with where each thing is written. Read from
// the merged trees of load.ts; pure.

/** Where something is written: a file and the range of its element name (or value). */
export interface Location {
  file: string;
  range: Range;
}

/**
 * A value as configured. `placeholder` is set when the value comes from elsewhere at the server's
 * start (`from_env`, `from_zk`, `incl`): the text is then unknown here.
 */
export interface ConfigValue extends Location {
  value: string;
  placeholder?: string;
}

export interface Disk extends Location {
  name: string;
  /** `local` unless the disk says otherwise (`s3`, `object_storage`, `cache`, ...). */
  type: string;
  path?: string;
}

export interface Volume extends Location {
  name: string;
  disks: string[];
}

export interface StoragePolicy extends Location {
  name: string;
  volumes: Volume[];
  /** `move_factor`, `perform_ttl_move_on_insert`, ... as written. */
  settings: Map<string, ConfigValue>;
}

export interface Replica extends Location {
  host: string;
  port?: string;
}

export interface Shard extends Location {
  /** Unset: ClickHouse's default (false). */
  internalReplication?: ConfigValue;
  replicas: Replica[];
}

export interface Cluster extends Location {
  name: string;
  shards: Shard[];
  secret?: ConfigValue;
}

export interface Profile extends Location {
  name: string;
  settings: Map<string, ConfigValue>;
}

export interface User extends Location {
  name: string;
  /** `<password>`: a password in clear. */
  password?: ConfigValue;
  /** `password_sha256_hex`, `password_double_sha1_hex`, `ssl_certificates`, `ldap`, `kerberos`, ... */
  authentication?: string;
  /** `<networks>` entries: `ip`, `host`, `host_regexp`. */
  networks: (ConfigValue & { kind: string })[];
  profile?: ConfigValue;
  quota?: ConfigValue;
  accessManagement?: ConfigValue;
  /** `<grants><query>` statements, when the user has them. */
  grants: ConfigValue[];
  /** `<allow_databases>` entries: unset means every database. */
  allowDatabases?: string[];
}

/** The server configuration as far as a schema and its access depend on it. */
export interface ServerConfig {
  disks: Map<string, Disk>;
  storagePolicies: Map<string, StoragePolicy>;
  clusters: Map<string, Cluster>;
  macros: Map<string, ConfigValue>;
  profiles: Map<string, Profile>;
  users: Map<string, User>;
  quotas: Map<string, Location & { name: string }>;
  /** `<merge_tree>`: defaults of MergeTree table settings. */
  mergeTree: Map<string, ConfigValue>;
  /** Top-level single values of config.xml (`background_pool_size`, `default_replica_path`, ...). */
  serverSettings: Map<string, ConfigValue>;
  /** `<interserver_http_credentials>`: user and password replicas fetch parts with. */
  interserverCredentials?: Location & { user?: ConfigValue; password?: ConfigValue };
  /** `<zookeeper>` (or `<keeper>`): where Replicated tables keep their metadata. */
  zookeeper?: Location;
}

const AUTHENTICATIONS = [
  'password',
  'password_sha256_hex',
  'password_double_sha1_hex',
  'no_password',
  'ssl_certificates',
  'ldap',
  'kerberos',
  'ssh_keys',
  'http_authentication',
];

/** The model of merged configuration and users trees (either may be missing). */
export function buildServerConfig(config: ConfigNode | undefined, users: ConfigNode | undefined): ServerConfig {
  const storage = child(config, 'storage_configuration');
  const keeper = child(config, 'zookeeper') ?? child(config, 'keeper');
  const interserver = child(config, 'interserver_http_credentials');
  // Users, profiles and quotas come from the users file; a config.xml may hold them too.
  const accessRoots = [config, users].filter((n, i, all): n is ConfigNode => n !== undefined && all.indexOf(n) === i);
  return {
    disks: byName(child(storage, 'disks')?.children ?? [], readDisk),
    storagePolicies: byName(child(storage, 'policies')?.children ?? [], readPolicy),
    clusters: byName(child(config, 'remote_servers')?.children ?? [], readCluster),
    macros: leaves(child(config, 'macros')),
    profiles: byName(
      accessRoots.flatMap((root) => child(root, 'profiles')?.children ?? []),
      (node) => ({ ...at(node), name: node.name, settings: leaves(node) }),
    ),
    users: byName(
      accessRoots.flatMap((root) => child(root, 'users')?.children ?? []),
      readUser,
    ),
    quotas: byName(
      accessRoots.flatMap((root) => child(root, 'quotas')?.children ?? []),
      (node) => ({ ...at(node), name: node.name }),
    ),
    mergeTree: leaves(child(config, 'merge_tree')),
    serverSettings: leaves(config),
    ...(interserver
      ? {
          interserverCredentials: {
            ...at(interserver),
            ...optional('user', configValue(child(interserver, 'user'))),
            ...optional('password', configValue(child(interserver, 'password'))),
          },
        }
      : {}),
    ...(keeper ? { zookeeper: at(keeper) } : {}),
  };
}

function readDisk(node: ConfigNode): Disk {
  const path = child(node, 'path')?.text;
  return { ...at(node), name: node.name, type: child(node, 'type')?.text || 'local', ...(path ? { path } : {}) };
}

function readPolicy(node: ConfigNode): StoragePolicy {
  const volumes = (child(node, 'volumes')?.children ?? []).map(
    (volume): Volume => ({ ...at(volume), name: volume.name, disks: childrenNamed(volume, 'disk').map((d) => d.text) }),
  );
  const settings = leaves(node);
  return { ...at(node), name: node.name, volumes, settings };
}

function readCluster(node: ConfigNode): Cluster {
  const shards = childrenNamed(node, 'shard').map(
    (shard): Shard => ({
      ...at(shard),
      ...optional('internalReplication', configValue(child(shard, 'internal_replication'))),
      replicas: childrenNamed(shard, 'replica').map((replica) => ({
        ...at(replica),
        host: child(replica, 'host')?.text ?? '',
        ...optional('port', child(replica, 'port')?.text),
      })),
    }),
  );
  return { ...at(node), name: node.name, shards, ...optional('secret', configValue(child(node, 'secret'))) };
}

function readUser(node: ConfigNode): User {
  const networks = (child(node, 'networks')?.children ?? []).flatMap((n) => {
    const value = configValue(n);
    return value ? [{ ...value, kind: n.name }] : [];
  });
  const allow = child(node, 'allow_databases');
  return {
    ...at(node),
    name: node.name,
    ...optional('password', configValue(child(node, 'password'))),
    ...optional(
      'authentication',
      AUTHENTICATIONS.find((kind) => child(node, kind)),
    ),
    networks,
    ...optional('profile', configValue(child(node, 'profile'))),
    ...optional('quota', configValue(child(node, 'quota'))),
    ...optional('accessManagement', configValue(child(node, 'access_management'))),
    grants: childrenNamed(child(node, 'grants'), 'query').flatMap((q) => configValue(q) ?? []),
    ...(allow ? { allowDatabases: childrenNamed(allow, 'database').map((d) => d.text) } : {}),
  };
}

/** The value of an element: its text, or the placeholder its substitution attribute names. */
export function configValue(node: ConfigNode | undefined): ConfigValue | undefined {
  if (!node) return undefined;
  const location = { file: node.file, range: node.valueRange ?? node.range };
  for (const attribute of ['from_env', 'from_zk', 'incl'] as const) {
    const source = node.attributes[attribute];
    if (source !== undefined) return { ...location, value: node.text, placeholder: `${attribute}="${source}"` };
  }
  return { ...location, value: node.text };
}

/** Child elements without children of their own, by name (the last wins, as in ClickHouse). */
function leaves(node: ConfigNode | undefined): Map<string, ConfigValue> {
  const map = new Map<string, ConfigValue>();
  for (const c of node?.children ?? []) {
    if (c.children.length > 0) continue;
    const value = configValue(c);
    if (value) map.set(c.name, value);
  }
  return map;
}

function byName<T extends { name: string }>(nodes: ConfigNode[], read: (node: ConfigNode) => T): Map<string, T> {
  return new Map(nodes.map((node) => [node.name, read(node)]));
}

function at(node: ConfigNode): Location {
  return { file: node.file, range: node.range };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
