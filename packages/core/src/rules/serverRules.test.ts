import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticText, Positions } from '../render/positions.js';
import { readServerConfig } from '../server/index.js';
import { lintServerConfig } from './serverRule.js';
import { SERVER_RULES } from './serverRules.js';

function writeFiles(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-server-rules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Every finding as `file:line:column severity code: message`, the file relative to the configuration's directory. */
function lint(files: Record<string, string>, rules: Record<string, 'off' | 'error' | 'warning' | 'info'> = {}): string[] {
  const root = writeFiles(files);
  const read = readServerConfig(join(root, 'config.xml'));
  expect(read.diagnostics).toEqual([]);
  const value = read.value;
  if (!value) throw new Error('no model');
  const diagnostics = lintServerConfig(value, read.files, SERVER_RULES, { rules });
  const positions = new Positions(new Map(read.files.map((f) => [f.file, f.text])));
  return diagnostics.map((d) => diagnosticText(d, positions).slice(d.file.indexOf(root) + root.length + 1));
}

const CONFIG = `<clickhouse>
    <interserver_http_credentials>
        <user>interserver</user>
        <password>fetch-me</password>
    </interserver_http_credentials>
    <remote_servers>
        <main>
            <secret from_env="SECRET"/>
            <shard><replica><host>a</host></replica></shard>
        </main>
    </remote_servers>
</clickhouse>
`;

const USERS = `<clickhouse>
    <profiles>
        <default/>
        <readonly><max_threads>2</max_threads></readonly>
    </profiles>
    <users>
        <default>
            <password>hunter2</password>
            <networks><ip>::/0</ip></networks>
            <access_management>1</access_management>
        </default>
        <viewer>
            <password_sha256_hex>ab</password_sha256_hex>
            <networks><ip>::/0</ip></networks>
            <grants><query>GRANT SELECT ON app.*</query></grants>
        </viewer>
    </users>
</clickhouse>
`;

describe('server rules', () => {
  it('report each problem where it is written, after users.d/ merges', () => {
    const findings = lint({
      'config.xml': CONFIG,
      'users.xml': USERS,
      'users.d/loader.yaml': 'users:\n  loader:\n    password: load-it\n    networks:\n      ip: 0.0.0.0/0\n',
    });
    expect(findings.map((f) => f.replace(/^(\S+): (\w+ [\w-]+): .*$/s, '$1 $2'))).toEqual([
      'config.xml:4:19 warning server-interserver-credentials-plaintext',
      'users.xml:4:10 error server-readonly-profile-writable',
      'users.xml:8:23 warning server-password-plaintext',
      'users.xml:9:27 error server-user-open-network',
      'users.xml:10:32 error server-access-management-open',
      'users.d/loader.yaml:3:15 warning server-password-plaintext',
      'users.d/loader.yaml:5:11 error server-user-open-network',
    ]);
    expect(findings[2]).toBe(
      'users.xml:8:23: warning server-password-plaintext: User `default` has its password in clear: whoever reads this file (the repository, the servers, their backups) can log in as `default`.\n  help: Replace `<password>` with `<password_sha256_hex>` (`echo -n "$PASSWORD" | sha256sum`) or `<password_double_sha1_hex>`, or take it from the environment with `<password from_env="VAR"/>`.',
    );
  });

  it('are silenced by comments on the line before, or for the file, in XML and YAML; an unused one is reported; rules: turns one off', () => {
    const findings = lint(
      {
        'config.xml': CONFIG.replace(
          '        <password>fetch-me',
          '        <!-- clickplan-ignore server-interserver-credentials-plaintext: test cluster -->\n        <password>fetch-me',
        ),
        'users.xml': `<!-- clickplan-ignore-file server-user-open-network: behind a VPN -->\n<!-- clickplan-ignore-file server-password-plaintext: nothing to hide -->\n${USERS}`,
        'users.d/loader.yaml': '# clickplan-ignore server-password-plaintext: throwaway\nusers:\n  loader:\n    networks:\n      ip: 10.0.0.0/8\n',
      },
      { 'server-access-management-open': 'off' },
    );
    expect(findings.map((f) => f.replace(/^(\S+): (\w+ [\w-]+): .*$/s, '$1 $2'))).toEqual([
      'users.xml:6:10 error server-readonly-profile-writable',
      'users.d/loader.yaml:1:1 warning unused-suppression',
    ]);
  });
});
