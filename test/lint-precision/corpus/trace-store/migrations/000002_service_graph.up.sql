CREATE TABLE IF NOT EXISTS otel.operations_local ON CLUSTER telemetry
(
    Day Date,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationQuantiles AggregateFunction(quantiles(0.5, 0.9, 0.99), UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/otel/operations_local', '{replica}')
PARTITION BY toYYYYMM(Day)
ORDER BY (ServiceName, SpanName, SpanKind, Day)
TTL Day + toIntervalDay(90);

CREATE MATERIALIZED VIEW IF NOT EXISTS otel.operations_mv ON CLUSTER telemetry TO otel.operations_local AS
SELECT
    toDate(Timestamp) AS Day,
    ServiceName,
    SpanName,
    SpanKind,
    count() AS Calls,
    countIf(StatusCode = 'STATUS_CODE_ERROR') AS Errors,
    quantilesState(0.5, 0.9, 0.99)(Duration) AS DurationQuantiles
FROM otel.spans_local
GROUP BY Day, ServiceName, SpanName, SpanKind;

CREATE TABLE IF NOT EXISTS otel.operations ON CLUSTER telemetry AS otel.operations_local
ENGINE = Distributed(telemetry, otel, operations_local, rand());
