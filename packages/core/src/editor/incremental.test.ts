import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import { lintAnalysis, type ProjectOptions } from '../rules/lint.js';
import { AnalysisCache, buildEditorModel } from './model.js';

// The editor analyses a workspace again after every edit, reusing what it can: parses (statement by
// statement, moving the statements after an edit in place), ALTER results, dependencies, hashes and
// the graph. Whatever the edits, it must give what the CLI's path gives for the same texts: a
// fresh `analyzeFiles` + `lintAnalysis`. This drives random edits through one cache and compares
// after each one: diagnostics, syntax trees, the schema, the graph and every hash.

/** A small repository: objects that read, write and alter each other across files. */
const START: SourceFile[] = [
  {
    file: 'V1__tables.sql',
    text: `CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE shop.orders
(
    order_id UInt64,
    user_id UInt64,
    amount Decimal(18, 2),
    country LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (user_id, order_id);

CREATE TABLE shop.daily
(
    day Date,
    orders UInt64,
    amount Decimal(38, 2)
)
ENGINE = SummingMergeTree
ORDER BY day;

-- A second \`daily\`: what an unqualified name means depends on the USE before it.
CREATE DATABASE IF NOT EXISTS other;
CREATE TABLE other.daily (day Date, visits UInt64) ENGINE = SummingMergeTree ORDER BY day;
`,
  },
  {
    file: 'V2__rollup.sql',
    text: `-- The daily rollup.
CREATE MATERIALIZED VIEW shop.daily_mv TO shop.daily AS
SELECT toDate(now()) AS day, count() AS orders, sum(amount) AS amount
FROM shop.orders
GROUP BY day;

ALTER TABLE shop.orders ADD COLUMN coupon String;
ALTER TABLE shop.orders ADD COLUMN note String;
`,
  },
  {
    file: 'V3__more.sql',
    text: `USE shop;

CREATE VIEW top_users AS SELECT user_id, sum(amount) AS spent FROM orders GROUP BY user_id;

CREATE MATERIALIZED VIEW spend_mv TO daily AS SELECT toDate(now()) AS day, count() AS orders FROM orders GROUP BY day;

CREATE DICTIONARY countries (code String, name String) PRIMARY KEY code
SOURCE(CLICKHOUSE(TABLE 'orders')) LAYOUT(HASHED()) LIFETIME(300);

ALTER TABLE orders MODIFY COLUMN amount Decimal(38, 2);
-- clickplan-ignore destructive-statement: the column was never filled.
ALTER TABLE orders DROP COLUMN note;
`,
  },
];

/** Whole statements an edit may insert: new objects and dependencies, renames, drops, USE, suppressions. */
const STATEMENTS = [
  'CREATE TABLE shop.extra (id UInt64, tag Nullable(String)) ENGINE = MergeTree ORDER BY (id, tag);\n',
  'CREATE MATERIALIZED VIEW shop.extra_mv TO shop.daily AS SELECT today() AS day, count() AS orders FROM shop.extra GROUP BY day;\n',
  'RENAME TABLE shop.orders TO shop.orders_old;\n',
  'RENAME TABLE shop.daily TO shop.daily2, shop.daily2 TO shop.daily;\n',
  'DROP TABLE shop.daily;\n',
  'DROP TABLE IF EXISTS shop.extra;\n',
  'ALTER TABLE shop.orders MODIFY COLUMN user_id UInt32;\n',
  'ALTER TABLE shop.orders RENAME COLUMN country TO region;\n',
  'ALTER TABLE shop.daily ADD COLUMN users UInt64;\n',
  'USE other;\n',
  'CREATE VIEW shop.loop_a AS SELECT * FROM shop.loop_b;\nCREATE VIEW shop.loop_b AS SELECT * FROM shop.loop_a;\n',
  'EXCHANGE TABLES shop.orders AND shop.daily;\n',
  '-- clickplan-ignore mv-target-columns: checked by hand.\n',
  'TRUNCATE TABLE shop.orders;\n',
  // Rewritten at replay (a UDF inlined, a parameterized view call, an engine argument evaluated): the
  // rewritten copies must follow the statement when an edit before it moves it.
  'CREATE FUNCTION normalize AS (p) -> lower(p);\n',
  'CREATE TABLE shop.paths (url String, path String MATERIALIZED normalize(url)) ENGINE = MergeTree ORDER BY url;\n',
  'CREATE VIEW shop.by_param AS SELECT * FROM shop.param_view(p = 1) WHERE normalize(tag) = 1;\n',
  "CREATE TABLE shop.merged (id UInt64) ENGINE = Merge(currentDatabase(), '^orders');\n",
];

/** Pieces typed or pasted into a statement: they break it, repair it, or change what it reads. */
const PIECES = [';', '(', ')', "'", ',', ' ', '\n', 'Nullable(UInt8)', 'shop.', 'daily', 'orders', 'FROM shop.daily ', '/*', '*/', '-- ', 'IF NOT EXISTS '];

interface Edit {
  file: number;
  at: number;
  remove: number;
  insert: string;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  file: fc.nat({ max: START.length - 1 }),
  at: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.nat({ max: 6 }), fc.nat({ max: 80 })),
  insert: fc.oneof(fc.constant(''), fc.constantFrom(...PIECES), fc.constantFrom(...STATEMENTS)),
});

function apply(files: SourceFile[], e: Edit): SourceFile[] {
  return files.map((f, i) => {
    if (i !== e.file) return f;
    const at = e.at % (f.text.length + 1);
    // Whole statements go in at the start of a line, as a person pastes them.
    const start = STATEMENTS.includes(e.insert) ? f.text.lastIndexOf('\n', at - 1) + 1 : at;
    return { ...f, text: f.text.slice(0, start) + e.insert + f.text.slice(Math.min(f.text.length, start + e.remove)) };
  });
}

function expectSameAsFresh(files: SourceFile[], cache: AnalysisCache, project: ProjectOptions): void {
  const model = buildEditorModel(files, { defaultDatabase: 'shop', project }, cache);
  const plain = analyzeFiles(files, { defaultDatabase: 'shop' });
  const cached = model.analysis;
  expect(model.failures).toEqual([]);
  expect(model.diagnostics).toEqual([...plain.diagnostics, ...lintAnalysis(plain, { project })]);
  expect(cached.parsed).toEqual(plain.parsed);
  expect(cached.schema).toEqual(plain.schema);
  expect(cached.graph.dependencies).toEqual(plain.graph.dependencies);
  expect(cached.graph.creationOrder).toEqual(plain.graph.creationOrder);
  expect(cached.graph.diagnostics).toEqual(plain.graph.diagnostics);
  for (const id of plain.graph.objects.keys()) expect(cached.graph.downstreamOf(id)).toEqual(plain.graph.downstreamOf(id));
  expect([...cached.hashes]).toEqual([...plain.hashes]);
}

const PROJECTS: ProjectOptions[] = [{}, { cluster: 'main', migrations: START.map((f) => ({ file: f.file, kind: 'versioned' as const, checksum: '' })) }];

/** Applies the edits one by one through one editor cache, comparing with a fresh analysis after each. */
function expectEditsSameAsFresh(edits: Edit[], project: ProjectOptions): void {
  const cache = new AnalysisCache();
  let files = START;
  expectSameAsFresh(files, cache, project);
  for (const e of edits) {
    files = apply(files, e);
    expectSameAsFresh(files, cache, project);
  }
}

describe('the editor analysis, edit after edit', () => {
  it('is what a fresh analysis gives after a cycle of views is pasted, cut and a table added (found by the property below)', () => {
    const edits: Edit[] = [
      {
        file: 2,
        at: 1823153126,
        remove: 1,
        insert: 'CREATE VIEW shop.loop_a AS SELECT * FROM shop.loop_b;\nCREATE VIEW shop.loop_b AS SELECT * FROM shop.loop_a;\n',
      },
      { file: 2, at: 1702328114, remove: 58, insert: '' },
      { file: 2, at: 0, remove: 0, insert: ';' },
      { file: 0, at: 0, remove: 0, insert: 'CREATE TABLE shop.extra (id UInt64, tag Nullable(String)) ENGINE = MergeTree ORDER BY (id, tag);\n' },
    ];
    for (const project of PROJECTS) expectEditsSameAsFresh(edits, project);
  });

  for (const project of PROJECTS) {
    it(`is what a fresh analysis gives after every one of many random edits (${project.cluster ? 'a cluster' : 'one server'})`, () => {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), (edits) => expectEditsSameAsFresh(edits, project)),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
      );
    });
  }
});
