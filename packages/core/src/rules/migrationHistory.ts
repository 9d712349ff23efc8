import { createHash } from 'node:crypto';
import type { Range } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import type { Migration, MigrationPhase } from '../project/migration.js';
import { compareVersions } from '../project/versions.js';

// What the rules about migration history share: the repository's migration files, the ones already
// applied (the base branch's or the deploy registry's), and how one is matched to the other.

/** A migration file as the history rules need it; a `Migration` of `loadProject` fits. */
export type MigrationFile = Pick<Migration, 'file' | 'kind' | 'checksum'> & Partial<Pick<Migration, 'version' | 'tenant' | 'phase'>>;

/** A versioned migration that already ran, as the base branch or the deploy registry records it. */
export interface AppliedMigration {
  /** Named as the current repository names its files (`SourceFile.file`). */
  file: string;
  /** SHA-256 (hex) of the file's exact bytes when it was applied. */
  checksum: string;
  version?: string;
  tenant?: string;
  phase?: MigrationPhase;
}

/** The options the history rules read from `ProjectOptions`. */
export interface MigrationHistoryOptions {
  migrations?: readonly MigrationFile[];
  applied?: readonly AppliedMigration[];
}

/**
 * The repository's migration files: as `loadProject` read them, or else every file as a versioned
 * migration with the SHA-256 of its text, which is its checksum unless a layout blanked down sections.
 */
export function migrationFilesOf(analysis: Analysis, options: MigrationHistoryOptions): readonly MigrationFile[] {
  if (options.migrations) return options.migrations;
  return analysis.files.map((f) => ({ file: f.file, kind: 'versioned', checksum: createHash('sha256').update(f.text).digest('hex') }));
}

/** Migrations of one sequence share a version space: the global files, or one tenant's bootstrap or schema files. */
export function sequenceOf(migration: { phase?: MigrationPhase; tenant?: string }): string {
  return `${migration.phase ?? 'global'}\u0000${migration.tenant ?? ''}`;
}

/** How two versions compare, as the layouts order them (`1.0` is `1`); versions that are not numbers compare as text. */
export function versionOrder(a: string, b: string): number {
  try {
    return compareVersions(a, b);
  } catch {
    return a.localeCompare(b);
  }
}

/**
 * The applied migration that a repository file is: the one of its sequence with its version (the
 * identity migration tools use, so a renamed file is still the same migration), else the same file.
 */
export function appliedMatch(migration: MigrationFile, applied: readonly AppliedMigration[]): AppliedMigration | undefined {
  const sequence = sequenceOf(migration);
  const { version } = migration;
  const byVersion =
    version === undefined ? undefined : applied.find((a) => a.version !== undefined && sequenceOf(a) === sequence && versionOrder(a.version, version) === 0);
  return byVersion ?? applied.find((a) => a.file === migration.file);
}

/** Where a finding about a whole file stands: the first line of its first statement (the file's first line if it has none). */
export function fileHead(analysis: Analysis, file: string): Range {
  const text = analysis.files.find((f) => f.file === file)?.text ?? '';
  const start = analysis.parsed.find((p) => p.file === file)?.statements[0]?.start ?? 0;
  const newline = text.indexOf('\n', start);
  const end = newline < 0 ? text.length : newline;
  return { start, end: text[end - 1] === '\r' ? end - 1 : end };
}
