import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../packages/cli/src/cli.js';

// The README and the design page are what a new user reads first: their CLI tables list every
// command the CLI has, and every relative link they make stays in the repository and exists.

const root = resolve(new URL('..', import.meta.url).pathname);
const pages = ['README.md', 'docs/design.md'];

/** The names of the CLI's commands, from the CLI itself. */
const commandNames = Object.keys(COMMANDS);

/** The first column of every table row whose first cell is a `command`. */
function tableCommands(text: string): string[] {
  return [...text.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
}

describe.each(pages)('%s', (page) => {
  const text = readFileSync(join(root, page), 'utf8');

  it("lists every command of the CLI in its table, in the CLI's order", () => {
    expect(tableCommands(text)).toEqual(commandNames);
  });

  it('links only files that exist in the repository', () => {
    const links = [
      ...[...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link)),
      // Paths named in the prose, linked or not (`../shared/DESIGN.md`); code blocks show commands and output.
      ...[...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/(?:\.\.\/)+[\w.-]+(?:\/[\w.-]+)*/g)].map((m) => m[0]),
    ];
    const broken = links.filter((link) => {
      const target = resolve(dirname(join(root, page)), link);
      return relative(root, target).startsWith('..') || !existsSync(target);
    });
    expect(broken).toEqual([]);
  });
});
