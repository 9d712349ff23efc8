import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeThroughEngine, describeDisagreement } from '../canon/throughEngine.js';
import { parseSql } from '../syntax/parser.js';
import { buildModel } from './replay.js';

// Issue 13 (defects 2 and 3, found by the differential oracle): Nested columns and `CREATE TABLE x AS y`
// copies hash as chDB 26.7 stores them.

const REPOSITORY = `
CREATE DATABASE sc;
CREATE TABLE sc.t1 (
  id UInt64, ts DateTime, y String TTL ts + INTERVAL 1 DAY,
  n Nested(a UInt32, b String) COMMENT 'nested', m Nested(b UInt8) TTL ts + INTERVAL 1 DAY, k Nested(x String) CODEC(ZSTD(1)),
  INDEX i id TYPE minmax GRANULARITY 1
) ENGINE = SummingMergeTree PARTITION BY toYYYYMM(ts) PRIMARY KEY (ts, id) ORDER BY (ts, id, n.a) SAMPLE BY id
  TTL ts + INTERVAL 1 YEAR SETTINGS merge_with_ttl_timeout = 3600 COMMENT 'events';
CREATE TABLE sc.same AS sc.t1;
CREATE TABLE sc.own_key AS sc.t1 ENGINE = MergeTree ORDER BY (ts, id);
CREATE TABLE sc.own_partition AS sc.t1 ENGINE = ReplacingMergeTree PARTITION BY id % 2 PRIMARY KEY id ORDER BY id;
CREATE TABLE sc.memory AS sc.t1 ENGINE = Memory;
CREATE TABLE sc.log AS sc.t1 ENGINE = Log;
CREATE TABLE sc.commented AS sc.t1 COMMENT 'mine';
CREATE TABLE sc.plain (id UInt64) ENGINE = Memory;
CREATE TABLE sc.from_memory AS sc.plain ENGINE = MergeTree ORDER BY id;
`;

describe('stored columns and copies', () => {
  let session: Session;
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clickplan-stored-'));
    session = new Session(dataDir);
    for (const s of parseSql(REPOSITORY).statements) session.query(REPOSITORY.slice(s.start, s.end));
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hash as the server stores them: Nested facets on every subcolumn, storage clauses a copy inherits', () => {
    const parsed = parseSql(REPOSITORY, { file: 'sc.sql' });
    expect(parsed.diagnostics).toEqual([]);
    const schema = buildModel([{ file: 'sc.sql', statements: parsed.statements }]);
    expect(schema.diagnostics).toEqual([]);
    const { results, diagnostics } = canonicalizeThroughEngine(session, schema.objects);
    expect(diagnostics).toEqual([]);
    expect(results).toHaveLength(schema.objects.length);
    expect(results.filter((r) => !r.agrees).map(describeDisagreement)).toEqual([]);
  });
});
