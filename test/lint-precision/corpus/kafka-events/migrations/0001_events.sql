CREATE DATABASE IF NOT EXISTS pa;

CREATE TABLE IF NOT EXISTS pa.events
(
    uuid UUID,
    event String,
    properties String CODEC(ZSTD(3)),
    timestamp DateTime64(6, 'UTC'),
    team_id Int64,
    distinct_id String,
    created_at DateTime64(6, 'UTC'),
    _timestamp DateTime,
    _offset UInt64
)
ENGINE = ReplacingMergeTree(_timestamp)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team_id, toDate(timestamp), event, cityHash64(distinct_id), cityHash64(uuid))
SAMPLE BY cityHash64(distinct_id);

CREATE TABLE IF NOT EXISTS pa.kafka_events
(
    uuid UUID,
    event String,
    properties String,
    timestamp DateTime64(6, 'UTC'),
    team_id Int64,
    distinct_id String,
    created_at DateTime64(6, 'UTC')
)
ENGINE = Kafka('kafka:9092', 'events_json', 'clickhouse_events', 'JSONEachRow');

CREATE MATERIALIZED VIEW IF NOT EXISTS pa.events_mv TO pa.events AS
SELECT uuid, event, properties, timestamp, team_id, distinct_id, created_at, _timestamp, _offset
FROM pa.kafka_events;
