import { basename } from 'node:path';
import { listSqlFiles } from '../files.js';
import { compareVersions } from '../versions.js';
import { describeName, type Layout } from './layout.js';
import { listByName, type NamedMigration, type NamingScheme } from './naming.js';

// https://documentation.red-gate.com/fd/migrations-184127470.html: `V<version>__<description>.sql`
// runs once, in version order; `R__<description>.sql` runs after every versioned migration, again
// whenever it changes, ordered by description; `U<version>__` undoes a version and is never part of
// the desired state. Flyway scans subdirectories too.

const VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
const UNDO = /^U\d+(?:[._]\d+)*__.+\.sql$/;

/** Flyway's naming, also used by each directory of the environment layout. */
export const FLYWAY_NAMING: NamingScheme = {
  tool: 'Flyway',
  pattern: 'V<version>__<description>.sql or R__<description>.sql',
  recursive: true,
  read(name) {
    const file = basename(name);
    const versioned = VERSIONED.exec(file);
    if (versioned) return { name, version: versioned[1].replace(/_/g, '.'), description: describeName(versioned[2]), kind: 'versioned' };
    const repeatable = REPEATABLE.exec(file);
    if (repeatable) return { name, description: describeName(repeatable[1]), kind: 'repeatable' };
    return UNDO.test(file) ? null : undefined;
  },
  compare: (a: NamedMigration, b: NamedMigration) =>
    a.version !== undefined && b.version !== undefined
      ? compareVersions(a.version, b.version)
      : Number(a.version === undefined) - Number(b.version === undefined) || a.description.localeCompare(b.description),
  sameVersion: (a, b) => compareVersions(a, b) === 0,
};

/** Whether a file name is a Flyway versioned migration. */
export function isFlywayVersioned(name: string): boolean {
  return VERSIONED.test(basename(name));
}

const flyway: Layout = {
  name: 'flyway',
  detect(dir, shown) {
    const found = listSqlFiles(dir, { recursive: true }).find(isFlywayVersioned);
    return found && `found ${shown}${found}`;
  },
  list({ dir, unsaved }) {
    return { ...listByName(dir, FLYWAY_NAMING, undefined, unsaved), sources: [] };
  },
};

export default flyway;
