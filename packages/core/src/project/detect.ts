import { basename, join, relative } from 'node:path';
import type { ClickPlanConfig, LayoutName } from './config.js';
import { isDirectory, listSqlFiles } from './files.js';
import { LAYOUTS, layoutNamed } from './layouts/index.js';

/** The layout a project uses, why, and the directory it reads. */
export interface DetectedLayout {
  name: LayoutName;
  /** For people: `found V1__init.sql in db/migration/`, `layout: goose in clickplan.yaml`. */
  reason: string;
  /** Absolute path of the directory the layout reads. */
  directory: string;
}

/** Where the migrations of each role usually are, relative to the project directory, most specific first. */
const MIGRATION_DIRS = ['migrations', 'db/migrations', 'db/migration'];
const SCHEMA_DIRS = ['schema'];

interface Candidate {
  dir: string;
  /** A schema directory holds the desired state whatever its files are named. */
  role: 'migrations' | 'schema';
}

/**
 * Decides how a project directory lays out its migrations: the configured layout if there is one,
 * otherwise the first layout whose evidence is found in the configured directories, then in
 * migrations/, db/migrations/, db/migration/, schema/ and the project directory itself.
 */
export function detectLayout(root: string, config: ClickPlanConfig): DetectedLayout {
  if (config.layout !== 'auto') {
    const role = config.layout === 'declarative' ? 'schema' : 'migrations';
    const configured = config.paths[role];
    const usual = (role === 'schema' ? SCHEMA_DIRS : MIGRATION_DIRS).map((d) => join(root, d)).find(isDirectory);
    return { name: config.layout, reason: `\`layout: ${config.layout}\` in ${config.file ?? 'clickplan.yaml'}`, directory: configured ?? usual ?? root };
  }
  const candidates = candidatesOf(root, config);
  /** How reasons name a directory: relative to the project, with a slash; empty for the project directory. */
  const shown = (dir: string) => (relative(root, dir) ? `${relative(root, dir).replace(/\\/g, '/')}/` : '');
  for (const { dir, role } of candidates) {
    if (role === 'schema') {
      const count = listSqlFiles(dir, { recursive: true }).length;
      if (count)
        return {
          name: 'declarative',
          reason: `${shown(dir) || 'the project directory'} is a schema directory: its ${count} .sql files are the desired state`,
          directory: dir,
        };
      continue;
    }
    for (const layout of LAYOUTS) {
      if (layout.name === 'declarative') continue;
      const found = layout.detect(dir, shown(dir));
      if (found) return { name: layout.name, reason: found, directory: dir };
    }
  }
  for (const { dir } of candidates) {
    const found = layoutNamed('declarative').detect(dir, shown(dir));
    if (found) return { name: 'declarative', reason: found, directory: dir };
  }
  return { name: 'declarative', reason: 'no .sql files found', directory: root };
}

function candidatesOf(root: string, config: ClickPlanConfig): Candidate[] {
  const configured: Candidate[] = [];
  if (config.paths.migrations) configured.push({ dir: config.paths.migrations, role: 'migrations' });
  if (config.paths.schema) configured.push({ dir: config.paths.schema, role: 'schema' });
  if (configured.length) return configured.filter((c) => isDirectory(c.dir));
  return [
    ...MIGRATION_DIRS.map((d): Candidate => ({ dir: join(root, d), role: 'migrations' })),
    ...SCHEMA_DIRS.map((d): Candidate => ({ dir: join(root, d), role: 'schema' })),
    // The project directory may itself be the migrations directory; one named schema is a schema directory.
    { dir: root, role: basename(root) === 'schema' ? ('schema' as const) : ('migrations' as const) },
  ].filter((c) => isDirectory(c.dir));
}
