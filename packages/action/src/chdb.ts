import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ActionFailure } from './inputs.js';

// chDB (ClickHouse in-process) is a native module of ~550 MB: it cannot be bundled into dist/, and a
// runner checks the Action out without node_modules. The bundle maps core's `import('chdb')` to this
// file (see scripts/build.mjs), which finds chdb where it is installed: beside the Action (its own
// repository with node_modules, as in this repository's tests), or in the workspace of the workflow
// (a step before ClickPlan ran `npm install chdb`). Only an `embedded` target needs it.

type Chdb = typeof import('chdb');

let loaded: Chdb | undefined;

/** Where chdb is looked for, in order. */
function searchFrom(): string[] {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  return [import.meta.url, join(workspace, 'package.json'), join(process.cwd(), 'package.json')];
}

/** chdb, from beside the Action or from the workspace; a clear failure when it is in neither. */
export function loadChdb(): Chdb {
  if (loaded) return loaded;
  for (const from of searchFrom()) {
    try {
      loaded = createRequire(from)('chdb') as Chdb;
      return loaded;
    } catch {
      // Not installed there: try the next place.
    }
  }
  throw new ActionFailure(
    'An `embedded` target needs chDB, which the bundled Action does not contain (a native module of ~550 MB). ' +
      'Add a step `npm install chdb` before ClickPlan, or give a server `target` or a `snapshot`.',
  );
}

/** Stands in for chdb's Session in the bundle: constructs the real one from wherever chdb is installed. */
export class Session {
  constructor(...args: ConstructorParameters<Chdb['Session']>) {
    const { Session: Real } = loadChdb();
    // biome-ignore lint/correctness/noConstructorReturn: the real session is what core uses.
    return new Real(...args) as unknown as Session;
  }
}
