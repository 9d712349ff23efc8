import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAgainstTarget } from '../deploy/planTarget.js';
import { openEmbeddedTarget } from '../live/embedded.js';
import type { Target } from '../live/types.js';
import { buildModel } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import { withExplicitStoredAggregateVersions } from '../semantics/functions.js';
import { parseSql } from '../syntax/parser.js';
import { canonicalForm, hashObject } from './canonical.js';

// Issue #13, defects 4, 5 and 6: definitions ClickHouse stores in another form than they are written.
// Each is created in chDB; the repository's DDL must hash equal to the stored `create_table_query`,
// and planning the same DDL against the engine must find nothing to do.

const CASES: Record<string, string> = {
  // Defect 4: query-level settings in CREATE ... SETTINGS are applied and not stored.
  'a query-level setting on MergeTree (enable_json_type)': 'CREATE TABLE t (a UInt64, j JSON) ENGINE = MergeTree ORDER BY a SETTINGS enable_json_type = 1',
  'the full-text index setting and its alias': `CREATE TABLE t (a UInt64, s String, INDEX i s TYPE text(tokenizer = 'splitByNonAlpha'))
    ENGINE = MergeTree ORDER BY a SETTINGS enable_full_text_index = 1, allow_experimental_full_text_index = 1`,
  'query-level and MergeTree settings mixed (async_insert is both)': `CREATE TABLE t (a UInt64) ENGINE = ReplacingMergeTree ORDER BY a
    SETTINGS enable_json_type = 1, ttl_only_drop_parts = 1, async_insert = 1, max_threads = 2, index_granularity = 1024`,
  'a Join keeps its join settings and drops the others': 'CREATE TABLE t (a UInt64) ENGINE = Join(ANY, LEFT, a) SETTINGS join_use_nulls = 1, max_threads = 2',
  'Memory drops query-level settings': 'CREATE TABLE t (a UInt64) ENGINE = Memory SETTINGS max_rows_to_keep = 100, max_threads = 2',
  'Kafka keeps format settings': `CREATE TABLE t (a UInt64) ENGINE = Kafka SETTINGS kafka_broker_list = 'localhost:9092', kafka_topic_list = 't',
    kafka_group_name = 'g', kafka_format = 'JSONEachRow', input_format_skip_unknown_fields = 1, max_threads = 2`,
  'File keeps every setting': "CREATE TABLE t (a UInt64) ENGINE = File(CSV) SETTINGS max_threads = 2, format_csv_delimiter = ';'",
  // Defect 5: text and vector_similarity indexes default to GRANULARITY 100000000 (text always).
  'text and vector_similarity index granularities': `CREATE TABLE t (a UInt64, s String, s2 String, v Array(Float32),
    INDEX i1 s TYPE text(tokenizer = 'splitByNonAlpha'), INDEX i2 s2 TYPE text(tokenizer = 'ngrams') GRANULARITY 1,
    INDEX i3 v TYPE vector_similarity('hnsw', 'L2Distance', 3), INDEX i4 s TYPE bloom_filter, INDEX i5 a TYPE set(10) GRANULARITY 2)
    ENGINE = MergeTree ORDER BY a`,
  'a vector_similarity index with its granularity written': `CREATE TABLE t (a UInt64, v Array(Float32), INDEX i v TYPE vector_similarity('hnsw', 'cosineDistance', 2) GRANULARITY 2)
    ENGINE = MergeTree ORDER BY a`,
  // Defect 6: type equivalences.
  'DateTime and Time with a precision':
    "CREATE TABLE t (a UInt64, d DateTime(6), e DateTime(3, 'UTC'), f DateTime(0), g TIMESTAMP(3), h Time(2), i DateTime32('UTC'), j Time64) ENGINE = MergeTree ORDER BY a",
  'JSON and Dynamic parameters at their defaults': `CREATE TABLE t (a UInt64, j JSON(max_dynamic_paths = 1024), k JSON(max_dynamic_types = 32, max_dynamic_paths = 100),
    d Dynamic(max_types = 32), e Dynamic(max_types = 8)) ENGINE = MergeTree ORDER BY a`,
  'JSON typed paths and SKIPs, stored sorted': `CREATE TABLE t (a UInt64, j JSON(z.b UInt32, a.c String, b LowCardinality(String), SKIP z.y, SKIP m.n, SKIP REGEXP 'y.*', SKIP REGEXP 'q.*'))
    ENGINE = MergeTree ORDER BY a`,
  'AggregateFunction state versions': `CREATE TABLE t (a UInt64, s1 AggregateFunction(sumMap, Array(UInt8), Array(UInt64)),
    s2 AggregateFunction(maxMapIf, Array(UInt8), Array(UInt64), UInt8), s3 AggregateFunction(sumMap, Map(UInt8, UInt64)),
    s4 AggregateFunction(0, minMap, Array(UInt8), Array(UInt64)), s5 AggregateFunction(sumMapFiltered([1]), Array(UInt8), Array(UInt64)),
    s6 AggregateFunction(sum, UInt64), s10 AggregateFunction(0, sum, UInt64), s7 AggregateFunction(median, Float64), s8 AggregateFunction(SUM, UInt64),
    s9 SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))) ENGINE = AggregatingMergeTree ORDER BY a`,
  // Issue #15: a reverse sorting key (allow_experimental_reverse_key) is stored with its DESC, without ASC.
  'a reverse sorting key':
    'CREATE TABLE t (i Int32, j Int32, k Int32) ENGINE = MergeTree ORDER BY (i, j DESC, k ASC) SETTINGS allow_experimental_reverse_key = 1',
  'one DESC element in parentheses': 'CREATE TABLE t (i Int32) ENGINE = MergeTree ORDER BY (i DESCENDING) SETTINGS allow_experimental_reverse_key = 1',
  'one DESC element alone, and a primary key':
    'CREATE TABLE t (i Int32) ENGINE = MergeTree ORDER BY i DESC PRIMARY KEY i SETTINGS allow_experimental_reverse_key = 1',
  'DESC inside tuple()': 'CREATE TABLE t (i Int32, j Int32) ENGINE = MergeTree ORDER BY tuple(i DESC, j DESC) SETTINGS allow_experimental_reverse_key = 1',
  // A PRIMARY KEY written in the column list is stored as the table's PRIMARY KEY and, without an ORDER BY, its ORDER BY.
  'a PRIMARY KEY on a column': 'CREATE TABLE t (a UInt64 PRIMARY KEY, b String) ENGINE = MergeTree',
  'a PRIMARY KEY element in the column list': 'CREATE TABLE t (a UInt64, b String, PRIMARY KEY (a, b)) ENGINE = MergeTree',
  'a PRIMARY KEY clause without ORDER BY': 'CREATE TABLE t (a UInt64, b String) ENGINE = MergeTree PRIMARY KEY a',
  'a single-column sorting key in tuple()': 'CREATE TABLE t (a UInt64, b String) ENGINE = MergeTree ORDER BY tuple(a)',
  'a PRIMARY KEY on a column of EmbeddedRocksDB (no ORDER BY)': 'CREATE TABLE t (k String PRIMARY KEY, v String) ENGINE = EmbeddedRocksDB',
  'a PRIMARY KEY element and an ORDER BY': 'CREATE TABLE t (a UInt64, b String, PRIMARY KEY a) ENGINE = MergeTree ORDER BY (a, b)',
  'type aliases that drop their arguments':
    'CREATE TABLE t (a UInt64, b INT(11), c VARCHAR(255), d BIGINT UNSIGNED, e FLOAT(10), f DOUBLE PRECISION, g int1 signed) ENGINE = MergeTree ORDER BY a',
  // Issue #15: MySQL's column syntax is read and dropped; a projection may be an index.
  'MySQL column syntax: widths, signs, COLLATE, AUTO_INCREMENT, FOREIGN KEY': `CREATE TABLE t (a INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
    b varchar(255) COLLATE utf8_unicode_ci NOT NULL, c AUTO_INCREMENT, d Nullable(BIGINT(20) UNSIGNED),
    FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE) ENGINE = MergeTree ORDER BY a SETTINGS compatibility_ignore_auto_increment_in_create_table = 1`,
  'projections that are indexes':
    'CREATE TABLE t (a UInt64, r String, PROJECTION p INDEX r TYPE basic, PROJECTION q INDEX (a, r) TYPE basic) ENGINE = MergeTree ORDER BY a',
};

let target: Target;
const root = mkdtempSync(join(tmpdir(), 'clickplan-stored-forms-'));
beforeAll(async () => {
  target = await openEmbeddedTarget(join(root, 'data'));
  for (const [i, sql] of Object.values(CASES).entries()) {
    await target.execute(`CREATE DATABASE case_${i}`);
    await target.execute(sql, { database: `case_${i}` });
  }
});
afterAll(async () => {
  await target?.close();
  rmSync(root, { recursive: true, force: true });
});

function model(sql: string, database: string): Schema {
  const parsed = parseSql(sql, { file: `${database}.sql` });
  expect(parsed.diagnostics).toEqual([]);
  const schema = buildModel([{ file: `${database}.sql`, statements: parsed.statements }], { defaultDatabase: database });
  expect(schema.diagnostics).toEqual([]);
  return schema;
}

describe('definitions ClickHouse stores in another form (issue #13)', () => {
  for (const [i, [what, sql]] of Object.entries(CASES).entries()) {
    const database = `case_${i}`;
    it(`${what}: the repository DDL hashes equal to the stored form`, async () => {
      const [{ create_table_query: query }] = await target.query<{ create_table_query: string }>(
        `SELECT create_table_query FROM system.tables WHERE database = '${database}' AND name = 't'`,
      );
      // As the live reader reads it.
      const stored = withExplicitStoredAggregateVersions(query);
      const written = model(sql, database).objects.find((o) => o.kind === 'table');
      const read = model(stored, database).objects.find((o) => o.kind === 'table');
      if (!written || !read) throw new Error('no table modelled');
      expect(canonicalForm(written), `stored: ${stored}`).toBe(canonicalForm(read));
      expect(hashObject(written)).toBe(hashObject(read));
    });

    it(`${what}: planning the same DDL against the engine finds nothing to do`, async () => {
      const schema = model(`CREATE DATABASE ${database};\n${sql}`, database);
      const { plan, liveDiagnostics } = await planAgainstTarget(schema, target);
      expect(liveDiagnostics).toEqual([]);
      expect(plan.steps.map((s) => s.sql)).toEqual([]);
    });
  }
});

describe('CREATE DATABASE ... SETTINGS (issue #13)', () => {
  it("without ENGINE the settings are the statement's (applied, not stored); with ENGINE they are the engine's", async () => {
    const sql = 'CREATE DATABASE db_query_settings SETTINGS max_threads = 1;\nCREATE DATABASE db_engine_settings ENGINE = Atomic SETTINGS lazy_load_tables = 1';
    for (const statement of sql.split(';\n')) await target.execute(statement);
    const { plan, liveDiagnostics } = await planAgainstTarget(model(sql, 'db_query_settings'), target);
    expect(liveDiagnostics).toEqual([]);
    expect(plan.steps.map((s) => s.sql)).toEqual([]);
    const database = (text: string) => model(text, 'd').objects.find((o) => o.kind === 'database');
    const [kept, plain] = [database('CREATE DATABASE d ENGINE = Atomic SETTINGS lazy_load_tables = 1'), database('CREATE DATABASE d ENGINE = Atomic')];
    const written = database('CREATE DATABASE d SETTINGS max_threads = 1');
    if (!kept || !plain || !written) throw new Error('no database modelled');
    expect(hashObject(written)).toBe(hashObject(plain));
    expect(hashObject(kept)).not.toBe(hashObject(plain));
  });
});

describe('settings changes plan only what ClickHouse stores (issue #13, defect 4)', () => {
  it('a query-level setting added next to a MergeTree setting change plans MODIFY SETTING of the MergeTree one only', async () => {
    await target.execute('CREATE DATABASE settings_change');
    await target.execute('CREATE TABLE settings_change.t (a UInt64) ENGINE = MergeTree ORDER BY a SETTINGS ttl_only_drop_parts = 0');
    const desired = model(
      `CREATE DATABASE settings_change;
       CREATE TABLE settings_change.t (a UInt64, j JSON) ENGINE = MergeTree ORDER BY a
         SETTINGS ttl_only_drop_parts = 1, enable_json_type = 1, max_threads = 4`,
      'settings_change',
    );
    const { plan } = await planAgainstTarget(desired, target);
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE settings_change.t ADD COLUMN j JSON AFTER a',
      'ALTER TABLE settings_change.t MODIFY SETTING ttl_only_drop_parts = 1',
    ]);
    for (const step of plan.steps) await target.execute(step.sql);
    expect((await planAgainstTarget(desired, target)).plan.steps).toEqual([]);
  });
});

describe('reverse sorting keys (issue #15)', () => {
  it('a key element that becomes DESC rebuilds the table, and the plan converges', async () => {
    await target.execute('CREATE DATABASE reverse_key');
    await target.execute('CREATE TABLE reverse_key.t (i Int32, j Int32) ENGINE = MergeTree ORDER BY (i, j) SETTINGS allow_experimental_reverse_key = 1');
    const desired = model(
      `CREATE DATABASE reverse_key;
       CREATE TABLE reverse_key.t (i Int32, j Int32) ENGINE = MergeTree ORDER BY (i, j DESC) SETTINGS allow_experimental_reverse_key = 1`,
      'reverse_key',
    );
    const { plan } = await planAgainstTarget(desired, target);
    expect(plan.steps.map((s) => s.action)).toEqual(['create', 'copy', 'exchange', 'drop']);
    for (const step of plan.steps) await target.execute(step.sql);
    expect((await planAgainstTarget(desired, target)).plan.steps).toEqual([]);
    const [{ sorting_key: key, create_table_query: query }] = await target.query<{ sorting_key: string; create_table_query: string }>(
      "SELECT sorting_key, create_table_query FROM system.tables WHERE database = 'reverse_key' AND name = 't'",
    );
    expect({ key, reverse: query.includes('ORDER BY tuple(i, j DESC)') }).toEqual({ key: 'i, j', reverse: true });
  });
});

describe('settings an engine cannot change in place', () => {
  it('rebuilds a Memory table whose settings are removed (Memory refuses RESET SETTING, code 48)', async () => {
    await target.execute('CREATE DATABASE memory_reset');
    await target.execute('CREATE TABLE memory_reset.t (a UInt64) ENGINE = Memory SETTINGS min_rows_to_keep = 100, max_rows_to_keep = 1000');
    await target.execute('INSERT INTO memory_reset.t VALUES (1), (2)');
    const desired = model('CREATE DATABASE memory_reset;\nCREATE TABLE memory_reset.t (a UInt64) ENGINE = Memory', 'memory_reset');
    const { plan } = await planAgainstTarget(desired, target);
    expect(plan.steps.map((s) => `${s.action} ${s.risk}`)).toEqual(['create safe', 'copy heavy', 'exchange safe', 'drop heavy']);
    for (const step of plan.steps) await target.execute(step.sql);
    expect((await planAgainstTarget(desired, target)).plan.steps).toEqual([]);
    expect(await target.query('SELECT a FROM memory_reset.t ORDER BY a')).toEqual([{ a: '1' }, { a: '2' }]);
  });
});

describe('defaults as an old server stores them (issue #13, defect 6)', () => {
  // ClickHouse 18.16 (Debian's clickhouse-server) stores a default whose type is not the column's
  // wrapped in a CAST to it; recorded from that server's SHOW CREATE TABLE.
  const oldServer = `CREATE TABLE default.t ( d Date,  a UInt64 DEFAULT CAST(0, 'UInt64'),  s String DEFAULT '',  n Nullable(UInt8) DEFAULT CAST(NULL, 'Nullable(UInt8)'),
    f Float64 DEFAULT CAST(1, 'Float64'),  e UInt8 DEFAULT CAST(a + 1, 'UInt8'),  i Int32 DEFAULT CAST(-1, 'Int32'),  dt DateTime DEFAULT now()) ENGINE = Memory`;
  const repository = `CREATE TABLE default.t (d Date, a UInt64 DEFAULT 0, s String DEFAULT '', n Nullable(UInt8) DEFAULT NULL,
    f Float64 DEFAULT 1, e UInt8 DEFAULT a + 1, i Int32 DEFAULT -1, dt DateTime DEFAULT now()) ENGINE = Memory`;
  const table = (sql: string) => model(sql, 'default').objects.find((o) => o.kind === 'table');

  it('hashes a CAST to the column type equal to the value it casts', () => {
    const [written, stored] = [table(repository), table(oldServer)];
    if (!written || !stored) throw new Error('no table modelled');
    expect(canonicalForm(stored)).toBe(canonicalForm(written));
  });

  it('still sees a CAST to another type', () => {
    const [written, stored] = [table(repository), table(oldServer.replace("CAST(0, 'UInt64')", "CAST(0, 'UInt32')"))];
    if (!written || !stored) throw new Error('no table modelled');
    expect(hashObject(stored)).not.toBe(hashObject(written));
  });
});

describe('real differences still change the hash', () => {
  const hashOf = (sql: string) => {
    const object = model(sql, 'default').objects.find((o) => o.kind === 'table');
    if (!object) throw new Error('no table modelled');
    return hashObject(object);
  };
  const table = (columns: string, settings = '') =>
    `CREATE TABLE default.t (a UInt64, s String, v Array(Float32), ${columns}) ENGINE = MergeTree ORDER BY a${settings}`;
  const pairs: [string, string, string][] = [
    ['a text index tokenizer', "INDEX i s TYPE text(tokenizer = 'splitByNonAlpha')", "INDEX i s TYPE text(tokenizer = 'ngrams')"],
    ['a set index size', 'INDEX i s TYPE set(10)', 'INDEX i s TYPE set(20)'],
    [
      'a vector_similarity granularity',
      "INDEX i v TYPE vector_similarity('hnsw', 'L2Distance', 3)",
      "INDEX i v TYPE vector_similarity('hnsw', 'L2Distance', 3) GRANULARITY 2",
    ],
    ['a JSON parameter off its default', 'j JSON', 'j JSON(max_dynamic_paths = 100)'],
    ['a JSON typed path', 'j JSON(a UInt8)', 'j JSON(a UInt16)'],
    ['a DateTime precision', 'd DateTime(3)', 'd DateTime(6)'],
    ['an AggregateFunction version', 'x AggregateFunction(sumMap, Array(UInt8), Array(UInt64))', 'x AggregateFunction(0, sumMap, Array(UInt8), Array(UInt64))'],
    ['a function behind an alias', 'x String DEFAULT trim(s)', 'x String DEFAULT ltrim(s)'],
    ['a CAST to another type than the column', 'x UInt64 DEFAULT 0', "x UInt64 DEFAULT CAST(0, 'UInt8')"],
  ];
  for (const [what, from, to] of pairs) it(`when ${what} changes`, () => expect(hashOf(table(from))).not.toBe(hashOf(table(to))));

  it('when a MergeTree setting changes, not when a query-level one does', () => {
    expect(hashOf(table('x UInt8', ' SETTINGS ttl_only_drop_parts = 1'))).not.toBe(hashOf(table('x UInt8', ' SETTINGS ttl_only_drop_parts = 0')));
    expect(hashOf(table('x UInt8', ' SETTINGS enable_json_type = 1'))).toBe(hashOf(table('x UInt8')));
  });
});
