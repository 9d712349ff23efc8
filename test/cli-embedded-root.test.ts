import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The embedded engine of a project lives under the project, wherever the command runs (issue 14):
// the same project must never get a different engine depending on the working directory.

const root = new URL('..', import.meta.url).pathname;

function clickplanIn(cwd: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'packages/cli/bin/clickplan.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CLICKHOUSE_URL: '', CLICKHOUSE_PASSWORD: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function quickstartCopy(): { project: string; elsewhere: string } {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-embedded-root-'));
  const project = join(dir, 'project');
  cpSync(join(root, 'fixtures/quickstart'), project, { recursive: true });
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  return { project, elsewhere };
}

describe('the default embedded directory', () => {
  it('is .clickplan/embedded under the project path given, not under the working directory', () => {
    const { project, elsewhere } = quickstartCopy();
    const applied = clickplanIn(elsewhere, ['apply', project]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(existsSync(join(project, '.clickplan/embedded'))).toBe(true);
    expect(existsSync(join(elsewhere, '.clickplan'))).toBe(false);
    // The same engine from the project directory itself: what was applied is there.
    const again = clickplanIn(project, ['plan', '.']);
    expect(again.stdout).toBe(`No changes: embedded ClickHouse in ${join(project, '.clickplan/embedded')} matches the repository.\n`);
    expect(again.code).toBe(0);
  });

  it('is under the directory holding the clickplan.yaml given with --config, and a configured embedded:dir is relative to that file', () => {
    const { project, elsewhere } = quickstartCopy();
    const configDir = join(project, 'ops');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'clickplan.yaml'), 'paths:\n  schema: ../schema\n');
    const first = clickplanIn(elsewhere, ['apply', project, '--config', join(configDir, 'clickplan.yaml')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(existsSync(join(configDir, '.clickplan/embedded'))).toBe(true);
    expect(existsSync(join(elsewhere, '.clickplan'))).toBe(false);

    writeFileSync(join(project, 'clickplan.yaml'), 'target: embedded:engine\n');
    const second = clickplanIn(elsewhere, ['plan', project]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Plan for embedded ClickHouse in /);
    expect(existsSync(join(project, 'engine'))).toBe(true);
    expect(existsSync(join(elsewhere, 'engine'))).toBe(false);
  });
});
