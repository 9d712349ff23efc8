import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../../bench/random.js';
import { analyzeFiles } from '../inspect/analyze.js';
import { compareSecrets, compareSecretsWithSchema, secretFingerprint } from './secretFingerprints.js';

// The secrets fingerprint: keyed (another key, another fingerprint), never the secret nor its plain
// hash, changed by a secret and by nothing else.

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

function objectOf(sql: string) {
  const [object] = analyzeFiles([{ file: 'x.sql', text: sql }], { defaultDatabase: 'app' }).schema.objects.filter((o) => o.kind !== 'database');
  if (!object) throw new Error(`no object in ${sql}`);
  return object;
}

const dictionary = (password: string, lifetime = 0) =>
  `CREATE DICTIONARY app.d (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(HOST 'h' USER 'u' PASSWORD '${password}' TABLE 't')) LAYOUT(FLAT()) LIFETIME(${lifetime});`;

describe('secretFingerprint', () => {
  it('changes with the secret and the key, not with the rest of the definition, and shows neither', () => {
    const random = new Random(18);
    for (let i = 0; i < 50; i++) {
      const password = `pw-${random.next().toString(36).slice(2)}`;
      const other = `${password}x`;
      const fingerprint = secretFingerprint(objectOf(dictionary(password)), KEY_A) as string;
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(secretFingerprint(objectOf(dictionary(password, 60)), KEY_A)).toBe(fingerprint);
      expect(secretFingerprint(objectOf(dictionary(other)), KEY_A)).not.toBe(fingerprint);
      expect(secretFingerprint(objectOf(dictionary(password)), KEY_B)).not.toBe(fingerprint);
      expect(fingerprint).not.toContain(password);
      expect(fingerprint).not.toBe(createHash('sha256').update(password).digest('hex'));
    }
  });

  it('has none for an object without secrets, and compares against the registry', () => {
    const table = objectOf('CREATE TABLE app.t (a Int32) ENGINE = MergeTree ORDER BY a;');
    expect(secretFingerprint(table, KEY_A)).toBeUndefined();
    const schema = analyzeFiles([{ file: 'x.sql', text: `${dictionary('new')}\nCREATE TABLE app.t (a Int32) ENGINE = MergeTree ORDER BY a;\n` }], {
      defaultDatabase: 'app',
    }).schema;
    const recorded = secretFingerprint(objectOf(dictionary('old')), KEY_A) as string;
    expect(compareSecrets(schema, { secretsKey: KEY_A, secrets: new Map([['app.d', recorded]]) })).toEqual({ changed: new Set(['app.d']), unrecorded: [] });
    expect(compareSecrets(schema, { secretsKey: KEY_A, secrets: new Map() })).toEqual({ changed: new Set(), unrecorded: ['app.d'] });
    expect(compareSecrets(schema, {})).toEqual({ changed: new Set(), unrecorded: ['app.d'] });
  });

  it('fingerprints a named collection per key, apart from a database of the same name, and compares with another checkout', () => {
    const collection = (password: string, host = 'h') => `CREATE NAMED COLLECTION nc AS host = '${host}', port = 5432, password = '${password}';`;
    const schemaOf = (text: string) => analyzeFiles([{ file: 'x.sql', text }], { defaultDatabase: 'app' }).schema;
    const [object] = schemaOf(collection('pw-1')).objects;
    const fingerprint = JSON.parse(secretFingerprint(object as never, KEY_A) as string) as Record<string, string>;
    expect(Object.keys(fingerprint)).toEqual(['host', 'password', 'port']);
    expect(JSON.stringify(fingerprint)).not.toContain('pw-1');
    const recorded = { secretsKey: KEY_A, secrets: new Map([['named collection nc', JSON.stringify(fingerprint)]]) };
    expect(compareSecrets(schemaOf(collection('pw-1')), recorded)).toEqual({ changed: new Set(), unrecorded: [] });
    expect(compareSecrets(schemaOf(collection('pw-2', 'h2')), recorded)).toEqual({
      changed: new Set(),
      changedEntries: new Map([['nc', ['host', 'password']]]),
      unrecorded: [],
    });
    // Recorded under the database's name, it is not the collection's.
    expect(compareSecrets(schemaOf(collection('pw-1')), { secretsKey: KEY_A, secrets: new Map([['nc', 'x']]) })).toEqual({
      changed: new Set(),
      unrecorded: ['nc'],
    });
    expect(compareSecretsWithSchema(schemaOf(`${collection('pw-2')}\n${dictionary('new')}`), schemaOf(`${collection('pw-1')}\n${dictionary('old')}`))).toEqual({
      changed: new Set(['app.d']),
      changedEntries: new Map([['nc', ['password']]]),
      unrecorded: [],
    });
  });
});
