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

describe('column references (issue 19)', () => {
  const text = `CREATE TABLE t (x UInt64, arr Array(UInt64), k UInt64) ENGINE = MergeTree ORDER BY x;
CREATE TABLE u (k UInt64, y UInt64) ENGINE = MergeTree ORDER BY k;
CREATE VIEW v AS SELECT arrayMap(x -> x + 1, arr) AS plus, x, y FROM t JOIN u USING (k);
CREATE VIEW w AS WITH c AS (SELECT x FROM t) SELECT e FROM c ARRAY JOIN [1, 2] AS e;
`;
  const file = 'V2__columns.sql';
  const columns = buildEditorModel([{ file, text }], { defaultDatabase: 'default' });
  const at = (needle: string, n = 0) => {
    let found = -1;
    for (let i = 0; i <= n; i++) found = text.indexOf(needle, found + 1);
    return found;
  };
  const lines = (locations: { range: { start: number; end: number } }[]) =>
    locations.map(
      (l) =>
        `${text.slice(l.range.start, l.range.end)}@${text.slice(0, l.range.start).split('\n').length}:${l.range.start - text.lastIndexOf('\n', l.range.start - 1) - 1}`,
    );

  it('counts a lambda parameter of the same name as no reference to the column', () => {
    // `x -> x + 1`: both `x` are the parameter; the `x` after `AS plus,` is the column.
    expect(lines(referencesAt(columns, file, at('x UInt64'), { includeDeclaration: true }))).toEqual(['x@1:16', 'x@1:83', 'x@3:59', 'x@4:35']);
    expect(definitionAt(columns, file, at('x -> x') + 5)).toEqual([]);
  });

  it('resolves a USING column in the tables on both sides, and a column of a CTE query', () => {
    expect(lines(referencesAt(columns, file, at('k UInt64'), { includeDeclaration: false }))).toEqual(['k@3:85']);
    expect(lines(referencesAt(columns, file, at('k UInt64', 1), { includeDeclaration: false }))).toEqual(['k@2:64', 'k@3:85']);
    expect(lines(referencesAt(columns, file, at('y UInt64'), { includeDeclaration: false }))).toEqual(['y@3:62']);
  });
});
