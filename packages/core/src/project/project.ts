import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { type ClickPlanConfig, defaultConfig, type LoadConfigOptions, loadConfig } from './config.js';
import { type DetectedLayout, detectLayout } from './detect.js';
import { displayPath, type SourceFile } from './files.js';
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
 * run order. `path` is the project directory, or one .sql file of it (the layout is then that of
 * the file's directory, and only that file is read).
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
  const config = loadConfig(root, { configFile: options.configFile });
  const layout = detectLayout(root, config.value);
  const listing = layoutNamed(layout.name).list({
    dir: layout.directory,
    config: config.value,
    environment: options.environment ?? config.value.environment,
    tenant: options.tenant,
    unsaved: [...(options.unsaved?.keys() ?? [])],
  });
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
  const configFiles = [...(config.source ? [config.source] : []), ...listing.sources];
  return { root, config: config.value, layout, files, migrations, configFiles, diagnostics };
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
