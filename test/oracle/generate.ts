import type { Random } from './random.js';
import type { ColumnSpec, DictionarySpec, FunctionSpec, MaterializedViewSpec, ObjectSpec, SceneSpec, TableSpec, ViewSpec } from './spec.js';
import { pickType, TYPES, type TypeChoice } from './types.js';

// A scene: one or two tables of a random engine family, and what depends on them (views, MVs with
// and without TO, refreshable MVs, dictionaries, SQL UDFs and calls to them, `AS` copies).

const MERGE_TREE = ['MergeTree', 'ReplacingMergeTree', 'SummingMergeTree', 'AggregatingMergeTree', 'CollapsingMergeTree', 'VersionedCollapsingMergeTree'];
const OTHER_ENGINES = [
  'Log',
  'TinyLog',
  'StripeLog',
  'Memory',
  'Null',
  'Set',
  'Join',
  'URL',
  'File',
  'EmbeddedRocksDB',
  'GenerateRandom',
  'ReplicatedMergeTree',
  'Distributed',
];

const UDFS: readonly { lambda: string; family: TypeChoice['family'] }[] = [
  { lambda: '(p) -> lower(p)', family: 'string' },
  { lambda: "(p) -> replaceRegexpAll(p, '/[0-9]+', '/:id')", family: 'string' },
  { lambda: "(a, b) -> concat(a, '-', b)", family: 'string' },
  { lambda: '(x) -> if(x > 10, x, 0)', family: 'int' },
  { lambda: '(x) -> intDiv(x, 2) + 1', family: 'int' },
];

const INDEX_TYPES: readonly { type: string; fits: (t: TypeChoice) => boolean }[] = [
  { type: 'minmax', fits: (t) => t.sortable },
  { type: 'set(100)', fits: (t) => t.sortable },
  { type: 'set(0)', fits: (t) => t.sortable },
  { type: 'bloom_filter', fits: (t) => t.sortable },
  { type: 'bloom_filter(0.01)', fits: (t) => t.family === 'string' || t.family === 'int' },
  { type: 'ngrambf_v1(3, 256, 2, 0)', fits: (t) => t.sql === 'String' },
  { type: 'tokenbf_v1(256, 2, 0)', fits: (t) => t.sql === 'String' },
  { type: 'text(tokenizer = splitByNonAlpha)', fits: (t) => t.sql === 'String' },
  { type: "vector_similarity('hnsw', 'L2Distance', 3)", fits: (t) => t.sql === 'Array(Float32)' },
];

const MERGE_TREE_SETTINGS = [
  'index_granularity = 4096',
  'index_granularity = 8192',
  'merge_with_ttl_timeout = 3600',
  'min_bytes_for_wide_part = 0',
  'ttl_only_drop_parts = 1',
  'allow_nullable_key = 1',
  "storage_policy = 'default'",
  'enable_json_type = 1',
  'allow_experimental_variant_type = 1',
  'max_parts_in_total = 50000',
  "deduplicate_merge_projection_mode = 'drop'",
];

/** A new scene with objects named t1, t2, v1, mv1, d1, f1...; `index` keeps names unique within a run. */
export function generateScene(random: Random): SceneSpec {
  const objects: ObjectSpec[] = [];
  const functions: FunctionSpec[] = [];
  if (random.chance(0.3)) {
    const udf = random.pick(UDFS);
    functions.push({ kind: 'function', name: 'f1', lambda: udf.lambda });
  }
  objects.push(...functions);
  const main = generateTable(random, 't1', functions);
  objects.push(main);
  const extras = random.int(0, 2);
  for (let i = 0; i < extras; i++) {
    const choice = random.pick(['view', 'mv-to', 'mv-inner', 'mv-refresh', 'dictionary', 'copy', 'merge', 'buffer', 'view-param', 'mv-rollup', 'timeseries']);
    objects.push(...dependents(random, choice, main, functions, i + 1));
  }
  return { objects };
}

function udfFamily(fn: FunctionSpec): TypeChoice['family'] {
  return UDFS.find((u) => u.lambda === fn.lambda)?.family ?? 'other';
}

function generateColumns(random: Random, functions: FunctionSpec[], mergeTree: boolean): ColumnSpec[] {
  const columns: ColumnSpec[] = [
    { name: 'id', type: random.pick(['UInt64', 'UInt32', 'UUID', 'String']) },
    { name: 'ts', type: random.pick(['DateTime', 'DateTime64(3)', "DateTime('UTC')", 'Date']) },
  ];
  const count = random.int(1, 5);
  for (let i = 0; i < count; i++) {
    const type = pickType(random);
    const column: ColumnSpec = { name: `c${i}`, type: type.sql };
    decorateColumn(random, column, type, columns, functions, mergeTree);
    columns.push(column);
  }
  return columns;
}

export function decorateColumn(
  random: Random,
  column: ColumnSpec,
  type: TypeChoice,
  others: ColumnSpec[],
  functions: FunctionSpec[],
  mergeTree: boolean,
): void {
  const sameFamily = others.filter((o) => TYPES.find((t) => t.sql === o.type)?.family === type.family && type.family !== 'other');
  const defaults = type.defaults.filter((d) => !d.includes('$') || sameFamily.length > 0);
  if (defaults.length && random.chance(0.35)) {
    column.defaultKind = random.pick(['DEFAULT', 'DEFAULT', 'MATERIALIZED', 'ALIAS', 'EPHEMERAL']);
    const expr = random.pick(defaults);
    column.defaultExpr = expr.replace(/\$/g, sameFamily.length ? random.pick(sameFamily).name : 'id');
    if (column.defaultKind === 'EPHEMERAL' && random.chance(0.5)) delete column.defaultExpr;
    // `x T EPHEMERAL CODEC(...)` reads CODEC(...) as the expression.
    if (column.defaultKind === 'EPHEMERAL' && !column.defaultExpr) return;
  }
  const udf = functions.find((f) => udfFamily(f) === type.family && type.family !== 'other');
  if (udf && sameFamily.length && random.chance(0.5)) {
    const arg = random.pick(sameFamily).name;
    column.defaultKind = random.pick(['DEFAULT', 'MATERIALIZED']);
    column.defaultExpr = udf.lambda.startsWith('(a, b)') ? `@fn${udf.name}(${arg}, ${arg})` : `@fn${udf.name}(${arg})`;
  }
  if (random.chance(0.15)) column.comment = random.pick(['the user', "it''s", 'Unicode: é', '']);
  if (type.codecs.length && random.chance(0.3) && column.defaultKind !== 'ALIAS') column.codec = random.pick(type.codecs);
  if (mergeTree && random.chance(0.08) && column.defaultKind !== 'ALIAS')
    column.ttl = random.pick(['toDateTime(ts) + INTERVAL 1 YEAR', 'toDate(ts) + toIntervalDay(30)']);
}

function keyColumns(columns: ColumnSpec[]): ColumnSpec[] {
  return columns.filter((c) => TYPES.find((t) => t.sql === c.type)?.sortable && c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL');
}

export function generateTable(random: Random, name: string, functions: FunctionSpec[]): TableSpec {
  const family = random.chance(0.7) ? random.pick(MERGE_TREE) : random.pick(OTHER_ENGINES);
  const mergeTree = family.endsWith('MergeTree');
  const columns = generateColumns(random, functions, mergeTree);
  const table: TableSpec = { kind: 'table', name, columns, engine: family };
  if (mergeTree) {
    const keys = keyColumns(columns);
    const order = random.some(keys, 3).map((c) => c.name);
    // ClickHouse refuses a TTL on a key column (code 44).
    for (const c of columns) if (order.includes(c.name)) delete c.ttl;
    table.orderBy = order.length === 0 ? 'tuple()' : order.length === 1 ? order[0] : `(${order.join(', ')})`;
    if (order.length > 1 && random.chance(0.2)) table.primaryKey = order[0];
    if (random.chance(0.4)) table.partitionBy = random.pick(['toYYYYMM(ts)', 'toDate(ts)', 'tuple()', 'toStartOfWeek(ts)']);
    if (random.chance(0.1) && order.includes('id') && columns[0]?.type.startsWith('UInt')) {
      table.sampleBy = 'id';
    }
    if (family === 'ReplacingMergeTree' && random.chance(0.6)) {
      columns.push({ name: 'ver', type: random.pick(['UInt64', 'UInt32', 'DateTime']) });
      table.engine = 'ReplacingMergeTree(ver)';
      if (random.chance(0.4)) {
        columns.push({ name: 'is_deleted', type: 'UInt8' });
        table.engine = 'ReplacingMergeTree(ver, is_deleted)';
      }
    }
    if (family === 'SummingMergeTree' && random.chance(0.5)) {
      columns.push({ name: 'total', type: 'UInt64' });
      table.engine = random.pick(['SummingMergeTree(total)', 'SummingMergeTree((total))']);
    }
    if (family === 'CollapsingMergeTree') {
      columns.push({ name: 'sign', type: 'Int8' });
      table.engine = 'CollapsingMergeTree(sign)';
    }
    if (family === 'VersionedCollapsingMergeTree') {
      columns.push({ name: 'sign', type: 'Int8' }, { name: 'version', type: 'UInt32' });
      table.engine = 'VersionedCollapsingMergeTree(sign, version)';
    }
    if (family === 'ReplicatedMergeTree')
      table.engine = random.pick(['ReplicatedMergeTree', "ReplicatedMergeTree('/clickhouse/tables/{database}/t1', '{replica}')"]);
    const indexed = columns.filter((c) => c.defaultKind !== 'EPHEMERAL');
    const indexes: string[] = [];
    for (let i = 0; i < random.int(0, 2); i++) {
      const column = random.pick(indexed);
      const type = TYPES.find((t) => t.sql === column.type);
      const fitting = INDEX_TYPES.filter((x) => type && x.fits(type));
      if (!fitting.length) continue;
      const granularity = random.chance(0.6) ? ` GRANULARITY ${random.pick(['1', '2', '4', '100000000'])}` : '';
      indexes.push(`INDEX ix${i} ${column.name} TYPE ${random.pick(fitting).type}${granularity}`);
    }
    if (indexes.length) table.indexes = indexes;
    if (random.chance(0.15)) {
      const column = random.pick(keys.length ? keys : columns);
      table.projections = [
        random.pick([`PROJECTION p1 (SELECT * ORDER BY ${column.name})`, `PROJECTION p1 (SELECT ${column.name}, count() GROUP BY ${column.name})`]),
      ];
    }
    if (random.chance(0.15))
      table.ttl = random.pick([
        'toDateTime(ts) + INTERVAL 1 MONTH',
        'toDateTime(ts) + INTERVAL 1 DAY DELETE WHERE id = id',
        'toDateTime(ts) + toIntervalYear(1)',
        'toDateTime(ts) + INTERVAL 1 MONTH RECOMPRESS CODEC(ZSTD(12)), toDateTime(ts) + INTERVAL 1 YEAR',
      ]);
    // One value per setting: the server stores a repeated setting twice and then refuses every
    // ALTER of the table (code 472), an input mistake rather than what the oracle tests.
    const settings = random.some(MERGE_TREE_SETTINGS, 2).filter((s, i, all) => all.findIndex((o) => o.split(' ')[0] === s.split(' ')[0]) === i);
    // 26.x refuses plain columns outside the sorting key of an AggregatingMergeTree unless allowed.
    if (family === 'AggregatingMergeTree' && random.chance(0.9)) settings.push('allow_dimensions_outside_sorting_key = 1');
    if (table.projections && family !== 'MergeTree' && !settings.some((s) => s.startsWith('deduplicate_merge_projection_mode')))
      settings.push("deduplicate_merge_projection_mode = 'rebuild'");
    if (settings.length) table.settings = settings;
  } else {
    for (const c of columns) delete c.ttl;
    switch (family) {
      case 'Join':
        table.engine = `Join(${random.pick(['ANY', 'ALL'])}, LEFT, id)`;
        break;
      case 'URL':
        table.engine = random.pick(["URL('http://localhost:1/data.csv', CSV)", "URL('http://localhost:1/x', 'JSONEachRow', 'gzip')"]);
        break;
      case 'File':
        table.engine = random.pick(['File(CSV)', "File('JSONEachRow')", 'File(TabSeparated)']);
        break;
      case 'EmbeddedRocksDB':
        table.primaryKey = 'id';
        break;
      case 'GenerateRandom':
        table.engine = random.pick(['GenerateRandom', 'GenerateRandom(1, 5, 3)']);
        break;
      case 'Distributed':
        table.engine = "Distributed('default', currentDatabase(), 't0')";
        break;
      case 'Memory':
        if (random.chance(0.3)) table.settings = ['min_rows_to_keep = 100', 'max_rows_to_keep = 1000'];
        break;
    }
  }
  if (random.chance(0.1)) table.constraints = [random.pick(['CONSTRAINT k1 CHECK id = id', 'CONSTRAINT k1 ASSUME length(toString(id)) >= 0'])];
  if (random.chance(0.2)) table.comment = random.pick(['events', "it''s a table", '']);
  return table;
}

function simpleQuery(random: Random, source: TableSpec, functions: FunctionSpec[]): string {
  const readable = source.columns.filter((c) => c.defaultKind !== 'EPHEMERAL');
  const picked = random.some(readable, 3);
  const items = picked.map((c) => {
    const type = TYPES.find((t) => t.sql === c.type);
    const udf = functions.find((f) => type && udfFamily(f) === type.family && !f.lambda.startsWith('(a, b)'));
    if (udf && random.chance(0.5)) return `@fn${udf.name}(${c.name}) AS ${c.name}_u`;
    if (type?.family === 'string' && random.chance(0.5)) return `${random.pick(['lower', 'trim', 'lcase', 'upper', 'length'])}(${c.name}) AS ${c.name}_x`;
    if (type?.family === 'int' && random.chance(0.4)) return `${c.name} + 1 AS ${c.name}_p`;
    return c.name;
  });
  if (items.length === 0) items.push(random.pick(['*', 'id', 'count() AS n']));
  const from = random.chance(0.3) ? `@db.${source.name}` : source.name;
  let query = `SELECT ${items.join(', ')} FROM ${from}`;
  if (items.includes('count() AS n')) return query;
  if (random.chance(0.3)) query += random.pick([' WHERE id = id', " WHERE toString(id) != ''", ' WHERE ts > toDateTime(0)']);
  if (random.chance(0.15)) query = `WITH e AS (SELECT * FROM ${from}) ${query.replace(`FROM ${from}`, 'FROM e')}`;
  return query;
}

function dependents(random: Random, choice: string, main: TableSpec, functions: FunctionSpec[], n: number): ObjectSpec[] {
  switch (choice) {
    case 'view':
      return [
        { kind: 'view', name: `v${n}`, query: simpleQuery(random, main, functions), ...(random.chance(0.2) ? { comment: 'a view' } : {}) } satisfies ViewSpec,
      ];
    case 'view-param':
      return [{ kind: 'view', name: `v${n}`, query: `SELECT * FROM ${main.name} WHERE id = {p:${main.columns[0]?.type ?? 'UInt64'}}` }];
    case 'mv-to': {
      // Not a Nested column: the target stores it as n.a, n.b, and the query's `n` names neither (code 8).
      const picked = random.some(
        main.columns.filter((c) => (!c.defaultKind || c.defaultKind === 'DEFAULT') && !c.type.startsWith('Nested')),
        3,
      );
      const columns = picked.length ? picked : [main.columns[0] as ColumnSpec];
      const target: TableSpec = {
        kind: 'table',
        name: `dst${n}`,
        columns: columns.map((c) => ({ name: c.name, type: c.type })),
        engine: 'MergeTree',
        orderBy: 'tuple()',
      };
      const items = columns.map((c) => (c.type === 'String' && random.chance(0.4) ? `lower(${c.name}) AS ${c.name}` : c.name));
      const mv: MaterializedViewSpec = {
        kind: 'mv',
        name: `mv${n}`,
        to: random.chance(0.3) ? `@db.dst${n}` : `dst${n}`,
        query: `SELECT ${items.join(', ')} FROM ${main.name}`,
      };
      return [target, mv];
    }
    case 'mv-rollup': {
      const target: TableSpec = {
        kind: 'table',
        name: `dst${n}`,
        columns: [
          { name: 'day', type: 'Date' },
          { name: 'hits', type: 'SimpleAggregateFunction(sum, UInt64)' },
          { name: 'users', type: `AggregateFunction(uniq, ${main.columns[0]?.type ?? 'UInt64'})` },
        ],
        engine: 'AggregatingMergeTree',
        orderBy: 'day',
      };
      const mv: MaterializedViewSpec = {
        kind: 'mv',
        name: `mv${n}`,
        to: `dst${n}`,
        query: `SELECT toDate(ts) AS day, count() AS hits, uniqState(id) AS users FROM ${main.name} GROUP BY day`,
      };
      return [target, mv];
    }
    case 'mv-inner':
      return [
        {
          kind: 'mv',
          name: `mv${n}`,
          engine: random.pick(['MergeTree ORDER BY tuple()', 'Memory', 'SummingMergeTree ORDER BY id']),
          query: `SELECT id, ts FROM ${main.name}`,
        },
      ];
    case 'mv-refresh': {
      // A refresh of a URL table (http://localhost:1) retries its connection for minutes, and DROP
      // DATABASE ... SYNC waits for the refresh to end: every such case timed out. A plain view instead.
      // Same for GenerateRandom: count() over an endless table never ends (seed 13 case 27967).
      if (main.engine.startsWith('URL') || main.engine.startsWith('GenerateRandom'))
        return [{ kind: 'view', name: `v${n}`, query: `SELECT count() AS n FROM ${main.name}` }];
      const target: TableSpec = { kind: 'table', name: `dst${n}`, columns: [{ name: 'n', type: 'UInt64' }], engine: 'MergeTree', orderBy: 'tuple()' };
      const refresh = random.pick([
        'REFRESH EVERY 1 HOUR',
        'REFRESH EVERY 1 DAY OFFSET 2 HOUR',
        'REFRESH AFTER 30 MINUTE',
        'REFRESH EVERY 10 MINUTE RANDOMIZE FOR 1 MINUTE',
        'REFRESH EVERY 1 HOUR APPEND',
      ]);
      return [target, { kind: 'mv', name: `mv${n}`, refresh, to: `dst${n}`, query: `SELECT count() AS n FROM ${main.name}` }];
    }
    case 'dictionary': {
      const source: TableSpec = {
        kind: 'table',
        name: `ds${n}`,
        columns: [
          { name: 'key', type: 'UInt64' },
          { name: 'label', type: 'String' },
          { name: 'weight', type: 'Float64' },
          { name: 'valid_from', type: 'Date' },
          { name: 'valid_to', type: 'Date' },
        ],
        engine: 'MergeTree',
        orderBy: 'key',
      };
      const ranged = random.chance(0.2);
      const dictionary: DictionarySpec = {
        kind: 'dictionary',
        name: `d${n}`,
        attributes: [
          'key UInt64',
          random.pick(["label String DEFAULT ''", 'label String', "label String DEFAULT 'none' INJECTIVE"]),
          random.pick(['weight Float64 DEFAULT 0', 'weight Float64 EXPRESSION weight * 2']),
          ...(ranged ? ['valid_from Date', 'valid_to Date'] : []),
        ],
        primaryKey: 'key',
        source: random.pick([`CLICKHOUSE(TABLE 'ds${n}')`, `CLICKHOUSE(TABLE 'ds${n}' DB '@db')`, `CLICKHOUSE(QUERY 'SELECT * FROM @db.ds${n}')`]),
        layout: ranged ? 'RANGE_HASHED()' : random.pick(['HASHED()', 'FLAT()', 'HASHED_ARRAY()', 'SPARSE_HASHED()', 'CACHE(SIZE_IN_CELLS 1000)', 'DIRECT()']),
        lifetime: random.pick(['300', 'MIN 0 MAX 600', 'MIN 60 MAX 120', '0']),
      };
      // A DIRECT dictionary takes no LIFETIME at all (code 36, even LIFETIME(0)).
      if (dictionary.layout === 'DIRECT()') dictionary.lifetime = '';
      if (ranged) dictionary.range = 'MIN valid_from MAX valid_to';
      if (random.chance(0.2)) dictionary.comment = 'lookup';
      if (!random.chance(0.3)) return [source, dictionary];
      const dictionaryTable: TableSpec = {
        kind: 'table',
        name: `dt${n}`,
        columns: [
          { name: 'key', type: 'UInt64' },
          { name: 'label', type: 'String' },
        ],
        engine: `Dictionary(d${n})`,
      };
      return [source, dictionary, dictionaryTable];
    }
    case 'timeseries':
      return [{ kind: 'table', name: `ts${n}`, columns: [], engine: 'TimeSeries', settings: ['allow_experimental_time_series_table = 1'] }];
    case 'copy':
      return [{ kind: 'table', name: `cp${n}`, columns: [], asTable: main.name, engine: random.pick(['Memory', 'Log', 'MergeTree ORDER BY tuple()']) }];
    case 'merge':
      return [
        {
          kind: 'table',
          name: `m${n}`,
          columns: main.columns.filter((c) => !c.defaultKind || c.defaultKind === 'DEFAULT').map((c) => ({ name: c.name, type: c.type })),
          engine: random.pick(["Merge(currentDatabase(), '^t1$')", "Merge('@db', '^t')", "Merge(REGEXP('^t1'), '.*')"]),
        },
      ];
    case 'buffer':
      return [
        {
          kind: 'table',
          name: `b${n}`,
          columns: [],
          asTable: main.name,
          engine: `Buffer(${random.pick(['@db', 'currentDatabase()'])}, ${main.name}, 1, 10, 100, 10000, 1000000, 10000000, 100000000)`,
        },
      ];
  }
  return [];
}
