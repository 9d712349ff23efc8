import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import { parseSql } from '../syntax/parser.js';
import { canonicalForm, hashObject } from './canonical.js';

// Differential test of the canonical type: every data type family chDB lists (aliases included, and
// case-insensitive ones in lower case too), with each argument list chDB accepts for it, is created
// in a table; the repository DDL must hash equal to the stored form (`INT(11)` is `Int32`,
// `DateTime(6)` is `DateTime64(6)`, `Decimal` is `Decimal(10, 0)`...).

const ARGUMENTS = [
  '',
  '(1)',
  '(3)',
  '(0)',
  "('UTC')",
  "(3, 'UTC')",
  "(0, 'UTC')",
  '(10, 2)',
  '(UInt8)',
  '(String, UInt8)',
  "('a' = 1, 'b' = 2)",
  "('a', 'b')",
  '(sum, UInt64)',
  '(String)',
  '(a UInt8, b String)',
  '(Float32, 8)',
];

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-data-types-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

function modelled(sql: string) {
  const parsed = parseSql(sql, { file: 'case.sql' });
  const schema = buildModel([{ file: 'case.sql', statements: parsed.statements }], { defaultDatabase: 'types' });
  return { diagnostics: [...parsed.diagnostics, ...schema.diagnostics], object: schema.objects.find((o) => o.kind === 'table') };
}

describe('data types as ClickHouse stores them', () => {
  it('every family with every argument list chDB accepts hashes equal to its stored form', () => {
    session.query('CREATE DATABASE types');
    const families = JSON.parse(session.query('SELECT name, case_insensitive FROM system.data_type_families ORDER BY name', 'JSON')).data as {
      name: string;
      case_insensitive: number;
    }[];
    const spellings = families.flatMap((f) => (f.case_insensitive && f.name.toLowerCase() !== f.name ? [f.name, f.name.toLowerCase()] : [f.name]));
    const disagreements: string[] = [];
    let cases = 0;
    const coveredFamilies = new Set<string>();
    for (const spelling of spellings) {
      for (const args of ARGUMENTS) {
        const table = `t_${cases}`;
        const sql = `CREATE TABLE types.${table} (x ${spelling}${args}) ENGINE = Memory`;
        try {
          session.query(sql);
        } catch {
          continue;
        }
        cases++;
        coveredFamilies.add(spelling.toLowerCase());
        const stored = session.query(`SELECT create_table_query FROM system.tables WHERE database = 'types' AND name = '${table}'`, 'TSVRaw').trim();
        const written = modelled(sql);
        const read = modelled(stored);
        if (written.diagnostics.length || read.diagnostics.length || !written.object || !read.object)
          disagreements.push(`${spelling}${args}: not modelled: ${[...written.diagnostics, ...read.diagnostics].map((d) => d.message).join('; ')}`);
        else if (hashObject(written.object) !== hashObject(read.object))
          disagreements.push(`${spelling}${args}: stored ${stored}; ours ${canonicalForm(written.object).replace(/\n/g, ' | ')}`);
      }
    }
    const uncovered = families.filter((f) => !coveredFamilies.has(f.name.toLowerCase())).map((f) => f.name);
    console.log(
      `data types: ${families.length} families, ${cases} typed columns (${spellings.length} spellings × accepted argument lists), ${cases - disagreements.length} agree; no accepted argument list: ${uncovered.join(', ')}`,
    );
    expect(disagreements).toEqual([]);
  }, 120_000);
});
