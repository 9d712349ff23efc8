import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

// `.ci/run` and the README install with `npm ci`, which refuses a lock file that lacks a package the
// manifests ask for on any platform (Biome's and esbuild's binaries for other systems among them).
describe('package-lock.json', () => {
  it('is accepted by `npm ci`', () => {
    const result = spawnSync('npm', ['ci', '--dry-run', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/Missing: |npm error/);
    expect(result.status).toBe(0);
  });

  it("lists every platform's Biome binary", () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const biome = JSON.parse(readFileSync(join(root, 'node_modules/@biomejs/biome/package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    const missing = Object.keys(biome.optionalDependencies).filter((name) => !(`node_modules/${name}` in lock.packages));
    expect(missing).toEqual([]);
  });
});
