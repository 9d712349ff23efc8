import type { Random } from './random.js';

// The column types the generator writes, each with what it may be used for: a key, a default
// written for it, the codecs ClickHouse accepts on it.

export type Family = 'int' | 'float' | 'string' | 'date' | 'datetime' | 'decimal' | 'other';

export interface TypeChoice {
  sql: string;
  family: Family;
  /** Usable in ORDER BY / PRIMARY KEY / PARTITION BY. */
  sortable: boolean;
  /** Expressions valid as its DEFAULT (`$` is another column of the same family, when there is one). */
  defaults: readonly string[];
  codecs: readonly string[];
}

const INT_CODECS = ['ZSTD(3)', 'LZ4', 'Delta, ZSTD(1)', 'T64', 'DoubleDelta', 'LZ4HC(9)', 'NONE', 'T64, LZ4', 'GCD, LZ4'];
const STRING_CODECS = ['ZSTD(1)', 'LZ4HC(9)', 'NONE', 'ZSTD(6)'];
const DATE_CODECS = ['Delta, ZSTD(1)', 'DoubleDelta', 'ZSTD(1)', 'DoubleDelta, LZ4'];
const INT_DEFAULTS = ['0', '42', '$ + 1', 'rand() % 100', 'intDiv($, 2)', "toUInt32('7')"];

const t = (sql: string, family: Family, sortable: boolean, defaults: readonly string[], codecs: readonly string[]): TypeChoice => ({
  sql,
  family,
  sortable,
  defaults,
  codecs,
});

export const TYPES: readonly TypeChoice[] = [
  t('UInt8', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('UInt16', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('UInt32', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('UInt64', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('Int8', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('Int32', 'int', true, INT_DEFAULTS, INT_CODECS),
  t('Int64', 'int', true, [...INT_DEFAULTS, '-1'], INT_CODECS),
  t('Float32', 'float', true, ['0', '1.5', '$ * 2'], ['Gorilla', 'ZSTD(1)', 'FPC', 'Gorilla, LZ4']),
  t('Float64', 'float', true, ['0', '0.5', '$ / 2', 'rand() / 3'], ['Gorilla', 'ZSTD(1)', 'FPC']),
  t('String', 'string', true, ["''", "'unknown'", 'lower($)', 'trim($)', "concat($, '-x')", 'lcase($)', 'toString(now())'], STRING_CODECS),
  t('FixedString(16)', 'other', true, ["''"], STRING_CODECS),
  t('LowCardinality(String)', 'string', true, ["''", "'web'", 'upper($)'], STRING_CODECS),
  t('LowCardinality(Nullable(String))', 'string', false, ['NULL', "'a'"], STRING_CODECS),
  t('Nullable(String)', 'string', false, ['NULL', "'n'"], STRING_CODECS),
  t('Nullable(UInt32)', 'int', false, ['NULL', '1'], INT_CODECS),
  t('UUID', 'other', true, ['generateUUIDv4()', "toUUID('00000000-0000-0000-0000-000000000000')"], ['ZSTD(1)', 'NONE']),
  t('Date', 'date', true, ['today()', "toDate('2024-01-01')", 'toDate($)'], DATE_CODECS),
  t('Date32', 'date', true, ['today()'], DATE_CODECS),
  t('DateTime', 'datetime', true, ['now()', "toDateTime('2024-01-01 00:00:00')", '$ + INTERVAL 1 HOUR', 'toStartOfHour($)'], DATE_CODECS),
  t("DateTime('UTC')", 'datetime', true, ['now()'], DATE_CODECS),
  t('DateTime64(3)', 'datetime', true, ['now64(3)', 'now()', 'now64()'], DATE_CODECS),
  t("DateTime64(6, 'UTC')", 'datetime', true, ['now64(6)'], DATE_CODECS),
  t('DateTime(6)', 'datetime', true, ['now64(6)'], DATE_CODECS),
  t('Decimal(18, 4)', 'decimal', true, ['0', "toDecimal64('1.5', 4)"], ['ZSTD(1)', 'T64']),
  t('Decimal32(2)', 'decimal', true, ['0'], ['ZSTD(1)']),
  t('Decimal128(10)', 'decimal', true, ['0'], ['ZSTD(1)']),
  t('Bool', 'other', true, ['false', 'true', '0'], ['ZSTD(1)']),
  t('IPv4', 'other', true, ["toIPv4('127.0.0.1')"], ['ZSTD(1)', 'T64']),
  t('IPv6', 'other', true, ["toIPv6('::1')"], ['ZSTD(1)']),
  t("Enum8('a' = 1, 'b' = 2)", 'other', true, ["'a'"], ['ZSTD(1)']),
  t("Enum16('x' = -1, 'y' = 300)", 'other', true, ["'y'"], ['ZSTD(1)']),
  t("Enum('p', 'q')", 'other', true, ["'p'"], []),
  t('Array(String)', 'other', false, ['[]', "['a']", "splitByChar(',', $)"], STRING_CODECS),
  t('Array(UInt32)', 'other', false, ['[]', '[1, 2]'], ['ZSTD(1)', 'T64']),
  t('Array(Nullable(Int32))', 'other', false, ['[]'], ['ZSTD(1)']),
  t('Array(Float32)', 'other', false, ['[]'], ['ZSTD(1)']),
  t('Map(String, UInt64)', 'other', false, ['map()', "map('a', 1)"], ['ZSTD(1)']),
  t('Map(LowCardinality(String), String)', 'other', false, ['map()'], ['ZSTD(1)']),
  t('Tuple(a UInt32, b String)', 'other', false, ["(1, 'x')", "tuple(0, '')"], ['ZSTD(1)']),
  t('Tuple(String, Float64)', 'other', false, ["('a', 1.)"], []),
  t('JSON', 'other', false, ["'{}'"], ['ZSTD(1)']),
  t('JSON(max_dynamic_paths = 1024)', 'other', false, [], []),
  t('JSON(z String, a.b UInt32, SKIP c)', 'other', false, [], []),
  t('Variant(String, UInt64)', 'other', false, ["'v'"], []),
  t('Dynamic', 'other', false, ['1'], []),
  t('Dynamic(max_types = 8)', 'other', false, [], []),
  t('AggregateFunction(uniq, String)', 'other', false, [], ['ZSTD(1)']),
  t('AggregateFunction(sum, UInt64)', 'other', false, [], []),
  t('AggregateFunction(sumMap, Array(UInt8), Array(UInt64))', 'other', false, [], []),
  t('AggregateFunction(quantiles(0.5, 0.9), Float64)', 'other', false, [], []),
  t('AggregateFunction(argMax, String, DateTime)', 'other', false, [], []),
  t('SimpleAggregateFunction(sum, UInt64)', 'int', false, ['0'], ['ZSTD(1)']),
  t('SimpleAggregateFunction(max, DateTime)', 'other', false, [], []),
  t('SimpleAggregateFunction(anyLast, String)', 'other', false, ["''"], []),
  t('SimpleAggregateFunction(groupUniqArrayArray, Array(String))', 'other', false, [], []),
  t('Nested(a UInt32, b String)', 'other', false, [], []),
  t('Point', 'other', false, [], []),
  t('BFloat16', 'float', false, ['0'], []),
];

export function pickType(random: Random, predicate: (type: TypeChoice) => boolean = () => true): TypeChoice {
  return random.pick(TYPES.filter(predicate));
}

/** Types a widening `MODIFY COLUMN` may move to without losing values. */
export const WIDER: Record<string, string[]> = {
  UInt8: ['UInt16', 'UInt32', 'UInt64', 'Int32', 'Nullable(UInt8)'],
  UInt16: ['UInt32', 'UInt64'],
  UInt32: ['UInt64', 'Int64', 'Nullable(UInt32)'],
  Int8: ['Int32', 'Int64'],
  Int32: ['Int64'],
  Float32: ['Float64'],
  String: ['LowCardinality(String)', 'Nullable(String)'],
  'LowCardinality(String)': ['String'],
  Date: ['Date32', 'DateTime'],
  DateTime: ['DateTime64(3)'],
  "Enum8('a' = 1, 'b' = 2)": ["Enum8('a' = 1, 'b' = 2, 'c' = 3)"],
};
