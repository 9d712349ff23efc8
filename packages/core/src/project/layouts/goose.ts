import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSqlFiles } from '../files.js';
import { compareVersions } from '../versions.js';
import { describeName, type Layout } from './layout.js';
import { listByName, type NamingScheme } from './naming.js';
import { type Marker, type SectionSyntax, selectUpSections } from './sections.js';

// https://pressly.github.io/goose/documentation/annotations/: `<version>_<name>.sql` in one
// directory, versions in numeric order. Annotations are case-insensitive comment lines at the start
// of a line: `-- +goose Up`, `-- +goose Down`, `-- +goose StatementBegin`/`StatementEnd` around a
// statement that holds semicolons, and others (NO TRANSACTION, ENVSUB) that change nothing here.

const FILE = /^(\d+)_(.*)\.sql$/;
const ANNOTATION = /^--\s*\+goose\s+(up|down|statementbegin|statementend)\b/i;

const MARKERS: Record<string, Marker> = { up: 'up', down: 'down', statementbegin: 'begin', statementend: 'end' };

export const GOOSE_SECTIONS: SectionSyntax = {
  up: '-- +goose Up',
  down: '-- +goose Down',
  singleUp: true,
  tool: 'goose',
  marker: (line) => MARKERS[ANNOTATION.exec(line)?.[1].toLowerCase() ?? ''],
};

const NAMING: NamingScheme = {
  tool: 'goose',
  pattern: '<version>_<name>.sql',
  recursive: false,
  read(name) {
    const match = FILE.exec(name);
    return match ? { name, version: match[1], description: describeName(match[2]), kind: 'versioned' } : undefined;
  },
  compare: (a, b) => compareVersions(a.version ?? '0', b.version ?? '0'),
  sameVersion: (a, b) => compareVersions(a, b) === 0,
};

const goose: Layout = {
  name: 'goose',
  detect(dir, shown) {
    const found = listSqlFiles(dir, { recursive: false }).find((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split(/\r\n|\r|\n/)
        .some((line) => GOOSE_SECTIONS.marker(line) === 'up'),
    );
    return found && `found \`-- +goose Up\` in ${shown}${found}`;
  },
  list({ dir, unsaved }) {
    return { ...listByName(dir, NAMING, undefined, unsaved), sources: [] };
  },
  select: (text, file) => selectUpSections(text, file, GOOSE_SECTIONS),
};

export default goose;
