import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { buildModel } from '../model/replay.js';
import { parseSql } from '../syntax/parser.js';
import { buildGraph } from './graph.js';

const fixtures = new URL('../../../../fixtures/', import.meta.url).pathname;

function loadRepository(name: string) {
  const dir = join(fixtures, name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
  return analyzeFiles(files);
}

function graphOf(sql: string) {
  return buildGraph(buildModel([{ file: 'test.sql', statements: parseSql(sql).statements }]));
}

/** Edges as `from -kind-> to`, without the implicit edges to databases. */
function edges(graph: ReturnType<typeof graphOf>): string[] {
  return graph.dependencies.filter((d) => d.kind !== 'database').map((d) => `${d.from} -${d.kind}-> ${d.to}`);
}

describe('dependencies of the events pipeline', () => {
  const analysis = loadRepository('repos/events-pipeline/schema');

  it('match a hand-written expectation', () => {
    expect(analysis.diagnostics).toEqual([]);
    expect(edges(analysis.graph)).toEqual([
      'raw.events_buffer -as-table-> raw.events',
      'raw.events_buffer -buffer-> raw.events',
      'mart.country_dict -dictionary-source-> mart.countries',
      'mart.daily_events_mv -trigger-> raw.events',
      'mart.daily_events_mv -dict-get-> mart.country_dict',
      'mart.daily_events_mv -writes-to-> mart.daily_events',
      // The CTE `recent` is not a table; the table it reads is.
      'mart.purchases_mv -trigger-> raw.events',
      'mart.purchases_mv -reads-> mart.countries',
      'mart.purchases_mv -writes-to-> mart.purchases',
      'mart.revenue_by_region -reads-> mart.daily_events',
      'mart.revenue_by_region -dict-get-> mart.country_dict',
      'mart.events_since -reads-> raw.events',
      'mart.all_purchases -as-table-> mart.purchases',
      'mart.all_purchases -merge-> mart.purchases',
    ]);
  });

  it('agree with what ClickHouse records about triggers and dictionary sources', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-graph-'));
    const session = new Session(dataDir);
    try {
      for (const file of analysis.files) {
        const { statements } = parseSql(file.text);
        for (const s of statements) session.query(file.text.slice(s.start, s.end));
      }
      const rows = session
        .query(
          "SELECT database, name, dependencies_database, dependencies_table, loading_dependencies_database, loading_dependencies_table FROM system.tables WHERE database IN ('raw', 'mart')",
          'JSONEachRow',
        )
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const fromClickHouse: string[] = [];
      for (const row of rows) {
        for (const [i, mv] of (row.dependencies_table as string[]).entries()) {
          fromClickHouse.push(`${row.dependencies_database[i]}.${mv} -trigger-> ${row.database}.${row.name}`);
        }
        for (const [i, t] of (row.loading_dependencies_table as string[]).entries()) {
          fromClickHouse.push(`${row.database}.${row.name} -dictionary-source-> ${row.loading_dependencies_database[i]}.${t}`);
        }
      }
      const ours = edges(analysis.graph).filter((e) => e.includes('-trigger->') || e.includes('-dictionary-source->'));
      expect([...ours].sort()).toEqual([...fromClickHouse].sort());
    } finally {
      session.cleanup?.();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('orders creation so that everything comes after what it needs', () => {
    const order = analysis.graph.creationOrder;
    for (const d of analysis.graph.dependencies) {
      if (analysis.graph.objects.has(d.to)) expect(order.indexOf(d.to), `${d.to} before ${d.from}`).toBeLessThan(order.indexOf(d.from));
    }
    expect(new Set(order)).toEqual(new Set(analysis.graph.objects.keys()));
    // Drops go the other way: every object before what it needs.
    const drops = analysis.graph.dropOrder;
    for (const d of analysis.graph.dependencies) {
      if (analysis.graph.objects.has(d.to)) expect(drops.indexOf(d.from), `${d.from} dropped before ${d.to}`).toBeLessThan(drops.indexOf(d.to));
    }
  });

  it('answers upstream and downstream impact', () => {
    expect(analysis.graph.downstreamOf('raw.events')).toEqual(
      [
        'mart.daily_events',
        'mart.daily_events_mv',
        'mart.events_since',
        'mart.purchases',
        'mart.purchases_mv',
        'mart.revenue_by_region',
        'raw.events_buffer',
        'mart.all_purchases',
      ].sort(),
    );
    expect(analysis.graph.upstreamOf('mart.revenue_by_region')).toEqual(
      ['mart', 'mart.countries', 'mart.country_dict', 'mart.daily_events', 'mart.daily_events_mv', 'raw', 'raw.events'].sort(),
    );
  });
});

describe('dependencies of the normalizations repository', () => {
  it('match a hand-written expectation', () => {
    const analysis = loadRepository('repos/normalizations/schema');
    expect(analysis.diagnostics).toEqual([]);
    expect(edges(analysis.graph)).toEqual([
      'norm.totals_mv -trigger-> norm.events',
      'norm.totals_mv -writes-to-> norm.totals',
      'norm.expressions -reads-> norm.events',
      'norm.windows -reads-> norm.events',
      // Once from FROM, once from the IN subquery.
      'norm.flattened -reads-> norm.events',
      'norm.flattened -reads-> norm.events',
      // A refreshable view runs on its schedule: inserts into its source do not fire it.
      'norm.hourly -reads-> norm.events',
      'norm.rates_dict -dictionary-source-> norm.rates',
      // SOURCE(CLICKHOUSE(QUERY '...')): the tables the query reads.
      'norm.kinds -dictionary-source-> norm.events',
    ]);
  });
});

describe('dependency extraction', () => {
  it('separates an MV trigger from joined tables, IN subqueries, IN tables, joinGet and table functions', () => {
    const graph = graphOf(`
      CREATE TABLE db.src (a UInt8) ENGINE = Null;
      CREATE MATERIALIZED VIEW db.mv TO db.dst AS
      WITH lookup AS (SELECT a FROM db.l1)
      SELECT s.a, joinGet('db.j', 'v', s.a) AS v
      FROM (SELECT a FROM db.src) AS s
      INNER JOIN lookup ON lookup.a = s.a
      LEFT JOIN remote('host:9000', db, r) AS r ON r.a = s.a
      WHERE s.a IN (SELECT a FROM db.l2) AND s.a NOT IN db.l3 AND s.a IN (1, 2)`);
    expect(edges(graph)).toEqual([
      'db.mv -trigger-> db.src',
      'db.mv -reads-> db.l1',
      'db.mv -reads-> db.r',
      'db.mv -join-get-> db.j',
      'db.mv -reads-> db.l2',
      'db.mv -reads-> db.l3',
      'db.mv -writes-to-> db.dst',
    ]);
  });

  it('fires an MV whose FROM is a CTE on the table the CTE reads, as ClickHouse does (issue 13)', () => {
    const sql = `
      CREATE DATABASE cte;
      CREATE TABLE cte.src (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE cte.other (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE cte.dst (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE MATERIALIZED VIEW cte.mv TO cte.dst AS
        WITH e AS (SELECT a FROM cte.src UNION ALL SELECT a + 100 AS a FROM cte.src) SELECT a FROM e;
      CREATE MATERIALIZED VIEW cte.nested TO cte.dst AS
        WITH f AS (SELECT a FROM cte.other), g AS (SELECT a FROM f) SELECT a FROM g WHERE a IN (SELECT a FROM cte.src)`;
    const graph = graphOf(sql);
    expect(edges(graph)).toEqual([
      'cte.mv -trigger-> cte.src',
      'cte.mv -writes-to-> cte.dst',
      'cte.nested -trigger-> cte.other',
      'cte.nested -reads-> cte.src',
      'cte.nested -writes-to-> cte.dst',
    ]);
    const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-graph-cte-'));
    const session = new Session(dataDir);
    try {
      for (const s of parseSql(sql).statements) session.query(sql.slice(s.start, s.end));
      // ClickHouse records the same triggers, and each branch of the CTE's union reads the inserted block (2 rows, then 1: 6 rows).
      const triggers = session.query(
        "SELECT name, dependencies_table FROM system.tables WHERE database = 'cte' AND notEmpty(dependencies_table) ORDER BY name",
        'TSVRaw',
      );
      expect(triggers).toBe("other\t['nested']\nsrc\t['mv']\n");
      session.query('INSERT INTO cte.src VALUES (1), (2)');
      session.query('INSERT INTO cte.src VALUES (3)');
      expect(session.query('SELECT count() FROM cte.dst', 'TSVRaw')).toBe('6\n');
    } finally {
      session.cleanup?.();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads a parameterized view called with its database, as written and as stored (issue 13)', () => {
    const graph = graphOf(`
      CREATE TABLE db.raw (a UInt32, id UUID) ENGINE = MergeTree ORDER BY a;
      CREATE VIEW db.raw_v0 AS SELECT a FROM db.raw WHERE id = {p:UUID};
      CREATE VIEW db.written AS SELECT * FROM db.raw_v0(p = {p:UUID});
      CREATE VIEW db.stored AS SELECT * FROM \`db.raw_v0\`(p = {p:UUID})`);
    expect(edges(graph)).toEqual(['db.raw_v0 -reads-> db.raw', 'db.written -reads-> db.raw_v0', 'db.stored -reads-> db.raw_v0']);
  });

  it('resolves unqualified names with USE and Distributed/Dictionary engines to their tables', () => {
    const graph = graphOf(`
      USE app;
      CREATE TABLE local (a UInt8) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE dist AS local ENGINE = Distributed(cluster, app, local, rand());
      CREATE TABLE d2 (a UInt8) ENGINE = Distributed(cluster, currentDatabase(), 'local');
      CREATE DICTIONARY dict (a UInt8) PRIMARY KEY a SOURCE(CLICKHOUSE(QUERY 'SELECT a FROM app.local')) LAYOUT(FLAT()) LIFETIME(0);
      CREATE TABLE dt (a UInt8) ENGINE = Dictionary(dict);
      CREATE TABLE t2 (a UInt8, b String DEFAULT dictGetString('app.dict', 'b', a)) ENGINE = Memory`);
    expect(edges(graph)).toEqual([
      'app.dist -as-table-> app.local',
      'app.dist -distributed-> app.local',
      'app.d2 -distributed-> app.local',
      'app.dict -dictionary-source-> app.local',
      'app.dt -reads-> app.dict',
      'app.t2 -dict-get-> app.dict',
    ]);
  });

  it('reports a cycle once, naming every object in it', () => {
    const graph = graphOf(`
      CREATE TABLE db.a (x UInt8) ENGINE = Null;
      CREATE TABLE db.b (x UInt8) ENGINE = Null;
      CREATE MATERIALIZED VIEW db.a_to_b TO db.b AS SELECT x FROM db.a;
      CREATE MATERIALIZED VIEW db.b_to_a TO db.a AS SELECT x FROM db.b`);
    expect(graph.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'dependency-cycle',
        // chDB: `INSERT INTO db.a` fails with code 306 "Dependencies of the table db.a are cyclic".
        'These objects depend on each other in a cycle: `db.a` → `db.a_to_b` → `db.b` → `db.b_to_a` → `db.a`. ClickHouse creates them, but refuses every insert into any of them (code 306: dependencies are cyclic).',
      ],
    ]);
  });
});

describe('name resolution', () => {
  it('resolves unqualified names against the database in USE when the object was created, not its own', () => {
    const graph = graphOf(`
      USE raw;
      CREATE TABLE events (a UInt8) ENGINE = Memory;
      CREATE VIEW mart.v AS SELECT a FROM events;
      CREATE MATERIALIZED VIEW mart.mv TO mart.t AS SELECT a FROM events`);
    expect(edges(graph)).toEqual(['mart.v -reads-> raw.events', 'mart.mv -trigger-> raw.events', 'mart.mv -writes-to-> mart.t']);
  });
});
