import type { Diagnostic } from '../../diagnostics.js';
import type { ClickPlanConfig, LayoutName } from '../config.js';
import type { SourceFile } from '../files.js';
import type { Migration } from '../migration.js';

/** A migration file as a layout lists it, before it is read. */
export interface ListedMigration extends Omit<Migration, 'file' | 'checksum'> {
  /** Absolute path. */
  path: string;
  /** The database the file's unqualified names resolve to (a tenant's); unset: the project's. */
  defaultDatabase?: string;
}

export interface LayoutInput {
  /** Absolute path of the directory the layout reads. */
  dir: string;
  config: ClickPlanConfig;
  /** Environment of the environment layout (already defaulted from the configuration). */
  environment?: string;
  /** Only this tenant of the environment layout. */
  tenant?: string;
  /** Absolute paths of .sql files an editor has open but not saved yet: listed as if they were saved. */
  unsaved?: readonly string[];
}

export interface LayoutListing {
  migrations: ListedMigration[];
  diagnostics: Diagnostic[];
  /** Other files the layout read (tenants.txt), so diagnostics in them can be shown. */
  sources: SourceFile[];
}

/** A way of laying out migrations in a directory. One file per layout in this folder. */
export interface Layout {
  name: LayoutName;
  /**
   * Why `dir` holds this layout, as a phrase (`found db/migration/V1__init.sql`), or undefined when
   * it does not. `shown` is how the phrase names the directory: `db/migration/`, or empty for the
   * project directory.
   */
  detect(dir: string, shown: string): string | undefined;
  /** The directory's migrations in the order they run. */
  list(input: LayoutInput): LayoutListing;
  /**
   * The part of a file that belongs to the desired state, everything else blanked (`blankRanges`),
   * with problems in the file's annotations. Unset: the whole file.
   */
  select?(text: string, file: string): { value: string; diagnostics: Diagnostic[] };
}

/** `create_events` → `create events`, as Flyway shows a description. */
export function describeName(name: string): string {
  return name.replace(/_/g, ' ').trim();
}
