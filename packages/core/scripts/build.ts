// Builds `@clickplan/core` for npm into packages/core/dist/: JavaScript and `.d.ts` files emitted by
// tsc (src/ and the JSON schemas it imports), and the published package.json, whose `exports` map
// offers each layer's entry point (`@clickplan/core/syntax`, `/plan`, ...) as built files. Test
// support (rule tester, chDB oracle, fixtures helpers) stays out. `npm run build -w packages/core`;
// test/package-install.test.ts packs and installs the result.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackageJson, readPackageJson, sharedFields, writePublishedPackage } from '../../../scripts/publishManifest.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Builds into `dist` (default packages/core/dist) and returns the published manifest. */
export function buildCore(dist = join(packageRoot, 'dist')): PackageJson {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal})`);
  const manifest = publishedManifest(readPackageJson(join(packageRoot, 'package.json')));
  writePublishedPackage(dist, manifest, join(packageRoot, 'README.md'));
  return manifest;
}

/**
 * The workspace manifest's entry points (TypeScript sources) as built files. chDB becomes optional:
 * only the embedded target loads it, on first use, and it is ~550 MB.
 */
export function publishedManifest(workspace: PackageJson): PackageJson {
  const sources = workspace.exports as Record<string, string>;
  const exports = Object.fromEntries(
    Object.entries(sources).map(([subpath, source]) => {
      const built = source.replace(/\.ts$/, '');
      return [subpath, { types: `${built}.d.ts`, default: `${built}.js` }];
    }),
  );
  const { chdb, ...dependencies } = workspace.dependencies ?? {};
  return {
    name: workspace.name,
    version: workspace.version,
    description: workspace.description,
    keywords: ['clickhouse', 'schema', 'migrations', 'sql', 'parser', 'lint'],
    ...sharedFields('packages/core'),
    type: 'module',
    exports,
    types: exports['.'].types,
    sideEffects: false,
    dependencies,
    optionalDependencies: { chdb },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = process.argv[2] ?? join(packageRoot, 'dist');
  buildCore(dist);
  console.log(`built ${dist}`);
}
