import { describe, expect, it } from 'vitest';
import type { ProjectOptions } from '../rules/lint.js';
import { clickhouseRejection } from '../syntax/clickhouseOracle.js';
import { parseSql } from '../syntax/parser.js';
import { codeActionsAt } from './fixes.js';
import { buildEditorModel } from './model.js';

// Each quick fix applied to the SQL it is offered for: the text it makes, the finding gone, and
// ClickHouse (chDB's parser) accepting every statement of the result.

const FILE = 'V1__test.sql';

function lint(sql: string, project: ProjectOptions = {}) {
  return buildEditorModel([{ file: FILE, text: sql }], { defaultDatabase: 'default', project });
}

/** Applies the fix titled `title` for each finding `code` has, one after the other, and returns the final text. */
function fixAll(sql: string, code: string, title: string, project: ProjectOptions = {}): string {
  let text = sql;
  for (let round = 0; round < 20; round++) {
    const model = lint(text, project);
    const finding = model.diagnostics.find((d) => d.code === code);
    if (!finding) return text;
    const action = codeActionsAt(model, FILE, text, finding.range).find((a) => a.diagnostic?.code === code && a.title === title);
    if (!action)
      throw new Error(`no "${title}" for ${code} at ${finding.range.start}; offered: ${codeActionsAt(model, FILE, text, finding.range).map((a) => a.title)}`);
    for (const edit of [...action.edits].sort((a, b) => b.range.start - a.range.start))
      text = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
  }
  throw new Error(`${code} is still reported after 20 fixes`);
}

function expectClickHouseAccepts(sql: string): void {
  for (const statement of parseSql(sql).statements) {
    const text = sql.slice(statement.start, statement.end);
    expect(clickhouseRejection(text), text).toBeUndefined();
  }
}

describe('quick fixes', () => {
  it('adds ON CLUSTER where ClickHouse takes it: after the name of a CREATE or ALTER, after the names of a DROP or RENAME', () => {
    const sql = `CREATE DATABASE IF NOT EXISTS db;
CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = MergeTree ORDER BY a;
ALTER TABLE db.t ADD COLUMN IF NOT EXISTS b UInt8;
RENAME TABLE db.t TO db.u;
DROP TABLE IF EXISTS db.u;
`;
    const fixed = fixAll(sql, 'on-cluster-missing', 'Add ON CLUSTER main', { cluster: 'main' });
    expect(fixed).toBe(`CREATE DATABASE IF NOT EXISTS db ON CLUSTER main;
CREATE TABLE IF NOT EXISTS db.t ON CLUSTER main (a UInt8) ENGINE = MergeTree ORDER BY a;
ALTER TABLE db.t ON CLUSTER main ADD COLUMN IF NOT EXISTS b UInt8;
RENAME TABLE db.t TO db.u ON CLUSTER main;
DROP TABLE IF EXISTS db.u ON CLUSTER main;
`);
    expectClickHouseAccepts(fixed);
  });

  it('takes the cluster the other statements use when none is configured', () => {
    const sql = `CREATE DATABASE IF NOT EXISTS db ON CLUSTER '{cluster}';
CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = MergeTree ORDER BY a;
`;
    const fixed = fixAll(sql, 'on-cluster-missing', "Add ON CLUSTER '{cluster}'");
    expect(fixed.split('\n')[1]).toBe("CREATE TABLE IF NOT EXISTS db.t ON CLUSTER '{cluster}' (a UInt8) ENGINE = MergeTree ORDER BY a;");
    expectClickHouseAccepts(fixed);
  });

  it('removes ON CLUSTER from an object of a Replicated database', () => {
    const sql = `CREATE DATABASE IF NOT EXISTS r ENGINE = Replicated('/clickhouse/r', '{shard}', '{replica}');
CREATE TABLE IF NOT EXISTS r.t ON CLUSTER main (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a;
`;
    const fixed = fixAll(sql, 'on-cluster-in-replicated-database', 'Remove ON CLUSTER: the Replicated database sends the DDL to every replica');
    expect(fixed.split('\n')[1]).toBe('CREATE TABLE IF NOT EXISTS r.t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a;');
    expectClickHouseAccepts(fixed);
  });

  it('adds IF EXISTS to a DROP of what does not exist, and to column changes of columns that do not', () => {
    const sql = `CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;
ALTER TABLE t DROP COLUMN b, MODIFY COLUMN c String;
DROP TABLE gone;
`;
    const columns = fixAll(sql, 'column-missing', 'Add IF EXISTS');
    expect(columns.split('\n')[1]).toBe('ALTER TABLE t DROP COLUMN IF EXISTS b, MODIFY COLUMN IF EXISTS c String;');
    const dropped = fixAll(columns, 'object-missing', 'Add IF EXISTS');
    expect(dropped.split('\n')[2]).toBe('DROP TABLE IF EXISTS gone;');
    expectClickHouseAccepts(dropped);
  });

  it('adds IF NOT EXISTS to a second CREATE of an object and to an ADD COLUMN of a column that exists', () => {
    const sql = `CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;
CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;
ALTER TABLE t ADD COLUMN a UInt8;
`;
    const created = fixAll(sql, 'object-exists', 'Add IF NOT EXISTS');
    expect(created.split('\n')[1]).toBe('CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;');
    const added = fixAll(created, 'column-exists', 'Add IF NOT EXISTS');
    expect(added.split('\n')[2]).toBe('ALTER TABLE t ADD COLUMN IF NOT EXISTS a UInt8;');
    expectClickHouseAccepts(added);
  });

  it('qualifies a name that exists in another database', () => {
    const sql = `CREATE DATABASE IF NOT EXISTS raw;
CREATE DATABASE IF NOT EXISTS analytics;
CREATE TABLE IF NOT EXISTS raw.events (day Date, n UInt64) ENGINE = MergeTree ORDER BY day;
CREATE TABLE IF NOT EXISTS analytics.daily (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.daily_mv TO analytics.daily AS SELECT day, count() AS n FROM analytics.events GROUP BY day;
USE analytics;
CREATE VIEW IF NOT EXISTS totals AS SELECT sum(n) AS n FROM events;
`;
    const model = lint(sql);
    expect(model.diagnostics.filter((d) => d.code === 'reference-missing').map((d) => sql.slice(d.range.start, d.range.end))).toEqual([
      'analytics.events',
      'events',
    ]);
    // `analytics.events` is qualified already: only the bare name gets the fix.
    const fixed = fixAll(sql.replace('FROM analytics.events', 'FROM raw.events'), 'reference-missing', 'Qualify as raw.events');
    expect(fixed.split('\n')[6]).toBe('CREATE VIEW IF NOT EXISTS totals AS SELECT sum(n) AS n FROM raw.events;');
    expectClickHouseAccepts(fixed);
  });

  it('adds SYNC to a DROP of a Replicated table created again on the same path', () => {
    const table = "CREATE TABLE IF NOT EXISTS db.r (a UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/db/r', '{replica}') ORDER BY a;";
    const sql = `CREATE DATABASE IF NOT EXISTS db;\n${table}\nDROP TABLE IF EXISTS db.r;\n${table}\n`;
    const fixed = fixAll(sql, 'replicated-recreate-without-sync', 'Add SYNC');
    expect(fixed.split('\n')[2]).toBe('DROP TABLE IF EXISTS db.r SYNC;');
    expectClickHouseAccepts(fixed);
  });

  it('offers refactors without a finding: IF NOT EXISTS on a CREATE, IF EXISTS on a DROP, a qualified name', () => {
    const sql = 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nDROP TABLE t;\n';
    const model = buildEditorModel([{ file: FILE, text: sql }], {
      defaultDatabase: 'default',
      rules: { 'ddl-not-idempotent': 'off', 'destructive-statement': 'off' },
    });
    const at = (offset: number) =>
      codeActionsAt(model, FILE, sql, { start: offset, end: offset })
        .filter((a) => a.kind === 'refactor')
        .map((a) => `${a.title}: ${a.edits.map((e) => `${e.range.start}-${e.range.end} ${JSON.stringify(e.newText)}`).join(', ')}`);
    expect(at(sql.indexOf('t ('))).toEqual(['Add IF NOT EXISTS: 13-13 "IF NOT EXISTS "', 'Qualify as default.t: 13-14 "default.t"']);
    expect(at(sql.indexOf('DROP') + 11)).toEqual(['Add IF EXISTS: 67-67 "IF EXISTS "', 'Qualify as default.t: 67-68 "default.t"']);
  });
});
