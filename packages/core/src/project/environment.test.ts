import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { type LoadProjectOptions, loadProject } from './project.js';
import { fixture, renderDiagnostics, under, writeTree } from './projectTestSupport.js';
import { tenantNames } from './tenants.js';

const root = fixture('environment');

/** Migrations as `phase tenant version file`, files relative to the project. */
function migrations(path: string, options: LoadProjectOptions = {}) {
  return loadProject(path, options).migrations.map((m) => `${m.phase} ${m.tenant ?? '-'} ${m.version} ${under(path, m.file)}`);
}

function problems(path: string, options: LoadProjectOptions = {}) {
  const project = loadProject(path, options);
  return renderDiagnostics(path, project.diagnostics, [...project.files, ...project.configFiles]);
}

/** Objects the project's files leave behind, as `kind id`, with the configured default database. */
function objects(path: string, options: LoadProjectOptions = {}) {
  const project = loadProject(path, options);
  const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
  expect(analysis.diagnostics).toEqual([]);
  return analysis.schema.objects.map((o) => `${o.kind} ${o.id}`);
}

describe('environment layout', () => {
  it('runs global migrations, then each active tenant in tenants.txt order: bootstrap, then schema', () => {
    expect(migrations(root)).toEqual([
      'global - 1 migrations/prod/global/V1__shared_database.sql',
      'global - 2 migrations/prod/global/V2__countries.sql',
      'bootstrap acme 1 migrations/prod/tenants/acme/bootstrap/V1__database_and_access.sql',
      'schema acme 1 migrations/prod/tenants/acme/schema/V1__events.sql',
      'schema acme 2 migrations/prod/tenants/acme/schema/V2__daily_rollup.sql',
      'bootstrap globex 1 migrations/prod/tenants/globex/bootstrap/V1__database_and_access.sql',
      'schema globex 1 migrations/prod/tenants/globex/schema/V1__events.sql',
      'schema globex 2 migrations/prod/tenants/globex/schema/V2__daily_rollup.sql',
      'schema globex 3 migrations/prod/tenants/globex/schema/V3__add_plan.sql',
    ]);
  });

  it("replays each tenant's schema into its own database, and global files into the configured one", () => {
    expect(objects(root)).toEqual([
      'database shared',
      'table shared.countries',
      'database tenant_acme',
      'role role_tenant_acme',
      'user user_tenant_acme',
      'table tenant_acme.events',
      'table tenant_acme.events_daily',
      'materialized-view tenant_acme.events_daily_mv',
      'view tenant_acme.events_by_region',
      'database tenant_globex',
      'role role_tenant_globex',
      'user user_tenant_globex',
      'table tenant_globex.events',
      'table tenant_globex.events_daily',
      'materialized-view tenant_globex.events_daily_mv',
      'view tenant_globex.events_by_region',
    ]);
    const project = loadProject(root);
    expect(project.files.map((f) => f.defaultDatabase)).toEqual([
      undefined,
      undefined,
      'tenant_acme',
      'tenant_acme',
      'tenant_acme',
      'tenant_globex',
      'tenant_globex',
      'tenant_globex',
      'tenant_globex',
    ]);
  });

  it('says that a tenant directory not listed in tenants.txt is inactive', () => {
    expect(problems(root)).toEqual([
      'migrations/prod/tenants.txt:1:1 info tenant-inactive: Tenant `initech` has a directory but is not listed in tenants.txt, so its migrations do not run in prod.',
    ]);
  });

  it('reads the environment asked for over the configured one', () => {
    expect(migrations(root, { environment: 'staging' })).toEqual([
      'global - 1 migrations/staging/global/V1__shared_database.sql',
      'global - 2 migrations/staging/global/V2__countries.sql',
      'bootstrap acme 1 migrations/staging/tenants/acme/bootstrap/V1__database_and_access.sql',
      'schema acme 1 migrations/staging/tenants/acme/schema/V1__events.sql',
      'schema acme 2 migrations/staging/tenants/acme/schema/V2__daily_rollup.sql',
    ]);
    expect(problems(root, { environment: 'staging' })).toEqual([]);
  });

  it('reads one tenant after the global migrations', () => {
    expect(migrations(root, { tenant: 'globex' })).toEqual([
      'global - 1 migrations/prod/global/V1__shared_database.sql',
      'global - 2 migrations/prod/global/V2__countries.sql',
      'bootstrap globex 1 migrations/prod/tenants/globex/bootstrap/V1__database_and_access.sql',
      'schema globex 1 migrations/prod/tenants/globex/schema/V1__events.sql',
      'schema globex 2 migrations/prod/tenants/globex/schema/V2__daily_rollup.sql',
      'schema globex 3 migrations/prod/tenants/globex/schema/V3__add_plan.sql',
    ]);
    expect(problems(root, { tenant: 'initech' })).toEqual([
      'migrations/prod/tenants.txt:1:1 error tenant-missing: Tenant `initech` was asked for, but it is not an active tenant of prod (`acme`, `globex`).',
      'migrations/prod/tenants.txt:1:1 info tenant-inactive: Tenant `initech` has a directory but is not listed in tenants.txt, so its migrations do not run in prod.',
    ]);
  });

  it('names tenant databases after the configured pattern', () => {
    const repo = writeTree({
      'clickplan.yaml': 'tenants:\n  database: org_{slug}\n',
      'migrations/prod/tenants.txt': 'acme\n',
      'migrations/prod/tenants/acme/schema/V1__events.sql':
        'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;\nUSE shared;\nCREATE TABLE lookups (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    expect(objects(repo)).toEqual(['table org_acme.events', 'table shared.lookups']);
    expect(tenantNames(loadProject(repo).config.tenants, 'acme')).toEqual({
      database: 'org_acme',
      role: 'role_tenant_acme',
      user: 'user_tenant_acme',
      secret: 'superset-tenant-acme-clickhouse-credentials',
    });
  });

  it('reads tenants.txt line by line: comments, blank lines, bad slugs, duplicates, tenants without a directory', () => {
    const repo = writeTree({
      'migrations/prod/tenants.txt': '# production\n\nacme   # first customer\nglobex initech\nacme\numbrella\n',
      'migrations/prod/tenants/acme/schema/V1__events.sql': 'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    expect(problems(repo)).toEqual([
      'migrations/prod/tenants.txt:4:1 error tenants-file-invalid: `globex initech` is not a tenant slug: a slug is letters, digits, `_` and `-`, one a line, because it becomes part of database, user and Secret names.',
      'migrations/prod/tenants.txt:5:1 warning tenants-file-invalid: `acme` is listed twice; its migrations run once.',
      'migrations/prod/tenants.txt:6:1 error tenant-missing: Tenant `umbrella` is listed in tenants.txt but has no directory tenants/umbrella/ beside it: none of its migrations can run.',
    ]);
    expect(migrations(repo)).toEqual(['schema acme 1 migrations/prod/tenants/acme/schema/V1__events.sql']);
  });

  it('needs an environment when there are several, and an existing one', () => {
    const repo = writeTree({ 'migrations/prod/global/V1__a.sql': 'SELECT 1;', 'migrations/dev/global/V1__a.sql': 'SELECT 1;' });
    const shown = loadProject(repo).layout.directory;
    expect(problems(repo)).toEqual([
      `${under(repo, shown)}:1:1 error environment-unknown: ${shown} holds several environments (\`dev\`, \`prod\`), and none was chosen.`,
    ]);
    expect(problems(repo, { environment: 'production' })).toEqual([
      `${under(repo, shown)}:1:1 error environment-unknown: There is no environment \`production\` in ${shown}; there are \`dev\`, \`prod\`.`,
    ]);
    expect(migrations(repo, { environment: 'dev' })).toEqual(['global - 1 migrations/dev/global/V1__a.sql']);
  });

  it("reads an environment's own directory", () => {
    const path = `${root}/migrations/staging`;
    const project = loadProject(path);
    expect([project.layout.name, project.layout.reason]).toEqual(['environment', 'found global/ and tenants.txt']);
    expect(project.migrations.map((m) => under(path, m.file))).toEqual([
      'global/V1__shared_database.sql',
      'global/V2__countries.sql',
      'tenants/acme/bootstrap/V1__database_and_access.sql',
      'tenants/acme/schema/V1__events.sql',
      'tenants/acme/schema/V2__daily_rollup.sql',
    ]);
  });
});
