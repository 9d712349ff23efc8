import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openEmbeddedTarget } from '../../packages/core/src/live/embedded.js';
import type { Target } from '../../packages/core/src/live/types.js';

/**
 * The embedded engine (chDB) of a test file: chDB opens one data directory per process, so a file
 * opens one, in a temporary directory that is closed and removed after the file's tests. `root` is
 * that directory, for the file's other temporary files.
 */
export function embeddedEngine(name: string): { root: string; open(): Promise<Target> } {
  const root = mkdtempSync(join(tmpdir(), `clickplan-${name}-`));
  let target: Target | undefined;
  afterAll(async () => {
    await target?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    root,
    async open() {
      target ??= await openEmbeddedTarget(join(root, 'data'));
      return target;
    },
  };
}
