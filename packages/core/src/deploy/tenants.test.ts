import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from '../project/config.js';
import { parseSql } from '../syntax/parser.js';
import { generatePassword, kubernetesName, secretManifest, setPasswordStatement, tenantBootstrapStatements, tenantSecretName } from './tenants.js';

const patterns = defaultConfig().tenants;
const hidden = (sql: string) => sql.replace(/BY '[0-9a-f]{64}'/, "BY '<random sha256>'");

describe('tenant statements', () => {
  it('bootstrap a tenant: database, role with base grants, a user that cannot log in yet, the role granted to it', () => {
    expect(tenantBootstrapStatements(patterns, 'acme').map(hidden)).toEqual([
      'CREATE DATABASE IF NOT EXISTS tenant_acme',
      'CREATE ROLE IF NOT EXISTS role_tenant_acme',
      'GRANT SELECT, INSERT, ALTER, CREATE, DROP ON tenant_acme.* TO role_tenant_acme',
      "CREATE USER IF NOT EXISTS user_tenant_acme IDENTIFIED WITH sha256_hash BY '<random sha256>' HOST NONE DEFAULT DATABASE tenant_acme",
      'GRANT role_tenant_acme TO user_tenant_acme',
    ]);
  });

  it('follow the configured name patterns, quote what needs quoting, and run ON CLUSTER when asked', () => {
    const custom = { database: 'org-{slug}', role: 'r_{slug}', user: 'u_{slug}', secret: 'ch-{slug}' };
    expect(tenantBootstrapStatements(custom, 'big_co', { cluster: 'main' }).map(hidden)).toEqual([
      'CREATE DATABASE IF NOT EXISTS `org-big_co` ON CLUSTER main',
      'CREATE ROLE IF NOT EXISTS r_big_co ON CLUSTER main',
      'GRANT ON CLUSTER main SELECT, INSERT, ALTER, CREATE, DROP ON `org-big_co`.* TO r_big_co',
      "CREATE USER IF NOT EXISTS u_big_co ON CLUSTER main IDENTIFIED WITH sha256_hash BY '<random sha256>' HOST NONE DEFAULT DATABASE `org-big_co`",
      'GRANT ON CLUSTER main r_big_co TO u_big_co',
    ]);
  });

  it('read back through the parser as the statements they are, without diagnostics', () => {
    const parsed = tenantBootstrapStatements(patterns, 'acme', { cluster: 'main' }).map((sql) => parseSql(sql));
    expect(parsed.flatMap((p) => p.diagnostics)).toEqual([]);
    expect(parsed.map((p) => p.statements.map((s) => s.kind))).toEqual([
      ['CreateDatabase'],
      ['CreateAccessEntity'],
      ['Grant'],
      ['CreateAccessEntity'],
      ['Grant'],
    ]);
    const user = parsed[3]?.statements[0];
    expect(user?.kind === 'CreateAccessEntity' && [user.entity, user.names[0]?.name, user.identification?.method, user.clauses.map((c) => c.keyword)]).toEqual([
      'USER',
      'user_tenant_acme',
      'sha256_hash',
      ['IDENTIFIED', 'HOST', 'DEFAULT DATABASE'],
    ]);
  });

  it('set a password by its SHA-256 only, with the hosts the user may connect from', () => {
    const hash = 'ab'.repeat(32);
    expect(setPasswordStatement('user_tenant_acme', hash)).toBe(`ALTER USER user_tenant_acme IDENTIFIED WITH sha256_hash BY '${hash}' HOST ANY`);
    expect(setPasswordStatement('u-1', hash, { cluster: 'main', hosts: ['10.0.0.0/8', "x'y"] })).toBe(
      `ALTER USER \`u-1\` ON CLUSTER main IDENTIFIED WITH sha256_hash BY '${hash}' HOST IP '10.0.0.0/8', IP 'x\\'y'`,
    );
    const [statement] = parseSql(setPasswordStatement('user_tenant_acme', hash)).statements;
    expect(statement?.kind === 'Other' && [statement.keyword, statement.identification?.method, statement.identification?.secrets.map((s) => s.value)]).toEqual(
      ['ALTER USER', 'sha256_hash', [hash]],
    );
  });
});

describe('credentials', () => {
  it('are 43 characters of base64url from 32 random bytes, different every time', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('go into a Secret manifest with database, username and password, base64 as Kubernetes stores them', () => {
    const manifest = parse(
      secretManifest('superset-tenant-acme-clickhouse-credentials', { database: 'tenant_acme', username: 'user_tenant_acme', password: 'p@ss' }, 'bi'),
    );
    expect(manifest).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'superset-tenant-acme-clickhouse-credentials', namespace: 'bi', labels: { 'app.kubernetes.io/managed-by': 'clickplan' } },
      type: 'Opaque',
      data: { database: 'dGVuYW50X2FjbWU=', username: 'dXNlcl90ZW5hbnRfYWNtZQ==', password: 'cEBzcw==' },
    });
  });

  it('name the Secret after the configured pattern, made a valid Kubernetes name', () => {
    expect(tenantSecretName(patterns, 'acme')).toBe('superset-tenant-acme-clickhouse-credentials');
    expect(tenantSecretName(patterns, 'Big_Co')).toBe('superset-tenant-big-co-clickhouse-credentials');
    expect(kubernetesName('__Odd__Name..')).toBe('odd-name');
  });
});
