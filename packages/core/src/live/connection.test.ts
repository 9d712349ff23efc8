import { describe, expect, it } from 'vitest';
import { resolveConnection } from './connection.js';
import { openTarget } from './target.js';
import { TargetError } from './types.js';

describe('resolveConnection', () => {
  it('takes flags over the environment over the config file, field by field', () => {
    expect(
      resolveConnection({
        flags: { url: 'https://flag.example:8443' },
        env: { CLICKHOUSE_URL: 'http://env.example:8123', CLICKHOUSE_USER: 'env-user', CLICKHOUSE_PASSWORD: 'env-pw', CLICKHOUSE_DATABASE: '' },
        config: { user: 'config-user', database: 'analytics' },
      }),
    ).toEqual({ url: 'https://flag.example:8443', user: 'env-user', password: 'env-pw', database: 'analytics' });
  });

  it('reads the CLICKHOUSE_* variables', () => {
    expect(
      resolveConnection({ env: { CLICKHOUSE_URL: 'http://h:8123', CLICKHOUSE_USER: 'u', CLICKHOUSE_PASSWORD: 'p', CLICKHOUSE_DATABASE: 'd', HOME: '/root' } }),
    ).toEqual({ url: 'http://h:8123', user: 'u', password: 'p', database: 'd' });
    expect(resolveConnection({})).toEqual({});
  });

  it('moves credentials out of a URL, decoded; an explicit value of the same source wins', () => {
    expect(resolveConnection({ env: { CLICKHOUSE_URL: 'https://deployer:p%40ss%3Aw0rd@ch.example:8443/' } })).toEqual({
      url: 'https://ch.example:8443',
      user: 'deployer',
      password: 'p@ss:w0rd',
    });
    expect(resolveConnection({ flags: { url: 'https://a:b@ch.example:8443', password: 'explicit' } })).toEqual({
      url: 'https://ch.example:8443',
      user: 'a',
      password: 'explicit',
    });
    // Flags win over a URL's credentials from the environment.
    expect(resolveConnection({ flags: { user: 'flag-user' }, env: { CLICKHOUSE_URL: 'http://env-user:env-pw@h:8123' } })).toEqual({
      url: 'http://h:8123',
      user: 'flag-user',
      password: 'env-pw',
    });
  });

  it('refuses a URL it cannot parse without repeating it', () => {
    const error = (() => {
      try {
        resolveConnection({ env: { CLICKHOUSE_URL: 'http://u:hunter2@[bad' } });
      } catch (e) {
        return e as TargetError;
      }
    })();
    expect(error).toBeInstanceOf(TargetError);
    expect(error?.errorCode).toBe('target-invalid');
    expect(`${error?.message} ${error?.help}`).not.toContain('hunter2');
  });
});

describe('openTarget', () => {
  it('refuses what is neither a URL, a snapshot nor embedded, without repeating it', async () => {
    for (const [spec, message] of [
      ['clickhouse.example:8123', 'The target cannot be used: it is neither a URL, a .json snapshot nor embedded[:dir].'],
      ['tcp://u:hunter2@h:9000', 'The target cannot be used: only http:// and https:// servers are supported.'],
      ['embedded:', 'The target cannot be used: `embedded:` names no directory.'],
    ]) {
      const error = (await openTarget(spec, {}).catch((e: unknown) => e)) as TargetError;
      expect(error).toBeInstanceOf(TargetError);
      expect([error.errorCode, error.message, error.help]).toEqual([
        'target-invalid',
        message,
        'Give http(s)://host:port for a server, a path ending in .json for a snapshot, or embedded[:dir] for the embedded engine.',
      ]);
    }
  });

  it('opens a server from the connection URL, credentials out of the description', async () => {
    const target = await openTarget(undefined, { url: 'https://ch.example:8443', user: 'deployer', password: 'hunter2', database: 'app' });
    expect([target.kind, target.description, target.writable]).toEqual(['server', 'https://ch.example:8443 as deployer (database app)', true]);
    await target.close();
    const fromSpec = await openTarget('https://spec-user:hunter2@ch.example:8443/', { user: 'deployer' });
    expect(fromSpec.description).toBe('https://ch.example:8443 as spec-user');
    await fromSpec.close();
  });

  it('refuses a snapshot path that does not exist', async () => {
    const error = (await openTarget('missing-snapshot.json', {}).catch((e: unknown) => e)) as TargetError;
    expect([error.errorCode, error.message]).toEqual(['path-not-found', 'The snapshot file missing-snapshot.json does not exist.']);
  });
});
