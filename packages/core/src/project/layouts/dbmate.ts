import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSqlFiles } from '../files.js';
import { describeName, type Layout } from './layout.js';
import { listByName, type NamingScheme } from './naming.js';
import { type SectionSyntax, selectUpSections } from './sections.js';

// https://github.com/amacneil/dbmate: files whose name starts with digits (the version, usually a
// timestamp) in one directory, run in file-name order (dbmate sorts names as strings, so `10_x`
// runs before `2_x`). `-- migrate:up` and `-- migrate:down` (options may follow) split each file;
// only comments may come before the first.

const FILE = /^(\d+)_?(.*)\.sql$/;
const DIRECTIVE = /^--\s*migrate:(up|down)(\s.*)?$/;

export const DBMATE_SECTIONS: SectionSyntax = {
  up: '-- migrate:up',
  down: '-- migrate:down',
  singleUp: false,
  tool: 'dbmate',
  marker: (line) => DIRECTIVE.exec(line)?.[1] as 'up' | 'down' | undefined,
};

const NAMING: NamingScheme = {
  tool: 'dbmate',
  pattern: '<version>_<name>.sql',
  recursive: false,
  read(name) {
    const match = FILE.exec(name);
    return match ? { name, version: match[1], description: describeName(match[2]), kind: 'versioned' } : undefined;
  },
  compare: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  // dbmate's registry keys on the version string: `001` and `1` are two migrations to it.
  sameVersion: (a, b) => a === b,
};

const dbmate: Layout = {
  name: 'dbmate',
  detect(dir, shown) {
    const found = listSqlFiles(dir, { recursive: false }).find((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split(/\r\n|\r|\n/)
        .some((line) => DBMATE_SECTIONS.marker(line) === 'up'),
    );
    return found && `found \`-- migrate:up\` in ${shown}${found}`;
  },
  list({ dir, unsaved }) {
    return { ...listByName(dir, NAMING, undefined, unsaved), sources: [] };
  },
  select: (text, file) => selectUpSections(text, file, DBMATE_SECTIONS),
};

export default dbmate;
