import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_BASE_URL, docsPageUrl } from '../packages/core/src/docs.js';
import { ERROR_CODES } from '../packages/core/src/errors.js';
import { parseConfig } from '../packages/core/src/project/config.js';
import { docsLink } from '../packages/core/src/rules/docsLink.js';
import { RULES } from '../packages/core/src/rules/index.js';

// Every link ClickPlan prints is an absolute URL under one base (DOCS_BASE_URL), and names a page
// (and heading) that the docs folder has: a link checker that needs no network.

const root = new URL('..', import.meta.url).pathname;

/** GitHub's anchor of a Markdown heading: lower case, punctuation but `-` dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** Whether a docs URL under DOCS_BASE_URL names a page of docs/ and, with `#`, one of its headings. */
function resolves(url: string): boolean {
  if (!url.startsWith(`${DOCS_BASE_URL}/`)) return false;
  const [page, anchor] = url.slice(DOCS_BASE_URL.length + 1).split('#');
  const file = join(root, 'docs', page);
  if (!existsSync(file)) return false;
  if (!anchor) return true;
  const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1]));
  return headings.includes(anchor);
}

/** Every product source file (no tests). */
function sources(dir = join(root, 'packages')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('documentation links', () => {
  it('every rule and error code links to its page, absolute', () => {
    const codes = [...RULES.map((r) => r.id), ...Object.keys(ERROR_CODES)];
    expect(codes.filter((code) => !resolves(docsLink(code)))).toEqual([]);
    expect(docsLink('mv-populate', 'https://docs.example/v1/')).toBe('https://docs.example/v1/rules/mv-populate.md');
    expect(docsLink('config-invalid')).toBe(`${DOCS_BASE_URL}/errors/config-invalid.md`);
  });

  it('every page (and heading) the sources link with docsPageUrl exists', () => {
    const pages = sources().flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/docsPageUrl\('([^']+)'/g)].map((m) => m[1]));
    expect([...new Set(pages)].sort()).toEqual([
      'action.md#pull-requests-from-forks',
      'action.md#why-not-pull_request_target',
      'config.md',
      'config.md#keys',
      'config.md#paths',
      'rules/README.md',
    ]);
    expect(pages.filter((page) => !resolves(docsPageUrl(page)))).toEqual([]);
  });

  it('no message in the product points at a repository-relative docs/ path', () => {
    const offenders = sources().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const literals = (line.match(/'[^']*'|"[^"]*"|`[^`]*`/g) ?? []).join(' ');
          return /(^|[\s(`'"])docs\/[a-z]/.test(literals) ? [`${file.slice(root.length)}:${i + 1}: ${line.trim()}`] : [];
        }),
    );
    expect(offenders).toEqual([]);
  });

  it('configuration errors link the heading of the key they are about', () => {
    const helps = (text: string) => parseConfig(text, { file: 'clickplan.yaml', directory: root }).diagnostics.map((d) => d.help);
    const links = [
      ...helps('tenants:\n  database: nope\n'),
      ...helps('deploy:\n  lockWait: soon\n'),
      ...helps('qualifiedNames: maybe\n'),
      ...helps('colour: red\n'),
    ].map((help) => /https:\S+?(?=\.?( |$))/.exec(help ?? '')?.[0]);
    expect(links).toEqual([
      `${DOCS_BASE_URL}/config.md#tenantsdatabase`,
      `${DOCS_BASE_URL}/config.md#deploylockwait`,
      `${DOCS_BASE_URL}/config.md#qualifiednames`,
      `${DOCS_BASE_URL}/config.md#keys`,
    ]);
    expect(links.filter((link) => !resolves(link ?? ''))).toEqual([]);
  });
});
