import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapTenant, type DeployFailure, generateCredentials, tenantSecretName } from '@clickplan/core';
import { Command } from 'commander';
import {
  type CliIo,
  CommandFailure,
  EXIT_FAILURE,
  loadAnalysis,
  openTargetOf,
  type ProjectOptions,
  projectOptions,
  type TargetOptions,
  targetOptions,
} from '../context.js';

// Tenants of the environment layout: bootstrap-tenant creates a tenant's database, role and user
// with base grants; generate-credentials sets the user's password to a new random one and writes
// it into a Kubernetes Secret manifest, and nowhere else.

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

interface TenantOptions extends ProjectOptions, TargetOptions {
  cluster?: string;
}

function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) throw new CommandFailure(`\`${slug}\` is not a tenant slug: letters, digits, \`_\` and \`-\`, starting with a letter or digit.`);
}

function execution(target: Parameters<typeof bootstrapTenant>[0]['target']) {
  return { target, retry: {}, ddlPollMs: 60_000, ddlPollIntervalMs: 500, onEvent: () => {}, stats: { retries: 0, notes: [] as string[] } };
}

function reportTenantFailure(failure: DeployFailure, io: CliIo, command: string): void {
  io.stderr(`clickplan ${command}: ${failure.message}\n  state: ${failure.state}\n  help: ${failure.help}\n`);
}

export function bootstrapTenantCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('bootstrap-tenant')
        .description(
          "create a tenant's database, role and user with base grants (SELECT, INSERT, ALTER, CREATE, DROP on its database); names from tenants: in the config",
        )
        .argument('<slug>', "the tenant's slug (its line in tenants.txt)")
        .argument('[path]', 'project directory', '.')
        .option('--cluster <name>', 'run every statement ON CLUSTER <name> (default: cluster in the config)'),
    ),
  ).action(async (slug: string, path: string, options: TenantOptions) => {
    checkSlug(slug);
    const loaded = loadAnalysis(path, options, io);
    const { project } = loaded;
    const { cluster } = loaded;
    const target = await openTargetOf(options, loaded, io);
    try {
      const result = await bootstrapTenant(execution(target), project.config.tenants, slug, cluster ? { cluster } : {});
      for (const sql of result.ran) io.stdout(`${sql}\n`);
      if (result.failure) {
        reportTenantFailure(result.failure, io, 'bootstrap-tenant');
        setExit(EXIT_FAILURE);
        return;
      }
      io.stdout(
        `Tenant ${slug}: database ${result.names.database}, role ${result.names.role}, user ${result.names.user} (no known password: run clickplan generate-credentials ${slug}).\n`,
      );
    } finally {
      await target.close();
    }
  });
}

export function generateCredentialsCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('generate-credentials')
        .description(
          "set or rotate a tenant user's password to a strong random one and write a Kubernetes Secret manifest (database, username, password); the password goes only into that file",
        )
        .argument('<slug>', "the tenant's slug")
        .argument('[path]', 'project directory', '.')
        .option('--output <path>', 'manifest file, or a directory for <secret name>.yaml (default: the current directory)')
        .option('--namespace <name>', 'metadata.namespace of the Secret')
        .option('--host-ip <ip...>', 'networks the user may connect from (default: any)')
        .option('--cluster <name>', 'run ALTER USER ON CLUSTER <name> (default: cluster in the config)'),
    ),
  ).action(async (slug: string, path: string, options: TenantOptions & { output?: string; namespace?: string; hostIp?: string[] }) => {
    checkSlug(slug);
    const loaded = loadAnalysis(path, options, io);
    const { project } = loaded;
    const { cluster } = loaded;
    const target = await openTargetOf(options, loaded, io);
    try {
      const output = options.output ?? '.';
      const isDirectory = (() => {
        try {
          return statSync(output).isDirectory();
        } catch {
          return output.endsWith('/');
        }
      })();
      const secretFile = (name: string) => (isDirectory ? join(output, `${name}.yaml`) : output);
      const file = secretFile(tenantSecretName(project.config.tenants, slug));
      const result = await generateCredentials(execution(target), project.config.tenants, slug, file, {
        ...(cluster ? { cluster } : {}),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        ...(options.hostIp ? { hosts: options.hostIp } : {}),
      });
      if (result.failure) {
        reportTenantFailure(result.failure, io, 'generate-credentials');
        setExit(EXIT_FAILURE);
        return;
      }
      io.stdout(`Set a new password for ${result.names.user} and wrote Secret ${result.secretName} (keys database, username, password) to ${result.file}.\n`);
    } finally {
      await target.close();
    }
  });
}
