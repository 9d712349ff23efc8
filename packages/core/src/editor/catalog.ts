import { entriesOf } from '../semantics/lines.js';
import { MERGE_TREE_SETTING_DOCS, QUERY_SETTING_DOCS } from '../semantics/settingDocs.generated.js';

// What ClickHouse offers where the grammar expects a type, an engine or a setting, for completion.
// Settings are generated from the engine (`npm run semantics:generate`, with their descriptions'
// first sentence). Types and engines are curated to what migrations use; test/lsp-catalog.test.ts
// asks a real ClickHouse (chDB) that every name here exists (system.data_type_families,
// system.table_engines, system.database_engines), so nothing here is invented or gone.

export interface CatalogEntry {
  name: string;
  doc: string;
}

const generatedEntries = (text: string): CatalogEntry[] => entriesOf(text, '\t').map(([name = '', doc = '']) => ({ name, doc }));

const entries = (text: string): CatalogEntry[] =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [name, ...doc] = line.trim().split(' — ');
      return { name: name.trim(), doc: doc.join(' — ').trim() };
    });

/** Data types; those that take types as arguments are in TYPE_CONSTRUCTORS. */
export const DATA_TYPES = entries(`
UInt8 — Unsigned 8-bit integer (0 to 255).
UInt16 — Unsigned 16-bit integer.
UInt32 — Unsigned 32-bit integer.
UInt64 — Unsigned 64-bit integer.
UInt128 — Unsigned 128-bit integer.
UInt256 — Unsigned 256-bit integer.
Int8 — Signed 8-bit integer.
Int16 — Signed 16-bit integer.
Int32 — Signed 32-bit integer.
Int64 — Signed 64-bit integer.
Int128 — Signed 128-bit integer.
Int256 — Signed 256-bit integer.
Float32 — 32-bit floating point.
Float64 — 64-bit floating point.
BFloat16 — 16-bit brain floating point.
Decimal — Decimal(P, S): exact number with P digits, S after the point.
Decimal32 — Decimal32(S): up to 9 digits.
Decimal64 — Decimal64(S): up to 18 digits.
Decimal128 — Decimal128(S): up to 38 digits.
Decimal256 — Decimal256(S): up to 76 digits.
Bool — true or false, stored as UInt8.
String — Bytes of any length.
FixedString — FixedString(N): exactly N bytes.
UUID — 16-byte universally unique identifier.
Date — Calendar date, 2 bytes (1970 to 2149).
Date32 — Calendar date, 4 bytes (1900 to 2299).
DateTime — Second-precision time, optionally with a time zone: DateTime('UTC').
DateTime64 — DateTime64(precision[, tz]): sub-second time.
Enum8 — Enum8('a' = 1, 'b' = 2): named values in one byte.
Enum16 — Enum16(...): named values in two bytes.
IPv4 — IPv4 address in 4 bytes.
IPv6 — IPv6 address in 16 bytes.
JSON — Semi-structured JSON object stored as typed subcolumns.
Dynamic — A value of any type, its type stored with it.
Point — (x, y) of Float64.
Ring — Array of points, a closed polygon outline.
Polygon — Array of rings: an outer ring and holes.
MultiPolygon — Array of polygons.
LineString — Array of points.
MultiLineString — Array of line strings.
`);

/** Types written with other types as arguments. */
export const TYPE_CONSTRUCTORS = entries(`
Nullable — Nullable(T): T or NULL; costs a mask column and is refused in sorting keys without allow_nullable_key.
LowCardinality — LowCardinality(T): dictionary-encoded T, for columns with few distinct values.
Array — Array(T): a list of T.
Tuple — Tuple(T1, T2, ...) or Tuple(name T, ...): a fixed set of typed elements.
Map — Map(K, V): key-value pairs.
Nested — Nested(name T, ...): arrays of equal length under one name.
Variant — Variant(T1, T2, ...): one value of one of the listed types.
AggregateFunction — AggregateFunction(func, T): the intermediate state of an aggregate function.
SimpleAggregateFunction — SimpleAggregateFunction(func, T): a value merged by func (sum, max, any...).
`);

/** Table engines. */
export const TABLE_ENGINES = entries(`
MergeTree — Sorted parts merged in the background: the default table engine.
ReplacingMergeTree — MergeTree that keeps the last row per sorting key when parts merge.
SummingMergeTree — MergeTree that sums numeric columns per sorting key when parts merge.
AggregatingMergeTree — MergeTree that merges aggregate function states per sorting key.
CollapsingMergeTree — MergeTree that cancels rows by a sign column.
VersionedCollapsingMergeTree — CollapsingMergeTree with a version column for out-of-order inserts.
GraphiteMergeTree — MergeTree that rolls up Graphite metrics.
CoalescingMergeTree — MergeTree that keeps the last non-null value of each column per sorting key.
ReplicatedMergeTree — MergeTree replicated through ZooKeeper/Keeper: ReplicatedMergeTree('/path/{shard}', '{replica}').
ReplicatedReplacingMergeTree — Replicated ReplacingMergeTree.
ReplicatedSummingMergeTree — Replicated SummingMergeTree.
ReplicatedAggregatingMergeTree — Replicated AggregatingMergeTree.
ReplicatedCollapsingMergeTree — Replicated CollapsingMergeTree.
ReplicatedVersionedCollapsingMergeTree — Replicated VersionedCollapsingMergeTree.
ReplicatedGraphiteMergeTree — Replicated GraphiteMergeTree.
Distributed — Distributed(cluster, database, table[, sharding_key]): queries and inserts go to the shards.
Buffer — Buffer(database, table, ...): buffers inserts in memory and flushes them to the table.
Merge — Merge(database, 'regexp'): reads every table whose name matches.
Dictionary — Dictionary(dict): a dictionary's data as a table.
Null — Discards inserts; materialized views on it still fire.
Memory — Rows in memory, lost on restart.
Log — Small tables written once, read whole.
TinyLog — Smallest Log engine: one file per column.
StripeLog — Log engine with all columns in one file.
Join — Prepared data for JOIN and joinGet.
Set — A set kept in memory for IN.
File — File(format): data in a file on the server.
URL — URL(url, format): data at a URL.
S3 — S3(path, format): data in object storage.
Kafka — Kafka(...): reads a Kafka topic; pair with a materialized view.
MySQL — MySQL(host:port, database, table, user, password): a table on a MySQL server.
PostgreSQL — PostgreSQL(host:port, database, table, user, password): a table on a PostgreSQL server.
MongoDB — MongoDB(...): a MongoDB collection.
EmbeddedRocksDB — Key-value table in RocksDB.
GenerateRandom — Random rows for tests.
`);

/** Database engines. */
export const DATABASE_ENGINES = entries(`
Atomic — The default: tables renamed and dropped without blocking, by UUID.
Replicated — Replicated('/path', '{shard}', '{replica}'): DDL of its tables is replicated to every replica.
Memory — Tables in memory only.
MySQL — MySQL(host:port, database, user, password): a MySQL server's database.
PostgreSQL — PostgreSQL(host:port, database, user, password): a PostgreSQL server's database.
SQLite — SQLite(path): an SQLite file.
`);

/** The settings migrations use most, offered first (names only: the descriptions are generated). */
const COMMON_MERGE_TREE_SETTINGS = `
index_granularity index_granularity_bytes min_bytes_for_wide_part min_rows_for_wide_part storage_policy ttl_only_drop_parts
merge_with_ttl_timeout allow_nullable_key allow_floating_point_partition_key parts_to_delay_insert parts_to_throw_insert
max_parts_in_total replicated_deduplication_window non_replicated_deduplication_window deduplicate_merge_projection_mode
lightweight_mutation_projection_mode old_parts_lifetime min_age_to_force_merge_seconds compress_marks compress_primary_key
enable_mixed_granularity_parts cleanup_delay_period allow_experimental_replacing_merge_with_cleanup`;

const COMMON_QUERY_SETTINGS = `
mutations_sync alter_sync lightweight_deletes_sync distributed_ddl_task_timeout distributed_ddl_output_mode
database_atomic_wait_for_drop_and_detach_synchronously max_execution_time max_memory_usage max_threads
max_partitions_per_insert_block async_insert wait_for_async_insert insert_deduplicate join_use_nulls
allow_suspicious_low_cardinality_types allow_suspicious_codecs allow_create_index_without_type flatten_nested
materialize_ttl_after_modify allow_experimental_analyzer optimize_on_insert`;

/** Every setting of a generated list, the common ones first in their order, then the others by name. */
function settingEntries(generated: string, common: string): CatalogEntry[] {
  const rank = new Map(
    common
      .trim()
      .split(/\s+/)
      .map((name, i) => [name, i]),
  );
  const place = (e: CatalogEntry) => rank.get(e.name) ?? rank.size;
  return generatedEntries(generated).sort((a, b) => place(a) - place(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** MergeTree settings (CREATE TABLE ... SETTINGS, ALTER TABLE ... MODIFY SETTING): every one ClickHouse lists, generated. */
export const MERGE_TREE_SETTINGS: CatalogEntry[] = settingEntries(MERGE_TREE_SETTING_DOCS, COMMON_MERGE_TREE_SETTINGS);

/** Query and session settings (SET, SETTINGS of a statement, a view's query): every one ClickHouse lists, generated. */
export const QUERY_SETTINGS: CatalogEntry[] = settingEntries(QUERY_SETTING_DOCS, COMMON_QUERY_SETTINGS);
