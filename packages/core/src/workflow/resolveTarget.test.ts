import { describe, expect, it } from 'vitest';
import { isEmbeddedSpec, resolveTarget } from './resolveTarget.js';

// Every combination of the three sources, each present, absent or empty: the first one set wins.

const STATES = ['set', 'absent', 'empty'] as const;
type State = (typeof STATES)[number];

function sourceValue(state: State, value: string): string | undefined {
  return state === 'set' ? value : state === 'empty' ? '' : undefined;
}

const combinations = STATES.flatMap((given) => STATES.flatMap((env) => STATES.map((config) => ({ given, env, config }))));

describe('resolveTarget', () => {
  it.each(combinations)('given $given, environment $env, config $config', ({ given, env, config }) => {
    const resolved = resolveTarget({
      given: { target: sourceValue(given, 'given.json'), database: sourceValue(given, 'given_db') },
      env: { CLICKHOUSE_URL: sourceValue(env, 'http://env:8123'), CLICKHOUSE_DATABASE: sourceValue(env, 'env_db') },
      config: { target: sourceValue(config, 'config.json'), database: sourceValue(config, 'config_db') },
    });
    const winner = given === 'set' ? 'given' : env === 'set' ? 'environment' : config === 'set' ? 'config' : 'default';
    const spec = { given: 'given.json', environment: 'http://env:8123', config: 'config.json', default: undefined }[winner];
    const database = { given: 'given_db', environment: 'env_db', config: 'config_db', default: 'default' }[winner];
    expect({ spec: resolved.spec, source: resolved.source, database: resolved.database, databaseSource: resolved.databaseSource }).toEqual({
      spec,
      source: winner,
      database,
      databaseSource: winner,
    });
  });

  it('takes the credentials out of CLICKHOUSE_URL; given ones win over them', () => {
    const env = { CLICKHOUSE_URL: 'https://alice:s3cret@ch.example:8443', CLICKHOUSE_USER: 'bob' };
    expect(resolveTarget({ env })).toEqual({
      spec: 'https://ch.example:8443',
      source: 'environment',
      connection: { url: 'https://ch.example:8443', user: 'bob', password: 's3cret' },
      database: 'default',
      databaseSource: 'default',
    });
    expect(resolveTarget({ given: { user: 'carol', password: 'p' }, env }).connection).toEqual({
      url: 'https://ch.example:8443',
      user: 'carol',
      password: 'p',
    });
  });

  it('tells the embedded engine from other targets', () => {
    expect(['embedded', 'embedded:/tmp/x', undefined, ' ', 'http://h:8123', 'prod.json', 'embedded.json'].map(isEmbeddedSpec)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
