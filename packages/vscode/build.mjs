// Bundles the extension and the language server into dist/ with esbuild, and copies the rule and
// error pages the diagnostics link to. `npm run package` then packs dist/ into a .vsix offline.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/**
 * chDB (the embedded ClickHouse, ~550 MB) is not bundled: the plan worker loads it, when a plan
 * targets `embedded`, from the workspace's node_modules (the plan worker runs in the project
 * directory), else from beside the extension.
 */
const chdbFromWorkspace = {
  name: 'chdb-from-workspace',
  setup(b) {
    b.onResolve({ filter: /^chdb$/ }, () => ({ path: 'chdb', namespace: 'chdb-from-workspace' }));
    b.onLoad({ filter: /.*/, namespace: 'chdb-from-workspace' }, () => ({
      contents: `const { createRequire } = require('node:module');
        let found;
        for (const base of [process.cwd() + '/', __filename]) { try { found = createRequire(base).resolve('chdb'); break; } catch {} }
        if (!found) throw new Error('The embedded ClickHouse (npm package chdb) is not installed in this project: run npm install chdb, or set a server or snapshot target.');
        module.exports = require(found);`,
      loader: 'js',
    }));
  },
};

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: false, logLevel: 'warning', legalComments: 'none' };
await Promise.all([
  build({ ...common, entryPoints: [join(here, 'src/extension.ts')], outfile: join(dist, 'extension.js'), external: ['vscode'] }),
  build({ ...common, entryPoints: [join(here, '../language-server/src/main.ts')], outfile: join(dist, 'server.js'), plugins: [chdbFromWorkspace] }),
]);
for (const section of ['rules', 'errors']) cpSync(join(here, '../../docs', section), join(dist, 'docs', section), { recursive: true });
// vsce packs the extension directory's LICENSE; the repository has one for every package.
cpSync(join(here, '../../LICENSE'), join(here, 'LICENSE'));
