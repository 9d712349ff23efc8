import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Diagnostic } from '../../diagnostics.js';
import { displayPath, isDirectory, isFile, listSubdirectories, type SourceFile } from '../files.js';
import { parseTenantsFile, tenantNames } from '../tenants.js';
import { FLYWAY_NAMING } from './flyway.js';
import type { Layout, LayoutInput, LayoutListing, ListedMigration } from './layout.js';
import { listByName } from './naming.js';

// One directory per environment, each with shared migrations and one directory per tenant:
//
//   migrations/<env>/global/*.sql                       first, into the project's database
//   migrations/<env>/tenants.txt                        the active tenants, one slug a line
//   migrations/<env>/tenants/<slug>/bootstrap/*.sql     then per active tenant, in tenants.txt order:
//   migrations/<env>/tenants/<slug>/schema/*.sql        bootstrap, then schema, into the tenant's database
//
// Each directory is named and ordered as the flyway layout is. A tenant's directory that tenants.txt
// does not list is inactive: its migrations do not run in that environment.

const TENANTS_FILE = 'tenants.txt';

const environment: Layout = {
  name: 'environment',
  detect(dir, shown) {
    if (isEnvironmentDir(dir)) return `found ${describeEnvironment(dir, shown)}`;
    const env = listSubdirectories(dir).find((name) => isEnvironmentDir(join(dir, name)));
    return env && `found ${describeEnvironment(join(dir, env), `${shown}${env}/`)}`;
  },
  list(input) {
    const chosen = chooseEnvironment(input);
    if (!chosen.dir) return { migrations: [], diagnostics: chosen.diagnostics, sources: [] };
    return listEnvironment(chosen.dir, input);
  },
};

export default environment;

function isEnvironmentDir(dir: string): boolean {
  return isDirectory(join(dir, 'global')) || isFile(join(dir, TENANTS_FILE));
}

function describeEnvironment(dir: string, prefix: string): string {
  const parts = [isDirectory(join(dir, 'global')) && `${prefix}global/`, isFile(join(dir, TENANTS_FILE)) && `${prefix}${TENANTS_FILE}`];
  return parts.filter(Boolean).join(' and ');
}

/** The environment directory to read: the layout's directory itself, or the one named by the option or configuration. */
function chooseEnvironment({ dir, environment: wanted, config }: LayoutInput): { dir?: string; diagnostics: Diagnostic[] } {
  const where = displayPath(dir) || '.';
  const report = (message: string, help: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ code: 'environment-unknown', severity: 'error', file: config.file ?? where, range: { start: 0, end: 0 }, message, help }],
  });
  if (isEnvironmentDir(dir)) {
    if (wanted === undefined || wanted === basename(dir)) return { dir, diagnostics: [] };
    return report(
      `Environment \`${wanted}\` was asked for, but ${where} is the directory of environment \`${basename(dir)}\`.`,
      'Point ClickPlan at the directory that holds every environment, or ask for this one.',
    );
  }
  const environments = listSubdirectories(dir).filter((name) => isEnvironmentDir(join(dir, name)));
  if (wanted !== undefined) {
    if (environments.includes(wanted)) return { dir: join(dir, wanted), diagnostics: [] };
    return report(
      `There is no environment \`${wanted}\` in ${where}; there ${environments.length === 1 ? 'is' : 'are'} ${listNames(environments)}.`,
      'Name an existing environment (a directory with global/ or tenants.txt), or create it.',
    );
  }
  if (environments.length === 1) return { dir: join(dir, environments[0]), diagnostics: [] };
  return report(
    `${where} holds ${environments.length ? `several environments (${listNames(environments)})` : 'no environment'}, and none was chosen.`,
    environments.length
      ? 'Choose one with `environment:` in clickplan.yaml or the --environment option.'
      : 'Create <environment>/global/ or <environment>/tenants.txt under it.',
  );
}

function listEnvironment(envDir: string, input: LayoutInput): LayoutListing {
  const global = listByName(join(envDir, 'global'), FLYWAY_NAMING, { phase: 'global' }, input.unsaved);
  const migrations: ListedMigration[] = [...global.migrations];
  const diagnostics: Diagnostic[] = [...global.diagnostics];
  const sources: SourceFile[] = [];
  const tenantsPath = join(envDir, TENANTS_FILE);
  const tenantsFile = displayPath(tenantsPath);
  const tenantsDir = join(envDir, 'tenants');
  let listed: { slug: string; start: number; end: number }[] = [];
  if (isFile(tenantsPath)) {
    const text = readFileSync(tenantsPath, 'utf8');
    sources.push({ file: tenantsFile, text });
    const parsed = parseTenantsFile(text, tenantsFile, input.config.tenants);
    listed = parsed.value;
    diagnostics.push(...parsed.diagnostics);
  }
  const present = listSubdirectories(tenantsDir);
  for (const tenant of listed) {
    if (!present.includes(tenant.slug)) {
      diagnostics.push({
        code: 'tenant-missing',
        severity: 'error',
        file: tenantsFile,
        range: { start: tenant.start, end: tenant.end },
        message: `Tenant \`${tenant.slug}\` is listed in tenants.txt but has no directory tenants/${tenant.slug}/ beside it: none of its migrations can run.`,
        help: `Create tenants/${tenant.slug}/bootstrap/ and tenants/${tenant.slug}/schema/, or remove the line.`,
      });
      continue;
    }
    if (input.tenant !== undefined && input.tenant !== tenant.slug) continue;
    const database = tenantNames(input.config.tenants, tenant.slug).database;
    for (const phase of ['bootstrap', 'schema'] as const) {
      const listing = listByName(join(tenantsDir, tenant.slug, phase), FLYWAY_NAMING, { phase, tenant: tenant.slug, defaultDatabase: database }, input.unsaved);
      migrations.push(...listing.migrations);
      diagnostics.push(...listing.diagnostics);
    }
  }
  if (input.tenant !== undefined && !listed.some((t) => t.slug === input.tenant && present.includes(t.slug))) {
    diagnostics.push({
      code: 'tenant-missing',
      severity: 'error',
      file: tenantsFile,
      range: { start: 0, end: 0 },
      message: `Tenant \`${input.tenant}\` was asked for, but it is not an active tenant of ${basename(envDir)}${listed.length ? ` (${listNames(listed.map((t) => t.slug))})` : ''}.`,
      help: 'Add it to tenants.txt and create its directory, or name an active tenant.',
    });
  }
  for (const slug of present.filter((name) => !listed.some((t) => t.slug === name))) {
    diagnostics.push({
      code: 'tenant-inactive',
      severity: 'info',
      file: tenantsFile,
      range: { start: 0, end: 0 },
      message: `Tenant \`${slug}\` has a directory but is not listed in tenants.txt, so its migrations do not run in ${basename(envDir)}.`,
      help: `Add \`${slug}\` to tenants.txt to activate it, or delete its directory.`,
    });
  }
  return { migrations, diagnostics, sources };
}

function listNames(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
