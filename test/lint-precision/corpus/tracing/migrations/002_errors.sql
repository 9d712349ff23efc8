CREATE TABLE IF NOT EXISTS traces.errors
(
    timestamp DateTime64(9),
    trace_id FixedString(32),
    service_name LowCardinality(String),
    exception_type LowCardinality(String),
    exception_message String,
    INDEX idx_message exception_message TYPE tokenbf_v1(10000, 5, 0) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (service_name, exception_type, timestamp);

ALTER TABLE traces.errors ADD INDEX IF NOT EXISTS idx_trace trace_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE traces.errors MATERIALIZE INDEX idx_trace;

CREATE TABLE IF NOT EXISTS traces.error_counts
(
    hour DateTime,
    service_name LowCardinality(String),
    exception_type LowCardinality(String),
    errors AggregateFunction(count)
)
ENGINE = AggregatingMergeTree
ORDER BY (service_name, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS traces.error_counts_mv TO traces.error_counts AS
SELECT toStartOfHour(timestamp) AS hour, service_name, exception_type, countState() AS errors
FROM traces.errors
GROUP BY hour, service_name, exception_type;
