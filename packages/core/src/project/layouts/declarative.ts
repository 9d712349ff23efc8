import { join } from 'node:path';
import { listSqlFiles } from '../files.js';
import type { Layout } from './layout.js';

// The directory holds the desired state: every .sql file under it, subdirectories included, in
// natural order (numbers compared as numbers). Nothing has a version; plans diff the state.

const declarative: Layout = {
  name: 'declarative',
  detect(dir, shown) {
    const count = listSqlFiles(dir, { recursive: true }).length;
    return count ? `no versioned migrations in ${shown || 'the project directory'}: its ${count} .sql files are the desired state` : undefined;
  },
  list({ dir, unsaved }) {
    const migrations = listSqlFiles(dir, { recursive: true, unsaved }).map((name) => ({
      path: join(dir, name),
      description: name.replace(/\.sql$/, ''),
      kind: 'declarative' as const,
      phase: 'global' as const,
    }));
    return { migrations, diagnostics: [], sources: [] };
  },
};

export default declarative;
