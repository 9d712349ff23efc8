/** How a migration runs: once by version, again whenever it changes, or as part of the desired state. */
export type MigrationKind = 'versioned' | 'repeatable' | 'declarative';

/** Where a file stands in the environment layout: shared, or a tenant's bootstrap or schema. Other layouts are all global. */
export type MigrationPhase = 'global' | 'bootstrap' | 'schema';

/** One migration file, in the order migrations run. */
export interface Migration {
  /** As the file name writes it (`1.1`, `20240105093000`; Flyway's `_` read as `.`); absent for repeatable and declarative files. */
  version?: string;
  /** The name after the version, `_` read as a space: `create events`. */
  description: string;
  /** As `SourceFile.file` shows it. */
  file: string;
  kind: MigrationKind;
  /** The tenant's slug (its line in tenants.txt), for tenant files of the environment layout. */
  tenant?: string;
  phase: MigrationPhase;
  /** SHA-256 (hex) of the file's exact bytes, down sections included: what the deploy registry compares. */
  checksum: string;
}
