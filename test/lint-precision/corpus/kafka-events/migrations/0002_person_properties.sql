-- Adding a column to a Kafka-fed table: stop the consumer, change both tables, start it again.
-- The consumer group keeps its offsets, so the new view resumes where the old one stopped.
DROP TABLE IF EXISTS pa.events_mv;
DROP TABLE IF EXISTS pa.kafka_events;

ALTER TABLE pa.events ADD COLUMN IF NOT EXISTS person_id UUID;
ALTER TABLE pa.events ADD COLUMN IF NOT EXISTS person_properties String CODEC(ZSTD(3));

CREATE TABLE IF NOT EXISTS pa.kafka_events
(
    uuid UUID,
    event String,
    properties String,
    timestamp DateTime64(6, 'UTC'),
    team_id Int64,
    distinct_id String,
    created_at DateTime64(6, 'UTC'),
    person_id UUID,
    person_properties String
)
ENGINE = Kafka('kafka:9092', 'events_json', 'clickhouse_events', 'JSONEachRow');

CREATE MATERIALIZED VIEW IF NOT EXISTS pa.events_mv TO pa.events AS
SELECT uuid, event, properties, timestamp, team_id, distinct_id, created_at, person_id, person_properties, _timestamp, _offset
FROM pa.kafka_events;
