import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import { parseSql } from '../syntax/parser.js';
import { hashObject } from './canonical.js';
import { canonicalizeThroughEngine, describeDisagreement } from './throughEngine.js';

const fixtures = new URL('../../../../fixtures/repos/', import.meta.url).pathname;

function loadFiles(dir: string) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const parsed = parseSql(text, { file: name });
      return { file: name, text, ...parsed };
    });
}

/** Repositories whose every object is created in chDB and compared with what the server stores. */
const REPOSITORIES = ['events-pipeline/schema', 'normalizations/schema', '../quickstart/schema'];

describe('canonical hash against ClickHouse', () => {
  let session: Session;
  let dataDir: string;
  // chDB allows one data directory per process: all repositories share one session (their databases differ).
  const repositories = REPOSITORIES.map((name) => {
    const files = loadFiles(join(fixtures, name));
    return { name, files, schema: buildModel(files) };
  });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clickplan-canon-'));
    session = new Session(dataDir);
    for (const { files } of repositories) {
      for (const file of files) {
        expect(file.diagnostics).toEqual([]);
        for (const statement of file.statements) {
          const sql = file.text.slice(statement.start, statement.end);
          try {
            session.query(sql);
          } catch (error) {
            throw new Error(`${file.file}: ClickHouse refused ${sql.slice(0, 40).replace(/\s+/g, ' ')}...: ${(error as Error).message}`);
          }
        }
      }
    }
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('models the events pipeline without diagnostics', () => {
    const [events] = repositories;
    expect(events.schema.diagnostics).toEqual([]);
    expect(events.schema.objects.map((o) => `${o.kind} ${o.id}`)).toEqual([
      'database raw',
      'database mart',
      'table raw.events',
      'table raw.events_buffer',
      'table raw.events_null',
      'table mart.countries',
      'dictionary mart.country_dict',
      'table mart.daily_events',
      'materialized-view mart.daily_events_mv',
      'table mart.purchases',
      'materialized-view mart.purchases_mv',
      'view mart.revenue_by_region',
      'view mart.events_since',
      'table mart.all_purchases',
      'function revenue_share',
    ]);
  });

  for (const repository of repositories) {
    it(`hashes every object of ${repository.name} as the server stores it`, () => {
      expect(repository.schema.diagnostics).toEqual([]);
      const { results, diagnostics } = canonicalizeThroughEngine(session, repository.schema.objects);
      expect(diagnostics).toEqual([]);
      const mismatches = results.filter((r) => !r.agrees).map(describeDisagreement);
      const total = repository.schema.objects.length;
      expect(results).toHaveLength(total);
      console.log(`canonical hash, ${repository.name}: ${total - mismatches.length} of ${total} objects hash equal to the server's stored DDL`);
      expect(mismatches).toEqual([]);
    });
  }
});

describe('real changes change the hash', () => {
  const base = `CREATE TABLE db.t (a UInt64, b String CODEC(ZSTD(1)), d Date) ENGINE = MergeTree ORDER BY a TTL d + INTERVAL 1 DAY;
CREATE MATERIALIZED VIEW db.mv TO db.t AS SELECT a, b, d FROM db.src WHERE a > 1;`;
  const hashes = (sql: string) => {
    const schema = buildModel([{ file: 'x.sql', statements: parseSql(sql).statements }]);
    return Object.fromEntries(schema.objects.map((o) => [o.id, hashObject(o)]));
  };
  const original = hashes(base);
  const changes: [string, string, string][] = [
    ['a type', 'a UInt64', 'a UInt32'],
    ['a codec level', 'ZSTD(1)', 'ZSTD(3)'],
    ['a sorting key', 'ORDER BY a', 'ORDER BY (a, d)'],
    ['a TTL', 'INTERVAL 1 DAY', 'INTERVAL 2 DAY'],
    ["an MV's SELECT", 'WHERE a > 1', 'WHERE a > 2'],
  ];
  for (const [what, from, to] of changes) {
    it(`changes when ${what} changes`, () => {
      const changed = hashes(base.replace(from, to));
      const differing = Object.keys(original).filter((id) => original[id] !== changed[id]);
      expect(differing).toEqual([what === "an MV's SELECT" ? 'db.mv' : 'db.t']);
    });
  }

  it('changes when a later part of a refresh interval changes (`1 DAY 2 HOUR`), not when its spelling does', () => {
    const refreshable = (every: string) =>
      hashes(`CREATE MATERIALIZED VIEW db.r REFRESH EVERY ${every} OFFSET 1 HOUR ENGINE = MergeTree ORDER BY a AS SELECT 1 AS a`)['db.r'];
    expect(refreshable('1 DAY 2 HOUR')).not.toBe(refreshable('1 DAY'));
    expect(refreshable('1 DAY 2 HOUR')).not.toBe(refreshable('1 DAY 3 HOUR'));
    expect(refreshable('1 DAY 2 HOUR')).toBe(refreshable('1 day 2 hours'));
  });

  it('changes when a CTE becomes recursive', () => {
    const view = (withClause: string) =>
      hashes(`CREATE VIEW db.v AS ${withClause} t AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT n FROM t`)['db.v'];
    expect(view('WITH RECURSIVE')).not.toBe(view('WITH'));
  });

  it('does not change with spelling: quoting, case, spacing, comments, aliases and defaults', () => {
    const respelled = `create table db.\`t\` ( "a" UInt64 , b String codec(zstd) , d Date )
      engine = MergeTree() order by (a) ttl d + toIntervalDay(1) settings index_granularity = 8192;
      CREATE MATERIALIZED VIEW IF NOT EXISTS db.mv ON CLUSTER c TO db.t (a UInt64, b String, d Date)
      AS /* same query */ SELECT a, b, d FROM db.src WHERE (a > 1)`;
    expect(hashes(respelled)).toEqual(original);
  });
});
