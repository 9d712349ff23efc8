DROP TABLE IF EXISTS events_queue;
CREATE TABLE events_queue
(
    uuid UUID,
    event String,
    properties String,
    team_id Int64,
    distinct_id String,
    timestamp DateTime64(6, 'UTC')
)
ENGINE = Kafka
SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'events', kafka_group_name = 'events_consumer', kafka_format = 'JSONEachRow';

DROP TABLE IF EXISTS sharded_events;
CREATE TABLE sharded_events
(
    uuid UUID,
    event String,
    properties String CODEC(ZSTD(3)),
    team_id Int64,
    distinct_id String,
    timestamp DateTime64(6, 'UTC'),
    _timestamp DateTime
)
ENGINE = ReplacingMergeTree(_timestamp)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team_id, toDate(timestamp), event, cityHash64(distinct_id), cityHash64(uuid))
SAMPLE BY cityHash64(distinct_id);

DROP TABLE IF EXISTS events;
CREATE TABLE events AS sharded_events ENGINE = Distributed(posthog, default, sharded_events, rand());

DROP VIEW IF EXISTS events_mv;
CREATE MATERIALIZED VIEW events_mv TO events AS
SELECT uuid, event, properties, team_id, distinct_id, timestamp, now() AS _timestamp
FROM events_queue;
