import type { Random } from './random.js';

// The SELECTs and ALTERs of the generated schema (see schema-generator.ts): rollups with
// aggregate states, joins and dictionary lookups, views with window functions, CTEs and
// ARRAY JOIN, and ALTERs with several commands.

export interface Column {
  name: string;
  type: string;
  role: 'id' | 'time' | 'dim' | 'measure' | 'other';
  materialized?: string;
  default?: string;
  codec?: string;
  comment?: string;
  /** In a rollup table: the expression the materialized view computes this column with. */
  source?: string;
}

export interface FactTable {
  db: string;
  name: string;
  columns: Column[];
  /** `MergeTree`, `ReplacingMergeTree`, ...: without the `Replicated` prefix. */
  engine: string;
  replicated: boolean;
  ids: Column[];
  dims: Column[];
  measures: Column[];
  shardKey: string;
}

export interface RollupOptions {
  /** SummingMergeTree (plain sums) rather than AggregatingMergeTree (aggregate states). */
  summing: boolean;
  /** A dictionary keyed by campaign id, when the group has one. */
  dictionary: string | undefined;
  period: 'hour' | 'day';
}

function has(fact: FactTable, name: string): boolean {
  return fact.columns.some((c) => c.name === name);
}

/** Columns of a rollup table, each with the expression its materialized view computes. */
export function aggregateColumnsFor(rng: Random, fact: FactTable, options: RollupOptions): Column[] {
  const period = options.period === 'hour' ? 'toStartOfHour(event_time)' : 'toStartOfDay(event_time)';
  const columns: Column[] = [
    {
      name: 'period_start',
      type: 'DateTime',
      role: 'time',
      source: rng.chance(0.3) ? `toStartOfInterval(event_time, INTERVAL 1 ${options.period.toUpperCase()})` : period,
    },
  ];
  const keyDims = fact.dims.filter((c) => !c.type.includes('Nullable'));
  for (const dim of rng.sample(keyDims, rng.int(1, 3))) columns.push({ ...dim, codec: undefined, comment: undefined, source: dim.name });
  if (has(fact, 'platform')) {
    columns.push({
      name: 'device_class',
      type: 'LowCardinality(String)',
      role: 'dim',
      source: "multiIf(platform = 'web', 'browser', platform IN ('ios', 'android'), 'mobile', 'other')",
    });
  }
  if (has(fact, 'status')) {
    columns.push({
      name: 'status_class',
      type: 'LowCardinality(String)',
      role: 'dim',
      source: "CASE WHEN status < 300 THEN 'ok' WHEN status < 500 THEN 'client_error' ELSE 'server_error' END",
    });
  }
  if (options.dictionary && has(fact, 'campaign_id')) {
    const lookup = rng.chance(0.5) ? `dictGetOrDefault('${options.dictionary}', 'channel', toUInt64(campaign_id), 'unknown')` : "ifNull(d.channel, 'unknown')";
    columns.push({ name: 'channel', type: 'LowCardinality(String)', role: 'dim', source: lookup });
  }
  const state = (fn: string, argument: string, type: string, name: string) =>
    options.summing
      ? { name, type: fn === 'count' ? 'UInt64' : 'Float64', role: 'measure' as const, source: `${fn}(${argument})` }
      : { name, type: `AggregateFunction(${fn}${type ? `, ${type}` : ''})`, role: 'measure' as const, source: `${fn}State(${argument})` };
  columns.push(state('count', '', '', 'events'));
  for (const m of fact.measures) {
    columns.push(state('sum', m.name, m.type, `${m.name}_total`));
    if (!options.summing && rng.chance(0.5)) {
      columns.push({
        name: `${m.name}_quantiles`,
        type: `AggregateFunction(quantiles(0.5, 0.9, 0.99), ${m.type})`,
        role: 'measure',
        source: `quantilesState(0.5, 0.9, 0.99)(${m.name})`,
      });
    }
    if (!options.summing && rng.chance(0.3)) {
      columns.push({ name: `${m.name}_max`, type: `SimpleAggregateFunction(max, ${m.type})`, role: 'measure', source: `max(${m.name})` });
    }
  }
  if (!options.summing && has(fact, 'user_id')) columns.push(state('uniq', 'user_id', 'UInt64', 'users'));
  if (has(fact, 'tags')) columns.push(state('sum', "length(arrayFilter(t -> t != '', tags))", 'UInt64', 'tag_count'));
  if (!options.summing && has(fact, 'attributes') && rng.chance(0.5)) {
    columns.push({
      name: 'attribute_pairs',
      type: 'AggregateFunction(groupUniqArray(100), String)',
      role: 'measure',
      source: "groupUniqArrayState(100)(arrayStringConcat(arrayMap((k, v) -> concat(k, '=', v), mapKeys(attributes), mapValues(attributes)), ','))",
    });
  }
  return columns;
}

/** The SELECT of a materialized view that fills a rollup table from its fact table. */
export function generateRollupSelect(rng: Random, fact: FactTable, rollup: Column[], options: { dictionary: string | undefined }): string {
  const joined = rollup.some((c) => c.source?.startsWith('ifNull(d.'));
  const alias = joined || rng.chance(0.3) ? 's' : '';
  const qualify = (name: string) => (alias ? `${alias}.${name}` : name);
  const items = rollup.map((c) => (c.source === c.name ? qualify(c.name) : `${c.source} AS ${c.name}`));
  const lines = [`SELECT\n    ${items.join(',\n    ')}`, `FROM ${fact.db}.${fact.name}${alias ? ` AS ${alias}` : ''}`];
  if (joined && options.dictionary) {
    const dim = options.dictionary.replace(/_dict$/, '');
    lines.push(`LEFT JOIN ${dim} AS d FINAL ON s.campaign_id = d.campaign_id AND s.event_date BETWEEN d.valid_from AND d.valid_to`);
  }
  const where = [`NOT ${qualify('is_bot')}`];
  if (rng.chance(0.5)) where.push(`${qualify('event_time')} >= toDateTime('2020-01-01 00:00:00')`);
  const stringDim = fact.dims.find((d) => d.type.includes('String') && !d.type.includes('FixedString'));
  if (stringDim && rng.chance(0.4)) where.push(`${qualify(stringDim.name)} NOT IN ('test', 'staging', '')`);
  const measure = fact.measures[0];
  if (rng.chance(0.3)) where.push(`${qualify(measure.name)} BETWEEN 0 AND 1e9`);
  if (has(fact, 'user_id') && rng.chance(0.2)) where.push(`${qualify('user_id')} NOT IN (SELECT user_id FROM ops.blocked_users WHERE blocked_until > now())`);
  lines.push(`WHERE ${where.join('\n  AND ')}`);
  const keys = rollup.filter((c) => c.role !== 'measure').map((c) => (c.source === c.name ? qualify(c.name) : c.name));
  lines.push(`GROUP BY ${keys.join(', ')}`);
  return lines.join('\n');
}

/** The SELECT of a plain view: window functions, a CTE with totals, or an ARRAY JOIN. */
export function generateViewSelect(rng: Random, fact: FactTable): string {
  const source = `${fact.db}.${fact.name}`;
  const key = fact.shardKey;
  const measure = fact.measures[0].name;
  const dim = fact.dims[0].name;
  const shape = has(fact, 'tags') && rng.chance(0.4) ? 'arrayJoin' : rng.pick(['window', 'cte']);
  if (shape === 'window') {
    return [
      'SELECT',
      `    ${key},`,
      '    event_time,',
      `    ${measure},`,
      `    row_number() OVER (PARTITION BY ${key} ORDER BY event_time DESC) AS recency_rank,`,
      `    sum(${measure}) OVER (PARTITION BY ${key} ORDER BY event_time ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total,`,
      "    dateDiff('second', lagInFrame(event_time, 1, event_time) OVER w, event_time) AS seconds_since_previous,",
      `    ${measure}::Float64 / nullIf(max(${measure}) OVER w, 0) AS share_of_max`,
      `FROM ${source}`,
      `WHERE event_date >= today() - ${rng.pick([1, 7, 30])} /* keep the window small */`,
      `WINDOW w AS (PARTITION BY ${key} ORDER BY event_time ASC)`,
      'ORDER BY event_time DESC',
      `LIMIT ${rng.pick([100, 1000, 10000])}`,
    ].join('\n');
  }
  if (shape === 'cte') {
    return [
      `WITH recent AS (SELECT * FROM ${source} WHERE event_date = today() AND NOT is_bot), ${rng.int(2, 100)} AS min_events`,
      'SELECT',
      `    ${dim},`,
      '    count() AS c,',
      `    avgIf(${measure}, ${measure} > 0) AS avg_positive,`,
      `    round(quantileExact(0.95)(${measure}), 2) AS p95,`,
      `    uniqExact(${key}) AS distinct_keys`,
      'FROM recent',
      `GROUP BY ${dim} WITH TOTALS`,
      'HAVING c >= min_events',
      'ORDER BY c DESC, 1 ASC',
      `SETTINGS max_threads = ${rng.pick([2, 4, 8])}`,
    ].join('\n');
  }
  return [
    `SELECT tag, toDate(event_time) AS day, count() AS uses, sumIf(${measure}, ${measure} > 0) AS total`,
    `FROM ${source}`,
    'ARRAY JOIN tags AS tag',
    "WHERE tag != '' AND event_date >= today() - 30",
    'GROUP BY tag, day',
    'ORDER BY uses DESC',
    'LIMIT 10 BY day',
    'UNION ALL',
    `SELECT '<untagged>', toDate(event_time), count(), sumIf(${measure}, ${measure} > 0) FROM ${source} WHERE empty(tags) GROUP BY toDate(event_time)`,
  ].join('\n');
}

/** An ALTER TABLE with one to three commands, the kind migrations accumulate. */
export function generateAlter(rng: Random, fact: FactTable, cluster: string): string {
  const commands: string[] = [];
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    // Nested columns are altered through their subcolumns, and the engine's sign and version columns not at all.
    const column = rng.pick(fact.columns.filter((c) => c.role !== 'time' && !c.type.startsWith('Nested') && c.name !== 'sign' && c.name !== 'version'));
    const suffix = rng.int(1, 999);
    switch (rng.int(0, 9)) {
      case 0:
        commands.push(`ADD COLUMN IF NOT EXISTS note_${suffix} Nullable(String) DEFAULT NULL COMMENT 'Added for ticket DATA-${suffix}' AFTER ${column.name}`);
        break;
      case 1:
        commands.push(
          `MODIFY COLUMN ${column.name} ${column.type} CODEC(${rng.pick(/^U?Int\d+$/.test(column.type) ? ['ZSTD(3)', 'LZ4HC(9)', 'T64, ZSTD(1)'] : ['ZSTD(3)', 'LZ4HC(9)'])})`,
        );
        break;
      case 2:
        commands.push(`DROP COLUMN IF EXISTS legacy_${suffix}`);
        break;
      case 3: {
        const indexed = rng.pick([...fact.ids, ...fact.dims, ...fact.measures]);
        const type = indexed.role === 'measure' ? 'minmax' : 'bloom_filter(0.001)';
        const index = `idx_${indexed.name}_${suffix}`;
        commands.push(`ADD INDEX IF NOT EXISTS ${index} ${indexed.name} TYPE ${type} GRANULARITY 4`, `MATERIALIZE INDEX ${index}`);
        break;
      }
      case 4:
        commands.push(`MODIFY TTL event_date + INTERVAL ${rng.pick([90, 180, 365])} DAY`);
        break;
      case 5:
        commands.push(`MODIFY SETTING merge_with_ttl_timeout = ${rng.pick([3600, 14400, 86400])}`);
        break;
      case 6:
        commands.push(`COMMENT COLUMN ${column.name} '${rng.pick(['Deprecated: read from v2.', 'Nullable until the backfill finishes.', 'Set by the SDK.'])}'`);
        break;
      case 7:
        commands.push(`RENAME COLUMN IF EXISTS old_name_${suffix} TO new_name_${suffix}`);
        break;
      case 8:
        commands.push(`DELETE WHERE event_date < toDate('2021-01-01') AND ${fact.shardKey} IN (SELECT ${fact.shardKey} FROM ops.gdpr_erasures)`);
        break;
      default:
        commands.push(
          `UPDATE is_bot = true WHERE ${has(fact, 'user_agent') ? "match(user_agent, '(?i)bot|crawler|spider')" : `${fact.shardKey} IN (SELECT ${fact.shardKey} FROM ops.known_bots)`}`,
        );
    }
  }
  // `MODIFY TTL` and `MODIFY SETTING` take comma-separated lists, so ClickHouse reads a following
  // `, DROP ...` as part of them: they go last.
  const isList = (command: string) => command.startsWith('MODIFY TTL') || command.startsWith('MODIFY SETTING');
  const last = commands.filter(isList).slice(0, 1);
  const ordered = [...commands.filter((c) => !isList(c)), ...last];
  return `ALTER TABLE ${fact.db}.${fact.name}${cluster}\n    ${ordered.join(',\n    ')}`;
}
