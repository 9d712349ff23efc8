import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

export interface SourceFile {
  /** Path relative to the repository root, with `/` separators: what diagnostics show. */
  file: string;
  text: string;
  /** The database unqualified names in this file resolve to before any USE (a tenant's database); unset: the analysis default. */
  defaultDatabase?: string;
  /** Part of the desired state of a declarative layout: replayed in dependency order with the other such files, not in file order. */
  declarative?: boolean;
}

/**
 * The SQL files of a repository (or one file), in the order they run: paths compared with numbers
 * read as numbers, so `V2__x.sql` runs before `V10__y.sql`.
 */
export function readSqlFiles(path: string): { value: SourceFile[]; diagnostics: Diagnostic[] } {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    return { value: [], diagnostics: [notFound(path)] };
  }
  if (stats.isFile()) return { value: [{ file: path, text: readFileSync(path, 'utf8') }], diagnostics: [] };
  const files = listSqlFiles(path, { recursive: true });
  return {
    value: files.map((name) => ({ file: displayPath(join(path, name)), text: readFileSync(join(path, name), 'utf8') })),
    diagnostics: [],
  };
}

/**
 * Names of the .sql files in a directory (relative, with `/` separators), in natural order: numbers
 * compared as numbers. A missing directory has none. The walk skips node_modules and hidden
 * directories: `.git`, and `.clickplan/embedded`, where the embedded ClickHouse keeps its own
 * metadata as .sql files.
 */
export function listSqlFiles(dir: string, options: { recursive: boolean; unsaved?: readonly string[] }): string[] {
  // Files an editor has open but not saved yet (absolute paths) count where they would be saved.
  const unsaved = new Set<string>();
  for (const path of options.unsaved ?? []) {
    const name = relative(dir, path).split(sep).join('/');
    const parts = name.split('/');
    if (name.startsWith('..') || isAbsolute(name) || !name.endsWith('.sql') || (parts.length > 1 && !options.recursive)) continue;
    if (parts.slice(0, -1).some((part) => part === 'node_modules' || part.startsWith('.'))) continue;
    unsaved.add(name);
  }
  const names = [...unsaved];
  const walk = (prefix: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(dir, prefix), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        if (options.recursive && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(`${name}/`);
      } else if (entry.name.endsWith('.sql') && !unsaved.has(name) && (entry.isFile() || isFile(join(dir, name)))) names.push(name);
    }
  };
  walk('');
  return names.sort(compareNatural);
}

/** Whether a path is a file; a missing path is not. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Whether a path is a directory; a missing path is not. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Names of a directory's subdirectories, sorted; a missing directory has none. */
export function listSubdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort(compareNatural);
  } catch {
    return [];
  }
}

/** File names with numbers compared as numbers: `2_x.sql` before `10_x.sql`. */
export function compareNatural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Relative to the working directory for files inside it (what CI logs and editors link), absolute otherwise. */
export function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), resolve(path));
  return (fromCwd.startsWith('..') ? resolve(path) : fromCwd).replace(/\\/g, '/');
}

function notFound(path: string): Diagnostic {
  return {
    code: 'path-not-found',
    severity: 'error',
    file: path,
    range: { start: 0, end: 0 },
    message: `\`${path}\` does not exist.`,
    help: 'Pass the directory that holds the migrations, or a single .sql file.',
  };
}
