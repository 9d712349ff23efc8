import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { plural } from '../plural.js';
import { type ClickPlanConfig, defaultConfig, type LoadConfigOptions, loadConfig } from './config.js';
import { type DetectedLayout, detectLayout } from './detect.js';
import { displayPath, listSqlFiles, type SourceFile } from './files.js';
import { layoutNamed } from './layouts/index.js';
import type { Migration } from './migration.js';

export interface LoadProjectOptions extends LoadConfigOptions {
  /** Environment of the environment layout; overrides `environment:` in the configuration. */
  environment?: string;
  /** Only this tenant of the environment layout (global migrations still run first). */
  tenant?: string;
  /** Texts of .sql files an editor has open but not saved yet, by absolute path: read as if they were saved. */
  unsaved?: ReadonlyMap<string, string>;
}

/** A repository of migrations as ClickPlan reads it. */
export interface Project {
  /** Absolute path of the project directory. */
  root: string;
  config: ClickPlanConfig;
  layout: DetectedLayout;
  /**
   * The SQL files in the order they run, as the desired state sees them: sections that do not
   * belong to it (goose and dbmate down sections) are blanked, offsets and lines unchanged. Give them
   * to `analyzeFiles` with `{ defaultDatabase: config.database }` (or a flag that overrides it);
   * tenant files carry their tenant's database.
   */
  files: SourceFile[];
  /** One per file, in the same order. */
  migrations: Migration[];
  /** clickplan.yaml and tenants.txt as read, so diagnostics that point into them can be shown. */
  configFiles: SourceFile[];
  /** Configuration, layout and file-name problems; SQL is not parsed here. */
  diagnostics: Diagnostic[];
}

/**
 * Reads a project: its configuration, its layout (configured or detected) and its migration files in
 * run order. `path` is the project directory, or one .sql file of it: only that file is read, as the
 * layout of its directory reads it (a goose file without its down sections), or whole when that
 * layout would not read it (a file outside its migrations directory, a Flyway undo file).
 */
export function loadProject(path: string, options: LoadProjectOptions = {}): Project {
  const target = resolve(path);
  let isSingleFile: boolean;
  try {
    isSingleFile = statSync(target).isFile();
  } catch {
    return missingProject(path, target);
  }
  const root = isSingleFile ? dirname(target) : target;
  const config = loadConfig(root, { configFile: options.configFile, ruleIds: options.ruleIds, ruleOptionProblems: options.ruleOptionProblems });
  const detected = detectLayout(root, config.value);
  let layout = detected;
  let listing = layoutNamed(layout.name).list({
    dir: layout.directory,
    config: config.value,
    environment: options.environment ?? config.value.environment,
    tenant: options.tenant,
    unsaved: [...(options.unsaved?.keys() ?? [])],
  });
  if (isSingleFile && !listing.migrations.some((m) => m.path === target)) {
    // The user named this file: it is what they want read, even where the project's layout would skip it.
    layout = {
      name: 'declarative',
      reason: `${displayPath(target)} was named, and the ${detected.name} layout of ${displayPath(detected.directory) || '.'} does not read it: read on its own`,
      directory: root,
    };
    listing = {
      migrations: [{ path: target, description: relative(root, target).replace(/\.sql$/, ''), kind: 'declarative', phase: 'global' }],
      diagnostics: [],
      sources: [],
    };
  }
  const select = layoutNamed(layout.name).select;
  const files: SourceFile[] = [];
  const migrations: Migration[] = [];
  const diagnostics = [...config.diagnostics, ...listing.diagnostics];
  for (const { path: file, defaultDatabase, ...migration } of listing.migrations) {
    if (isSingleFile && file !== target) continue;
    const unsaved = options.unsaved?.get(file);
    const bytes = unsaved === undefined ? readFileSync(file) : Buffer.from(unsaved, 'utf8');
    const shown = displayPath(file);
    const text = bytes.toString('utf8');
    const selected = select ? select(text, shown) : { value: text, diagnostics: [] };
    diagnostics.push(...selected.diagnostics);
    files.push({
      file: shown,
      text: selected.value,
      ...(defaultDatabase === undefined ? {} : { defaultDatabase }),
      ...(migration.kind === 'declarative' ? { declarative: true } : {}),
    });
    migrations.push({ ...migration, file: shown, checksum: createHash('sha256').update(bytes).digest('hex') });
  }
  if (!isSingleFile) diagnostics.push(...unreadSqlFiles(root, layout));
  const configFiles = [...(config.source ? [config.source] : []), ...listing.sources];
  return { root, config: config.value, layout, files, migrations, configFiles, diagnostics };
}

/**
 * .sql files of the project outside the directory its layout reads (a `schema.sql` dump or a
 * `schema/` directory next to `migrations/`): left out of every plan, so said once per file or
 * directory instead of silently. Files the layout skips inside its own directory are its business
 * (it warns about misnamed ones and skips undo files on purpose).
 */
function unreadSqlFiles(root: string, layout: DetectedLayout): Diagnostic[] {
  const inside = relative(root, layout.directory).split(sep).join('/');
  const outside = listSqlFiles(root, { recursive: true }).filter((name) => inside !== '' && name !== inside && !name.startsWith(`${inside}/`));
  const groups = new Map<string, string[]>();
  for (const name of outside) {
    const top = name.includes('/') ? `${name.split('/')[0]}/` : name;
    groups.set(top, [...(groups.get(top) ?? []), name]);
  }
  return [...groups].map(([top, names]): Diagnostic => {
    const what = top.endsWith('/') ? `${displayPath(join(root, top))}/ (${plural(names.length, '.sql file')})` : displayPath(join(root, top));
    return {
      code: 'sql-file-unread',
      severity: 'warning',
      file: displayPath(join(root, names[0])),
      range: { start: 0, end: 0 },
      message: `${what} is not read: the ${layout.name} layout reads only ${displayPath(layout.directory)}/.`,
      help: "Move the SQL into the layout's directory, or set `layout:` and `paths:` in clickplan.yaml to the directory that holds the schema; a dump kept for reference can live outside the project directory.",
    };
  });
}

function missingProject(path: string, root: string): Project {
  const diagnostic: Diagnostic = {
    code: 'path-not-found',
    severity: 'error',
    file: displayPath(path),
    range: { start: 0, end: 0 },
    message: `\`${path}\` does not exist.`,
    help: 'Pass the directory that holds the migrations, or a single .sql file.',
  };
  return {
    root,
    config: defaultConfig(),
    layout: { name: 'declarative', reason: `${path} does not exist`, directory: root },
    files: [],
    migrations: [],
    configFiles: [],
    diagnostics: [diagnostic],
  };
}
