import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../packages/core/src/plural.js';
import { clickplanInProcess } from './support/clickplan.js';

// What people read in a terminal: counts with the right number, colour where the environment asks for it.

const root = new URL('..', import.meta.url).pathname;

/** A repository of `n` files, each with one syntax error. */
function brokenFiles(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-text-'));
  for (let i = 1; i <= n; i++) writeFileSync(join(dir, `${i}.sql`), `CREATE TABLE t${i} (a UInt8 b) ENGINE = Memory;\n`);
  return dir;
}

/** Every product source file (no tests), recursively. */
function sources(dir = join(root, 'packages')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('counts', () => {
  it('plural() says one thing in the singular and any other number in the plural', () => {
    for (const n of [0, 1, 2, 11, 1000])
      expect(plural(n, 'dependency', 'dependencies')).toBe(`${n.toLocaleString('en-US')} ${n === 1 ? 'dependency' : 'dependencies'}`);
    expect([plural(1, 'error'), plural(2, 'error'), plural(0, 'error')]).toEqual(['1 error', '2 errors', '0 errors']);
  });

  it('no message in the product writes a count as `thing(s)`', () => {
    const offenders = sources().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          // The text inside quotes and backticks on the line: what messages are made of.
          const literals = (line.match(/'[^']*'|"[^"]*"|`[^`]*`/g) ?? []).join(' ').replace(/http\(s\)/g, '');
          return /[a-z]\(s\)/.test(literals) ? [`${file.slice(root.length)}:${i + 1}: ${line.trim()}`] : [];
        }),
    );
    expect(offenders).toEqual([]);
  });

  it.each([1, 2])('lint and inspect summarise %i broken files in the right number', async (n) => {
    const dir = brokenFiles(n);
    const errors = n === 1 ? '1 error' : `${n} errors`;
    const files = n === 1 ? '1 file' : `${n} files`;
    expect((await clickplanInProcess(['lint', dir])).stdout.trimEnd().split('\n').at(-1)).toBe(`${errors}, 0 warnings, 0 notes in ${files}`);
    expect((await clickplanInProcess(['inspect', dir])).stdout.trimEnd().split('\n').at(-1)).toBe(`0 objects, 0 dependencies, ${errors}, 0 warnings`);
  });
});

describe('colour', () => {
  const dir = () => brokenFiles(1);
  const coloured = (text: string) => text.includes('\u001b[');

  it('colours a terminal, not a pipe; FORCE_COLOR colours a pipe (CI logs) and FORCE_COLOR=0 or NO_COLOR stops it', async () => {
    const cases: [boolean, Record<string, string>, boolean][] = [
      [true, {}, true],
      [false, {}, false],
      [false, { FORCE_COLOR: '1' }, true],
      [true, { FORCE_COLOR: '0' }, false],
      [true, { NO_COLOR: '1' }, false],
    ];
    const seen = [];
    for (const [isTerminal, env] of cases) seen.push(coloured((await clickplanInProcess(['lint', dir()], { isTerminal, env })).stdout));
    expect(seen).toEqual(cases.map((c) => c[2]));
  });
});
