CREATE TABLE fleet.readings_1m
(
    device_id UInt64,
    sensor LowCardinality(String),
    minute DateTime('UTC'),
    min_value SimpleAggregateFunction(min, Float64),
    max_value SimpleAggregateFunction(max, Float64),
    avg_value AggregateFunction(avg, Float64),
    samples SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (device_id, sensor, minute)
TTL minute + INTERVAL 3 YEAR;

CREATE MATERIALIZED VIEW fleet.readings_1m_mv TO fleet.readings_1m AS
SELECT
    device_id,
    sensor,
    toStartOfMinute(ts) AS minute,
    min(value) AS min_value,
    max(value) AS max_value,
    avgState(value) AS avg_value,
    count() AS samples
FROM fleet.readings
WHERE quality = 0
GROUP BY device_id, sensor, minute;

CREATE TABLE fleet.last_position
(
    device_id UInt64,
    ts DateTime64(3, 'UTC'),
    lat Float32,
    lon Float32
)
ENGINE = ReplacingMergeTree(ts)
ORDER BY device_id;

CREATE MATERIALIZED VIEW fleet.last_position_mv TO fleet.last_position AS
SELECT device_id, ts, assumeNotNull(lat) AS lat, assumeNotNull(lon) AS lon
FROM fleet.readings
WHERE lat IS NOT NULL AND lon IS NOT NULL;
