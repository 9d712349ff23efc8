CREATE DATABASE IF NOT EXISTS fleet;

CREATE TABLE fleet.readings
(
    device_id UInt64,
    sensor LowCardinality(String),
    ts DateTime64(3, 'UTC') CODEC(DoubleDelta, LZ4),
    value Float64 CODEC(Gorilla, LZ4),
    quality UInt8 DEFAULT 0,
    firmware LowCardinality(String),
    lat Nullable(Float32),
    lon Nullable(Float32)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (device_id, sensor, ts)
TTL toDateTime(ts) + INTERVAL 400 DAY DELETE;

CREATE TABLE fleet.devices
(
    device_id UInt64,
    vin FixedString(17),
    model LowCardinality(String),
    customer_id UInt32,
    registered_at DateTime,
    decommissioned UInt8 DEFAULT 0,
    updated_at DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY device_id;
