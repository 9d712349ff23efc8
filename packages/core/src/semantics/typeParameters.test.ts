import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TYPE_PARAMETERS } from './typeParameters.js';

// Proves each entry of the hand-written DEFAULT_TYPE_PARAMETERS on chDB: written at its default the
// parameter is not stored; at another value it is.

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-type-parameters-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

function storedType(type: string, table: string): string {
  session.query(`CREATE TABLE ${table} (x ${type}) ENGINE = Memory`);
  return /\(`x` (.*)\) ENGINE/.exec(session.query(`SELECT create_table_query FROM system.tables WHERE name = '${table}'`, 'TSVRaw'))?.[1] ?? '';
}

describe('type parameters stored only when not at their default', () => {
  const entries = Object.entries(DEFAULT_TYPE_PARAMETERS).flatMap(([type, parameters]) =>
    Object.entries(parameters).map(([parameter, value]) => ({ type, parameter, value })),
  );
  entries.forEach(({ type, parameter, value }, i) => {
    it(`${type}(${parameter} = ${value})`, () => {
      expect(storedType(`${type}(${parameter} = ${value})`, `at_default_${i}`)).toBe(type);
      const other = String(Number(value) - 1);
      expect(storedType(`${type}(${parameter} = ${other})`, `other_${i}`)).toBe(`${type}(${parameter} = ${other})`);
    });
  });
});
