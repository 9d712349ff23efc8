import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../packages/core/src/errors.js';
import { RULES } from '../packages/core/src/rules/index.js';

const root = new URL('..', import.meta.url).pathname;
const docsDir = join(root, 'docs/errors');

/** Every `code: '...'` and `report(..., 'code', ...)` literal in the product's source. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/\bcode: '([a-z][a-z-]+)'/g)) codes.add(m[1]);
        // Rules report message ids through their own helpers, not codes.
        if (!path.includes('/rules/')) for (const m of text.matchAll(/report\(\s*[^,()]+,\s*'([a-z][a-z-]+)'/g)) codes.add(m[1]);
      }
    }
  };
  walk(join(root, 'packages/core/src'));
  walk(join(root, 'packages/cli/src'));
  return codes;
}

describe('docs/errors', () => {
  it('has one page per error code and a code per page', () => {
    const pages = readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(pages).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('covers every code the source emits that is not a rule id', () => {
    const rules = new Set(RULES.map((r) => r.id));
    const emitted = [...codesInSource()].filter((code) => !rules.has(code)).sort();
    expect(emitted).toEqual(Object.keys(ERROR_CODES).sort());
  });

  for (const [code, summary] of Object.entries(ERROR_CODES)) {
    it(`${code}.md has its title, summary and sections`, () => {
      const text = readFileSync(join(docsDir, `${code}.md`), 'utf8');
      expect(text.split('\n').slice(0, 3)).toEqual([`# ${code}`, '', summary]);
      expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['What it means', 'What to do', 'Example']);
    });
  }
});
