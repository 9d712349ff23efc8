import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { onTestFinished } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { Positions } from '../render/positions.js';
import type { SourceFile } from './files.js';

// Test support for the project loader: repositories written to a temporary directory, and
// diagnostics as people read them, with paths relative to the repository.

const repositoryRoot = resolve(new URL('../../../..', import.meta.url).pathname);

/** A fixture repository under fixtures/layouts/. */
export function fixture(name: string): string {
  return join(repositoryRoot, 'fixtures/layouts', name);
}

/** Writes files (path → text) into a new temporary directory, removed when the test ends, and returns it. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-project-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A path as diagnostics show it, relative to `root`. */
export function under(root: string, file: string): string {
  return relative(root, resolve(file)).replace(/\\/g, '/');
}

/** `path:line:column severity code: message`, paths relative to `root`, positions from the files' texts. */
export function renderDiagnostics(root: string, diagnostics: Diagnostic[], files: SourceFile[]): string[] {
  const positions = new Positions(new Map(files.map((f) => [f.file, f.text])));
  return diagnostics.map((d) => {
    const { line, column } = positions.at(d.file, d.range.start);
    return `${under(root, d.file)}:${line}:${column} ${d.severity} ${d.code}: ${d.message}`;
  });
}
