CREATE TABLE invoices
(
    id UInt64,
    account_id UInt64,
    status LowCardinality(String),
    amount_cents Int64,
    currency FixedString(3),
    issued_at DateTime64(6),
    paid_at Nullable(DateTime64(6)),
    _version UInt64,
    _is_deleted UInt8
)
ENGINE = ReplacingMergeTree(_version, _is_deleted)
PARTITION BY toYYYYMM(issued_at)
ORDER BY (account_id, id);

CREATE TABLE invoices_queue
(
    payload String
)
ENGINE = Kafka
SETTINGS kafka_broker_list = 'kafka:9092',
         kafka_topic_list = 'pg.public.invoices',
         kafka_group_name = 'clickhouse-invoices',
         kafka_format = 'JSONAsString';

CREATE MATERIALIZED VIEW invoices_consumer TO invoices AS
SELECT
    JSONExtractUInt(payload, 'after', 'id') AS id,
    JSONExtractUInt(payload, 'after', 'account_id') AS account_id,
    JSONExtractString(payload, 'after', 'status') AS status,
    JSONExtractInt(payload, 'after', 'amount_cents') AS amount_cents,
    toFixedString(JSONExtractString(payload, 'after', 'currency'), 3) AS currency,
    fromUnixTimestamp64Micro(JSONExtractInt(payload, 'after', 'issued_at')) AS issued_at,
    if(JSONHas(payload, 'after', 'paid_at'), fromUnixTimestamp64Micro(JSONExtractInt(payload, 'after', 'paid_at')), NULL) AS paid_at,
    JSONExtractUInt(payload, 'source', 'lsn') AS _version,
    JSONExtractString(payload, 'op') = 'd' AS _is_deleted
FROM invoices_queue;
