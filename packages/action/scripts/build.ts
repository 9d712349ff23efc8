// Bundles the Action into one ESM file that runs without node_modules: `npm run build:action` writes
// packages/action/dist/; test/action-dist.test.ts builds into a temporary directory and compares, so
// the committed bundle never goes stale (any change to core changes the bundle too).
import { fileURLToPath } from 'node:url';
import { type BuildResult, build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the bundle into `outdir` (default: packages/action/dist). */
export async function buildAction(outdir = `${root}dist`): Promise<BuildResult<{ metafile: true }>> {
  return build({
    entryPoints: [`${root}src/main.ts`],
    outfile: `${outdir}/index.js`,
    // Paths in the bundle's comments are relative to this, wherever the build runs from.
    absWorkingDir: repository,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // action.yml says node24; node20 syntax runs there too, and on this repository's Node 20.
    target: 'node20',
    // Bundled CommonJS dependencies call require() for Node's built-in modules.
    banner: { js: "import { createRequire as __clickplanCreateRequire } from 'node:module';\nconst require = __clickplanCreateRequire(import.meta.url);" },
    // chDB is native and ~550 MB: core's import('chdb') goes to the loader that finds it at run time.
    alias: { chdb: `${root}src/chdb.ts` },
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildAction(process.argv[2]);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`packages/action/dist/index.js: ${(bytes / 1024).toFixed(0)} KiB`);
}
