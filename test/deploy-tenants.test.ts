import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../packages/cli/src/cli.js';
import { checkProject } from '../packages/core/src/deploy/check.js';
import type { ExecutionContext } from '../packages/core/src/deploy/execute.js';
import { bootstrapTenant, generateCredentials, tenantBootstrapStatements } from '../packages/core/src/deploy/tenants.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import type { Target } from '../packages/core/src/live/types.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { AccessEmulatingTarget } from './support/accessEmulation.js';
import { deploy } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Tenants end to end on the environment fixture (fixtures/layouts/environment), on the embedded
// engine. Tables, views and the registry are real chDB; users, roles and grants go through
// AccessEmulatingTarget (see its comment: no engine here stores SQL-created users), which has chDB's
// own parser accept every access statement first.

const repositoryRoot = new URL('..', import.meta.url).pathname;
const embedded = embeddedEngine('deploy-tenants');
const root = embedded.root;
let engine: Target;

beforeAll(async () => {
  engine = await embedded.open();
});

function environmentRepo(registry: string): string {
  const dir = mkdtempSync(join(root, 'repo-'));
  cpSync(join(repositoryRoot, 'fixtures/layouts/environment'), dir, { recursive: true });
  writeFileSync(join(dir, 'clickplan.yaml'), `${readFileSync(join(dir, 'clickplan.yaml'), 'utf8')}registry: ${registry}\n`);
  return dir;
}

function execution(target: Target): ExecutionContext {
  return { target, retry: { initialDelayMs: 1 }, ddlPollMs: 1000, ddlPollIntervalMs: 50, onEvent: () => {}, stats: { retries: 0, notes: [] } };
}

async function check(dir: string, target: Target, tenant?: string) {
  const project = loadProject(dir, tenant ? { tenant } : {});
  return checkProject(project, analyzeFiles(project.files, { defaultDatabase: project.config.database }), target);
}

describe('tenants of the environment layout', () => {
  it("deploys global migrations, then each active tenant's bootstrap and schema; inactive tenants never run; check says yes", async () => {
    const target = new AccessEmulatingTarget(engine);
    const dir = environmentRepo('reg_env');
    const report = await deploy(dir, target);
    expect(report.failure).toBeUndefined();
    expect(report.migrations.map((m) => `${m.migration} ${m.status} ${m.ran}/${m.statements}`)).toEqual([
      '/global/V1 applied 1/1',
      '/global/V2 applied 1/1',
      'acme/bootstrap/V1 applied 7/7',
      'acme/schema/V1 applied 1/1',
      'acme/schema/V2 applied 3/3',
      'globex/bootstrap/V1 applied 7/7',
      'globex/schema/V1 applied 1/1',
      'globex/schema/V2 applied 3/3',
      'globex/schema/V3 applied 1/1',
    ]);
    expect(report.verification).toEqual({ remaining: [] });
    // Unqualified names of tenant files resolved to the tenant's database.
    expect(await engine.query("SELECT database, name FROM system.tables WHERE database LIKE 'tenant_%' ORDER BY database, name")).toEqual(
      ['tenant_acme', 'tenant_globex'].flatMap((database) =>
        ['events', 'events_by_region', 'events_daily', 'events_daily_mv'].map((name) => ({ database, name })),
      ),
    );
    expect(await engine.query("SELECT name FROM system.databases WHERE name = 'tenant_initech'")).toEqual([]);
    expect([...target.users.keys()].sort()).toEqual(['user_tenant_acme', 'user_tenant_globex']);
    expect(target.grants.get('role_tenant_acme')).toEqual([
      'GRANT SELECT, INSERT, ALTER, CREATE, DROP ON tenant_acme.* TO role_tenant_acme',
      'GRANT SELECT ON shared.* TO role_tenant_acme',
    ]);

    const checked = await check(dir, target);
    expect(checked.answers.map((a) => [a.question, a.ok])).toEqual([
      ['migrations', true],
      ['access', true],
      ['objects', true],
    ]);
    expect(checked.answers[1]?.items.map((i) => i.subject)).toEqual([
      'database shared',
      'database tenant_acme',
      'database tenant_globex',
      'role role_tenant_acme',
      'role role_tenant_globex',
      'user user_tenant_acme',
      'user user_tenant_globex',
      'grant SELECT ON tenant_acme.* TO role_tenant_acme',
      'grant INSERT ON tenant_acme.* TO role_tenant_acme',
      'grant ALTER ON tenant_acme.* TO role_tenant_acme',
      'grant CREATE ON tenant_acme.* TO role_tenant_acme',
      'grant DROP ON tenant_acme.* TO role_tenant_acme',
      'grant SELECT ON shared.* TO role_tenant_acme',
      'grant role_tenant_acme TO user_tenant_acme',
      'grant SELECT ON tenant_globex.* TO role_tenant_globex',
      'grant INSERT ON tenant_globex.* TO role_tenant_globex',
      'grant ALTER ON tenant_globex.* TO role_tenant_globex',
      'grant CREATE ON tenant_globex.* TO role_tenant_globex',
      'grant DROP ON tenant_globex.* TO role_tenant_globex',
      'grant SELECT ON shared.* TO role_tenant_globex',
      'grant role_tenant_globex TO user_tenant_globex',
    ]);

    // A grant revoked by hand is a "no", with the grant named.
    target.grants.set(
      'role_tenant_globex',
      (target.grants.get('role_tenant_globex') ?? []).filter((g) => !g.startsWith('GRANT SELECT, INSERT')),
    );
    const revoked = await check(dir, target);
    expect(revoked.ok).toBe(false);
    expect(revoked.answers[1]?.items.filter((i) => i.status !== 'ok').map((i) => `${i.status} ${i.subject}`)).toEqual([
      'missing grant SELECT ON tenant_globex.* TO role_tenant_globex',
      'missing grant INSERT ON tenant_globex.* TO role_tenant_globex',
      'missing grant ALTER ON tenant_globex.* TO role_tenant_globex',
      'missing grant CREATE ON tenant_globex.* TO role_tenant_globex',
      'missing grant DROP ON tenant_globex.* TO role_tenant_globex',
    ]);
  });

  it('--tenant runs the global migrations and that tenant only', async () => {
    const target = new AccessEmulatingTarget(engine);
    const dir = environmentRepo('reg_env_one');
    for (const database of ['shared', 'tenant_acme']) await engine.execute(`DROP DATABASE IF EXISTS ${database}`);
    await engine.execute('DROP DATABASE IF EXISTS tenant_globex');
    const report = await deploy(dir, target, {}, { tenant: 'globex' });
    expect(report.failure).toBeUndefined();
    expect(report.migrations.map((m) => m.migration)).toEqual([
      '/global/V1',
      '/global/V2',
      'globex/bootstrap/V1',
      'globex/schema/V1',
      'globex/schema/V2',
      'globex/schema/V3',
    ]);
    expect(await engine.query("SELECT name FROM system.databases WHERE name LIKE 'tenant_%' ORDER BY name")).toEqual([{ name: 'tenant_globex' }]);
    expect((await check(dir, target, 'globex')).ok).toBe(true);
  });

  it('bootstrap-tenant creates database, role, user and base grants that ClickHouse parses; generate-credentials writes the password only into the Secret', async () => {
    const target = new AccessEmulatingTarget(engine);
    const patterns = loadProject(environmentRepo('reg_env_boot')).config.tenants;
    const boot = await bootstrapTenant(execution(target), patterns, 'umbrella');
    expect(boot.failure).toBeUndefined();
    expect(boot.ran.map((s) => s.replace(/BY '\*\*\*'/, 'BY ***'))).toEqual([
      'CREATE DATABASE IF NOT EXISTS tenant_umbrella',
      'CREATE ROLE IF NOT EXISTS role_tenant_umbrella',
      'GRANT SELECT, INSERT, ALTER, CREATE, DROP ON tenant_umbrella.* TO role_tenant_umbrella',
      'CREATE USER IF NOT EXISTS user_tenant_umbrella IDENTIFIED WITH sha256_hash BY *** HOST NONE DEFAULT DATABASE tenant_umbrella',
      'GRANT role_tenant_umbrella TO user_tenant_umbrella',
    ]);
    expect(await engine.query("SELECT name FROM system.databases WHERE name = 'tenant_umbrella'")).toEqual([{ name: 'tenant_umbrella' }]);
    // Idempotent: a second run changes nothing and fails on nothing.
    expect((await bootstrapTenant(execution(target), patterns, 'umbrella')).failure).toBeUndefined();
    expect(target.grants.get('role_tenant_umbrella')).toHaveLength(1);

    const out = mkdtempSync(join(root, 'secrets-'));
    const context = execution(target);
    const events: unknown[] = [];
    context.onEvent = (e) => events.push(e);
    const first = await generateCredentials(context, patterns, 'umbrella', join(out, 'umbrella.yaml'), { namespace: 'bi' });
    expect(first.failure).toBeUndefined();
    expect(first.secretName).toBe('superset-tenant-umbrella-clickhouse-credentials');
    const manifest = parse(readFileSync(join(out, 'umbrella.yaml'), 'utf8'));
    const decoded = Object.fromEntries(Object.entries(manifest.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect({ ...decoded, password: decoded.password?.length }).toEqual({ database: 'tenant_umbrella', username: 'user_tenant_umbrella', password: 43 });
    expect(statSync(join(out, 'umbrella.yaml')).mode & 0o777).toBe(0o600);
    // The server got the SHA-256 of the password and nothing else; the password is nowhere but the file.
    const password = decoded.password as string;
    expect(target.users.get('user_tenant_umbrella')?.passwordHash).toBe(createHash('sha256').update(password).digest('hex'));
    expect(target.users.get('user_tenant_umbrella')?.hosts).toBe('ANY');
    expect(JSON.stringify([first, events, context.stats, target.received])).not.toContain(password);
    expect(readdirSync(out)).toEqual(['umbrella.yaml']);

    const rotated = await generateCredentials(execution(target), patterns, 'umbrella', join(out, 'umbrella.yaml'));
    expect(rotated.failure).toBeUndefined();
    const next = Buffer.from(parse(readFileSync(join(out, 'umbrella.yaml'), 'utf8')).data.password, 'base64').toString('utf8');
    expect(next).not.toBe(password);
    expect(target.users.get('user_tenant_umbrella')?.passwordHash).toBe(createHash('sha256').update(next).digest('hex'));
  });

  it("generate-credentials never overwrites another tenant's Secret file, and rotates its own (issue 18)", async () => {
    const target = new AccessEmulatingTarget(engine);
    const patterns = loadProject(environmentRepo('reg_env_clash')).config.tenants;
    for (const slug of ['acme', 'ACME']) expect((await bootstrapTenant(execution(target), patterns, slug)).failure).toBeUndefined();
    const out = mkdtempSync(join(root, 'clash-'));
    const file = join(out, 'superset-tenant-acme-clickhouse-credentials.yaml');
    expect((await generateCredentials(execution(target), patterns, 'acme', file)).failure).toBeUndefined();
    const before = readFileSync(file, 'utf8');
    const acmeHash = target.users.get('user_tenant_acme')?.passwordHash;
    const upper = await generateCredentials(execution(target), patterns, 'ACME', file);
    expect(upper.failure && [upper.failure.code, upper.failure.message, upper.failure.state]).toEqual([
      'tenant-credentials-failed',
      `${file} already holds the Secret of user user_tenant_acme, not of user_tenant_ACME: writing ACME's credentials there would lose that password.`,
      `The password of user_tenant_ACME is unchanged and ${file} was not written.`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(out)).toEqual(['superset-tenant-acme-clickhouse-credentials.yaml']);
    expect(target.users.get('user_tenant_acme')?.passwordHash).toBe(acmeHash);
    // A file that is not a Secret ClickPlan wrote is not overwritten either.
    const other = join(out, 'notes.yaml');
    writeFileSync(other, 'keep: me\n');
    expect((await generateCredentials(execution(target), patterns, 'ACME', other)).failure?.message).toContain(
      'something that is not a Secret ClickPlan wrote',
    );
    expect(readFileSync(other, 'utf8')).toBe('keep: me\n');
    // Its own Secret is rotated.
    expect((await generateCredentials(execution(target), patterns, 'acme', file)).failure).toBeUndefined();
    expect(readFileSync(file, 'utf8')).not.toBe(before);
  });

  it('tenants that would share a Secret stop every command at their line of tenants.txt (exit 2)', async () => {
    const dir = environmentRepo('reg_env_slugs');
    const tenants = join(dir, 'migrations/prod/tenants.txt');
    writeFileSync(tenants, `${readFileSync(tenants, 'utf8')}ACME\n`);
    let stderr = '';
    const code = await run(['generate-credentials', 'acme', dir, '--target', `embedded:${join(root, 'cli-engine')}`, '--output', join(root, 'never')], {
      stdout: () => undefined,
      stderr: (text) => void (stderr += text),
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toContain('migrations/prod/tenants.txt:6:1: error tenants-file-invalid: `ACME` and `acme` (line 2) give the same Kubernetes Secret name');
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it('every bootstrap statement passes ClickHouse 26.7 EXPLAIN AST, with and without ON CLUSTER', async () => {
    const patterns = loadProject(environmentRepo('reg_env_explain')).config.tenants;
    for (const options of [{}, { cluster: 'main' }])
      for (const sql of tenantBootstrapStatements(patterns, 'acme', options)) expect((await engine.query(`EXPLAIN AST ${sql}`)).length).toBeGreaterThan(0);
  });

  it('generate-credentials against an engine that cannot store users fails clearly: no file, and no password anywhere', () => {
    const dir = environmentRepo('reg_env_cli');
    const out = mkdtempSync(join(root, 'cli-secrets-'));
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repositoryRoot, 'packages/cli/src/main.ts'),
        'generate-credentials',
        'acme',
        dir,
        '--target',
        `embedded:${join(root, 'cli-engine')}`,
        '--output',
        out,
      ],
      { encoding: 'utf8', env: { ...process.env, CLICKHOUSE_URL: '', CLICKHOUSE_PASSWORD: '' } },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    // chDB refuses with 497 (its default user may not ALTER USER); a server with access control and no such user says 192.
    expect(result.stderr).toMatch(
      /\nclickplan generate-credentials: The password of user_tenant_acme could not be set: Code (192|497): .*user_tenant_acme.*\n {2}state: The password of user_tenant_acme is unchanged and .*superset-tenant-acme-clickhouse-credentials\.yaml was not written\.\n {2}help: Bootstrap the tenant first/,
    );
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'superset-tenant-acme-clickhouse-credentials.yaml'))).toBe(false);
  });
});
