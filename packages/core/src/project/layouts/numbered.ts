import { listSqlFiles } from '../files.js';
import { compareVersions } from '../versions.js';
import { describeName, type Layout } from './layout.js';
import { listByName, type NamingScheme } from './naming.js';

// Plain numbered files, no tool behind them: `001_events.sql`, `2-countries.sql`, `3.sql`. The
// number is the version, in numeric order; files in subdirectories do not count.

const FILE = /^(\d+)(?:[_-](.*))?\.sql$/;

const NAMING: NamingScheme = {
  tool: 'the numbered layout',
  pattern: '<number>_<description>.sql',
  recursive: false,
  read(name) {
    const match = FILE.exec(name);
    return match ? { name, version: match[1], description: describeName((match[2] ?? '').replace(/-/g, ' ')), kind: 'versioned' } : undefined;
  },
  compare: (a, b) => compareVersions(a.version ?? '0', b.version ?? '0'),
  sameVersion: (a, b) => compareVersions(a, b) === 0,
};

const numbered: Layout = {
  name: 'numbered',
  detect(dir, shown) {
    const names = listSqlFiles(dir, { recursive: false });
    return names.length && names.every((name) => FILE.test(name))
      ? `every .sql file in ${shown || 'the project directory'} starts with a number (${names[0]})`
      : undefined;
  },
  list({ dir, unsaved }) {
    return { ...listByName(dir, NAMING, undefined, unsaved), sources: [] };
  },
};

export default numbered;
