import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActionInputs } from '../packages/action/src/inputs.js';
import { lintProject, readProject } from '../packages/action/src/project.js';
import { Workspace } from '../packages/language-server/src/workspace.js';

// The server configuration (`server.config`) reaches every front end the same way (issue 14): the
// CLI's lint, the Action's review and the language server report the same server-* findings at the
// same places, through one function in core (workflow/serverConfig.ts).

const root = new URL('..', import.meta.url).pathname;
const INPUTS: ActionInputs = { mode: 'review', paths: ['.'], comment: false, reportDir: '', checkName: 'ClickPlan', docsUrl: '' };

/** The server-config fixture with a users file that breaks three server rules. */
function projectWithFindings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-server-front-ends-'));
  cpSync(join(root, 'fixtures/server-config'), dir, { recursive: true });
  const users = join(dir, 'clickhouse/users.xml');
  const text = readFileSync(users, 'utf8').replace(
    '<users>',
    `<users>
        <leaky>
            <password>s3cr3t-leaky-password</password>
            <networks><ip>::/0</ip></networks>
            <access_management>1</access_management>
        </leaky>`,
  );
  writeFileSync(users, text);
  return dir;
}

/** `code file:line` of server-* findings, files relative to the project. */
function findings(list: { code: string; file: string; line: number }[], dir: string): string[] {
  return list
    .filter((d) => d.code.startsWith('server-'))
    .map((d) => `${d.code} ${d.file.replace(`${dir}/`, '')}:${d.line}`)
    .sort();
}

describe('server config findings in every front end', () => {
  it('are the same from the CLI, the Action and the language server', () => {
    const dir = projectWithFindings();
    const cli = spawnSync(process.execPath, [join(root, 'packages/cli/bin/clickplan.js'), 'lint', '.', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CLICKHOUSE_URL: '' },
    });
    const fromCli = findings((JSON.parse(cli.stdout) as { diagnostics: { code: string; file: string; line: number }[] }).diagnostics, dir);
    expect(fromCli).toEqual([
      'server-access-management-open clickhouse/users.xml:18',
      'server-password-plaintext clickhouse/users.xml:16',
      'server-user-open-network clickhouse/users.xml:17',
    ]);

    const loaded = readProject(dir, INPUTS, {});
    const fromAction = findings(
      lintProject(loaded).diagnostics.map((d) => ({ code: d.code, file: d.file, line: loaded.positions.range(d.file, d.range).start.line })),
      dir,
    );
    expect(fromAction).toEqual(fromCli);

    const workspace = new Workspace(dir, {});
    const snapshot = workspace.snapshot();
    const texts = new Map(snapshot.configFiles.map((f) => [f.file, f.text]));
    const lineOf = (file: string, offset: number) => (texts.get(file) ?? '').slice(0, offset).split('\n').length;
    const fromEditor = findings(
      snapshot.projectDiagnostics.map((d) => ({ code: d.code, file: d.file, line: lineOf(d.file, d.range.start) })),
      dir,
    );
    expect(fromEditor).toEqual(fromCli);
  });
});
