import { join } from 'node:path';
import type { Diagnostic } from '../../diagnostics.js';
import { displayPath, listSqlFiles } from '../files.js';
import type { MigrationKind, MigrationPhase } from '../migration.js';
import type { ListedMigration } from './layout.js';

// Versioned layouts differ only in how a file name gives its version and in what order versions
// run; reading a directory, warning about files that do not fit and refusing duplicate versions is
// the same for all of them.

/** What a file name says about its migration. */
export interface NamedMigration {
  /** Relative to the layout's directory, `/` separated. */
  name: string;
  version?: string;
  description: string;
  kind: MigrationKind;
}

export interface NamingScheme {
  /** The tool, as messages name it: `Flyway`, `golang-migrate`. */
  tool: string;
  /** The file names the layout runs, as messages show them: `V<version>__<description>.sql`. */
  pattern: string;
  /** Whether files in subdirectories count. */
  recursive: boolean;
  /** The migration a file name gives; `null` for a file the layout leaves out on purpose (a down file); `undefined` when the name does not fit. */
  read(name: string): NamedMigration | null | undefined;
  /** Run order. */
  compare(a: NamedMigration, b: NamedMigration): number;
  /** Whether two versions name the same migration (the tool would refuse the pair). */
  sameVersion(a: string, b: string): boolean;
}

/** Where the listed files stand: global, or a tenant's phase with the tenant's database. */
export interface Placement {
  phase: MigrationPhase;
  tenant?: string;
  defaultDatabase?: string;
}

/** The migrations of a directory under a naming scheme, in run order, with what does not fit. */
export function listByName(dir: string, scheme: NamingScheme, placement: Placement = { phase: 'global' }, unsaved?: readonly string[]) {
  const diagnostics: Diagnostic[] = [];
  const named: NamedMigration[] = [];
  for (const name of listSqlFiles(dir, { recursive: scheme.recursive, unsaved })) {
    const migration = scheme.read(name);
    if (migration) named.push(migration);
    else if (migration === undefined) diagnostics.push(misnamed(dir, name, scheme));
  }
  named.sort((a, b) => scheme.compare(a, b) || a.name.localeCompare(b.name));
  for (let i = 1; i < named.length; i++) {
    const [before, after] = [named[i - 1], named[i]];
    if (before.version !== undefined && after.version !== undefined && scheme.sameVersion(before.version, after.version)) {
      diagnostics.push({
        code: 'migration-version-duplicate',
        severity: 'error',
        file: displayPath(join(dir, after.name)),
        range: { start: 0, end: 0 },
        message: `\`${after.name}\` has version ${after.version}, as \`${before.name}\` has: ${scheme.tool} refuses to run two migrations with one version, and the deploy registry could not tell them apart.`,
        help: 'Give one of them the next free version.',
      });
    }
  }
  const migrations = named.map(
    (m): ListedMigration => ({
      path: join(dir, m.name),
      ...(m.version === undefined ? {} : { version: m.version }),
      description: m.description,
      kind: m.kind,
      phase: placement.phase,
      ...(placement.tenant === undefined ? {} : { tenant: placement.tenant }),
      ...(placement.defaultDatabase === undefined ? {} : { defaultDatabase: placement.defaultDatabase }),
    }),
  );
  return { migrations, diagnostics };
}

function misnamed(dir: string, name: string, scheme: NamingScheme): Diagnostic {
  return {
    code: 'migration-name-invalid',
    severity: 'warning',
    file: displayPath(join(dir, name)),
    range: { start: 0, end: 0 },
    message: `\`${name}\` is not named ${scheme.pattern}, so ${scheme.tool} would not run it and ClickPlan leaves it out.`,
    help: `Rename it to ${scheme.pattern}, or move it out of ${displayPath(dir) || '.'}.`,
  };
}
