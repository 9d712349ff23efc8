import type { ConfigValue, ServerConfig, User } from '../server/model.js';

// Facts about users of a server configuration that several server rules share.

/** Networks that admit every address: `::/0`, `0.0.0.0/0`, or a host pattern matching any name. */
export function openNetworks(user: User): ConfigValue[] {
  return user.networks.filter(
    (n) => (n.kind === 'ip' && ['::/0', '0.0.0.0/0', '::'].includes(n.value)) || (n.kind === 'host_regexp' && ['.*', '^.*$', '.+'].includes(n.value)),
  );
}

/** Whether a profile forbids writes: `readonly` 1 (nothing may change) or 2 (settings only). */
export function isReadonlyProfile(server: ServerConfig, name: string | undefined): boolean {
  const readonly = server.profiles.get(name ?? 'default')?.settings.get('readonly');
  return readonly !== undefined && readonly.placeholder === undefined && ['1', '2'].includes(readonly.value);
}

/**
 * Whether a user can change data or schema: not in a readonly profile, and, when its grants are
 * written out, granted more than reads.
 */
export function canWrite(server: ServerConfig, user: User): boolean {
  if (isReadonlyProfile(server, user.profile?.value)) return false;
  if (user.grants.length === 0) return true;
  return user.grants.some((g) => !/^\s*GRANT\s+(?:SELECT|SHOW\w*)(?:\s*,\s*(?:SELECT|SHOW\w*))*\s+ON\b/i.test(g.value));
}

/** Whether a value is written in the file (not empty, not a `from_env`/`from_zk`/`incl` placeholder). */
export function isWrittenInClear(value: ConfigValue | undefined): value is ConfigValue {
  return value !== undefined && value.placeholder === undefined && value.value !== '';
}
