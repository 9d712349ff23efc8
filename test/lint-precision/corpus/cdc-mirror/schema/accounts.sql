CREATE TABLE accounts
(
    id UInt64,
    name String,
    plan LowCardinality(String),
    owner_email String,
    created_at DateTime64(6),
    updated_at DateTime64(6),
    _version UInt64,
    _is_deleted UInt8
)
ENGINE = ReplacingMergeTree(_version, _is_deleted)
ORDER BY id;

CREATE TABLE accounts_queue
(
    payload String
)
ENGINE = Kafka
SETTINGS kafka_broker_list = 'kafka:9092',
         kafka_topic_list = 'pg.public.accounts',
         kafka_group_name = 'clickhouse-accounts',
         kafka_format = 'JSONAsString',
         kafka_num_consumers = 1;

CREATE MATERIALIZED VIEW accounts_consumer TO accounts AS
SELECT
    JSONExtractUInt(payload, 'after', 'id') AS id,
    JSONExtractString(payload, 'after', 'name') AS name,
    JSONExtractString(payload, 'after', 'plan') AS plan,
    JSONExtractString(payload, 'after', 'owner_email') AS owner_email,
    fromUnixTimestamp64Micro(JSONExtractInt(payload, 'after', 'created_at')) AS created_at,
    fromUnixTimestamp64Micro(JSONExtractInt(payload, 'after', 'updated_at')) AS updated_at,
    JSONExtractUInt(payload, 'source', 'lsn') AS _version,
    JSONExtractString(payload, 'op') = 'd' AS _is_deleted
FROM accounts_queue;
