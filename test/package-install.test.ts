import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../packages/cli/scripts/build.js';
import { buildCore } from '../packages/core/scripts/build.js';
import { TestClient } from './support/lspClient.js';

// The packages as people install them: both are built, packed with `npm pack`, and installed from
// the tarballs into an empty directory, where the commands run with the machine's Node and with
// Node 22 and 24 (the supported LTS lines, from npm through scripts/ensure-node.sh). Their output is
// compared with the in-repository CLI's (TypeScript through tsx) on the same files.
//
// chDB: the install is `--omit=optional`, which is how a server-only user installs and proves that
// nothing but the embedded target needs chDB (and that its absence is one clear sentence). Then the
// repository's installed chdb is linked into node_modules, as `npm install chdb` would place it:
// installing it again from the registry or the npm cache would unpack ~550 MB for every run.

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
const tsxLoader = import.meta.resolve('tsx');

let work: string;
let project: string;
let nodes: Record<string, string>;
let tarballs: { core: string; cli: string };

/** Runs a command with npm's own settings cleared (under `npm test` the outer npm's arrive as npm_config_*). */
function exec(command: string, args: string[], options: { cwd: string; path?: string }): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  if (options.path) env.PATH = `${options.path}:${env.PATH}`;
  return spawnSync(command, args, { cwd: options.cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 240_000 });
}

/** `npx clickplan ...` in the install directory, with `node` on PATH being the one named. */
function installed(node: string, ...args: string[]) {
  const result = exec('npx', ['--no', '--', 'clickplan', ...args], { cwd: project, path: dirname(nodes[node]) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sourceRuns = new Map<string, { code: number | null; stdout: string; stderr: string }>();

/** The repository's CLI from its TypeScript sources, in the install directory (run once per argument list). */
function fromSources(...args: string[]) {
  const known = sourceRuns.get(args.join(' '));
  if (known) return known;
  const result = exec(process.execPath, ['--import', tsxLoader, join(root, 'packages/cli/src/main.ts'), ...args], { cwd: project });
  const run = { code: result.status, stdout: result.stdout, stderr: result.stderr };
  sourceRuns.set(args.join(' '), run);
  return run;
}

/** `npm pack --dry-run`'s file list of a built package. */
function packedFiles(dir: string): string[] {
  const result = exec('npm', ['pack', '--dry-run', '--json', dir], { cwd: work });
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'clickplan-install-'));
  return async () => rmSync(work, { recursive: true, force: true });
});

beforeAll(async () => {
  buildCore(join(work, 'core'));
  await buildCli(join(work, 'cli'));
  const pack = (dir: string) => {
    const result = exec('npm', ['pack', '--json', '--pack-destination', work, dir], { cwd: work });
    expect(result.status, result.stderr).toBe(0);
    return join(work, (JSON.parse(result.stdout) as { filename: string }[])[0].filename);
  };
  tarballs = { core: pack(join(work, 'core')), cli: pack(join(work, 'cli')) };

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "install-test", "private": true }\n');
  // The registry only, and the npm cache first: every dependency is there after the repository's `npm ci`.
  const install = exec('npm', ['install', '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund', tarballs.core, tarballs.cli], { cwd: project });
  expect(install.status, install.stderr).toBe(0);
  for (const fixture of ['workspace', 'quickstart']) cpSync(join(root, 'fixtures', fixture), join(project, fixture), { recursive: true });

  nodes = { machine: process.execPath };
  for (const major of ['22', '24']) {
    const ensure = exec('bash', [join(root, 'scripts/ensure-node.sh'), major], { cwd: root });
    expect(ensure.status, ensure.stderr).toBe(0);
    nodes[major] = ensure.stdout.trim().split('\n').at(-1) as string;
  }
}, 900_000);

// Every step spawns npm or node (and tsc once): minutes on a loaded machine.
const slow = { timeout: 300_000 };

describe('npm pack', slow, () => {
  const testish = /(^|\/)(test|tests|fixtures?|__tests__)(\/|$)|\.test\.|TestSupport|ruleTester|[Oo]racle|\.worker\./;

  it('of clickplan lists the two commands, their chunks, the docs they link to, and no test or fixture file', () => {
    const files = packedFiles(join(work, 'cli'));
    expect(files.filter((f) => testish.test(f))).toEqual([]);
    expect(files.filter((f) => !f.startsWith('chunks/') && !f.startsWith('docs/'))).toEqual([
      'LICENSE',
      'README.md',
      'clickplan-language-server.js',
      'clickplan.js',
      'package.json',
    ]);
    expect(files.filter((f) => f.startsWith('docs/rules/')).length).toBeGreaterThan(30);
  });

  it('of @clickplan/core lists built JavaScript and declarations only, and no test or fixture file', () => {
    const files = packedFiles(join(work, 'core'));
    expect(files.filter((f) => testish.test(f))).toEqual([]);
    expect(files.filter((f) => !/\.(js|d\.ts)$/.test(f))).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
      'schema/clickplan.schema.json',
      'schema/snapshot.schema.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(work, 'core/package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    for (const entry of Object.values(manifest.exports)) expect([entry.types, entry.default].map((f) => files.includes(f.slice(2)))).toEqual([true, true]);
  });
});

describe('the installed packages', slow, () => {
  it('declare no dependency on a workspace package and keep chDB optional', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { optional?: boolean }> };
    expect(lock.packages['node_modules/clickplan']).toBeDefined();
    expect(lock.packages['node_modules/@clickplan/core']).toBeDefined();
    expect(lock.packages['node_modules/chdb']?.optional).toBe(true);
    expect(lock.packages['node_modules/tsx']).toBeUndefined();
  });

  it('give a typed library: every entry point imports without chDB, and TypeScript reads the declarations', () => {
    const manifest = JSON.parse(readFileSync(join(work, 'core/package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const entries = Object.keys(manifest.exports).map((subpath) => `@clickplan/core${subpath.slice(1)}`);
    const script = `for (const e of ${JSON.stringify(entries)}) await import(e);
      const { parseSql } = await import('@clickplan/core/syntax');
      console.log(parseSql('CREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id', { file: 'a.sql' }).statements.map((s) => s.kind).join());`;
    const run = exec(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('CreateTable\n');

    writeFileSync(
      join(project, 'consumer.ts'),
      `import { type ParseResult, parseSql } from '@clickplan/core/syntax';
import { buildPlan } from '@clickplan/core/plan';
const result: ParseResult = parseSql('SELECT 1', { file: 'a.sql' });
const wrong: number = result.statements;
export { buildPlan, wrong };
`,
    );
    const tsc = exec(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules/@types'),
        'consumer.ts',
      ],
      { cwd: project },
    );
    // The one deliberate type error proves the declarations are read (an `any` would let it pass).
    expect(tsc.stdout.trim()).toBe("consumer.ts(4,7): error TS2322: Type 'Statement[]' is not assignable to type 'number'.");
  });

  for (const node of ['machine', '22', '24']) {
    describe(`with ${node === 'machine' ? "the machine's Node" : `Node ${node}`}`, () => {
      it('npx clickplan --version prints the version', () => {
        expect(installed(node, '--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
      });

      it('npx clickplan lint prints what the repository CLI prints, and exits 1 on errors', () => {
        const result = installed(node, 'lint', 'workspace');
        expect(result).toEqual(fromSources('lint', 'workspace'));
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/\n2 errors, 1 warning, 0 notes in 4 files\n$/);
      });

      it('npx clickplan plan --target embedded without chDB says how to get it (exit 2, no stack trace)', () => {
        expect(installed(node, 'plan', 'quickstart', '--target', 'embedded')).toEqual({
          code: 2,
          stdout: '',
          stderr:
            'clickplan plan: The embedded target needs chDB (ClickHouse in-process, the npm package `chdb`, ~550 MB), which is not installed.\n' +
            '  help: Install it beside clickplan (`npm install chdb`, or `npm install -g chdb` for a global clickplan), or plan against a server (`--target https://host:8443` or CLICKHOUSE_URL) or a snapshot (`--target schema.json`).\n',
        });
      });
    });
  }

  it('clickplan-language-server answers over stdio as the repository server does: the same capabilities and findings', async () => {
    const diagnosticsOf = async (bundle: string | undefined) => {
      const client = await TestClient.start({ root: join(project, 'workspace'), ...(bundle ? { bundle } : {}) });
      try {
        const uri = await client.open(join(project, 'workspace/migrations/V3__sessions.sql'));
        const diagnostics = await client.until(() => client.diagnostics.get(uri), 60_000, 'diagnostics');
        // Each finding links its page: beside the bundle (docs/ in the package) or in the repository.
        const pages = JSON.stringify(diagnostics).replace(/file:\/\/[^"]*?\/docs\//g, 'docs/');
        return { capabilities: client.initializeResult?.capabilities, diagnostics: JSON.parse(pages) };
      } finally {
        await client.stop();
      }
    };
    const installedServer = await diagnosticsOf(join(project, 'node_modules/clickplan/clickplan-language-server.js'));
    expect(installedServer.diagnostics.map((d: { code: string }) => d.code)).toHaveLength(2);
    expect(installedServer).toEqual(await diagnosticsOf(undefined));
  });

  describe('with chDB installed beside it', () => {
    beforeAll(() => {
      symlinkSync(join(root, 'node_modules/chdb'), join(project, 'node_modules/chdb'), 'dir');
    });

    it.each(['machine', '22', '24'])('npx clickplan plan --target embedded plans what the repository CLI plans (Node %s)', (node) => {
      const target = (name: string) => `embedded:${join(work, `engine-${name}`)}`;
      const result = installed(node, 'plan', 'quickstart', '--target', target(node), '--format', 'json');
      const expected = fromSources('plan', 'quickstart', '--target', target('sources'), '--format', 'json');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const plan = JSON.parse(result.stdout);
      expect(plan).toEqual({ ...JSON.parse(expected.stdout), target: `embedded ClickHouse in ${join(work, `engine-${node}`)}` });
      expect(plan.steps.length).toBeGreaterThan(0);
    });
  });
});
