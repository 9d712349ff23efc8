import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlan } from '../packages/language-server/src/planWorker.js';

// The editor's plan (the language server's plan worker) starts the embedded engine from the
// project's server configuration, as the CLI does (issue 14): the fixture's tables name a storage
// policy and macros that only `server.config` defines.

const root = mkdtempSync(join(tmpdir(), 'clickplan-lsp-plan-server-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the editor's plan", () => {
  it('starts the embedded engine from the configuration generated from server.config', async () => {
    const dir = join(root, 'project');
    cpSync(new URL('../fixtures/server-config', import.meta.url).pathname, dir, { recursive: true });
    const engine = join(root, 'engine');
    const planned = await runPlan({ root: dir, projectRoot: dir, cwd: dir, unsaved: [], given: { target: `embedded:${engine}` }, env: {} });
    expect(planned).toMatchObject({ ok: true, target: `embedded ClickHouse in ${engine}` });
    // The engine started from the generated configuration, which defines the servers' storage policy.
    expect(readFileSync(join(root, 'engine.config', 'config.xml'), 'utf8')).toContain('<tiered>');
    expect(existsSync(join(root, 'engine.config', 'default.xml'))).toBe(false);
  });
});
