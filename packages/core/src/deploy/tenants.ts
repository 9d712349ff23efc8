import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { redact } from '../live/failure.js';
import type { TargetError } from '../live/types.js';
import { identifier } from '../plan/nodes.js';
import type { TenantNamePatterns } from '../project/config.js';
import { kubernetesName, tenantNames } from '../project/tenants.js';

export { kubernetesName };

import type { CreateAccessEntityStatement, CreateDatabaseStatement, GrantStatement, Privilege, Statement } from '../syntax/ast.js';
import { printStatement, quoteIdentifier, quoteString } from '../syntax/printer.js';
import { type ExecutionContext, runStatement } from './execute.js';
import { type DeployFailure, deployFailure } from './failure.js';

// Tenants of the environment layout: their database, role and user with base grants
// (bootstrap-tenant), and the user's password with a Kubernetes Secret that carries it
// (generate-credentials). Names come from the `tenants:` patterns of clickplan.yaml.

const at = { start: 0, end: 0 };

/** The privileges a tenant's role gets on the tenant's database. */
export const TENANT_PRIVILEGES = ['SELECT', 'INSERT', 'ALTER', 'CREATE', 'DROP'] as const;

export interface TenantOptions {
  /** Run every statement ON CLUSTER. */
  cluster?: string;
}

/**
 * The statements that bootstrap a tenant, printed by the one SQL printer; each is idempotent.
 * The user is created with HOST NONE and a random password nobody knows, so it cannot log in until
 * generate-credentials sets a password and hosts; with no DEFAULT ROLE clause every role granted to
 * it is a default role.
 */
export function tenantBootstrapStatements(patterns: TenantNamePatterns, slug: string, options: TenantOptions = {}): string[] {
  const names = tenantNames(patterns, slug);
  const onCluster = options.cluster ? { onCluster: identifier(options.cluster) } : {};
  const database: CreateDatabaseStatement = {
    kind: 'CreateDatabase',
    verb: 'CREATE',
    orReplace: false,
    ifNotExists: true,
    name: identifier(names.database),
    ...onCluster,
    ...at,
  };
  const role: CreateAccessEntityStatement = {
    kind: 'CreateAccessEntity',
    verb: 'CREATE',
    orReplace: false,
    ifNotExists: true,
    entity: 'ROLE',
    names: [identifier(names.role)],
    clauses: [],
    ...onCluster,
    ...at,
  };
  const on = { kind: 'GrantTarget' as const, database: names.database, table: '*', ...at };
  const privileges: Privilege[] = TENANT_PRIVILEGES.map((name) => ({ kind: 'Privilege', name, on, ...at }));
  const grant: GrantStatement = { ...grantBase(), privileges, on, grantees: [identifier(names.role)], ...onCluster };
  const unusable = createHash('sha256').update(randomBytes(32)).digest('hex');
  const user: CreateAccessEntityStatement = {
    kind: 'CreateAccessEntity',
    verb: 'CREATE',
    orReplace: false,
    ifNotExists: true,
    entity: 'USER',
    names: [identifier(names.user)],
    identification: { kind: 'Identification', method: 'sha256_hash', secrets: [{ kind: 'Literal', type: 'string', value: unusable, ...at }], ...at },
    // The printer writes the IDENTIFIED clause from `identification`; HOST and DEFAULT DATABASE as their text.
    clauses: [
      { keyword: 'IDENTIFIED', text: '', ...at },
      { keyword: 'HOST', text: 'HOST NONE', ...at },
      { keyword: 'DEFAULT DATABASE', text: `DEFAULT DATABASE ${quoteIdentifier(names.database)}`, ...at },
    ],
    ...onCluster,
    ...at,
  };
  const grantRole: GrantStatement = {
    ...grantBase(),
    privileges: [{ kind: 'Privilege', name: names.role, ...at }],
    grantees: [identifier(names.user)],
    ...onCluster,
  };
  return ([database, role, grant, user, grantRole] as Statement[]).map(printStatement);
}

function grantBase(): Omit<GrantStatement, 'privileges' | 'grantees'> {
  return { kind: 'Grant', withGrantOption: false, withAdminOption: false, withReplaceOption: false, ...at };
}

export interface TenantBootstrapResult {
  names: TenantNamePatterns;
  /** Statements that ran, secrets masked. */
  ran: string[];
  failure?: DeployFailure;
}

/** Runs the bootstrap statements in order, with retries of transient failures; stops at the first failure. */
export async function bootstrapTenant(
  context: ExecutionContext,
  patterns: TenantNamePatterns,
  slug: string,
  options: TenantOptions = {},
): Promise<TenantBootstrapResult> {
  const names = tenantNames(patterns, slug);
  const ran: string[] = [];
  for (const [index, sql] of tenantBootstrapStatements(patterns, slug, options).entries()) {
    const shown = sql.replace(/BY '[^']*'/, "BY '***'");
    const outcome = await runStatement(context, sql, {});
    if (!outcome.ok) {
      const server = outcome.error.serverMessage ?? outcome.error.message;
      return {
        names,
        ran,
        failure: deployFailure({
          code: 'deploy-statement-failed',
          message: `Bootstrapping tenant ${slug}: statement ${index + 1} failed: ${outcome.error.code !== undefined ? `Code ${outcome.error.code}: ` : ''}${server}`,
          help: 'The server needs SQL-driven access control (ClickHouse 20.4 or later with a writable access storage) and a user with ACCESS MANAGEMENT; every statement is idempotent, so run bootstrap-tenant again after the fix.',
          statement: index + 1,
          sql: shown,
          ...(outcome.error.code !== undefined ? { serverCode: outcome.error.code } : {}),
          serverMessage: server,
          state: ran.length ? `Statements 1-${ran.length} ran.` : 'Nothing ran.',
        }),
      };
    }
    ran.push(shown);
  }
  return { names, ran };
}

/** A strong random password: 32 bytes from the system's CSPRNG, base64url (43 characters). */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** The name of a tenant's Secret: the configured pattern, made a valid Kubernetes name. */
export function tenantSecretName(patterns: TenantNamePatterns, slug: string): string {
  return kubernetesName(tenantNames(patterns, slug).secret);
}

/** `ALTER USER ... IDENTIFIED WITH sha256_hash BY '<hash>' HOST ...`: only the hash of the password reaches the server. */
export function setPasswordStatement(user: string, passwordHash: string, options: TenantOptions & { hosts?: string[] } = {}): string {
  // The printer has no ALTER USER; this fixed shape quotes every value with the printer's quoting.
  const cluster = options.cluster ? ` ON CLUSTER ${quoteIdentifier(options.cluster)}` : '';
  const host = options.hosts?.length ? `HOST ${options.hosts.map((h) => `IP ${quoteString(h)}`).join(', ')}` : 'HOST ANY';
  return `ALTER USER ${quoteIdentifier(user)}${cluster} IDENTIFIED WITH sha256_hash BY ${quoteString(passwordHash)} ${host}`;
}

/**
 * The user whose credentials a file already holds: undefined when there is no file, '' when it is
 * not a Secret manifest ClickPlan wrote. Rotating a tenant's password rewrites its own Secret only.
 */
function existingSecretOwner(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const manifest = parse(text) as { kind?: unknown; metadata?: { labels?: Record<string, unknown> }; data?: { username?: unknown } } | null;
    const username = manifest?.data?.username;
    if (manifest?.kind !== 'Secret' || manifest.metadata?.labels?.['app.kubernetes.io/managed-by'] !== 'clickplan' || typeof username !== 'string') return '';
    return Buffer.from(username, 'base64').toString('utf8');
  } catch {
    return '';
  }
}

/** The Secret manifest: `database`, `username` and `password`, base64 in `data` as Kubernetes stores them. */
export function secretManifest(name: string, values: { database: string; username: string; password: string }, namespace?: string): string {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'clickplan' } },
    type: 'Opaque',
    data: { database: encode(values.database), username: encode(values.username), password: encode(values.password) },
  });
}

export interface CredentialsResult {
  names: TenantNamePatterns;
  /** The Secret's name (DNS-1123) and the file it was written to. */
  secretName: string;
  file: string;
  failure?: DeployFailure;
}

/**
 * Sets the tenant user's password to a new random one and writes the Secret manifest to `file`
 * (mode 0600). The password exists only in that file: it is never returned, printed or put into an
 * error. The manifest is written to a temporary file first and moved into place only once the
 * server took the password, so a failure leaves neither a new password nor a file behind.
 */
export async function generateCredentials(
  context: ExecutionContext,
  patterns: TenantNamePatterns,
  slug: string,
  file: string,
  options: TenantOptions & { namespace?: string; hosts?: string[] } = {},
): Promise<CredentialsResult> {
  const names = tenantNames(patterns, slug);
  const secretName = tenantSecretName(patterns, slug);
  const password = generatePassword();
  const fail = (message: string, help: string, server?: TargetError): CredentialsResult => ({
    names,
    secretName,
    file,
    failure: deployFailure({
      code: 'tenant-credentials-failed',
      message: redact(message, [password]),
      help,
      ...(server?.code !== undefined ? { serverCode: server.code } : {}),
      state: `The password of ${names.user} is unchanged and ${file} was not written.`,
    }),
  });
  const owner = existingSecretOwner(file);
  if (owner !== undefined && owner !== names.user)
    return fail(
      `${file} already holds ${owner ? `the Secret of user ${owner}` : 'something that is not a Secret ClickPlan wrote'}, not of ${names.user}: writing ${slug}'s credentials there would lose ${owner ? 'that password' : 'it'}.`,
      owner
        ? `Two tenants share the Secret name ${secretName}: rename one in tenants.txt, or give --output a file of its own.`
        : 'Give --output a directory or another file name.',
    );
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, secretManifest(secretName, { database: names.database, username: names.user, password }, options.namespace), { mode: 0o600 });
  } catch (error) {
    return fail(`The Secret manifest could not be written to ${file}: ${(error as Error).message}.`, 'Check that the output directory is writable.');
  }
  const hash = createHash('sha256').update(password).digest('hex');
  const outcome = await runStatement(context, setPasswordStatement(names.user, hash, options), {});
  if (!outcome.ok) {
    rmSync(temporary, { force: true });
    const server = outcome.error.serverMessage ?? outcome.error.message;
    return fail(
      `The password of ${names.user} could not be set: ${outcome.error.code !== undefined ? `Code ${outcome.error.code}: ` : ''}${server}`,
      `Bootstrap the tenant first (clickplan bootstrap-tenant ${slug}) and connect as a user with ACCESS MANAGEMENT on a server with SQL-driven access control.`,
      outcome.error,
    );
  }
  renameSync(temporary, file);
  chmodSync(file, 0o600);
  return { names, secretName, file };
}
