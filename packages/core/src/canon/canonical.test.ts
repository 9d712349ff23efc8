import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import type { SchemaObject } from '../model/schema.js';
import { parseSql } from '../syntax/parser.js';
import { canonicalForm, hashObject } from './canonical.js';

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

/** The object the server's stored DDL describes, modelled the same way as the repository's. */
function modelServerText(text: string, database: string): SchemaObject {
  const parsed = parseSql(text, { file: 'server' });
  expect(parsed.diagnostics).toEqual([]);
  const schema = buildModel([{ file: 'server', statements: parsed.statements }], { defaultDatabase: database });
  const objects = schema.objects.filter((o) => o.kind !== 'database' || text.startsWith('CREATE DATABASE'));
  expect(objects).toHaveLength(1);
  return objects[0];
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

  function storedText(object: SchemaObject): string {
    const quote = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
    if (object.kind === 'database') return session.query(`SHOW CREATE DATABASE ${object.name}`, 'TSVRaw').trim();
    if (object.kind === 'function') return session.query(`SELECT create_query FROM system.functions WHERE name = ${quote(object.name)}`, 'TSVRaw').trim();
    return session
      .query(`SELECT create_table_query FROM system.tables WHERE database = ${quote(object.database ?? '')} AND name = ${quote(object.name)}`, 'TSVRaw')
      .trim();
  }

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
      const mismatches: string[] = [];
      for (const object of repository.schema.objects) {
        const stored = storedText(object);
        const server = modelServerText(stored, object.database ?? 'default');
        if (hashObject(server) !== hashObject(object)) {
          mismatches.push(
            `${object.id}\n  server: ${stored}\n  ours:   ${canonicalForm(object).replace(/\n/g, ' | ')}\n  theirs: ${canonicalForm(server).replace(/\n/g, ' | ')}`,
          );
        }
      }
      const total = repository.schema.objects.length;
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

  it('does not change with spelling: quoting, case, spacing, comments, aliases and defaults', () => {
    const respelled = `create table db.\`t\` ( "a" UInt64 , b String codec(zstd) , d Date )
      engine = MergeTree() order by (a) ttl d + toIntervalDay(1) settings index_granularity = 8192;
      CREATE MATERIALIZED VIEW IF NOT EXISTS db.mv ON CLUSTER c TO db.t (a UInt64, b String, d Date)
      AS /* same query */ SELECT a, b, d FROM db.src WHERE (a > 1)`;
    expect(hashes(respelled)).toEqual(original);
  });
});
