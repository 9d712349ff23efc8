import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planRelease, releaseChangelog } from '../scripts/release.js';

// scripts/release.ts: the version changes it makes keep the lock file in step (npm ci accepts it),
// the changelog moves its Unreleased section under the version, and --dry-run touches nothing.

const root = fileURLToPath(new URL('..', import.meta.url));
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const current = (JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
const next = current.replace(/^(\d+)\.(\d+)\..*$/, (_, major, minor) => `${major}.${Number(minor) + 1}.0`);

/** The files a release reads, copied to a temporary repository. */
function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-release-'));
  for (const path of ['package.json', 'package-lock.json', 'CHANGELOG.md', ...workspaces.map((w) => `${w}/package.json`)]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(root, path), join(dir, path));
  }
  return dir;
}

describe('scripts/release.ts', () => {
  it('sets the version in every workspace and its pins, and in the lock file, which stays in step', () => {
    const dir = copyRepository();
    try {
      const plan = planRelease(next, '2027-01-15', dir);
      expect([plan.from, plan.to]).toEqual([current, next]);
      expect(plan.changes.map((c) => c.path).sort()).toEqual(['CHANGELOG.md', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)].sort());
      for (const change of plan.changes) writeFileSync(join(dir, change.path), change.after);

      for (const w of workspaces) {
        const manifest = JSON.parse(readFileSync(join(dir, w, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
        expect(manifest.version).toBe(next);
        for (const [name, spec] of Object.entries(manifest.dependencies ?? {})) if (name.startsWith('@clickplan/')) expect(spec).toBe(next);
      }
      // In step: npm, asked to bring the lock up to date with the manifests, leaves it as it is.
      // (`npm ci --dry-run` does not compare them.)
      const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
      const result = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8') === lock, 'the release left package-lock.json out of step with the manifests').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('moves the Unreleased changes under the version, with compare links', () => {
    const before = [
      '# Changelog',
      '',
      '## [Unreleased]',
      '',
      '### Added',
      '',
      '- a thing',
      '',
      '## [0.1.0] - 2026-11-21',
      '',
      '[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD',
      '[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0',
      '',
    ].join('\n');
    expect(releaseChangelog(before, '0.1.0', '0.2.0', '2027-01-15')).toBe(
      [
        '# Changelog',
        '',
        '## [Unreleased]',
        '',
        '## [0.2.0] - 2027-01-15',
        '',
        '### Added',
        '',
        '- a thing',
        '',
        '## [0.1.0] - 2026-11-21',
        '',
        '[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD',
        '[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0',
        '[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0',
        '',
      ].join('\n'),
    );
    // The repository's own changelog has what a release needs.
    expect(() => releaseChangelog(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), current, next, '2027-01-15')).not.toThrow();
  });

  it('with --dry-run prints the changes and the rebuilds (Action dist, .vsix, npm packages) and changes nothing', () => {
    const paths = ['CHANGELOG.md', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)];
    const before = paths.map((p) => readFileSync(join(root, p), 'utf8'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/release.ts'), next, '--dry-run'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 1 + paths.length + 4)).toEqual([
      `Would release ${current} → ${next}`,
      ...workspaces.map((w) => `would write ${w}/package.json`),
      'would write package-lock.json',
      'would write CHANGELOG.md',
      'would run npm run build:action -w packages/action',
      'would run npm run package -w packages/vscode',
      'would run npm run build -w packages/core',
      'would run npm run build -w packages/cli',
    ]);
    expect(paths.map((p) => readFileSync(join(root, p), 'utf8'))).toEqual(before);
  });

  it('refuses a version that is not one, or not after the current one (exit 2)', () => {
    for (const [version, message] of [
      ['1.2', 'release: 1.2 is not a version (MAJOR.MINOR.PATCH, e.g. 0.2.0)\n'],
      [current, `release: ${current} is not after the current version ${current}\n`],
    ]) {
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/release.ts'), version, '--dry-run'], { cwd: root, encoding: 'utf8' });
      expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 2, stderr: message });
    }
  });
});
