import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAgainstTarget } from '../deploy/planTarget.js';
import { openEmbeddedTarget } from '../live/embedded.js';
import type { Target } from '../live/types.js';
import { buildModel } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import { parseSql } from '../syntax/parser.js';
import type { Plan } from './types.js';

// Every plan here runs on a real ClickHouse (chDB) and is planned again: the second plan must be
// empty. One engine per process, so each case works in its own database.

let target: Target;
beforeAll(async () => {
  target = await openEmbeddedTarget(mkdtempSync(join(tmpdir(), 'clickplan-plan-')));
});
afterAll(async () => {
  await target?.close();
});

function model(...files: string[]): Schema {
  const parsed = files.map((text, i) => {
    const result = parseSql(text, { file: `${i + 1}.sql` });
    expect(result.diagnostics).toEqual([]);
    return { file: `${i + 1}.sql`, statements: result.statements };
  });
  const schema = buildModel(parsed);
  expect(schema.diagnostics).toEqual([]);
  return schema;
}

async function run(sql: string): Promise<void> {
  for (const statement of parseSql(sql).statements) await target.execute(sql.slice(statement.start, statement.end));
}

/** ClickHouse's parser accepts every statement the plan prints (it formats it back), before anything runs. */
async function expectParsed(plan: Plan): Promise<void> {
  for (const step of plan.steps) {
    const literal = `'${step.sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    await expect(target.query(`SELECT formatQuerySingleLine(${literal}) AS q`), step.sql).resolves.toHaveLength(1);
  }
}

async function apply(plan: Plan): Promise<void> {
  for (const step of plan.steps) await target.execute(step.sql, { database: step.database });
}

/** Sets up `live`, plans `desired` against it, applies the plan, and checks a second plan is empty. */
async function planApplyReplan(live: string, ...desired: string[]): Promise<Plan> {
  await run(live);
  const schema = model(...desired);
  const { plan, liveDiagnostics } = await planAgainstTarget(schema, target);
  expect(liveDiagnostics).toEqual([]);
  await expectParsed(plan);
  await apply(plan);
  const again = await planAgainstTarget(schema, target);
  expect(again.plan.steps.map((s) => s.sql)).toEqual([]);
  return plan;
}

const actions = (plan: Plan) => plan.steps.map((s) => `${s.action} ${s.object} ${s.risk}`);

describe('plans applied to ClickHouse and planned again are empty', () => {
  it('creates a pipeline from nothing in dependency order', async () => {
    const plan = await planApplyReplan(
      '',
      `CREATE DATABASE p1;
       CREATE MATERIALIZED VIEW p1.daily_mv TO p1.daily AS SELECT toDate(ts) AS day, count() AS n FROM p1.events GROUP BY day;
       CREATE TABLE p1.daily (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day;
       CREATE TABLE p1.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;`,
    );
    expect(actions(plan)).toEqual(['create p1 safe', 'create p1.events safe', 'create p1.daily safe', 'create p1.daily_mv safe']);
  });

  it('alters columns, indexes, settings, TTL and comments in place', async () => {
    const plan = await planApplyReplan(
      `CREATE DATABASE p2;
       CREATE TABLE p2.t (id UInt64, name String, old UInt8, d Date, INDEX i name TYPE bloom_filter GRANULARITY 1)
         ENGINE = MergeTree ORDER BY id SETTINGS merge_with_ttl_timeout = 3600;
       INSERT INTO p2.t VALUES (1, 'a', 1, '2024-01-01')`,
      `CREATE DATABASE p2;
       CREATE TABLE p2.t (id UInt64, name String COMMENT 'who', d Date, added UInt32 DEFAULT 7,
         INDEX i name TYPE bloom_filter GRANULARITY 4, INDEX j added TYPE minmax GRANULARITY 1)
         ENGINE = MergeTree ORDER BY id TTL d + INTERVAL 10 YEAR SETTINGS min_bytes_for_wide_part = 0
         COMMENT 'the table'`,
    );
    expect(plan.steps.map((s) => s.sql)).toEqual([
      "ALTER TABLE p2.t COMMENT COLUMN name 'who'",
      'ALTER TABLE p2.t ADD COLUMN added UInt32 DEFAULT 7 AFTER d',
      'ALTER TABLE p2.t DROP COLUMN old',
      'ALTER TABLE p2.t DROP INDEX i',
      'ALTER TABLE p2.t ADD INDEX i name TYPE bloom_filter GRANULARITY 4',
      'ALTER TABLE p2.t ADD INDEX j added TYPE minmax GRANULARITY 1',
      'ALTER TABLE p2.t MODIFY TTL d + INTERVAL 10 YEAR',
      'ALTER TABLE p2.t MODIFY SETTING min_bytes_for_wide_part = 0',
      'ALTER TABLE p2.t RESET SETTING merge_with_ttl_timeout',
      "ALTER TABLE p2.t MODIFY COMMENT 'the table'",
    ]);
    expect(plan.risk).toBe('data-loss');
    expect(plan.steps.find((s) => s.sql.includes('DROP COLUMN'))?.risk).toBe('data-loss');
    expect(await target.query('SELECT added FROM p2.t')).toEqual([{ added: 7 }]);
  });

  it('changes a column type with a mutation, marked heavy', async () => {
    const plan = await planApplyReplan(
      'CREATE DATABASE p3; CREATE TABLE p3.t (id UInt64, v UInt8) ENGINE = MergeTree ORDER BY id',
      'CREATE DATABASE p3; CREATE TABLE p3.t (id UInt64, v Nullable(UInt16)) ENGINE = MergeTree ORDER BY id',
    );
    expect(actions(plan)).toEqual(['alter p3.t heavy']);
  });

  it('appends to the sorting key in place when the primary key stays', async () => {
    const plan = await planApplyReplan(
      'CREATE DATABASE p4; CREATE TABLE p4.t (id UInt64) ENGINE = MergeTree ORDER BY id',
      'CREATE DATABASE p4; CREATE TABLE p4.t (id UInt64, ts DateTime) ENGINE = MergeTree PRIMARY KEY id ORDER BY (id, ts)',
    );
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE p4.t\n    ADD COLUMN ts DateTime AFTER id,\n    MODIFY ORDER BY (id, ts)']);
  });

  it('changes an Enum key column that only gains a value in place, as metadata (issue 19)', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p20; CREATE TABLE p20.t (k Enum8('a' = 1), v UInt8) ENGINE = MergeTree ORDER BY k; INSERT INTO p20.t VALUES ('a', 1)",
      "CREATE DATABASE p20; CREATE TABLE p20.t (k Enum8('a' = 1, 'b' = 2), v UInt8) ENGINE = MergeTree ORDER BY k",
    );
    expect(plan.steps.map((s) => `${s.sql} ${s.risk}`)).toEqual(["ALTER TABLE p20.t MODIFY COLUMN k Enum8('a' = 1, 'b' = 2) safe"]);
  });

  it('rebuilds a table whose key or partitioning changes, keeping its rows', async () => {
    const plan = await planApplyReplan(
      `CREATE DATABASE p5; CREATE TABLE p5.t (id UInt64, ts DateTime, x String) ENGINE = MergeTree ORDER BY id;
       INSERT INTO p5.t VALUES (1, '2024-01-01 00:00:00', 'a'), (2, '2024-02-01 00:00:00', 'b')`,
      `CREATE DATABASE p5; CREATE TABLE p5.t (id UInt64, ts DateTime, x String) ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (ts, id)`,
    );
    // Every column is copied: the old table holds only rows written during the copy (issue 13).
    expect(actions(plan)).toEqual(['create p5.t safe', 'copy p5.t heavy', 'exchange p5.t safe', 'drop p5.t heavy']);
    expect(plan.steps[3].riskReason).toContain('stop writers');
    expect(plan.steps[1].impact).toMatchObject({ rows: 2 });
    expect(await target.query('SELECT count() AS n FROM p5.t')).toEqual([{ n: '2' }]);
  });

  it('marks a rebuild that leaves a column out as data loss, naming the column', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p21; CREATE TABLE p21.t (id UInt64, gone String, ts DateTime) ENGINE = MergeTree ORDER BY id; INSERT INTO p21.t VALUES (1, 'x', now())",
      'CREATE DATABASE p21; CREATE TABLE p21.t (id UInt64, ts DateTime) ENGINE = MergeTree ORDER BY (ts, id)',
    );
    expect(actions(plan)).toEqual(['create p21.t safe', 'copy p21.t heavy', 'exchange p21.t safe', 'drop p21.t data-loss']);
    expect(plan.steps[3].riskReason).toContain('the copy leaves out (`gone`)');
  });

  it('copies a column the repository renamed into the rebuilt table (issue 13)', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p22; CREATE TABLE p22.t (id UInt64, x String) ENGINE = MergeTree ORDER BY id; INSERT INTO p22.t VALUES (1, 'kept')",
      'CREATE DATABASE p22; CREATE TABLE p22.t (id UInt64, x String) ENGINE = MergeTree PARTITION BY id % 2 ORDER BY id',
      'ALTER TABLE p22.t RENAME COLUMN x TO y',
    );
    expect(actions(plan)).toEqual(['alter p22.t safe', 'create p22.t safe', 'copy p22.t heavy', 'exchange p22.t safe', 'drop p22.t heavy']);
    expect(await target.query('SELECT y FROM p22.t')).toEqual([{ y: 'kept' }]);
  });

  it('rebuilds a table whose engine refuses the ALTER (TinyLog, code 48), keeping its rows (issue 13)', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p23; CREATE TABLE p23.t (id UInt64, c String CODEC(LZ4HC(9))) ENGINE = TinyLog; INSERT INTO p23.t VALUES (1, 'kept')",
      'CREATE DATABASE p23; CREATE TABLE p23.t (id UInt64, c String CODEC(ZSTD(1))) ENGINE = TinyLog',
    );
    expect(actions(plan)).toEqual(['create p23.t safe', 'copy p23.t heavy', 'exchange p23.t safe', 'drop p23.t heavy']);
    expect(plan.steps[0].reason).toContain('a TinyLog table cannot modify a column in place (code 48)');
    expect(await target.query('SELECT c FROM p23.t')).toEqual([{ c: 'kept' }]);
  });

  it('re-creates without a copy a table that keeps no rows of its own (GenerateRandom)', async () => {
    const plan = await planApplyReplan(
      'CREATE DATABASE p24; CREATE TABLE p24.t (id UInt64) ENGINE = GenerateRandom',
      'CREATE DATABASE p24; CREATE TABLE p24.t (id UInt64, added String) ENGINE = GenerateRandom',
    );
    expect(actions(plan)).toEqual(['replace p24.t safe']);
  });

  it('renames a column of a Log table in its rebuild copy, keeping the values (Log renames none in place)', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p25; CREATE TABLE p25.t (id UInt64, x String) ENGINE = Log; INSERT INTO p25.t VALUES (1, 'kept')",
      'CREATE DATABASE p25; CREATE TABLE p25.t (id UInt64, x String) ENGINE = Log',
      'ALTER TABLE p25.t RENAME COLUMN x TO y',
    );
    expect(actions(plan)).toEqual(['create p25.t safe', 'copy p25.t heavy', 'exchange p25.t safe', 'drop p25.t heavy']);
    expect(await target.query('SELECT y FROM p25.t')).toEqual([{ y: 'kept' }]);
  });

  it('adds an EPHEMERAL column without a default after another column (issue 13: EPHEMERAL AFTER read AFTER as the default)', async () => {
    const plan = await planApplyReplan(
      'CREATE DATABASE p26; CREATE TABLE p26.t (id UInt32, b UInt8) ENGINE = MergeTree ORDER BY id',
      'CREATE DATABASE p26; CREATE TABLE p26.t (id UInt32, e IPv6 EPHEMERAL, b UInt8) ENGINE = MergeTree ORDER BY id',
    );
    expect(plan.steps.map((s) => s.sql)).toEqual(["ALTER TABLE p26.t ADD COLUMN e IPv6 EPHEMERAL defaultValueOfTypeName('IPv6') AFTER id"]);
  });

  it('takes the optimize_for_bulk_insert = true an EmbeddedRocksDB table gets on its first ALTER as no change (issue 13)', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p27; CREATE TABLE p27.t (id UInt64, b UInt8) ENGINE = EmbeddedRocksDB PRIMARY KEY id; ALTER TABLE p27.t COMMENT COLUMN b 'x'",
      "CREATE DATABASE p27; CREATE TABLE p27.t (id UInt64, b UInt8 COMMENT 'x') ENGINE = EmbeddedRocksDB PRIMARY KEY id",
    );
    const [{ q }] = await target.query<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'p27' AND name = 't'");
    expect(q).toContain('SETTINGS optimize_for_bulk_insert = true');
    expect(plan.steps).toEqual([]);
  });

  it('copies with CREATE TABLE x AS y neither an empty PARTITION BY nor the constraints of a GenerateRandom or Merge table (issue 13)', async () => {
    const schema = `CREATE DATABASE p28;
      CREATE TABLE p28.y (id UInt64, ts DateTime) ENGINE = MergeTree PARTITION BY tuple() ORDER BY id;
      CREATE TABLE p28.x AS p28.y ENGINE = MergeTree ORDER BY tuple();
      CREATE TABLE p28.g (id UInt64, CONSTRAINT k CHECK id = id) ENGINE = GenerateRandom;
      CREATE TABLE p28.gc AS p28.g ENGINE = Memory;
      CREATE TABLE p28.m (id UInt64, CONSTRAINT k CHECK id = id) ENGINE = Merge(p28, '^y$');
      CREATE TABLE p28.mc AS p28.m ENGINE = Log`;
    await planApplyReplan('SELECT 1', schema);
  });

  it("takes remote(host, db.t) as the remote(host, 'db.t') the server stores (issue 13: an endless rebuild)", async () => {
    await planApplyReplan(
      'SELECT 1',
      `CREATE DATABASE p29;
       CREATE TABLE p29.t (id UInt64) ENGINE = Memory;
       CREATE TABLE p29.r AS remote('localhost', p29.t);
       CREATE TABLE p29.r2 AS remote('localhost', p29, t)`,
    );
  });

  it('changes a materialized view query with MODIFY QUERY and re-creates it when the target changes', async () => {
    const live = `CREATE DATABASE p6;
      CREATE TABLE p6.src (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE p6.dst (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE p6.other (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE MATERIALIZED VIEW p6.q TO p6.dst AS SELECT a FROM p6.src;
      CREATE MATERIALIZED VIEW p6.t TO p6.dst AS SELECT a FROM p6.src;
      CREATE MATERIALIZED VIEW p6.r REFRESH EVERY 1 HOUR APPEND TO p6.dst AS SELECT a FROM p6.src`;
    const plan = await planApplyReplan(
      live,
      `CREATE DATABASE p6;
      CREATE TABLE p6.src (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE p6.dst (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE TABLE p6.other (a UInt32) ENGINE = MergeTree ORDER BY a;
      CREATE MATERIALIZED VIEW p6.q TO p6.dst AS SELECT a * 2 AS a FROM p6.src;
      CREATE MATERIALIZED VIEW p6.t TO p6.other AS SELECT a FROM p6.src;
      CREATE MATERIALIZED VIEW p6.r REFRESH EVERY 1 HOUR APPEND TO p6.other AS SELECT a FROM p6.src`,
    );
    // The rows are in the TO table, which stays (issue 13: no data-loss step for a change that loses
    // nothing): only inserts between DROP and CREATE are missed; a refreshable view misses none.
    // APPEND: a refresh that replaces its target exchanges the table while the plan reads it again.
    expect(actions(plan)).toEqual(['alter p6.q safe', 'drop p6.t heavy', 'create p6.t safe', 'drop p6.r safe', 'create p6.r safe']);
    expect(plan.steps[1].riskReason).toContain('not written to `p6.other`');
  });

  it('renames tables and columns the repository renamed, keeping their rows', async () => {
    const plan = await planApplyReplan(
      "CREATE DATABASE p7; CREATE TABLE p7.a (id UInt64, x String) ENGINE = MergeTree ORDER BY id; INSERT INTO p7.a VALUES (1, 'kept')",
      'CREATE DATABASE p7; CREATE TABLE p7.a (id UInt64, x String) ENGINE = MergeTree ORDER BY id',
      'RENAME TABLE p7.a TO p7.b',
      'ALTER TABLE p7.b RENAME COLUMN x TO y',
    );
    expect(actions(plan)).toEqual(['rename p7.b safe', 'alter p7.b safe']);
    expect(await target.query('SELECT y FROM p7.b')).toEqual([{ y: 'kept' }]);
  });

  it('replaces views, dictionaries and functions, and drops what the repository no longer has', async () => {
    const plan = await planApplyReplan(
      `CREATE DATABASE p8;
       CREATE TABLE p8.src (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
       CREATE VIEW p8.v AS SELECT id FROM p8.src;
       CREATE DICTIONARY p8.d (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'src' DB 'p8')) LAYOUT(FLAT()) LIFETIME(300);
       CREATE TABLE p8.stray (a UInt8) ENGINE = Memory;
       CREATE FUNCTION p8_double AS x -> x * 2`,
      `CREATE DATABASE p8;
       CREATE TABLE p8.src (id UInt64, name String) ENGINE = MergeTree ORDER BY id;
       CREATE VIEW p8.v AS SELECT id, name FROM p8.src;
       CREATE DICTIONARY p8.d (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'src' DB 'p8')) LAYOUT(HASHED()) LIFETIME(600);
       CREATE FUNCTION p8_double AS x -> x * 3`,
    );
    expect(actions(plan)).toEqual(['drop p8.stray data-loss', 'replace p8_double safe', 'replace p8.v safe', 'replace p8.d safe']);
  });
});

describe('printed statements ClickHouse parses (issue 13)', () => {
  it('writes a view altered by MODIFY QUERY without an empty column list, its target and source qualified', async () => {
    const plan = await planApplyReplan(
      '',
      `CREATE DATABASE p9; USE p9;
       CREATE TABLE src (a UInt32) ENGINE = MergeTree ORDER BY a;
       CREATE TABLE dst (a UInt32) ENGINE = MergeTree ORDER BY a;
       CREATE MATERIALIZED VIEW mv TO dst AS SELECT a FROM src;
       ALTER TABLE mv MODIFY QUERY SELECT a * 2 AS a FROM src`,
    );
    expect(plan.steps.find((s) => s.object === 'p9.mv')?.sql).toBe(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS p9.mv\nTO p9.dst\nAS\nSELECT a * 2 AS a\nFROM p9.src',
    );
  });

  it('writes a CREATE TABLE x AS y with the columns it copied and without AS y', async () => {
    const plan = await planApplyReplan(
      '',
      `CREATE DATABASE p10;
       CREATE TABLE p10.logs (a UInt32, b String) ENGINE = MergeTree ORDER BY a;
       CREATE TABLE p10.logs_all AS p10.logs ENGINE = Merge('p10', '^logs$')`,
    );
    expect(plan.steps.find((s) => s.object === 'p10.logs_all')?.sql).toBe(
      "CREATE TABLE IF NOT EXISTS p10.logs_all\n(\n    a UInt32,\n    b String\n)\nENGINE = Merge('p10', '^logs$')",
    );
  });
});

describe('Nested columns, compared as ClickHouse stores them (issue 13)', () => {
  it('plans only the comment when only the comment changes', async () => {
    const plan = await planApplyReplan(
      'CREATE DATABASE p11; CREATE TABLE p11.t (id UInt32, n Nested(a UInt32, b String)) ENGINE = MergeTree ORDER BY id',
      "CREATE DATABASE p11; CREATE TABLE p11.t (id UInt32, n Nested(a UInt32, b String)) ENGINE = MergeTree ORDER BY id COMMENT 'with a comment'",
    );
    expect(plan.steps.map((s) => s.sql)).toEqual(["ALTER TABLE p11.t MODIFY COMMENT 'with a comment'"]);
  });

  it('adds, changes and drops the subcolumns that change, keeping the rows', async () => {
    const plan = await planApplyReplan(
      `CREATE DATABASE p12; CREATE TABLE p12.t (id UInt32, n Nested(a UInt32, b String, c UInt8), m Nested(x UInt8)) ENGINE = MergeTree ORDER BY id;
       INSERT INTO p12.t VALUES (1, [1, 2], ['x', 'y'], [0, 0], [7])`,
      `CREATE DATABASE p12;
       CREATE TABLE p12.t (id UInt32, n Nested(a UInt64, b String, d String), k Nested(y String)) ENGINE = MergeTree ORDER BY id`,
    );
    expect(actions(plan)).toEqual(['alter p12.t heavy', 'alter p12.t safe', 'alter p12.t safe', 'alter p12.t data-loss', 'alter p12.t data-loss']);
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE p12.t MODIFY COLUMN n.a Array(UInt64)',
      'ALTER TABLE p12.t ADD COLUMN n.d Array(String) AFTER n.b',
      'ALTER TABLE p12.t ADD COLUMN k.y Array(String) AFTER n.d',
      'ALTER TABLE p12.t DROP COLUMN n.c',
      'ALTER TABLE p12.t DROP COLUMN m.x',
    ]);
    expect(await target.query('SELECT n.a AS a, n.b AS b FROM p12.t')).toEqual([{ a: ['1', '2'], b: ['x', 'y'] }]);
  });
});

describe('SQL UDFs, inlined by the server (issue 13)', () => {
  it('converge: columns, TTL, views, MVs and copies that call a function, replaced later', async () => {
    const plan = await planApplyReplan(
      '',
      `CREATE FUNCTION p13_normalize AS (p) -> lower(p);
       CREATE DATABASE p13;
       CREATE TABLE p13.hits (url String, path String MATERIALIZED p13_normalize(url), ts DateTime TTL ts + INTERVAL length(p13_normalize(url)) DAY)
         ENGINE = MergeTree ORDER BY url;
       CREATE VIEW p13.v AS SELECT p13_normalize(url) AS p FROM p13.hits;
       CREATE TABLE p13.paths (p String) ENGINE = MergeTree ORDER BY p;
       CREATE MATERIALIZED VIEW p13.mv TO p13.paths AS SELECT p13_normalize(url) AS p FROM p13.hits;
       CREATE TABLE p13.hits_copy AS p13.hits;
       CREATE OR REPLACE FUNCTION p13_normalize AS (p) -> upper(p);
       ALTER TABLE p13.hits ADD COLUMN later String DEFAULT p13_normalize(url)`,
    );
    // Each object is written with the body current where the repository made it: the function as it is now.
    expect(plan.steps.find((s) => s.object === 'p13.hits')?.sql).toContain('MATERIALIZED lower(url)');
    expect(plan.steps.find((s) => s.object === 'p13.hits')?.sql).toContain('DEFAULT upper(url)');
    expect(plan.steps.find((s) => s.object === 'p13.mv')?.sql).toContain('SELECT lower(url) AS p');
    expect(plan.steps.find((s) => s.object === 'p13_normalize')?.sql).toBe('CREATE FUNCTION IF NOT EXISTS p13_normalize AS p -> upper(p)');
  });
});

describe('what ClickHouse evaluates at CREATE (issue 13)', () => {
  it('converge: Merge(currentDatabase(), ...) and a parameterized view called with its database', async () => {
    const plan = await planApplyReplan(
      '',
      `CREATE DATABASE p14; USE p14;
       CREATE TABLE logs (a UInt32, id UUID) ENGINE = MergeTree ORDER BY a;
       CREATE TABLE logs_all AS logs ENGINE = Merge(currentDatabase(), '^logs$');
       CREATE VIEW raw_v0 AS SELECT a FROM logs WHERE id = {p:UUID};
       CREATE VIEW calls AS SELECT * FROM p14.raw_v0(p = {p:UUID})`,
    );
    expect(plan.steps.find((s) => s.object === 'p14.logs_all')?.sql).toContain("ENGINE = Merge('p14', '^logs$')");
    expect(plan.steps.find((s) => s.object === 'p14.calls')?.sql).toContain('FROM `p14.raw_v0`(p = {p:UUID})');
  });
});

describe('plans for a cluster', () => {
  it('puts ON CLUSTER where each statement takes it, and not in Replicated databases', async () => {
    await run('CREATE DATABASE c1; CREATE TABLE c1.t (id UInt64) ENGINE = MergeTree ORDER BY id');
    const desired = model(
      `CREATE DATABASE c1; CREATE TABLE c1.t (id UInt64, v UInt8) ENGINE = MergeTree ORDER BY id;
       CREATE DATABASE c1r ENGINE = Replicated('/clickhouse/c1r', '{shard}', '{replica}');
       CREATE TABLE c1r.t (id UInt64) ENGINE = MergeTree ORDER BY id`,
    );
    const { plan } = await planAgainstTarget(desired, target, { cluster: 'prod' });
    const first = (s: string) => s.split('\n')[0];
    expect(plan.steps.map((s) => first(s.sql))).toEqual([
      'ALTER TABLE c1.t ON CLUSTER prod ADD COLUMN v UInt8 AFTER id',
      'CREATE DATABASE IF NOT EXISTS c1r ON CLUSTER prod',
      'CREATE TABLE IF NOT EXISTS c1r.t',
    ]);
    for (const step of plan.steps) expect(parseSql(step.sql).diagnostics).toEqual([]);
  });
});

describe('changes the printer cannot write', () => {
  it('are left out of the plan whole, with a diagnostic saying so', async () => {
    const desired = model('CREATE DATABASE u1; CREATE TABLE u1.t (a String) ENGINE = Memory; CREATE VIEW u1.v AS SELECT TRY_CAST(a AS UInt8) AS n FROM u1.t');
    const { plan } = await planAgainstTarget(desired, target);
    expect(plan.steps.map((s) => s.object)).toEqual(['u1', 'u1.t']);
    expect(plan.diagnostics.filter((d) => d.code === 'plan-unsupported').map((d) => d.message)).toEqual([
      expect.stringMatching(/^view `u1.v` needs a step, but ClickPlan cannot write its statement: Cannot print TRY_CAST.*Apply it by hand\.$/),
    ]);
  });
});
