import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalForm } from '../canon/canonical.js';
import { canonicalizeThroughEngine, describeDisagreement } from '../canon/throughEngine.js';
import { AnalysisSession } from '../session.js';
import type { ColumnDefinition } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { buildModel } from './replay.js';

// Issue 13, defect 1: ClickHouse inlines SQL UDFs into what it stores, with the body current at that
// CREATE or ALTER. The repository's definitions must hash as chDB stores them.

const REPOSITORY = `
CREATE FUNCTION udf_normalize AS (p) -> lower(p);
CREATE FUNCTION udf_suffix AS (a, b) -> udf_normalize(a) || b;
CREATE FUNCTION udf_square AS (x) -> x * x;
CREATE FUNCTION udf_bump_all AS (x) -> arrayMap(x -> x + 1, [x]);
CREATE FUNCTION udf_first AS (t) -> t.1;
CREATE DATABASE udf;
CREATE TABLE udf.hits (
  url String,
  n UInt32,
  pair Tuple(UInt8, UInt8),
  path String MATERIALIZED udf_normalize(url),
  tagged String ALIAS udf_suffix(url, 'x'),
  squared UInt64 DEFAULT udf_square(n + 1),
  ts DateTime TTL ts + INTERVAL length(udf_normalize(url)) DAY,
  INDEX i udf_normalize(url) TYPE bloom_filter GRANULARITY 1,
  PROJECTION p (SELECT udf_normalize(url) ORDER BY url),
  CONSTRAINT c CHECK length(udf_normalize(url)) > 0
) ENGINE = MergeTree PARTITION BY udf_square(n) % 4 ORDER BY (url, udf_normalize(url)) TTL ts + INTERVAL udf_square(2) DAY;
CREATE VIEW udf.v AS
  WITH udf_normalize(url) AS w, c AS (SELECT udf_normalize(url) AS z FROM udf.hits)
  SELECT w, udf_square(n) AS q, udf_bump_all(n) AS bumped, udf_first(pair) AS first, udf_square(udf_square(n)) AS q4
  FROM udf.hits WHERE udf_normalize(url) IN (SELECT z FROM c);
CREATE TABLE udf.paths (p String) ENGINE = MergeTree ORDER BY p;
CREATE MATERIALIZED VIEW udf.mv TO udf.paths AS SELECT udf_normalize(url) AS p FROM udf.hits;
CREATE TABLE udf.hits_copy AS udf.hits;
CREATE DICTIONARY udf.d (k UInt64, v String EXPRESSION udf_normalize(url)) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'hits' DB 'udf')) LAYOUT(FLAT()) LIFETIME(0);
CREATE OR REPLACE FUNCTION udf_normalize AS (p) -> upper(p);
ALTER TABLE udf.hits ADD COLUMN later String DEFAULT udf_normalize('A');
CREATE TABLE udf.hits_after (url String, path String MATERIALIZED udf_normalize(url)) ENGINE = MergeTree ORDER BY url;
CREATE MATERIALIZED VIEW udf.mv_memory ENGINE = Memory AS SELECT n FROM udf.hits;
ALTER TABLE udf.mv_memory MODIFY QUERY SELECT udf_square(n) AS n FROM udf.hits;
`;

function model(sql: string) {
  const parsed = parseSql(sql, { file: 'udf.sql' });
  expect(parsed.diagnostics).toEqual([]);
  const schema = buildModel([{ file: 'udf.sql', statements: parsed.statements }]);
  expect(schema.diagnostics).toEqual([]);
  return { parsed, schema };
}

describe('SQL UDF calls, inlined as ClickHouse stores them', () => {
  let session: Session;
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clickplan-udf-'));
    session = new Session(dataDir);
    for (const s of parseSql(REPOSITORY).statements) session.query(REPOSITORY.slice(s.start, s.end));
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hash every object as the server stores it, with the body current at each CREATE and ALTER', () => {
    const { schema } = model(REPOSITORY);
    const { results, diagnostics } = canonicalizeThroughEngine(session, schema.objects);
    expect(diagnostics).toEqual([]);
    expect(results.map((r) => r.object.id)).toEqual(schema.objects.filter((o) => o.kind !== 'named-collection').map((o) => o.id));
    expect(results.filter((r) => !r.agrees).map(describeDisagreement)).toEqual([]);
  });

  it('keep the call in dictionaries, which the server does not inline', () => {
    const { schema } = model(REPOSITORY);
    expect(canonicalForm(schema.objects.find((o) => o.id === 'udf.d') ?? schema.objects[0])).toContain('EXPRESSION udf_normalize(url)');
  });

  it('point what came from a body at the call, in the file that makes it', () => {
    const { parsed, schema } = model('CREATE FUNCTION f AS (p) -> lower(p);\nCREATE TABLE t (url String, path String MATERIALIZED f(url)) ENGINE = Memory');
    const table = schema.objects.find((o) => o.id === 'default.t')?.definition;
    const column = table?.kind === 'CreateTable' ? (table.elements?.[1] as ColumnDefinition) : undefined;
    const original = parsed.statements[1].kind === 'CreateTable' ? (parsed.statements[1].elements?.[1] as ColumnDefinition) : undefined;
    const call = original?.defaultExpression;
    expect(column?.defaultExpression).toMatchObject({ kind: 'FunctionCall', name: { name: 'lower' }, start: call?.start, end: call?.end });
    // The parsed statement is never changed.
    expect(call).toMatchObject({ kind: 'FunctionCall', name: { name: 'f' } });
  });

  it('give the same definition object on every replay while the functions are the same', () => {
    const { parsed } = model(REPOSITORY);
    const files = [{ file: 'udf.sql', statements: parsed.statements }];
    // Within one analysis session, as an editor replays its workspace on every edit.
    const [first, second] = new AnalysisSession().run(() => [buildModel(files), buildModel(files)]);
    const definition = (schema: typeof first, id: string) => schema.objects.find((o) => o.id === id)?.definition;
    for (const id of ['udf.hits', 'udf.v', 'udf.mv', 'udf.mv_memory']) expect(definition(second, id)).toBe(definition(first, id));
  });
});
