CREATE TABLE IF NOT EXISTS traces.spans
(
    timestamp DateTime64(9) CODEC(DoubleDelta, LZ4),
    trace_id FixedString(32) CODEC(ZSTD(1)),
    span_id String CODEC(ZSTD(1)),
    parent_span_id String CODEC(ZSTD(1)),
    service_name LowCardinality(String) CODEC(ZSTD(1)),
    name LowCardinality(String) CODEC(ZSTD(1)),
    kind Enum8('unspecified' = 0, 'internal' = 1, 'server' = 2, 'client' = 3),
    duration_nano UInt64 CODEC(T64, ZSTD(1)),
    status_code Int16 CODEC(T64, ZSTD(1)),
    attributes Map(LowCardinality(String), String) CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (service_name, name, kind, toUnixTimestamp(timestamp), trace_id)
TTL toDateTime(timestamp) + INTERVAL 15 DAY
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS traces.trace_index
(
    trace_id FixedString(32),
    service_name LowCardinality(String),
    start SimpleAggregateFunction(min, DateTime64(9)),
    end SimpleAggregateFunction(max, DateTime64(9))
)
ENGINE = AggregatingMergeTree
ORDER BY (trace_id, service_name);

CREATE MATERIALIZED VIEW IF NOT EXISTS traces.trace_index_mv TO traces.trace_index AS
WITH spans_of_trace AS (SELECT trace_id, service_name, timestamp FROM traces.spans)
SELECT trace_id, service_name, min(timestamp) AS start, max(timestamp) AS end
FROM spans_of_trace
GROUP BY trace_id, service_name;
