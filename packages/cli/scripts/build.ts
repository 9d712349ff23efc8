// Builds the npm package `clickplan` into packages/cli/dist/: the `clickplan` and
// `clickplan-language-server` commands, bundled by esbuild with every dependency (no tsx, no
// node_modules at run time) except chDB, and the published package.json. `npm run build -w
// packages/cli`; test/package-install.test.ts packs and installs the result.
//
// ESM with code splitting: `clickplan --help` and `--version` load the entry chunk only (commander and
// the command list, see src/cli.ts), and a command's module, with core, is another chunk loaded when
// that command runs. chDB stays an `import('chdb')` that Node resolves beside the package when an
// embedded target is opened: it is an optional dependency (a native module of ~550 MB).
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildResult, build } from 'esbuild';
import { type PackageJson, readPackageJson, repositoryRoot, sharedFields, writePublishedPackage } from '../../../scripts/publishManifest.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** The published name: the command people install. The workspace is `@clickplan/cli`. */
export const PUBLISHED_NAME = 'clickplan';

/** The commands the package installs, and their entry files. */
export const BINS = {
  clickplan: join(packageRoot, 'src/main.ts'),
  'clickplan-language-server': join(repositoryRoot, 'packages/language-server/src/main.ts'),
};

/** Builds into `dist` (default packages/cli/dist) and returns esbuild's result and the published manifest. */
export async function buildCli(dist = join(packageRoot, 'dist')): Promise<{ result: BuildResult<{ metafile: true }>; manifest: PackageJson }> {
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    entryPoints: BINS,
    outdir: dist,
    chunkNames: 'chunks/[name]-[hash]',
    absWorkingDir: repositoryRoot,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Bundled CommonJS dependencies (commander, the LSP libraries) call require() for Node's modules.
    banner: { js: "import { createRequire as __clickplanCreateRequire } from 'node:module';\nconst require = __clickplanCreateRequire(import.meta.url);" },
    external: ['chdb'],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  for (const bin of Object.keys(BINS)) chmodSync(join(dist, `${bin}.js`), 0o755);
  // The language server links each finding to its page, read from beside the bundle (src/main.ts).
  for (const section of ['rules', 'errors']) cpSync(join(repositoryRoot, 'docs', section), join(dist, 'docs', section), { recursive: true });
  const manifest = publishedManifest(readPackageJson(join(packageRoot, 'package.json')), readPackageJson(join(repositoryRoot, 'packages/core/package.json')));
  writePublishedPackage(dist, manifest, join(packageRoot, 'README.md'));
  return { result, manifest };
}

/** Everything is in the bundle but chDB, which the embedded target loads when it is installed. */
export function publishedManifest(cli: PackageJson, core: PackageJson): PackageJson {
  return {
    name: PUBLISHED_NAME,
    version: cli.version,
    description: 'Reviews and deploys ClickHouse schema-as-code: lint, plan and apply migrations, against a server, a snapshot or an embedded ClickHouse.',
    keywords: ['clickhouse', 'migrations', 'schema', 'lint', 'sql', 'cli', 'language-server'],
    ...sharedFields('packages/cli'),
    type: 'module',
    bin: Object.fromEntries(Object.keys(BINS).map((bin) => [bin, `${bin}.js`])),
    optionalDependencies: { chdb: core.dependencies?.chdb },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { result } = await buildCli(process.argv[2]);
  for (const [file, output] of Object.entries(result.metafile.outputs)) console.log(`${file}: ${(output.bytes / 1024).toFixed(0)} KiB`);
}
