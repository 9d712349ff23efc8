import { listSqlFiles } from '../files.js';
import { compareVersions } from '../versions.js';
import { describeName, type Layout } from './layout.js';
import { listByName, type NamingScheme } from './naming.js';

// https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md: `{version}_{title}.up.sql`
// and `{version}_{title}.down.sql` in one directory (not its subdirectories); versions are unsigned
// integers run in numeric order. Down files undo and are never part of the desired state.

const FILE = /^(\d+)_(.*)\.(up|down)\.sql$/;

const NAMING: NamingScheme = {
  tool: 'golang-migrate',
  pattern: '<version>_<title>.up.sql (or .down.sql)',
  recursive: false,
  read(name) {
    const match = FILE.exec(name);
    if (!match) return undefined;
    return match[3] === 'down' ? null : { name, version: match[1], description: describeName(match[2]), kind: 'versioned' };
  },
  compare: (a, b) => compareVersions(a.version ?? '0', b.version ?? '0'),
  sameVersion: (a, b) => compareVersions(a, b) === 0,
};

const golangMigrate: Layout = {
  name: 'golang-migrate',
  detect(dir, shown) {
    const found = listSqlFiles(dir, { recursive: false }).find((name) => FILE.exec(name)?.[3] === 'up');
    return found && `found ${shown}${found}`;
  },
  list({ dir, unsaved }) {
    return { ...listByName(dir, NAMING, undefined, unsaved), sources: [] };
  },
};

export default golangMigrate;
