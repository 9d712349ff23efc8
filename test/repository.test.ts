import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publishedManifest as cliManifest } from '../packages/cli/scripts/build.js';
import { publishedManifest as coreManifest } from '../packages/core/scripts/build.js';

// What a contributor or a marketplace expects of the repository: the license everywhere, the
// extension's marketplace fields, the changelog's format, and CI running `.ci/run`.

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }` (see
// action-metadata.test.ts): a loader hook adds the attribute.
register(
  `data:text/javascript,${encodeURIComponent(
    "export async function load(url, context, next) { return next(url, url.endsWith('.json') ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context); }",
  )}`,
);
const { NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const json = (path: string) => JSON.parse(read(path));
const workspaces = json('package.json').workspaces as string[];

describe('the license', () => {
  it('is the full text of the Apache License 2.0', () => {
    const text = read('LICENSE');
    expect(text.replace(/\s+/g, ' ').trim().slice(0, 140)).toBe(
      'Apache License Version 2.0, January 2004 http://www.apache.org/licenses/ TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION 1. Def',
    );
    // Its nine sections, in order, and the end of the terms.
    const sections = [...text.matchAll(/^ {0,6}(\d)\. ([A-Z][^.]+)\./gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(sections).toEqual([
      '1 Definitions',
      '2 Grant of Copyright License',
      '3 Grant of Patent License',
      '4 Redistribution',
      '5 Submission of Contributions',
      '6 Trademarks',
      '7 Disclaimer of Warranty',
      '8 Limitation of Liability',
      '9 Accepting Warranty or Additional Liability',
    ]);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('is what every manifest says, the published ones included', () => {
    const manifests = ['package.json', ...workspaces.filter((w) => w !== 'packages/action').map((w) => `${w}/package.json`)].map(
      (path) => [path, json(path).license ?? json('package.json').license] as const,
    );
    const published = [cliManifest(json('packages/cli/package.json'), json('packages/core/package.json')), coreManifest(json('packages/core/package.json'))];
    expect([...manifests.map(([, license]) => license), ...published.map((m) => m.license)]).toEqual(Array(manifests.length + 2).fill('Apache-2.0'));
  });
});

describe('the VS Code extension', () => {
  const manifest = json('packages/vscode/package.json');
  // https://code.visualstudio.com/api/references/extension-manifest#fields
  const CATEGORIES = [
    'Programming Languages',
    'Snippets',
    'Linters',
    'Themes',
    'Debuggers',
    'Formatters',
    'Keymaps',
    'SCM Providers',
    'Other',
    'Extension Packs',
    'Language Packs',
    'Data Science',
    'Machine Learning',
    'Visualization',
    'Notebooks',
    'Education',
    'Testing',
  ];

  it('has what the Marketplace asks for: publisher, license, repository, categories', () => {
    expect({ publisher: manifest.publisher, license: manifest.license, repository: manifest.repository.url }).toEqual({
      publisher: 'clickplan',
      license: 'Apache-2.0',
      repository: 'https://github.com/clickplan/clickplan.git',
    });
    expect(manifest.categories.filter((c: string) => !CATEGORIES.includes(c))).toEqual([]);
    expect(manifest.categories.length).toBeGreaterThan(0);
  });

  it('has a 128x128 PNG icon that the .vsix includes', () => {
    const icon = readFileSync(join(root, 'packages/vscode', manifest.icon));
    // PNG signature, then the IHDR chunk: width and height as 32-bit big-endian integers.
    expect(icon.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(icon.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    const ignore = read('packages/vscode/.vscodeignore').split('\n');
    expect(ignore).toContain(`!${manifest.icon}`);
  });

  it('README says how to install the .vsix and shows the screenshots, which exist', () => {
    const readme = read('packages/vscode/README.md');
    expect(readme).toContain('code --install-extension packages/vscode/dist/clickplan.vsix');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(https:\/\/github\.com\/clickplan\/clickplan\/raw\/HEAD\/([^)]+)\)/g)].map((m) => m[1]);
    expect(images.sort()).toEqual(['problems', 'quickfix', 'hover', 'graph', 'plan'].map((n) => `docs/images/vscode-${n}.png`).sort());
    expect(images.filter((image) => !existsSync(join(root, image)))).toEqual([]);
  });
});

describe('CHANGELOG.md', () => {
  it('follows Keep a Changelog: Unreleased first, then 0.x versions with dates, newest first, each linked', () => {
    const text = read('CHANGELOG.md');
    const headings = [...text.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((m) => [m[1], m[2]]);
    expect(headings[0]).toEqual(['Unreleased', undefined]);
    const versions = headings.slice(1);
    expect(versions.length).toBeGreaterThan(0);
    for (const [version, date] of versions)
      expect({ version, dated: date !== undefined }).toEqual({ version: expect.stringMatching(/^0\.\d+\.\d+$/), dated: true });
    const dates = versions.map(([, date]) => date as string);
    expect(dates).toEqual([...dates].sort().reverse());
    const links = [...text.matchAll(/^\[([^\]]+)\]: https:\/\/\S+$/gm)].map((m) => m[1]);
    expect(links).toEqual(headings.map(([name]) => name));
    const subsections = new Set([...text.matchAll(/^### (.+)$/gm)].map((m) => m[1]));
    expect([...subsections].filter((s) => !['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(s))).toEqual([]);
  });

  it("lists the packages' current version", () => {
    expect(read('CHANGELOG.md')).toContain(`## [${json('packages/cli/package.json').version}] - `);
  });
});

describe('.github/workflows/ci.yml', () => {
  const content = read('.github/workflows/ci.yml');

  it('is a valid workflow that runs .ci/run on every supported Node', () => {
    const result = parseWorkflow({ name: 'ci.yml', content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const workflow = parse(content) as {
      on: Record<string, unknown>;
      jobs: Record<string, { strategy: { matrix: { node: number[] } }; steps: { run?: string }[] }>;
    };
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const [job] = Object.values(workflow.jobs);
    expect(job.steps.filter((s) => s.run).map((s) => s.run)).toEqual(['.ci/run']);
    // engines ">=22": the LTS lines from there on that are maintained today.
    expect(json('package.json').engines.node).toBe('>=22');
    expect(job.strategy.matrix.node).toEqual([22, 24]);
  });
});
