import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Data flows one way (docs/design.md, "The pipeline"): a folder of packages/core/src imports only
// folders before it in this list. An import up the list is a cycle in the design even before it
// is one in the code: `project → rules`, `rules → deploy` and `plan → live` were.

const STAGES = [
  // Shared leaves: diagnostics, errors, docs links, plural; ClickHouse facts.
  '.',
  'semantics',
  'syntax',
  'bind',
  'project',
  'server',
  'model',
  'graph',
  'canon',
  'inspect',
  'rules',
  'diff',
  'live',
  'plan',
  'deploy',
  'render',
  'workflow',
  'editor',
  'entries',
  // The package's entry point re-exports the entries.
  'index.ts',
];

const SRC = dirname(new URL(import.meta.url).pathname);

/** Tests and their support files may import anything. */
function isTestCode(file: string): boolean {
  return /\.test\.ts$|TestSupport\.ts$/.test(file);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !isTestCode(entry.name) ? [path] : [];
  });
}

/** The stage of a file: its top folder below src, `index.ts` for the entry point, `.` for other files at the top. */
function stageOf(path: string): string {
  const [first, ...rest] = relative(SRC, path).split('/');
  if (rest.length > 0) return first;
  return first === 'index.ts' ? 'index.ts' : '.';
}

interface Import {
  from: string;
  to: string;
}

/** Every relative import, re-export and dynamic import of the source files, resolved to a path. */
function importsOf(files: string[]): Import[] {
  return files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.filter((imported) => imported.fileName.startsWith('.'))
      .map((imported) => ({ from: file, to: resolve(dirname(file), imported.fileName) })),
  );
}

/** The imports that run up the pipeline, as `from/file.ts → to/file.js`. */
function upstreamImports(imports: Import[]): string[] {
  return imports
    .filter(({ to }) => to.startsWith(SRC))
    .filter(({ from, to }) => STAGES.indexOf(stageOf(to)) > STAGES.indexOf(stageOf(from)))
    .map(({ from, to }) => `${relative(SRC, from)} → ${relative(SRC, to)}`);
}

describe('the import graph of packages/core/src', () => {
  const files = sourceFiles(SRC);
  const imports = importsOf(files);

  it('places every folder in the pipeline', () => {
    const stages = new Set(files.map(stageOf));
    expect([...stages].filter((stage) => !STAGES.includes(stage))).toEqual([]);
    expect(imports.length).toBeGreaterThan(files.length);
  });

  it('has no import up the pipeline', () => {
    expect(upstreamImports(imports)).toEqual([]);
  });

  it('would see one', () => {
    const rule = join(SRC, 'rules/rule.ts');
    const deploy = join(SRC, 'deploy/registry.js');
    expect(upstreamImports([{ from: rule, to: deploy }])).toEqual(['rules/rule.ts → deploy/registry.js']);
    expect(upstreamImports([{ from: deploy, to: rule }])).toEqual([]);
  });
});
