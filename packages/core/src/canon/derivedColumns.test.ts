import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../diff/diff.js';
import { openEmbeddedTarget } from '../live/embedded.js';
import { modelLiveSchema } from '../live/liveModel.js';
import type { Target } from '../live/types.js';
import { buildModel, type ParsedFile } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import { buildPlan } from '../plan/plan.js';
import { parseSql } from '../syntax/parser.js';
import { hashObject } from './canonical.js';
import { derivedColumns, typeInferenceCoverage } from './derivedColumns.js';

// Issue #13, defect 12: a view (and an MV without TO) stores the column types its query had at
// CREATE. ClickPlan compares that list when it can infer every column, on chDB's stored forms.

const root = mkdtempSync(join(tmpdir(), 'clickplan-derived-'));
let target: Target;
beforeAll(async () => {
  target = await openEmbeddedTarget(join(root, 'engine'));
});
afterAll(async () => {
  await target?.close();
  rmSync(root, { recursive: true, force: true });
});

const file = (name: string, sql: string, declarative = false): ParsedFile => ({
  file: name,
  statements: parseSql(sql, { file: name }).statements,
  declarative,
});

async function liveSchema(database: string): Promise<Schema> {
  const { schema, diagnostics } = modelLiveSchema(await target.readSchema({ databases: [database] }), database);
  expect(diagnostics).toEqual([]);
  return schema;
}

async function runAll(sql: string): Promise<void> {
  for (const statement of parseSql(sql).statements) await target.execute(sql.slice(statement.start, statement.end));
}

const hashes = (schema: Schema) => new Map(schema.objects.filter((o) => o.kind !== 'database').map((o) => [o.id, hashObject(o)]));

describe('derived column lists', () => {
  it('hash equal to what chDB stores, and compare their column lists when inferable', async () => {
    await target.execute('CREATE DATABASE d1');
    const ddl = `
      CREATE TABLE d1.keys (a UInt64, x String, y Nullable(Int32)) ENGINE = Memory;
      CREATE TABLE d1.t (a UInt32, b String, c Nullable(Int16), d LowCardinality(String), ts DateTime, n Nested(x UInt8, y String)) ENGINE = MergeTree ORDER BY a;
      CREATE VIEW d1.v AS SELECT a, a + 1, count() AS total, lower(b), t.b AS bb, c * 2, d, toStartOfHour(ts), n.x, 'x', CAST(a AS UInt64), [1, 2] FROM d1.t GROUP BY a, b, c, d, ts, n.x;
      CREATE VIEW d1.star AS SELECT * EXCEPT (ts) FROM d1.t;
      CREATE VIEW d1.nested AS SELECT a, sum(a) AS s FROM (SELECT a FROM d1.v) GROUP BY a;
      CREATE MATERIALIZED VIEW d1.agg ENGINE = AggregatingMergeTree ORDER BY a AS SELECT a, sumState(toUInt64(a)) AS s, uniqState(b) AS u FROM d1.t GROUP BY a;
      CREATE DICTIONARY d1.dict (a UInt64, x String, y Nullable(Int32)) PRIMARY KEY a SOURCE(CLICKHOUSE(TABLE 'keys' DB 'd1')) LAYOUT(HASHED()) LIFETIME(0);
      CREATE VIEW d1.lookup AS SELECT a, dictGet('d1.dict', 'x', toUInt64(a)) AS x, dictGetOrNull('d1.dict', 'y', toUInt64(a)) AS y FROM d1.t;
      CREATE VIEW d1.opaque AS SELECT a, arrayJoin([a]) AS x FROM d1.t;
    `;
    await runAll(ddl);
    const desired = buildModel([file('schema.sql', ddl)]);
    const live = await liveSchema('d1');
    expect(hashes(desired)).toEqual(hashes(live));
    const complete = desired.objects.filter((o) => derivedColumns(o)?.complete).map((o) => o.id);
    expect(complete).toEqual(['d1.v', 'd1.star', 'd1.nested', 'd1.agg', 'd1.lookup']);
    const coverage = typeInferenceCoverage(desired.objects);
    expect(coverage.notInferable).toEqual([{ object: 'd1.opaque', column: 'x', reason: 'arrayJoin(Array(UInt32)) is not in the generated function types' }]);
  });

  it('names the columns of a view by its column names, as chDB stores them (#15)', async () => {
    await target.execute('CREATE DATABASE d3');
    const ddl = 'CREATE TABLE d3.t (a UInt32, b String) ENGINE = Memory;\nCREATE VIEW d3.named (x, y) AS SELECT a, b FROM d3.t;';
    await runAll(ddl);
    const view = (schema: Schema) => schema.objects.find((o) => o.id === 'd3.named');
    const desired = view(buildModel([file('schema.sql', ddl)]));
    const live = view(await liveSchema('d3'));
    expect(desired && derivedColumns(desired)).toEqual({
      columns: [
        { name: 'x', type: 'UInt32' },
        { name: 'y', type: 'String' },
      ],
      complete: true,
    });
    expect(live && derivedColumns(live)?.columns).toEqual([
      { name: 'x', type: 'UInt32' },
      { name: 'y', type: 'String' },
    ]);
  });

  it('see the old types a view keeps after its source column changes (and plan nothing for migrations that did it)', async () => {
    await target.execute('CREATE DATABASE d2');
    const texts = {
      '001.sql': 'CREATE TABLE d2.t (a UInt32, b String) ENGINE = MergeTree ORDER BY b;\nCREATE VIEW d2.v AS SELECT a, a * 2 AS doubled, b FROM d2.t;',
      '002.sql': 'ALTER TABLE d2.t MODIFY COLUMN a UInt64;',
    };
    const migrations = Object.entries(texts).map(([name, sql]) => file(name, sql));
    for (const sql of Object.values(texts)) await runAll(sql);
    const live = await liveSchema('d2');
    // Replayed migrations keep the view's old types, as the server does: nothing to do.
    const replayed = buildModel(migrations);
    expect(diffSchemas({ desired: replayed, live }).changes).toEqual([]);
    // The same state written declaratively: the view would now have UInt64 columns, the server's has UInt32.
    const declarative = buildModel([
      file('t.sql', 'CREATE TABLE d2.t (a UInt64, b String) ENGINE = MergeTree ORDER BY b;', true),
      file('v.sql', 'CREATE VIEW d2.v AS SELECT a, a * 2 AS doubled, b FROM d2.t;', true),
    ]);
    const diff = diffSchemas({ desired: declarative, live });
    expect(diff.changes.map((c) => (c.kind === 'alter' ? [c.kind, c.desired.id, c.differences.map((d) => [d.key, d.live, d.desired])] : [c.kind]))).toEqual([
      ['alter', 'd2.v', [['columns', 'COLUMNS (a UInt32, doubled UInt64, b String)', 'COLUMNS (a UInt64, doubled UInt64, b String)']]],
    ]);
    const plan = buildPlan(diff, declarative, live);
    expect(plan.steps.map((s) => s.sql)).toEqual(['CREATE OR REPLACE VIEW d2.v\nAS\nSELECT\n    a,\n    a * 2 AS doubled,\n    b\nFROM d2.t']);
    for (const step of plan.steps) await target.execute(step.sql);
    expect(diffSchemas({ desired: declarative, live: await liveSchema('d2') }).changes).toEqual([]);
  });
});
