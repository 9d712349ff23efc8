// The live side of a plan: what a ClickHouse holds, read through a Target. A snapshot file is this
// structure as JSON, so reading a server and reading a snapshot give the same value.

/** Bumped when the snapshot JSON changes incompatibly; readers refuse other versions with a clear error. */
export const SNAPSHOT_FORMAT = 2;

export interface LiveDatabase {
  name: string;
  engine: string;
  /** `SHOW CREATE DATABASE` text; absent on servers that cannot print it. */
  createQuery?: string;
}

/** A table, view, materialized view or dictionary as the server stores it. */
export interface LiveTable {
  database: string;
  name: string;
  /** `system.tables.engine`: `MergeTree`, `MaterializedView`, `View`, `Dictionary`... */
  engine: string;
  /** `system.tables.create_table_query` (or `SHOW CREATE TABLE` on servers without the column). */
  createQuery: string;
  /** Active parts' rows and bytes on disk, where the server reports them: for impact estimates. */
  totalRows?: number;
  totalBytes?: number;
}

/** A user-defined SQL function (`system.functions.create_query`). */
export interface LiveFunction {
  name: string;
  createQuery: string;
}

/**
 * A named collection as `system.named_collections.create_query` shows it: every value `[HIDDEN]`
 * (ClickHouse hides them all), keys and their overridability as they are.
 */
export interface LiveNamedCollection {
  name: string;
  createQuery: string;
}

/** A user, role, row policy, quota or settings profile as `SHOW CREATE ...` prints it. */
export interface LiveAccessEntity {
  kind: 'user' | 'role' | 'row-policy' | 'quota' | 'settings-profile';
  name: string;
  createQuery: string;
}

/** Something the reader could not read, and why (old server, missing privilege). Never silent. */
export interface LiveGap {
  what: string;
  reason: string;
}

export interface LiveSchema {
  format: typeof SNAPSHOT_FORMAT;
  /** `SELECT version()`. */
  serverVersion: string;
  /** ISO 8601 time the schema was read. */
  readAt: string;
  /** The databases that were read (those the repository manages). */
  databases: LiveDatabase[];
  tables: LiveTable[];
  functions: LiveFunction[];
  /** The named collections the repository defines or drops, as the server shows them; absent in snapshots from before they were read. */
  namedCollections?: LiveNamedCollection[];
  accessEntities: LiveAccessEntity[];
  /** `SHOW GRANTS FOR ...` statements, one per line, for the access entities above. */
  grants: string[];
  gaps: LiveGap[];
}

/** What to read: only the databases the repository manages (and, optionally, access entities). */
export interface ReadScope {
  databases: string[];
  /** Users and roles named in the repository; others are not read. */
  users?: string[];
  roles?: string[];
  /** Row policies (`name ON db.table`, as system.row_policies names them), quotas and settings profiles named in the repository. */
  rowPolicies?: string[];
  quotas?: string[];
  settingsProfiles?: string[];
  /** Named collections named in the repository (global, like functions); others are not read. */
  namedCollections?: string[];
  /** Whether to read user-defined functions (they are global, not per database); read unless `false`. */
  functions?: boolean;
}

export interface ExecuteOptions {
  /** The database unqualified names mean while the statement runs (the session's stays as it was). */
  database?: string;
  /** Settings for this statement only. */
  settings?: Record<string, string | number>;
  /** The statement's `query_id` on a server (`system.processes`, `system.query_log`); the embedded engine takes none. */
  queryId?: string;
}

/** A ClickHouse to plan against and deploy to: a server, a snapshot file, or the embedded engine. */
export interface Target {
  readonly kind: 'server' | 'snapshot' | 'embedded';
  /** Where it points, for messages: never contains a password. */
  readonly description: string;
  /** Whether `execute` can change anything (a snapshot file is read-only). */
  readonly writable: boolean;
  readSchema(scope: ReadScope): Promise<LiveSchema>;
  /** Runs one statement; throws TargetError with the server's code and message when it fails. */
  execute(sql: string, options?: ExecuteOptions): Promise<void>;
  /** Runs a query and returns its rows as objects (JSONEachRow). */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  close(): Promise<void>;
  /**
   * Whether ON CLUSTER statements run once, on this target, standing in for every host of the
   * cluster (the embedded engine emulates replication): the hosts cannot be checked or read one by one.
   */
  readonly emulatesClusters?: boolean;
  /** What the target left out of what it stands for, one sentence each (the embedded engine's dropped server configuration). */
  readonly notes?: readonly string[];
}

/** The error codes a target failure carries (each has a page in docs/errors/). */
export type TargetErrorCode =
  | 'target-invalid'
  | 'target-unreachable'
  | 'target-auth-failed'
  | 'target-statement-failed'
  | 'target-read-only'
  | 'embedded-in-use'
  | 'engine-missing'
  | 'snapshot-invalid'
  | 'snapshot-format-unsupported'
  | 'path-not-found';

/**
 * A failure reported by a target: the server's error code when there is one, and its message.
 * `errorCode` is the diagnostic code for front ends; `help` says what to do. No part of it ever
 * contains a password.
 */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly errorCode: TargetErrorCode = 'target-statement-failed',
    readonly help?: string,
    /** The server's own words, without the statement or the target (for gaps and reports). */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

/** Where a server is and who connects: from flags, `CLICKHOUSE_*` variables or the config file. */
export interface ConnectionSettings {
  /** `http(s)://host:port` without credentials (they are moved to `user` and `password`). */
  url?: string;
  user?: string;
  password?: string;
  /** The database unqualified names resolve to. */
  database?: string;
  /** A PEM file of the certificate authority to trust for an `https://` server (a private CA, a self-signed server). */
  caCertificate?: string;
}
