import { describe, expect, it } from 'vitest';
import { AnalysisSession } from '../session.js';
import { LineIndex } from '../syntax/lineIndex.js';
import { parseSql } from '../syntax/parser.js';
import { buildModel } from './replay.js';

function model(...files: string[]) {
  const parsed = files.map((text, i) => ({ file: `V${i + 1}.sql`, text, ...parseSql(text, { file: `V${i + 1}.sql` }) }));
  for (const p of parsed) expect(p.diagnostics).toEqual([]);
  const schema = buildModel(parsed);
  return {
    schema,
    /** Objects as `kind id`. */
    objects: schema.objects.map((o) => `${o.kind} ${o.id}`),
    /** Diagnostics as `file:line code`. */
    problems: schema.diagnostics.map((d) => {
      const text = parsed.find((p) => p.file === d.file)?.text ?? '';
      return `${d.file}:${new LineIndex(text).positionAt(d.range.start).line + 1} ${d.code}`;
    }),
    columns: (id: string) => {
      const definition = schema.objects.find((o) => o.id === id)?.definition;
      if (definition?.kind !== 'CreateTable') return [];
      return (definition.elements ?? []).map((e) =>
        e.kind === 'ColumnDefinition' ? `${e.name.map((n) => n.name).join('.')} ${e.type?.name ?? ''}`.trim() : e.kind,
      );
    },
  };
}

describe('buildModel', () => {
  it('resolves unqualified names with USE, per file, and the default database', () => {
    const m = model('USE app;\nCREATE TABLE t (a UInt8) ENGINE = Memory;', 'CREATE TABLE t (a UInt8) ENGINE = Memory;');
    expect(m.objects).toEqual(['table app.t', 'table default.t']);
    expect(m.schema.externalDatabases).toEqual(['app', 'default']);
  });

  it('applies every ALTER in order to a copy of the definition', () => {
    const create = 'CREATE TABLE db.t (a UInt8, b String, c Date) ENGINE = MergeTree ORDER BY a;';
    const m = model(
      create,
      `ALTER TABLE db.t ADD COLUMN d UInt16 AFTER a, DROP COLUMN c, MODIFY COLUMN b LowCardinality(String), RENAME COLUMN a TO id;
       ALTER TABLE db.t ADD COLUMN first_col UInt8 FIRST, ADD INDEX ix b TYPE set(10) GRANULARITY 1, ADD COLUMN IF NOT EXISTS d UInt16;`,
    );
    expect(m.problems).toEqual([]);
    expect(m.columns('db.t')).toEqual(['first_col UInt8', 'id UInt8', 'd UInt16', 'b LowCardinality', 'IndexDefinition']);
    // The parsed CREATE statement itself is untouched.
    const original = parseSql(create).statements[0];
    expect(original.kind === 'CreateTable' && original.elements?.length).toBe(3);
  });

  it('gives the same definition objects on every replay of the same statements in one session', () => {
    // What is cached by definition (hashes, dependencies) and the diff of a pull request's head against
    // its base rely on it: an unchanged table keeps its definition, copies made by AS and ALTER included.
    const sql = `CREATE TABLE db.local (a UInt8, b String) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE db.dist AS db.local ENGINE = Distributed(c, db, local, rand());
      ALTER TABLE db.local ADD COLUMN c Date;
      CREATE TABLE db.copy AS db.local ENGINE = MergeTree ORDER BY a;`;
    const files = [{ file: 'a.sql', statements: parseSql(sql).statements }];
    const [first, second] = new AnalysisSession().run(() => [buildModel(files), buildModel(files)]);
    const definitions = (schema: typeof first) => schema.objects.map((o) => o.definition);
    expect(definitions(second)).toHaveLength(3);
    definitions(second).forEach((definition, i) => {
      expect(definition).toBe(definitions(first)[i]);
    });
  });

  it('reports steps ClickHouse would refuse, at the statement', () => {
    const m = model(
      `CREATE TABLE db.t (a UInt8, b UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE db.t (a UInt8) ENGINE = Memory;
CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = Memory;
ALTER TABLE db.missing ADD COLUMN x UInt8;
ALTER TABLE db.t ADD COLUMN a UInt8;
ALTER TABLE db.t DROP COLUMN nope;
ALTER TABLE db.t DROP COLUMN IF EXISTS nope;
ALTER TABLE db.t MODIFY ORDER BY (a, b);
ALTER TABLE db.t ADD COLUMN c UInt8, MODIFY ORDER BY (a, c);
DROP TABLE db.gone;
DROP TABLE IF EXISTS db.gone;
DROP DICTIONARY db.t;
RENAME TABLE db.nowhere TO db.somewhere;`,
    );
    expect(m.problems).toEqual([
      'V1.sql:2 object-exists',
      'V1.sql:4 object-missing',
      'V1.sql:5 column-exists',
      'V1.sql:6 column-missing',
      'V1.sql:8 order-by-existing-column',
      'V1.sql:10 object-missing',
      'V1.sql:12 object-missing',
      'V1.sql:13 object-missing',
    ]);
    expect(m.schema.diagnostics[0].message).toBe('`db.t` already exists at this point (created in V1.sql): ClickHouse refuses a second CREATE.');
  });

  it('follows RENAME, EXCHANGE, DETACH/ATTACH and DROP DATABASE', () => {
    const m = model(
      `CREATE DATABASE db;
CREATE TABLE db.a (x UInt8) ENGINE = Memory;
CREATE TABLE db.b (y UInt8) ENGINE = Memory;
RENAME TABLE db.a TO db.a2;
EXCHANGE TABLES db.a2 AND db.b;
DETACH TABLE db.b;
ATTACH TABLE db.b;
CREATE DATABASE scratch;
CREATE TABLE scratch.tmp (z UInt8) ENGINE = Memory;
DROP DATABASE scratch;`,
    );
    expect(m.problems).toEqual([]);
    expect(m.objects).toEqual(['database db', 'table db.a2', 'table db.b']);
    // EXCHANGE swapped the definitions: db.a2 now has b's column and db.b has a's.
    expect(m.columns('db.a2')).toEqual(['y UInt8']);
    expect(m.columns('db.b')).toEqual(['x UInt8']);
  });

  it('models every kind of object', () => {
    const m = model(`CREATE DATABASE d;
CREATE TABLE d.t (a UInt8) ENGINE = Memory;
CREATE VIEW d.v AS SELECT a FROM d.t;
CREATE MATERIALIZED VIEW d.mv ENGINE = Memory AS SELECT a FROM d.t;
CREATE DICTIONARY d.dict (a UInt8) PRIMARY KEY a SOURCE(CLICKHOUSE(TABLE 't' DB 'd')) LAYOUT(FLAT()) LIFETIME(0);
CREATE FUNCTION f AS (x) -> x + 1;
CREATE NAMED COLLECTION nc AS host = 'h';
CREATE USER u IDENTIFIED WITH sha256_password BY 'secret';
CREATE ROLE r;
CREATE ROW POLICY p ON d.t USING a > 1 TO r;
CREATE QUOTA q FOR INTERVAL 1 hour MAX queries = 10 TO r;
CREATE SETTINGS PROFILE sp SETTINGS max_memory_usage = 1000 TO r;
GRANT SELECT ON d.* TO r;`);
    expect(m.problems).toEqual([]);
    expect(m.objects).toEqual([
      'database d',
      'table d.t',
      'view d.v',
      'materialized-view d.mv',
      'dictionary d.dict',
      'function f',
      'named-collection nc',
      'user u',
      'role r',
      'row-policy p ON d.t',
      'quota q',
      'settings-profile sp',
    ]);
    expect(m.schema.grants.map((g) => g.statement.kind)).toEqual(['Grant']);
  });

  it('drops access entities by the names CREATE gave them: hosts, strings, each policy on its table (#15)', () => {
    const m = model(`CREATE TABLE t1 (a UInt8) ENGINE = Memory;
CREATE TABLE t2 (a UInt8) ENGINE = Memory;
CREATE USER u1@'%', 'u2@10.%', u3@'localhost';
CREATE ROW POLICY p1 ON t1, p2 ON t2 USING a > 1;
CREATE SETTINGS PROFILE 'sp';
DROP USER u1@'%', 'u2@10.%', 'u3@localhost';
DROP ROW POLICY p1 ON default.t1, p2 ON t2;
DROP SETTINGS PROFILE sp;`);
    expect(m.problems).toEqual([]);
    expect(m.objects).toEqual(['table default.t1', 'table default.t2']);
  });
});
