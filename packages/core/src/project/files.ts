import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

export interface SourceFile {
  /** Path relative to the repository root, with `/` separators: what diagnostics show. */
  file: string;
  text: string;
  /** The database unqualified names in this file resolve to before any USE (a tenant's database); unset: the analysis default. */
  defaultDatabase?: string;
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
  const files = (readdirSync(path, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.sql') && !name.split(/[\\/]/).includes('node_modules'))
    .map((name) => name.replace(/\\/g, '/'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return {
    value: files.map((name) => ({ file: displayPath(join(path, name)), text: readFileSync(join(path, name), 'utf8') })),
    diagnostics: [],
  };
}

/** Relative to the working directory for files inside it (what CI logs and editors link), absolute otherwise. */
function displayPath(path: string): string {
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
