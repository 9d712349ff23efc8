import { describe, expect, it } from 'vitest';
import { canonicalForm } from '../canon/canonical.js';
import { parseSql } from '../syntax/parser.js';
import { buildModel, type ParsedFile } from './replay.js';

// Issue 13, defect 3: the files of a declarative layout describe one state; the order they are read
// in must not change it. `CREATE TABLE x AS y` read before y used to get no columns.

const FILES: Record<string, string> = {
  'obs.sql': 'CREATE DATABASE obs;',
  'obs.logs.sql': 'USE obs;\nCREATE TABLE logs (ts DateTime, url String, path String MATERIALIZED normalize_path(url)) ENGINE = MergeTree ORDER BY ts;',
  'obs.logs_buffer.sql': 'CREATE TABLE obs.logs_buffer AS obs.logs ENGINE = Buffer(obs, logs, 1, 10, 100, 10000, 1000000, 10000000, 100000000);',
  'obs.logs_level.sql': 'ALTER TABLE obs.logs ADD COLUMN level UInt8 DEFAULT length(normalize_path(url));',
  'obs.logs_copy.sql': 'USE obs;\nCREATE TABLE logs_copy AS logs_buffer ENGINE = Memory;',
  'udf.sql': 'CREATE FUNCTION normalize_path AS (p) -> lower(p);',
};

const statements = Object.fromEntries(
  Object.entries(FILES).map(([file, text]) => {
    const result = parseSql(text, { file });
    return [file, result.statements];
  }),
);

function parsed(names: string[], options: { declarative: boolean }): ParsedFile[] {
  return names.map((file) => ({ file, statements: statements[file], declarative: options.declarative }));
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('declarative files, replayed in dependency order', () => {
  const names = Object.keys(FILES);
  const forms = (files: ParsedFile[]) => {
    const schema = buildModel(files);
    return { diagnostics: schema.diagnostics, forms: Object.fromEntries(schema.objects.map((o) => [o.id, canonicalForm(o)])) };
  };
  const expected = forms(
    parsed(['udf.sql', 'obs.sql', 'obs.logs.sql', 'obs.logs_level.sql', 'obs.logs_buffer.sql', 'obs.logs_copy.sql'], { declarative: false }),
  );

  it('give the state of a migration order where everything comes after what it needs', () => {
    for (const [file, text] of Object.entries(FILES)) expect(parseSql(text, { file }).diagnostics).toEqual([]);
    expect(expected.diagnostics).toEqual([]);
    expect(expected.forms['obs.logs_copy']).toBe(
      [
        'TABLE obs.logs_copy',
        'COLUMN ts DateTime',
        'COLUMN url String',
        'COLUMN path String MATERIALIZED lower(url)',
        'COLUMN level UInt8 DEFAULT length(lower(url))',
        'ENGINE Memory',
      ].join('\n'),
    );
  });

  it('give the same state in every order of the files (720 orders)', () => {
    const all = permutations(names);
    expect(all).toHaveLength(720);
    for (const order of all) expect(forms(parsed(order, { declarative: true })), order.join(' ')).toEqual(expected);
  });

  it('leave migrations in their order: a copy of a table created later is what ClickHouse would refuse', () => {
    const schema = buildModel(parsed(['obs.sql', 'obs.logs_buffer.sql', 'udf.sql', 'obs.logs.sql'], { declarative: false }));
    const buffer = schema.objects.find((o) => o.id === 'obs.logs_buffer');
    expect(buffer && canonicalForm(buffer)).toBe(
      'TABLE obs.logs_buffer\nAS obs.logs\nENGINE Buffer("obs", "logs", 1, 10, 100, 10000, 1000000, 10000000, 100000000)',
    );
  });
});
