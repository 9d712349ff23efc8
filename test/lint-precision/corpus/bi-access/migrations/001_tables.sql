CREATE DATABASE IF NOT EXISTS bi;

CREATE TABLE IF NOT EXISTS bi.events
(
    tenant_id LowCardinality(String),
    ts DateTime,
    event LowCardinality(String),
    user_id String,
    amount Decimal(18, 2),
    attributes Map(String, String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant_id, event, ts);

CREATE TABLE IF NOT EXISTS bi.daily_kpis
(
    tenant_id LowCardinality(String),
    day Date,
    event LowCardinality(String),
    events UInt64,
    amount Decimal(38, 2)
)
ENGINE = SummingMergeTree
ORDER BY (tenant_id, day, event);

CREATE MATERIALIZED VIEW IF NOT EXISTS bi.daily_kpis_mv TO bi.daily_kpis AS
SELECT tenant_id, toDate(ts) AS day, event, count() AS events, sum(amount) AS amount
FROM bi.events
GROUP BY tenant_id, day, event;
