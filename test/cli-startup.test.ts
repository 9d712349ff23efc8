import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../packages/cli/scripts/build.js';
import { COMMANDS, run } from '../packages/cli/src/cli.js';

// `clickplan --help` and `--version` start without loading core: cli.ts lists each command with its
// help line and loads a command's module only when it runs (bench/startup.bench.ts measures the
// time). The list must say what the modules say, and the bundle must keep core out of those paths.

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string };

async function capture(argv: string[], options: { loadAll?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} }, options);
  return { code, stdout, stderr };
}

describe('the command list', () => {
  it('gives the same top-level help as the loaded commands', async () => {
    const lazy = await capture(['--help']);
    expect(lazy.code).toBe(0);
    expect(lazy).toEqual(await capture(['--help'], { loadAll: true }));
    expect(lazy.stdout).toMatch(/^Usage: clickplan \[options\] \[command\]\n/);
  });

  it("has each command's name, usage and description as its module defines them", async () => {
    const io = { stdout: () => {}, stderr: () => {} };
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = (await entry.load())(io, () => {});
      const usage = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
      expect({ name: command.name(), term: entry.term, description: entry.description }).toEqual({
        name,
        term: `${name} [options]${usage ? ` ${usage}` : ''}`,
        description: command.description(),
      });
    }
  });

  it("answers an unknown command, a command's own help and --version as the loaded program does", async () => {
    for (const argv of [['nope'], ['lint', '--help'], ['help', 'plan'], ['--version'], ['-V']])
      expect(await capture(argv)).toEqual(await capture(argv, { loadAll: true }));
    expect(await capture(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await capture(['nope'])).code).toBe(2);
  });
});

describe('the bundle', () => {
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'clickplan-bundle-'));
    await buildCli(dist);
  }, 120_000);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  /** The files node loads for `args`, relative to the bundle (a module load hook lists them on stderr). */
  function loadedFiles(args: string[]): { code: number | null; stdout: string; files: string[] } {
    const hook = `data:text/javascript,${encodeURIComponent('export async function load(url, context, next) { if (url.startsWith("file:")) process.stderr.write("loaded " + url + "\\n"); return next(url, context); }')}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
    const result = spawnSync(process.execPath, ['--import', register, join(dist, 'clickplan.js'), ...args], { encoding: 'utf8' });
    const files = [...result.stderr.matchAll(/^loaded file:\/\/(.+)$/gm)].map((m) => m[1].slice(dist.length + 1));
    return { code: result.status, stdout: result.stdout, files };
  }

  it('loads the entry and the small chunks for --help and --version, and core only for a command', () => {
    const help = loadedFiles(['--help']);
    const version = loadedFiles(['--version']);
    const lint = loadedFiles(['lint', '--help']);
    expect([help.code, version.code, lint.code]).toEqual([0, 0, 0]);
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }).version}\n`);
    expect(version.files).toEqual(help.files);
    // Core is the chunk with the parser in it; --help never loads it, lint does.
    const core = lint.files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('function parseSql('));
    expect(core).toHaveLength(1);
    expect(help.files).not.toContain(core[0]);
    const size = (files: string[]) => files.reduce((n, f) => n + readFileSync(join(dist, f)).length, 0);
    // What --help loads is commander and the command list: a tenth of what a command loads, or less.
    expect(size(help.files) * 10).toBeLessThan(size(lint.files));
  });
});
