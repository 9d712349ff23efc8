import { Random } from './random.js';
import { aggregateColumnsFor, type Column, type FactTable, generateAlter, generateRollupSelect, generateViewSelect } from './schema-queries.js';

// A deterministic generator of a large, realistic ClickHouse schema: the shape of a production
// analytics cluster (Kafka ingestion, replicated local tables behind Distributed ones, rollups fed
// by materialized views, dictionaries over dimension tables, and the ALTERs that accumulate over
// time). Every statement is valid ClickHouse 26.7 syntax: parse.bench.ts formats all of them with
// chDB, which fails on the first one it cannot parse. The engine also accepts them, in order, on a
// server with a `hot_cold` storage policy (with a `cold` volume) and reachable dictionary sources:
// replayed single-node into chDB with the policy stripped, only materialized views that look up a
// PostgreSQL-backed dictionary are refused (~0.6%).

export interface SchemaOptions {
  /** Number of CREATE TABLE statements; materialized views come out at about the same number. */
  tables: number;
  /** PRNG seed: the same seed gives the same text. */
  seed: number;
}

export interface Schema {
  /** All statements, each followed by `;`, separated by blank lines. */
  sql: string;
  /** The statements without their trailing `;`. */
  statements: string[];
}

const DATABASES = ['analytics', 'raw', 'marts', 'ads', 'billing', 'telemetry', 'product', 'ops'];
const SUBJECTS = [
  'events',
  'page_views',
  'orders',
  'sessions',
  'clicks',
  'impressions',
  'payments',
  'app_logs',
  'metrics',
  'spans',
  'device_pings',
  'shipments',
  'ad_requests',
  'errors',
  'searches',
  'transactions',
  'notifications',
  'signups',
  'cart_updates',
  'video_plays',
];

/** Columns a fact table draws from, by role. Types cover the ones real schemas use. */
const IDS: Column[] = [
  { name: 'event_id', type: 'UUID', role: 'id' },
  { name: 'user_id', type: 'UInt64', role: 'id' },
  { name: 'account_id', type: 'UInt32', role: 'id' },
  { name: 'session_id', type: 'String', role: 'id' },
  { name: 'device_id', type: 'FixedString(16)', role: 'id' },
  { name: 'order_id', type: 'UInt64', role: 'id' },
];
const DIMENSIONS: Column[] = [
  { name: 'country', type: 'LowCardinality(String)', role: 'dim' },
  { name: 'platform', type: "Enum8('web' = 1, 'ios' = 2, 'android' = 3, 'desktop' = 4)", role: 'dim' },
  { name: 'browser', type: 'LowCardinality(String)', role: 'dim' },
  { name: 'app_version', type: 'LowCardinality(String)', role: 'dim' },
  { name: 'status', type: 'UInt16', role: 'dim' },
  { name: 'campaign_id', type: 'UInt32', role: 'dim' },
  { name: 'region', type: 'LowCardinality(Nullable(String))', role: 'dim' },
  { name: 'currency', type: 'FixedString(3)', role: 'dim' },
  { name: 'service', type: 'LowCardinality(String)', role: 'dim' },
  { name: 'level', type: "Enum8('debug' = 0, 'info' = 1, 'warn' = 2, 'error' = 3)", role: 'dim' },
];
const MEASURES: Column[] = [
  { name: 'duration_ms', type: 'UInt32', role: 'measure' },
  { name: 'revenue', type: 'Decimal(18, 4)', role: 'measure' },
  { name: 'price', type: 'Float64', role: 'measure' },
  { name: 'quantity', type: 'UInt32', role: 'measure' },
  { name: 'bytes_sent', type: 'UInt64', role: 'measure' },
  { name: 'latency_ms', type: 'Float32', role: 'measure' },
  { name: 'score', type: 'Float64', role: 'measure' },
];
const OTHERS: Column[] = [
  { name: 'url', type: 'String', role: 'other', codec: 'ZSTD(3)' },
  { name: 'referrer', type: 'Nullable(String)', role: 'other' },
  { name: 'ip', type: 'IPv6', role: 'other' },
  { name: 'tags', type: 'Array(LowCardinality(String))', role: 'other' },
  { name: 'attributes', type: 'Map(LowCardinality(String), String)', role: 'other' },
  { name: 'is_bot', type: 'Bool', role: 'other', default: 'DEFAULT false' },
  { name: 'user_agent', type: 'String', role: 'other', codec: 'ZSTD(1)' },
  { name: 'geo', type: 'Tuple(lat Float64, lon Float64)', role: 'other' },
  { name: 'items', type: 'Nested(sku String, qty UInt32, unit_price Decimal(12, 2))', role: 'other' },
  { name: 'payload', type: 'String', role: 'other', codec: 'ZSTD(6)', comment: 'Raw JSON as received; parse with JSONExtract*.' },
];

const MERGE_TREES = ['MergeTree', 'ReplacingMergeTree', 'CollapsingMergeTree', 'VersionedCollapsingMergeTree'];
const INDEX_TYPES = ['minmax', 'set(100)', 'bloom_filter(0.01)'];
/** Token and n-gram filters only index strings. */
const STRING_INDEX_TYPES = [...INDEX_TYPES, 'tokenbf_v1(10240, 3, 0)', 'ngrambf_v1(3, 256, 2, 0)'];
const COMMENTS = [
  'Owned by the data platform team.',
  "Backfilled from the legacy warehouse; don't drop before Q3.",
  'PII: user_id is pseudonymous, ip is truncated at ingestion.',
  'Retention follows the contract: 13 months.',
  'Sharded by user so per-user queries hit one shard.',
];

/** Generates `tables` CREATE TABLE statements plus the views, dictionaries and ALTERs around them. */
export function generateSchema(options: SchemaOptions): Schema {
  const rng = new Random(options.seed);
  const statements: string[] = [];
  for (const db of DATABASES) {
    statements.push(`CREATE DATABASE IF NOT EXISTS ${db} ON CLUSTER '{cluster}' ENGINE = Atomic COMMENT '${rng.pick(COMMENTS).replace(/'/g, "\\'")}'`);
  }
  // The lists that rollup filters and ALTER mutations read from.
  for (const [name, key] of [
    ['blocked_users', 'user_id UInt64, blocked_until DateTime'],
    ['gdpr_erasures', 'user_id UInt64, account_id UInt32, session_id String, device_id FixedString(16), event_id UUID, order_id UInt64'],
    ['known_bots', 'user_id UInt64, account_id UInt32, session_id String, device_id FixedString(16), event_id UUID, order_id UInt64'],
  ]) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ops.${name} ON CLUSTER '{cluster}' (${key}, added_at DateTime DEFAULT now()) ENGINE = ReplacingMergeTree ORDER BY tuple()`,
    );
  }
  let tableCount = 0;
  for (let group = 0; tableCount < options.tables; group++) {
    tableCount += generateGroup(rng, group, statements);
  }
  return { sql: `${statements.join(';\n\n')};\n`, statements };
}

/** One subject area: a fact table with its ingestion, distribution, rollups, dimension and views. Returns the number of tables. */
function generateGroup(rng: Random, group: number, out: string[]): number {
  const db = rng.pick(DATABASES);
  const name = `${rng.pick(SUBJECTS)}_${group}`;
  const cluster = rng.chance(0.6) ? " ON CLUSTER '{cluster}'" : '';
  const fact = generateFactColumns(rng, db, name);
  let tables = 0;

  out.push(`-- ${name}: ${rng.pick(COMMENTS)}\n${createFactTable(rng, fact, cluster)}`);
  tables++;
  if (fact.replicated && rng.chance(0.7)) {
    out.push(
      `CREATE TABLE IF NOT EXISTS ${db}.${name}${cluster} AS ${db}.${fact.name}\nENGINE = Distributed('{cluster}', ${db}, ${fact.name}, cityHash64(${fact.shardKey}))`,
    );
    tables++;
  }
  if (rng.chance(0.4)) {
    const queue = `${name}_queue`;
    // Nested columns arrive flattened (`items.sku`); the queue leaves them out and they get defaults.
    const ingested = fact.columns.filter((c) => !c.materialized && !c.type.startsWith('Nested'));
    const columns = ingested.map((c) => `    ${c.name} ${c.role === 'time' ? 'String' : c.type}`);
    out.push(
      [
        `CREATE TABLE ${db}.${queue}${cluster}\n(\n${columns.join(',\n')}\n)`,
        'ENGINE = Kafka',
        `SETTINGS kafka_broker_list = 'kafka-${rng.int(1, 3)}:9092', kafka_topic_list = '${name.replace(/_\d+$/, '')}', kafka_group_name = 'clickhouse_${name}', kafka_format = 'JSONEachRow', kafka_num_consumers = ${rng.int(1, 8)}`,
      ].join('\n'),
    );
    const select = ingested.map((c) => (c.role === 'time' ? `parseDateTime64BestEffortOrNull(${c.name}, 3) AS ${c.name}` : c.name));
    out.push(`CREATE MATERIALIZED VIEW ${db}.${queue}_mv${cluster} TO ${db}.${fact.name}\nAS SELECT\n    ${select.join(',\n    ')}\nFROM ${db}.${queue}`);
    tables++;
  } else if (rng.chance(0.2)) {
    out.push(`CREATE TABLE ${db}.${name}_ingest${cluster} AS ${db}.${fact.name}\nENGINE = Null`);
    out.push(`CREATE MATERIALIZED VIEW ${db}.${name}_ingest_mv${cluster} TO ${db}.${fact.name} AS SELECT * FROM ${db}.${name}_ingest WHERE NOT is_bot`);
    tables++;
  }
  if (rng.chance(0.15)) {
    out.push(`CREATE TABLE ${db}.${name}_buffer AS ${db}.${fact.name}\nENGINE = Buffer(${db}, ${fact.name}, 16, 10, 100, 10000, 1000000, 10000000, 100000000)`);
    tables++;
  }
  let dictionary: string | undefined;
  if (rng.chance(0.3)) {
    dictionary = `${db}.${name}_campaigns_dict`;
    tables += generateDimension(rng, db, `${name}_campaigns`, cluster, out);
  }
  const rollups = rng.int(1, 3);
  for (let r = 0; r < rollups; r++) {
    const target = `${name}_${['hourly', 'daily', 'by_country', 'by_user'][r]}`;
    const summing = rng.chance(0.3);
    const rollup = aggregateColumnsFor(rng, fact, { summing, dictionary, period: r === 1 ? 'day' : 'hour' });
    out.push(createRollupTable(rng, db, target, cluster, rollup, summing));
    tables++;
    // Two views feeding one target is common: one per source, or one per filter during a migration.
    const feeds = rng.chance(0.8) ? 2 : 1;
    for (let f = 0; f < feeds; f++) {
      const select = generateRollupSelect(rng, fact, rollup, { dictionary });
      out.push(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${target}_mv${f === 0 ? '' : f}${cluster}\nTO ${db}.${target}\nAS ${select}`);
    }
  }
  if (rng.chance(0.3)) out.push(`CREATE OR REPLACE VIEW ${db}.${name}_recent${cluster} AS\n${generateViewSelect(rng, fact)}`);
  const alters = rng.chance(0.5) ? rng.int(1, 3) : 0;
  for (let a = 0; a < alters; a++) out.push(generateAlter(rng, fact, cluster));
  return tables;
}

function generateFactColumns(rng: Random, db: string, name: string): FactTable {
  const ids = rng.sample(IDS, rng.int(1, 3));
  const dims = rng.sample(DIMENSIONS, rng.int(2, 6));
  const measures = rng.sample(MEASURES, rng.int(1, 4));
  const others = rng.sample(OTHERS, rng.int(1, 5));
  const engine = rng.pick(MERGE_TREES);
  const columns: Column[] = [
    { name: 'event_time', type: rng.chance(0.5) ? "DateTime64(3, 'UTC')" : 'DateTime', role: 'time', codec: rng.chance(0.5) ? 'Delta, ZSTD(1)' : undefined },
    { name: 'event_date', type: 'Date', role: 'time', materialized: 'toDate(event_time)' },
    ...ids,
    ...dims,
    ...measures,
    ...others,
  ];
  if (!columns.some((c) => c.name === 'is_bot')) columns.push({ name: 'is_bot', type: 'Bool', role: 'other', default: 'DEFAULT false' });
  if (engine.includes('Collapsing')) columns.push({ name: 'sign', type: 'Int8', role: 'other', default: 'DEFAULT 1' });
  if (engine !== 'MergeTree' && engine !== 'CollapsingMergeTree')
    columns.push({ name: 'version', type: 'UInt64', role: 'other', default: 'DEFAULT toUnixTimestamp64Milli(now64())' });
  if (rng.chance(0.3))
    columns.push({ name: 'inserted_at', type: 'DateTime', role: 'other', default: 'DEFAULT now()', comment: 'When the row reached ClickHouse.' });
  const replicated = rng.chance(0.7);
  return { db, name: `${name}${replicated ? '_local' : ''}`, columns, engine, replicated, ids, dims, measures, shardKey: ids[0].name };
}

function columnDefinition(c: Column): string {
  let text = `${c.name} ${c.type}`;
  if (c.materialized) text += ` MATERIALIZED ${c.materialized}`;
  if (c.default) text += ` ${c.default}`;
  // ClickHouse wants COMMENT before CODEC.
  if (c.comment) text += ` COMMENT '${c.comment}'`;
  if (c.codec) text += ` CODEC(${c.codec})`;
  return text;
}

function createFactTable(rng: Random, fact: FactTable, cluster: string): string {
  const lines = fact.columns.map((c) => `    ${columnDefinition(c)}`);
  const indexed = rng.sample([...fact.dims, ...fact.ids], rng.int(0, 3));
  for (const c of indexed) {
    const type = rng.pick(c.type.includes('String') && !c.type.includes('Nullable') ? STRING_INDEX_TYPES : INDEX_TYPES);
    lines.push(`    INDEX idx_${c.name} ${c.name} TYPE ${type} GRANULARITY ${rng.pick([1, 2, 4, 8])}`);
  }
  const measure = fact.measures[0];
  if (rng.chance(0.3)) lines.push(`    CONSTRAINT ${measure.name}_non_negative CHECK ${measure.name} >= 0`);
  // Replacing and collapsing engines refuse projections unless deduplicate_merge_projection_mode is set.
  if (fact.engine === 'MergeTree' && rng.chance(0.4)) {
    const dim = fact.dims[0].name;
    lines.push(`    PROJECTION by_${dim} (SELECT ${dim}, toStartOfHour(event_time) AS hour, count(), sum(${measure.name}) GROUP BY ${dim}, hour)`);
  }
  const engineName = `${fact.replicated ? 'Replicated' : ''}${fact.engine}`;
  const engineArgs: string[] = fact.replicated ? [`'/clickhouse/tables/{shard}/${fact.db}/${fact.name}'`, "'{replica}'"] : [];
  if (fact.engine.includes('Collapsing')) engineArgs.push('sign');
  if (fact.engine === 'ReplacingMergeTree' || fact.engine === 'VersionedCollapsingMergeTree') engineArgs.push('version');
  // A Nullable column in the sorting key needs allow_nullable_key; real schemas keep them out.
  const keyDims = fact.dims.filter((c) => !c.type.includes('Nullable'));
  const orderBy = [...keyDims.slice(0, rng.int(1, 3)).map((c) => c.name), fact.shardKey, 'event_time'];
  const sampled = fact.ids.some((c) => c.type === 'UInt64') && rng.chance(0.3) ? fact.ids.find((c) => c.type === 'UInt64')?.name : undefined;
  if (sampled && !orderBy.includes(sampled)) orderBy.splice(orderBy.length - 1, 0, sampled);
  const clauses = [
    `ENGINE = ${engineName}(${engineArgs.join(', ')})`,
    `PARTITION BY ${rng.pick(['toYYYYMM(event_date)', 'toMonday(event_date)', 'event_date', '(toYYYYMM(event_date), platform)'].filter((p) => !p.includes('platform') || fact.dims.some((d) => d.name === 'platform')))}`,
    `ORDER BY (${orderBy.join(', ')})`,
  ];
  if (sampled) clauses.push(`SAMPLE BY ${sampled}`);
  // `TO VOLUME 'cold'` needs a storage policy with that volume, set in SETTINGS.
  const tiered = rng.chance(0.4);
  if (rng.chance(0.5)) {
    const ttl = [`event_date + INTERVAL ${rng.pick([30, 90, 180, 400])} DAY DELETE`];
    if (tiered && rng.chance(0.6)) ttl.unshift(`event_date + toIntervalDay(${rng.pick([7, 14])}) TO VOLUME 'cold'`);
    clauses.push(`TTL ${ttl.join(', ')}`);
  }
  const settings = ['index_granularity = 8192'];
  if (tiered) settings.push("storage_policy = 'hot_cold'");
  if (rng.chance(0.3)) settings.push('ttl_only_drop_parts = 1');
  clauses.push(`SETTINGS ${settings.join(', ')}`);
  if (rng.chance(0.3)) clauses.push(`COMMENT '${rng.pick(COMMENTS).replace(/'/g, "\\'")}'`);
  return `CREATE TABLE IF NOT EXISTS ${fact.db}.${fact.name}${cluster}\n(\n${lines.join(',\n')}\n)\n${clauses.join('\n')}`;
}

function createRollupTable(rng: Random, db: string, name: string, cluster: string, columns: Column[], summing: boolean): string {
  const keys = columns.filter((c) => c.role !== 'measure').map((c) => c.name);
  const engine = summing ? 'SummingMergeTree' : 'AggregatingMergeTree';
  const replicated = rng.chance(0.6);
  const args = replicated ? [`'/clickhouse/tables/{shard}/${db}/${name}'`, "'{replica}'"] : [];
  const lines = columns.map((c) => `    ${columnDefinition(c)}`);
  return [
    `CREATE TABLE ${db}.${name}${cluster}\n(\n${lines.join(',\n')}\n)`,
    `ENGINE = ${replicated ? 'Replicated' : ''}${engine}(${args.join(', ')})`,
    'PARTITION BY toYYYYMM(period_start)',
    `ORDER BY (${keys.join(', ')})`,
    rng.chance(0.5) ? `TTL period_start + INTERVAL ${rng.pick([1, 2, 3])} YEAR` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** A dimension table and a dictionary over it. Returns the number of tables (1). */
function generateDimension(rng: Random, db: string, name: string, cluster: string, out: string[]): number {
  out.push(
    [
      `CREATE TABLE ${db}.${name}${cluster}\n(`,
      '    campaign_id UInt32,',
      '    name String,',
      "    channel LowCardinality(String) DEFAULT 'unknown',",
      '    budget Decimal(18, 2),',
      '    valid_from Date,',
      "    valid_to Date DEFAULT '2106-01-01',",
      '    updated_at DateTime DEFAULT now()',
      ')',
      'ENGINE = ReplacingMergeTree(updated_at)',
      'ORDER BY campaign_id',
    ].join('\n'),
  );
  const ranged = rng.chance(0.3);
  const source = rng.chance(0.7)
    ? `CLICKHOUSE(DB '${db}' TABLE '${name}' USER 'dictionaries' PASSWORD '')`
    : `POSTGRESQL(HOST 'pg-main' PORT 5432 USER 'reader' PASSWORD '' DB 'marketing' TABLE 'campaigns' INVALIDATE_QUERY 'SELECT max(updated_at) FROM campaigns')`;
  out.push(
    [
      `CREATE DICTIONARY ${db}.${name}_dict${cluster}\n(`,
      '    campaign_id UInt64,',
      "    name String DEFAULT '',",
      "    channel String DEFAULT 'unknown',",
      '    budget Decimal(18, 2) DEFAULT 0,',
      '    valid_from Date,',
      '    valid_to Date',
      ')',
      'PRIMARY KEY campaign_id',
      `SOURCE(${source})`,
      `LIFETIME(MIN ${rng.pick([0, 60, 300])} MAX ${rng.pick([600, 3600])})`,
      ranged ? 'LAYOUT(RANGE_HASHED())\nRANGE(MIN valid_from MAX valid_to)' : `LAYOUT(${rng.pick(['HASHED()', 'FLAT()', 'SPARSE_HASHED(SHARDS 4)'])})`,
      `COMMENT 'Campaign attributes for ${name}'`,
    ].join('\n'),
  );
  return 1;
}
