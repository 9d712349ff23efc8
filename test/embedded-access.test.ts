import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkProject } from '../packages/core/src/deploy/check.js';
import { planAgainstTarget } from '../packages/core/src/deploy/planTarget.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { ACCESS_CATALOG_FILE } from '../packages/core/src/live/embedded.js';
import type { Target } from '../packages/core/src/live/types.js';
import { credentialUsers } from '../packages/core/src/project/credentials.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { clickplan } from './support/clickplan.js';
import { deploy, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Access control on the embedded engine (issue 14): chDB has no writable access storage, so the
// embedded target keeps users, roles and grants in an emulated catalog. The environment layout with
// tenants runs end to end on it, through the CLI as a user runs it, and grants that differ from the
// repository show up in plan and check.

const repositoryRoot = new URL('..', import.meta.url).pathname;
const embedded = embeddedEngine('embedded-access');
let engine: Target;

beforeAll(async () => {
  engine = await embedded.open();
});

function environmentCopy(): string {
  const dir = mkdtempSync(join(embedded.root, 'env-'));
  cpSync(join(repositoryRoot, 'fixtures/layouts/environment'), dir, { recursive: true });
  return dir;
}

const EMULATED = 'note: Users, roles, grants, quotas, settings profiles and row policies on the embedded engine are emulated';

describe('the environment layout on the embedded engine', () => {
  it('runs apply, check, generate-credentials and plans nothing again, with access control labelled as emulated', () => {
    const dir = environmentCopy();
    // Before anything exists: the plan creates users, roles and grants, and reads them without a gap.
    const first = clickplan(['plan', '.'], { cwd: dir, entry: 'bin' });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('GRANT role_tenant_acme TO user_tenant_acme');
    expect(first.stderr).not.toContain('live-gap');
    const applied = clickplan(['apply', '.'], { cwd: dir, entry: 'bin' });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Applied 25 statements of 9 migration files; planning again finds nothing to do.');
    expect(applied.stderr).not.toContain('live-gap');

    const checked = clickplan(['check', '.', '--format', 'json'], { cwd: dir, entry: 'bin' });
    expect(checked.code).toBe(0);
    const report = JSON.parse(checked.stdout) as { ok: boolean; answers: { question: string; ok: boolean; items: { status: string }[] }[] };
    expect(report.answers.map((a) => [a.question, a.ok, a.items.length, a.items.every((i) => i.status === 'ok')])).toEqual([
      ['migrations', true, 9, true],
      ['access', true, 21, true],
      ['objects', true, 9, true],
    ]);
    expect(checked.stderr).toContain(EMULATED);

    const credentials = clickplan(['generate-credentials', 'acme', '.', '--output', 'acme-secret.yaml'], { cwd: dir, entry: 'bin' });
    expect({ code: credentials.code, stdout: credentials.stdout }).toEqual({
      code: 0,
      stdout:
        'Set a new password for user_tenant_acme and wrote Secret superset-tenant-acme-clickhouse-credentials (keys database, username, password) to acme-secret.yaml.\n',
    });
    const manifest = parse(readFileSync(join(dir, 'acme-secret.yaml'), 'utf8'));
    const password = Buffer.from(manifest.data.password, 'base64').toString('utf8');
    expect(password).toHaveLength(43);
    // The catalog keeps the method, never the password or its hash.
    const catalog = readFileSync(join(dir, '.clickplan/embedded', ACCESS_CATALOG_FILE), 'utf8');
    expect(catalog).not.toContain(password);
    expect(catalog).toContain('"authentication": "sha256_password"');

    const again = clickplan(['plan', '.'], { cwd: dir, entry: 'bin' });
    expect(again.code).toBe(0);
    // A versioned layout plans its pending files; with none, no schema step and no drift either, or they would be listed.
    expect(again.stdout).toBe(`No pending migrations: every migration file is applied on embedded ClickHouse in ${join(dir, '.clickplan/embedded')}.\n`);
    expect(again.stderr).toContain(EMULATED);
    expect(again.stderr).not.toMatch(/live-gap|plan-unsupported/);
  }, 600_000); // four CLI runs, each starting chDB
});

describe('access control emulated in process', () => {
  async function plan(dir: string) {
    const project = loadProject(dir);
    const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
    const { plan } = await planAgainstTarget(analysis.schema, engine, { credentials: credentialUsers(project) });
    const checked = await checkProject(project, analysis, engine);
    return { plan, checked };
  }

  it("shows tenant roles' and users' grants that differ from the repository in plan and check, and the planned steps converge", {
    timeout: 300_000,
  }, async () => {
    const dir = environmentCopy();
    const report = await deploy(dir, engine);
    expect(report.failure).toBeUndefined();
    expect((await plan(dir)).plan.steps).toEqual([]);

    await engine.execute('GRANT INSERT ON shared.* TO role_tenant_acme');
    await engine.execute('REVOKE DROP ON tenant_globex.* FROM role_tenant_globex');
    // A tenant user's own grants too: one more, and its role taken away.
    await engine.execute('GRANT SELECT ON shared.* TO user_tenant_acme');
    await engine.execute('REVOKE role_tenant_globex FROM user_tenant_globex');
    const drifted = await plan(dir);
    expect(drifted.plan.steps.map((s) => `${s.action} ${s.objectKind} ${s.object}: ${s.sql} (${s.reason})`)).toEqual([
      'revoke role role_tenant_acme: REVOKE INSERT ON shared.* FROM role_tenant_acme (INSERT on shared.* is granted on the target but not in the repository)',
      'revoke user user_tenant_acme: REVOKE SELECT ON shared.* FROM user_tenant_acme (SELECT on shared.* is granted on the target but not in the repository)',
      'grant role role_tenant_globex: GRANT DROP ON tenant_globex.* TO role_tenant_globex (DROP on tenant_globex.* is not granted on the target)',
      'grant user user_tenant_globex: GRANT role_tenant_globex TO user_tenant_globex (role role_tenant_globex is not granted on the target)',
    ]);
    const access = drifted.checked.answers.find((a) => a.question === 'access');
    expect(access?.items.filter((i) => i.status !== 'ok').map((i) => `${i.status} ${i.subject}: ${i.detail}`)).toEqual([
      'missing grant DROP ON tenant_globex.* TO role_tenant_globex: not granted',
      'missing grant role_tenant_globex TO user_tenant_globex: not granted',
      'different grant INSERT ON shared.* TO role_tenant_acme: granted on the target but not in the repository',
      'different grant SELECT ON shared.* TO user_tenant_acme: granted on the target but not in the repository',
    ]);

    for (const step of drifted.plan.steps) await engine.execute(step.sql, { database: step.database });
    const converged = await plan(dir);
    expect(converged.plan.steps).toEqual([]);
    expect(converged.checked.ok).toBe(true);
  });

  it('ALTERs in place a tenant user that differs from the repository, keeping its grants, and converges', { timeout: 300_000 }, async () => {
    const dir = environmentCopy();
    expect((await deploy(dir, engine)).failure).toBeUndefined();
    await engine.execute('ALTER USER user_tenant_acme DEFAULT DATABASE shared DEFAULT ROLE NONE');
    const drifted = await plan(dir);
    expect(drifted.plan.steps.map((s) => `${s.action} ${s.objectKind} ${s.object}: ${s.sql} (${s.reason})`)).toEqual([
      'alter user user_tenant_acme: ALTER USER user_tenant_acme DEFAULT DATABASE tenant_acme DEFAULT ROLE role_tenant_acme (default database, default role differ)',
    ]);
    for (const step of drifted.plan.steps) await engine.execute(step.sql, { database: step.database });
    const converged = await plan(dir);
    expect(converged.plan.steps).toEqual([]);
    expect(converged.checked.ok).toBe(true);
  });

  it('reads row policies, quotas and settings profiles back, so a repository with them plans nothing after apply, and their drift shows', {
    timeout: 300_000,
  }, async () => {
    // Found on the lint-precision corpus (bi-access): every plan after apply created them again.
    const dir = writeRepo({
      'clickplan.yaml': 'layout: numbered\ndatabase: bi_rp\nregistry: reg_bi_rp\n',
      'migrations/001_tables.sql':
        'CREATE DATABASE IF NOT EXISTS bi_rp;\nCREATE TABLE bi_rp.events (tenant_id String, n UInt64) ENGINE = MergeTree ORDER BY tenant_id;\nCREATE TABLE bi_rp.kpis (tenant_id String, n UInt64) ENGINE = MergeTree ORDER BY tenant_id;\n',
      'migrations/002_access.sql': `CREATE USER IF NOT EXISTS rp_dashboards IDENTIFIED WITH sha256_password BY 'Dashboards-2024!';
CREATE ROW POLICY IF NOT EXISTS tenant_acme ON bi_rp.events, bi_rp.kpis FOR SELECT USING tenant_id = 'acme' TO rp_dashboards;
CREATE SETTINGS PROFILE IF NOT EXISTS rp_profile SETTINGS max_execution_time = 30, readonly = 1 TO rp_dashboards;
CREATE QUOTA IF NOT EXISTS rp_quota FOR INTERVAL 1 hour MAX queries = 10000 TO rp_dashboards;
`,
    });
    expect((await deploy(dir, engine)).failure).toBeUndefined();
    expect((await plan(dir)).plan.steps).toEqual([]);

    await engine.execute('DROP QUOTA rp_quota');
    await engine.execute('DROP ROW POLICY tenant_acme ON bi_rp.kpis');
    const drifted = await plan(dir);
    expect(drifted.plan.steps.map((s) => `${s.action} ${s.objectKind} ${s.object}`)).toEqual([
      'create row-policy tenant_acme ON bi_rp.kpis',
      'create quota rp_quota',
    ]);
    for (const step of drifted.plan.steps) await engine.execute(step.sql, { database: step.database });
    expect((await plan(dir)).plan.steps).toEqual([]);
  });

  it('revokes only the option of a grant held WITH GRANT/ADMIN OPTION, and grants back what a revoked ALL covered, in one plan', {
    timeout: 300_000,
  }, async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: numbered\ndatabase: opt_db\nregistry: reg_opt\n',
      'migrations/001_tables.sql': 'CREATE DATABASE IF NOT EXISTS opt_db;\nCREATE TABLE opt_db.events (n UInt64) ENGINE = MergeTree ORDER BY n;\n',
      'migrations/002_access.sql': `CREATE ROLE IF NOT EXISTS opt_reader;
GRANT SELECT ON opt_db.events TO opt_reader;
CREATE USER IF NOT EXISTS opt_user IDENTIFIED WITH sha256_password BY 'Opt-2024!';
GRANT opt_reader TO opt_user;
GRANT INSERT ON opt_db.events TO opt_user;
`,
    });
    expect((await deploy(dir, engine)).failure).toBeUndefined();
    expect((await plan(dir)).plan.steps).toEqual([]);

    await engine.execute('GRANT SELECT ON opt_db.events TO opt_reader WITH GRANT OPTION');
    await engine.execute('GRANT opt_reader TO opt_user WITH ADMIN OPTION');
    await engine.execute('GRANT ALL ON opt_db.events TO opt_user');
    const drifted = await plan(dir);
    expect(drifted.plan.steps.map((s) => s.sql)).toEqual([
      'REVOKE ALL ON opt_db.events FROM opt_user',
      'REVOKE GRANT OPTION FOR SELECT ON opt_db.events FROM opt_reader',
      'REVOKE ADMIN OPTION FOR opt_reader FROM opt_user',
      'GRANT INSERT ON opt_db.events TO opt_user',
    ]);
    for (const step of drifted.plan.steps) await engine.execute(step.sql, { database: step.database });
    expect((await plan(dir)).plan.steps).toEqual([]);
  });

  it("refuses what ClickHouse refuses, with ClickHouse's codes, and changes nothing then", async () => {
    await engine.execute('CREATE ROLE IF NOT EXISTS refusals_role');
    await engine.execute('CREATE USER IF NOT EXISTS refusals_user');
    const before = await engine.readSchema({ databases: [], roles: ['refusals_role'], users: [] });
    const refusals: [string, number, RegExp][] = [
      ['CREATE ROLE refusals_role', 493, /role `refusals_role`: cannot insert because role `refusals_role` already exists/],
      ['GRANT SELECT ON shared.* TO nobody_here', 511, /There is no role `nobody_here`/],
      ['GRANT missing_role TO refusals_role', 511, /There is no role `missing_role`/],
      ['ALTER USER missing_user DEFAULT DATABASE x', 192, /There is no user `missing_user`/],
      ['DROP QUOTA missing_quota', 492, /There is no quota `missing_quota`/],
      ['SET DEFAULT ROLE refusals_role TO refusals_user', 512, /Role `refusals_role` should be granted to set as default/],
      ['GRANT ON CLUSTER nowhere SELECT ON shared.* TO refusals_role', 701, /Requested cluster 'nowhere' not found/],
    ];
    for (const [sql, code, message] of refusals) {
      const error = await engine.execute(sql).then(
        () => undefined,
        (e: unknown) => e as { code?: number; message: string; help?: string },
      );
      expect(error?.code, sql).toBe(code);
      expect(error?.message, sql).toMatch(message);
      expect(error?.message, sql).toContain('access control emulated by ClickPlan');
    }
    // ClickHouse's own parser judges the statement first.
    await expect(engine.execute('GRANT SELEKT ON shared.* TO refusals_role')).rejects.toMatchObject({ code: 62 });
    expect(await engine.readSchema({ databases: [], roles: ['refusals_role'], users: [] })).toEqual({ ...before, readAt: expect.any(String) });
    // What the emulation does not run is said, not skipped.
    await expect(engine.execute("ALTER USER refusals_user ADD IDENTIFIED WITH plaintext_password BY 'x'")).rejects.toThrow(
      /emulated access control does not run/,
    );
    expect(existsSync(join(embedded.root, 'data', ACCESS_CATALOG_FILE))).toBe(true);
  });

  it('reads users, roles, policies, quotas and profiles back as SHOW CREATE prints them, and grants as SHOW GRANTS does', async () => {
    for (const sql of [
      'CREATE ROLE shown_reader',
      'CREATE ROLE shown_writer SETTINGS max_threads = 4',
      "CREATE USER shown_user IDENTIFIED BY 'secret-one' HOST IP '10.0.0.0/8', LOCAL DEFAULT DATABASE shared ROLE shown_reader, shown_writer",
      'SET DEFAULT ROLE shown_reader TO shown_user',
      'GRANT SELECT(b, a), INSERT ON shared.t TO shown_writer WITH GRANT OPTION',
      'GRANT SELECT ON *.* TO shown_reader',
      'GRANT shown_writer TO shown_reader WITH ADMIN OPTION',
      'ALTER USER shown_user HOST ANY',
    ])
      await engine.execute(sql, { database: 'default' });
    const live = await engine.readSchema({ databases: [], roles: ['shown_reader', 'shown_writer'], users: ['shown_user'] });
    expect(live.accessEntities.map((e) => e.createQuery)).toEqual([
      'CREATE ROLE shown_reader',
      'CREATE ROLE shown_writer SETTINGS max_threads = 4',
      'CREATE USER shown_user IDENTIFIED WITH sha256_password DEFAULT DATABASE shared DEFAULT ROLE shown_reader',
    ]);
    expect(live.grants).toEqual([
      'GRANT SELECT ON *.* TO shown_reader',
      'GRANT shown_writer TO shown_reader WITH ADMIN OPTION',
      'GRANT SELECT(a, b), INSERT ON shared.t TO shown_writer WITH GRANT OPTION',
      'GRANT shown_reader, shown_writer TO shown_user',
    ]);
    expect(JSON.stringify(live)).not.toContain('secret-one');
  });

  it('runs RENAME TO, GRANT CURRENT GRANTS and REVOKE ... FROM ALL EXCEPT as ClickHouse does, and refuses CURRENT_USER and a grantee named ALL', async () => {
    for (const sql of [
      'CREATE ROLE forms_role',
      'CREATE ROLE forms_other',
      'CREATE USER forms_user',
      'GRANT forms_role TO forms_user',
      'GRANT CURRENT GRANTS(SELECT ON shared.*) TO forms_role',
      'GRANT CURRENT GRANTS ON logs.* TO forms_other WITH GRANT OPTION',
      'GRANT INSERT ON shared.t TO forms_role, forms_other, forms_user',
      'ALTER ROLE forms_role RENAME TO forms_renamed',
      'ALTER USER forms_user RENAME TO `forms user`',
      'REVOKE INSERT ON shared.t FROM ALL EXCEPT forms_other',
    ])
      await engine.execute(sql, { database: 'default' });
    const live = await engine.readSchema({ databases: [], roles: ['forms_role', 'forms_renamed', 'forms_other'], users: ['forms_user', 'forms user'] });
    expect(live.accessEntities.map((e) => e.createQuery)).toEqual([
      'CREATE ROLE forms_other',
      'CREATE ROLE forms_renamed',
      'CREATE USER `forms user` IDENTIFIED WITH no_password',
    ]);
    expect(live.grants).toEqual([
      'GRANT ALL ON logs.* TO forms_other WITH GRANT OPTION',
      'GRANT INSERT ON shared.t TO forms_other',
      'GRANT SELECT ON shared.* TO forms_renamed',
      'GRANT forms_renamed TO `forms user`',
    ]);
    const refusals: [string, number, RegExp][] = [
      ['ALTER ROLE forms_renamed RENAME TO forms_other', 493, /role `forms_other`: cannot rename to `forms_other` because role `forms_other` already exists/],
      ['GRANT SELECT ON shared.* TO ALL', 511, /There is no role `ALL`/],
      ['GRANT SELECT ON shared.* TO CURRENT_USER', 495, /Cannot update user `default` in users_xml because this storage is readonly/],
    ];
    for (const [sql, code, message] of refusals) {
      const error = await engine.execute(sql).then(
        () => undefined,
        (e: unknown) => e as { code?: number; message: string },
      );
      expect([error?.code, error?.message], sql).toEqual([code, expect.stringMatching(message)]);
    }
  });

  it('keeps partial revokes as ClickHouse does: SHOW GRANTS prints them, plan and check compare them, and the plan converges', {
    timeout: 300_000,
  }, async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: declarative\npaths:\n  schema: schema\n',
      'schema/access.sql': [
        'CREATE DATABASE IF NOT EXISTS partial_db;',
        'CREATE TABLE partial_db.t (id UInt64, secret String) ENGINE = MergeTree ORDER BY id;',
        'CREATE ROLE partial_reader;',
        'GRANT SELECT ON partial_db.* TO partial_reader;',
        'REVOKE SELECT(secret) ON partial_db.t FROM partial_reader;',
        '',
      ].join('\n'),
    });
    expect((await deploy(dir, engine)).failure).toBeUndefined();
    const read = async () => (await engine.readSchema({ databases: [], roles: ['partial_reader'], users: [] })).grants;
    expect(await read()).toEqual(['GRANT SELECT ON partial_db.* TO partial_reader', 'REVOKE SELECT(secret) ON partial_db.t FROM partial_reader']);
    expect((await plan(dir)).plan.steps).toEqual([]);

    // Granting the column back and revoking another place: both partial revokes differ.
    await engine.execute('GRANT SELECT ON partial_db.t TO partial_reader');
    await engine.execute('REVOKE SELECT ON partial_db.other FROM partial_reader');
    expect(await read()).toEqual(['GRANT SELECT ON partial_db.* TO partial_reader', 'REVOKE SELECT ON partial_db.other FROM partial_reader']);
    const drifted = await plan(dir);
    expect(drifted.plan.steps.map((s) => `${s.action} ${s.object}: ${s.sql} (${s.reason})`)).toEqual([
      'revoke partial_reader: REVOKE SELECT(secret) ON partial_db.t FROM partial_reader (SELECT(secret) on partial_db.t is revoked in the repository but granted on the target)',
      'grant partial_reader: GRANT SELECT ON partial_db.other TO partial_reader (SELECT on partial_db.other is revoked on the target but not in the repository)',
    ]);
    const access = drifted.checked.answers.find((a) => a.question === 'access');
    expect(access?.items.filter((i) => i.status !== 'ok').map((i) => `${i.status} ${i.subject}: ${i.detail}`)).toEqual([
      'missing revoke SELECT(secret) ON partial_db.t FROM partial_reader: granted on the target',
      'different revoke SELECT ON partial_db.other FROM partial_reader: revoked on the target but not in the repository',
    ]);
    for (const step of drifted.plan.steps) await engine.execute(step.sql, { database: step.database });
    expect((await plan(dir)).plan.steps).toEqual([]);

    // What the rights tree cannot show as lines of the privileges written is refused, and changes nothing.
    await engine.execute('GRANT ALL ON partial_db.* TO partial_reader');
    await expect(engine.execute('REVOKE DROP TABLE ON partial_db.* FROM partial_reader')).rejects.toThrow(
      /emulated access control does not run this REVOKE: REVOKE DROP TABLE takes part of `ALL` granted on partial_db\.\*/,
    );
    expect(await read()).toEqual(['GRANT ALL ON partial_db.* TO partial_reader']);
  });

  it("after RENAME TO, other entities' clauses name the new name, as ClickHouse keeps them by id", async () => {
    for (const sql of [
      'CREATE ROLE ref_role',
      'CREATE USER ref_user DEFAULT ROLE ref_role',
      'CREATE ROW POLICY ref_policy ON shared.t USING 1 TO ref_role, ref_user',
      'CREATE SETTINGS PROFILE ref_profile SETTINGS max_threads = 2 TO ref_role',
      "CREATE ROLE ref_profiled SETTINGS PROFILE 'ref_profile', log_comment = 'ref_profile'",
      'ALTER ROLE ref_role RENAME TO ref_role2',
      'ALTER USER ref_user RENAME TO ref_user2',
      'ALTER SETTINGS PROFILE ref_profile RENAME TO ref_profile2',
    ])
      await engine.execute(sql, { database: 'default' });
    const live = await engine.readSchema({ databases: [], roles: ['ref_profiled', 'ref_role2'], users: ['ref_user2'] });
    expect(live.accessEntities.map((e) => e.createQuery)).toEqual([
      "CREATE ROLE ref_profiled SETTINGS PROFILE `ref_profile2`, log_comment = 'ref_profile'",
      'CREATE ROLE ref_role2',
      'CREATE USER ref_user2 IDENTIFIED WITH no_password DEFAULT ROLE ref_role2',
    ]);
    const catalog = JSON.parse(readFileSync(join(embedded.root, 'data', ACCESS_CATALOG_FILE), 'utf8')) as { entities: { name: string; definition: string }[] };
    const definition = (name: string) => catalog.entities.find((e) => e.name === name)?.definition;
    expect([definition('ref_policy ON shared.t'), definition('ref_profile2')]).toEqual([
      'CREATE ROW POLICY ref_policy ON shared.t USING 1 TO ref_role2, ref_user2',
      'CREATE SETTINGS PROFILE ref_profile2 SETTINGS max_threads = 2 TO ref_role2',
    ]);
  });

  it('runs ADD, MODIFY and DROP of SETTINGS and PROFILES as ClickHouse applies them (drops, then additions, then modifications)', async () => {
    await engine.execute('CREATE SETTINGS PROFILE set_base SETTINGS max_threads = 2', { database: 'default' });
    await engine.execute('CREATE SETTINGS PROFILE set_other', { database: 'default' });
    await engine.execute('CREATE ROLE set_role SETTINGS max_threads = 4 MIN 1 MAX 8, max_memory_usage = 1000 READONLY', { database: 'default' });
    const shown = async () => (await engine.readSchema({ databases: [], roles: ['set_role'], users: [] })).accessEntities.map((e) => e.createQuery)[0];
    const steps: [string, string][] = [
      // MODIFY keeps the constraints it does not name.
      // (ClickHouse's formatter spells READONLY as CONST.)
      ['ALTER ROLE set_role MODIFY SETTINGS max_threads = 6', 'CREATE ROLE set_role SETTINGS max_threads = 6 MIN 1 MAX 8, max_memory_usage = 1000 CONST'],
      // ADD replaces the value and the constraints.
      ['ALTER ROLE set_role ADD SETTINGS max_memory_usage = 2000', 'CREATE ROLE set_role SETTINGS max_threads = 6 MIN 1 MAX 8, max_memory_usage = 2000'],
      // Profiles come first.
      [
        "ALTER ROLE set_role ADD PROFILES 'set_base', 'set_other'",
        'CREATE ROLE set_role SETTINGS PROFILE `set_base`, PROFILE `set_other`, max_threads = 6 MIN 1 MAX 8, max_memory_usage = 2000',
      ],
      ["ALTER ROLE set_role DROP PROFILES 'set_base' DROP SETTINGS max_threads", 'CREATE ROLE set_role SETTINGS PROFILE `set_other`, max_memory_usage = 2000'],
      ['ALTER ROLE set_role DROP ALL SETTINGS', 'CREATE ROLE set_role SETTINGS PROFILE `set_other`'],
      ['ALTER ROLE set_role DROP ALL PROFILES', 'CREATE ROLE set_role'],
    ];
    const seen: [string, string | undefined][] = [];
    for (const [sql] of steps) {
      await engine.execute(sql, { database: 'default' });
      seen.push([sql, await shown()]);
    }
    expect(seen).toEqual(steps);

    // The repository's replay gives the same list: applied, it plans nothing.
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\npaths:\n  migrations: migrations\n',
      'migrations/V1__settings.sql': [
        'CREATE ROLE set_repo_role SETTINGS max_threads = 4 MIN 1, max_memory_usage = 1000;',
        'ALTER ROLE set_repo_role MODIFY SETTINGS max_threads = 8 DROP SETTINGS max_memory_usage;',
        "ALTER ROLE set_repo_role ADD SETTINGS log_comment = 'x';",
        '',
      ].join('\n'),
    });
    // Its own registry: a registry keys versioned migrations by version, and the environment layout's V1 is there.
    expect((await deploy(dir, engine, { registry: 'settings_registry' })).failure).toBeUndefined();
    expect((await engine.readSchema({ databases: [], roles: ['set_repo_role'], users: [] })).accessEntities.map((e) => e.createQuery)).toEqual([
      "CREATE ROLE set_repo_role SETTINGS max_threads = 8 MIN 1, log_comment = 'x'",
    ]);
    expect((await plan(dir)).plan.steps).toEqual([]);
  });
});
