import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplan as runClickplan } from './support/clickplan.js';

// Issue 14: a repository whose tables use a storage policy, {cluster}/{shard}/{replica} macros and a
// cluster applies on the embedded engine started from the servers' configuration, and plans empty
// after; without it, the engine's refusal says which configuration key helps.

const root = new URL('..', import.meta.url).pathname;
const fixture = join(root, 'fixtures/server-config');

/** The CLI as npm installs it, run from `cwd`. */
function clickplanIn(cwd: string, args: string[]) {
  return runClickplan(args, { cwd, entry: 'bin' });
}

function fixtureCopy(): string {
  const project = join(mkdtempSync(join(tmpdir(), 'clickplan-server-config-')), 'project');
  cpSync(fixture, project, { recursive: true });
  return project;
}

const NOTES = [
  'note: The embedded engine leaves out of the server configuration server settings that run a server, not a schema: `http_port`, `tcp_port`, `interserver_http_port`, `listen_host`, `path`, `tmp_path`, `max_connections`.',
  'note: The embedded engine leaves out of the server configuration disk `cold` (s3): a local directory stands for it; its endpoint and credentials are not used.',
  'note: The embedded engine leaves out of the server configuration the secret of cluster `analytics`.',
  'note: The embedded engine leaves out of the server configuration the 4 remote hosts of the clusters: every replica is localhost, and the clusters are never queried.',
  'note: The embedded engine leaves out of the server configuration ZooKeeper: no keeper runs in process; replication is emulated.',
  'note: The embedded engine leaves out of the server configuration interserver_http_credentials.',
  "note: The embedded engine leaves out of the server configuration users `default`, `dashboards`: the embedded engine runs as its own default user with the server's default profile.",
  'note: Replication on the embedded engine is emulated: a Replicated*MergeTree table runs as its plain counterpart (MergeTree, ReplacingMergeTree, ...) and reads back with the Replicated engine it was created with (recorded in clickplan_replication.json of the data directory), and an ON CLUSTER statement runs once, locally, when the configuration defines the cluster. Nothing is replicated and no keeper runs.',
];

describe('the embedded engine started from server.config', () => {
  it('applies tables with a storage policy, macros, a cluster and a pool-bound merge setting, says what it left out, and plans empty after', () => {
    const project = fixtureCopy();
    const applied = clickplanIn(tmpdir(), ['apply', project, '--format', 'json']);
    expect(applied.stderr.split('\n').filter((line) => line.startsWith('note: '))).toEqual(NOTES);
    expect(applied.code).toBe(0);
    const again = clickplanIn(tmpdir(), ['plan', project]);
    expect(again.stdout).toBe(`No changes: embedded ClickHouse in ${join(project, '.clickplan/embedded')} matches the repository.\n`);
    expect(again.code).toBe(0);
    // The servers' compatibility setting (profile `default`) is the engine's.
    const generated = join(project, '.clickplan/embedded.config/users.xml');
    expect(existsSync(generated)).toBe(true);
  }, 300_000);

  it('with the cluster defined, ON CLUSTER runs once, locally, and plans empty after', () => {
    const project = fixtureCopy();
    const applied = clickplanIn(tmpdir(), ['apply', project, '--cluster', 'analytics']);
    expect(applied.stdout).toContain('CREATE TABLE IF NOT EXISTS analytics.events_local ON CLUSTER analytics');
    expect(applied.stdout.split('\n').at(-2)).toBe('Applied 4 steps; planning again finds nothing to do.');
    expect(applied.code).toBe(0);
  }, 300_000);

  it('without it, the refusal names the configuration key that helps', () => {
    const project = fixtureCopy();
    writeFileSync(join(project, 'clickplan.yaml'), 'layout: declarative\npaths:\n  schema: schema\n');
    const applied = clickplanIn(tmpdir(), ['apply', project]);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain("Code 139: No macro 'shard' in config");
    expect(applied.stderr).toContain(
      "help: The embedded engine starts without the servers' configuration: set `server.config` in clickplan.yaml (or --server-config) to the servers' config.xml, which defines the macro (`macros`), or `embedded.config` (--embedded-config) to a chDB configuration file.",
    );
  }, 300_000);

  it('without it, an unknown storage policy (code 478) names server.config and embedded.config', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'clickplan-server-config-')), 'project');
    mkdirSync(join(project, 'schema'), { recursive: true });
    writeFileSync(join(project, 'schema/t.sql'), "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS storage_policy = 'tiered';\n");
    const applied = clickplanIn(tmpdir(), ['apply', project]);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain('Code 478: Unknown storage policy `tiered`.');
    expect(applied.stderr).toContain(
      "help: The embedded engine starts without the servers' configuration: set `server.config` in clickplan.yaml (or --server-config) to the servers' config.xml, which defines the storage policy, or `embedded.config` (--embedded-config) to a chDB configuration file.",
    );
  }, 300_000);

  it('takes --server-config, and --embedded-config passes a chDB configuration as it is', () => {
    const first = fixtureCopy();
    writeFileSync(join(first, 'clickplan.yaml'), 'layout: declarative\npaths:\n  schema: schema\n');
    const applied = clickplanIn(tmpdir(), ['apply', first, '--server-config', join(first, 'clickhouse/config.xml')]);
    expect(applied.code).toBe(0);
    // The configuration generated for the first project, given as is to a second one.
    const second = fixtureCopy();
    writeFileSync(join(second, 'clickplan.yaml'), 'layout: declarative\npaths:\n  schema: schema\n');
    const raw = clickplanIn(tmpdir(), ['apply', second, '--embedded-config', join(first, '.clickplan/embedded.config/config.xml')]);
    expect(raw.stderr).toBe('');
    expect(raw.code).toBe(0);
    expect(existsSync(join(second, '.clickplan/embedded.config/config.xml'))).toBe(false);
    expect(clickplanIn(tmpdir(), ['plan', second, '--embedded-config', join(first, '.clickplan/embedded.config/config.xml')]).stdout).toMatch(/^No changes: /);
  }, 300_000);
});

describe('clickplan lint with server.config', () => {
  it('reports the server rules with file:line:column in the XML, next to the SQL findings', () => {
    const project = fixtureCopy();
    writeFileSync(
      join(project, 'clickhouse/users.d/ops.xml'),
      '<clickhouse>\n    <users>\n        <ops>\n            <password>ops-password</password>\n            <networks><ip>::/0</ip></networks>\n        </ops>\n    </users>\n</clickhouse>\n',
    );
    writeFileSync(join(project, 'schema/typo.sql'), "CREATE TABLE analytics.typo (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS storage_policy = 'tierd';\n");
    const linted = clickplanIn(project, ['lint', '.']);
    expect(linted.stdout.split('\n').filter((line) => /^\S+:\d+:\d+: /.test(line))).toEqual([
      'schema/typo.sql:1:95: error server-name-undefined: Storage policy `tierd` is not defined in the server configuration (it defines `default`, `tiered`): ClickHouse refuses the table with UNKNOWN_POLICY (code 478).',
      'clickhouse/users.d/ops.xml:4:23: warning server-password-plaintext: User `ops` has its password in clear: whoever reads this file (the repository, the servers, their backups) can log in as `ops`.',
      'clickhouse/users.d/ops.xml:5:27: error server-user-open-network: User `ops` can change data and schema, and `::/0` lets it log in from any address: its password alone guards every table it can write.',
    ]);
    expect(linted.code).toBe(1);
  });

  it('writes server rule findings to SARIF with their rule descriptors and positions in the XML', () => {
    const project = fixtureCopy();
    writeFileSync(join(project, 'clickhouse/users.d/ops.xml'), '<clickhouse><users><ops>\n  <password>ops-password</password>\n</ops></users></clickhouse>\n');
    const linted = clickplanIn(project, ['lint', '.', '--format', 'sarif']);
    const run = JSON.parse(linted.stdout).runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'server-password-plaintext');
    expect(rule).toMatchObject({
      helpUri: 'https://github.com/clickplan/clickplan/blob/main/docs/rules/server-password-plaintext.md',
      defaultConfiguration: { level: 'warning' },
    });
    expect(
      run.results.map(
        (r: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
        }) => [
          r.ruleId,
          r.locations[0]?.physicalLocation.artifactLocation.uri,
          r.locations[0]?.physicalLocation.region.startLine,
          r.locations[0]?.physicalLocation.region.startColumn,
        ],
      ),
    ).toEqual([['server-password-plaintext', 'clickhouse/users.d/ops.xml', 2, 13]]);
  });
});
