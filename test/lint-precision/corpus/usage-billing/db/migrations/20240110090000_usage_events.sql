-- migrate:up
CREATE DATABASE IF NOT EXISTS billing;

CREATE TABLE billing.usage_events
(
    event_id UUID,
    org_id UInt64,
    project_id UInt64,
    meter LowCardinality(String),
    quantity Decimal(20, 6),
    unit LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    idempotency_key String
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (org_id, meter, toStartOfHour(occurred_at), idempotency_key)
SETTINGS index_granularity = 8192;

CREATE TABLE billing.usage_hourly
(
    org_id UInt64,
    project_id UInt64,
    meter LowCardinality(String),
    hour DateTime('UTC'),
    quantity SimpleAggregateFunction(sum, Decimal(38, 6)),
    events SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (org_id, project_id, meter, hour);

CREATE MATERIALIZED VIEW billing.usage_hourly_mv TO billing.usage_hourly AS
SELECT
    org_id,
    project_id,
    meter,
    toStartOfHour(occurred_at) AS hour,
    sum(toDecimal128(quantity, 6)) AS quantity,
    count() AS events
FROM billing.usage_events
GROUP BY org_id, project_id, meter, hour;

-- migrate:down
DROP VIEW billing.usage_hourly_mv;
DROP TABLE billing.usage_hourly;
DROP TABLE billing.usage_events;
