import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplan as runClickplan } from './support/clickplan.js';

// Issue 14: a repository written for a sharded, replicated cluster (Replicated*MergeTree tables with
// {shard}/{replica} macros, ON CLUSTER '{cluster}' statements, Distributed tables over them) applies
// on the embedded engine started from its server configuration, says replication is emulated, and
// plans empty after; the server configuration rules still see the Replicated engines.

const root = new URL('..', import.meta.url).pathname;
const fixture = join(root, 'fixtures/replicated-cluster');

/** The CLI as npm installs it, run from `cwd`. */
function clickplan(cwd: string, args: string[]) {
  return runClickplan(args, { cwd, entry: 'bin' });
}

function fixtureCopy(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'clickplan-replicated-')), 'replicated-cluster');
  cpSync(fixture, copy, { recursive: true });
  return copy;
}

const NOTES = [
  'note: The embedded engine leaves out of the server configuration server settings that run a server, not a schema: `http_port`, `tcp_port`, `interserver_http_port`.',
  'note: The embedded engine leaves out of the server configuration the 4 remote hosts of the clusters: every replica is localhost, and the clusters are never queried.',
  'note: The embedded engine leaves out of the server configuration ZooKeeper: no keeper runs in process; replication is emulated.',
  'note: Replication on the embedded engine is emulated: a Replicated*MergeTree table runs as its plain counterpart (MergeTree, ReplacingMergeTree, ...) and reads back with the Replicated engine it was created with (recorded in clickplan_replication.json of the data directory), and an ON CLUSTER statement runs once, locally, when the configuration defines the cluster. Nothing is replicated and no keeper runs.',
];

const notesOf = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('note: '));

describe('a replicated, sharded repository on the embedded engine', () => {
  it('versioned: applies every ON CLUSTER migration, then plans nothing and a second apply runs 0 statements', () => {
    const project = join(fixtureCopy(), 'versioned');
    const applied = clickplan(tmpdir(), ['apply', project]);
    expect(notesOf(applied.stderr)).toEqual(NOTES);
    expect(applied.stdout.split('\n').at(-2)).toBe('Applied 9 statements of 3 migration files; planning again finds nothing to do.');
    expect(applied.code).toBe(0);
    const planned = clickplan(tmpdir(), ['plan', project]);
    expect(planned.stdout).toBe(`No pending migrations: every migration file is applied on embedded ClickHouse in ${join(project, '.clickplan/embedded')}.\n`);
    expect(notesOf(planned.stderr)).toEqual(NOTES);
    expect(planned.code).toBe(0);
    const again = clickplan(tmpdir(), ['apply', project]);
    expect(again.stdout.split('\n').at(-2)).toBe('Applied 0 statements of 0 migration files (3 already applied); planning again finds nothing to do.');
    expect(again.code).toBe(0);
  }, 300_000);

  it('versioned: writes to and ALTERs the Replicated tables (read-only on a keeper chDB would run)', () => {
    const project = join(fixtureCopy(), 'versioned');
    writeFileSync(
      join(project, 'migrations/V4__seed.sql'),
      "INSERT INTO analytics.profiles (user_id, country, version) VALUES (1, 'FR', 1), (1, 'DE', 2);\n\nALTER TABLE analytics.profiles ON CLUSTER '{cluster}' UPDATE country = 'AT' WHERE country = 'DE' SETTINGS mutations_sync = 2;\n\nALTER TABLE analytics.profiles ON CLUSTER '{cluster}' MODIFY COMMENT 'last profile of each user';\n",
    );
    const applied = clickplan(tmpdir(), ['apply', project, '--format', 'json']);
    expect(applied.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('note: ') && !/^\[\d+\/12\] /.test(line))).toEqual([]);
    expect(JSON.parse(applied.stdout).statements_run).toBe(12);
    expect(applied.code).toBe(0);
    expect(clickplan(tmpdir(), ['plan', project]).stdout).toMatch(/^No pending migrations: /);
  }, 300_000);

  it('declarative: applies, plans empty, converges; a new column is ALTERed in place on the Replicated table', () => {
    const project = join(fixtureCopy(), 'declarative');
    const applied = clickplan(tmpdir(), ['apply', project]);
    expect(notesOf(applied.stderr)).toEqual(NOTES);
    expect(applied.stdout.split('\n').at(-2)).toBe('Applied 7 steps; planning again finds nothing to do.');
    expect(applied.code).toBe(0);
    const planned = clickplan(tmpdir(), ['plan', project]);
    expect(planned.stdout).toBe(`No changes: embedded ClickHouse in ${join(project, '.clickplan/embedded')} matches the repository.\n`);
    expect(clickplan(tmpdir(), ['apply', project]).stdout.split('\n').at(-2)).toBe(
      'Applied 0 steps (7 objects already converged); planning again finds nothing to do.',
    );
    const schema = join(project, 'schema/rollups.sql');
    writeFileSync(
      schema,
      readFileSync(schema, 'utf8').replace('    version UInt64\n', "    version UInt64,\n    plan LowCardinality(String) DEFAULT 'free'\n"),
    );
    const altered = clickplan(tmpdir(), ['apply', project]);
    expect(altered.stdout).toContain("ALTER TABLE analytics.profiles ADD COLUMN plan LowCardinality(String) DEFAULT 'free' AFTER version");
    expect(altered.stdout.split('\n').at(-2)).toBe('Applied 1 step (6 objects already converged); planning again finds nothing to do.');
    expect(altered.code).toBe(0);
  }, 300_000);

  it('with --cluster, every statement runs ON CLUSTER, locally, without the checks of the hosts', () => {
    const project = join(fixtureCopy(), 'declarative');
    const applied = clickplan(tmpdir(), ['apply', project, '--cluster', 'events']);
    expect(applied.stdout).toContain('CREATE TABLE IF NOT EXISTS analytics.profiles ON CLUSTER events');
    expect(applied.stdout.split('\n').at(-2)).toBe('Applied 7 steps; planning again finds nothing to do.');
    expect(applied.code).toBe(0);
    expect(clickplan(tmpdir(), ['plan', project, '--cluster', 'events']).stdout).toMatch(/^No changes: /);
  }, 300_000);

  it("refuses a cluster the configuration does not define with ClickHouse's code, naming the key that defines it", () => {
    const project = join(fixtureCopy(), 'versioned');
    const v1 = join(project, 'migrations/V1__events.sql');
    writeFileSync(
      v1,
      readFileSync(v1, 'utf8').replace(
        "CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER '{cluster}'",
        'CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER analytics',
      ),
    );
    const applied = clickplan(tmpdir(), ['apply', project]);
    expect(applied.stderr).toContain("/versioned/migrations/V1__events.sql failed: Code 701: Requested cluster 'analytics' not found\n");
    expect(applied.stderr).toContain(
      'help: Define the cluster (`remote_servers`) in the configuration the embedded engine starts from (`server.config` or `embedded.config` in clickplan.yaml), as the servers do.',
    );
    expect(applied.code).toBe(2);
  }, 300_000);

  it('the server configuration rules still see the Replicated engines the repository writes', () => {
    const copy = fixtureCopy();
    const config = join(copy, 'clickhouse/config.xml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('<internal_replication>true</internal_replication>', '<internal_replication>false</internal_replication>'),
    );
    const linted = clickplan(join(copy, 'declarative'), ['lint', '.', '--format', 'json']);
    expect(JSON.parse(linted.stdout).diagnostics.map((d: { code: string; file: string; line: number }) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      'schema/analytics.sql:17 server-internal-replication-off',
      'schema/rollups.sql:18 server-internal-replication-off',
    ]);
  }, 300_000);

  it('without server.config, the first apply that creates a Replicated table says replication is emulated and which key would help', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'clickplan-replicated-')), 'plain');
    mkdirSync(join(project, 'schema'), { recursive: true });
    writeFileSync(join(project, 'clickplan.yaml'), 'layout: declarative\npaths:\n  schema: schema\n');
    writeFileSync(join(project, 'schema/t.sql'), "CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/t', 'r1') ORDER BY a;\n");
    const note = `${NOTES[3]} The engine started without the servers' configuration: set \`server.config\` in clickplan.yaml (or --server-config) to their config.xml, so that it knows their clusters, macros (\`{shard}\`, \`{replica}\`) and default replica path (\`default_replica_path\`).`;
    const applied = clickplan(tmpdir(), ['apply', project]);
    // Nothing was emulated when the engine opened; the note comes with the result.
    expect(notesOf(applied.stderr)).toEqual([]);
    expect(applied.stdout.split('\n').slice(-3, -1)).toEqual([note, 'Applied 1 step; planning again finds nothing to do.']);
    expect(applied.code).toBe(0);
    const planned = clickplan(tmpdir(), ['plan', project]);
    expect(notesOf(planned.stderr)).toEqual([note]);
    expect(planned.stdout).toBe(`No changes: embedded ClickHouse in ${join(project, '.clickplan/embedded')} matches the repository.\n`);
  }, 300_000);

  it('refuses the Replicated database engine at its statement, saying what runs instead, and runs nothing of the file', () => {
    const project = join(fixtureCopy(), 'versioned');
    const file = join(project, 'migrations/V1__events.sql');
    const written = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      written.replace(
        "CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER '{cluster}';",
        "CREATE DATABASE IF NOT EXISTS analytics ENGINE = Replicated('/clickhouse/databases/analytics', '{shard}', '{replica}');",
      ),
    );
    const applied = clickplan(project, ['apply', '.']);
    expect(applied.code).toBe(2);
    expect(applied.stderr.split('\n').filter((line) => !line.startsWith('note: ') && !/^\[\d+\/\d+\] /.test(line))).toEqual([
      'clickplan apply: migrations/V1__events.sql:2: Statement 1 of migrations/V1__events.sql failed: The embedded engine does not run the Replicated database engine (ClickPlan emulates Replicated tables, not databases).',
      "  statement: CREATE DATABASE IF NOT EXISTS analytics ENGINE = Replicated('/clickhouse/databases/analytics', '{shard}', '{replica}')",
      '  state: No statement of migrations/V1__events.sql ran. Run the deploy again once the cause is fixed: it resumes at statement 1.',
      '  help: Try this migration against a server (--target http(s)://... or CLICKHOUSE_URL). On the embedded engine, a database with the default engine (Atomic) runs, and the Replicated*MergeTree tables in it are emulated.',
      '',
    ]);
  }, 300_000);

  it('runs access control ON CLUSTER once, locally, when the configuration defines the cluster, and plans nothing after', () => {
    const project = join(fixtureCopy(), 'versioned');
    writeFileSync(
      join(project, 'migrations/V4__access.sql'),
      "CREATE ROLE IF NOT EXISTS analysts ON CLUSTER '{cluster}';\n\nGRANT ON CLUSTER '{cluster}' SELECT ON analytics.* TO analysts WITH GRANT OPTION;\n\nCREATE USER IF NOT EXISTS analyst ON CLUSTER '{cluster}' DEFAULT ROLE analysts;\n",
    );
    const applied = clickplan(project, ['apply', '.']);
    expect(applied.stdout.split('\n').at(-2)).toBe('Applied 12 statements of 4 migration files; planning again finds nothing to do.');
    expect(applied.code).toBe(0);
    const planned = clickplan(project, ['plan', '.']);
    expect(planned.stdout).toBe(`No pending migrations: every migration file is applied on embedded ClickHouse in ${join(project, '.clickplan/embedded')}.\n`);
    expect(planned.stderr).not.toMatch(/live-gap|plan-unsupported/);
    expect(planned.code).toBe(0);
  }, 300_000);
});
