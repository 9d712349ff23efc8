import { describe, expect, it } from 'vitest';
import { buildEditorModel } from './model.js';
import { definitionAt, referencesAt } from './navigation.js';

// Names resolve the way ClickHouse resolves them at each statement: USE, RENAME, dictionaries named
// in strings, columns of a renamed table.

const sql = `CREATE DATABASE IF NOT EXISTS a;
USE a;
CREATE TABLE IF NOT EXISTS src (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
CREATE DICTIONARY IF NOT EXISTS names_dict (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'src')) LAYOUT(HASHED()) LIFETIME(300);
CREATE VIEW IF NOT EXISTS v AS SELECT id, dictGet('a.names_dict', 'name', id) AS n FROM src;
RENAME TABLE src TO src2;
ALTER TABLE src2 DROP COLUMN name;
`;
const FILE = 'V1__names.sql';
const model = buildEditorModel([{ file: FILE, text: sql }], { defaultDatabase: 'default' });
const offset = (needle: string, delta = 0, n = 0) => {
  let at = -1;
  for (let i = 0; i <= n; i++) at = sql.indexOf(needle, at + 1);
  return at + delta;
};
/** `text@line` of each location. */
const shown = (locations: { range: { start: number; end: number } }[]) =>
  locations.map((l) => `${sql.slice(l.range.start, l.range.end)}@${sql.slice(0, l.range.start).split('\n').length}`);

describe('name index', () => {
  it('finds a table by every name it goes by: CREATE, a dictionary source string, a view FROM, RENAME', () => {
    expect(shown(referencesAt(model, FILE, offset('src ('), { includeDeclaration: true }))).toEqual(['src@3', "'src'@4", 'src@5', 'src@6']);
  });

  it('goes from a dictGet string to the dictionary, and from a renamed name to its RENAME', () => {
    expect(shown(definitionAt(model, FILE, offset("'a.names_dict'", 3)))).toEqual(['names_dict@4']);
    expect(shown(definitionAt(model, FILE, offset('src2 DROP')))).toEqual(['src2@6']);
  });

  it('keeps a table’s columns through a RENAME', () => {
    expect(shown(definitionAt(model, FILE, offset('COLUMN name', 8)))).toEqual(['name@3']);
  });
});
