-- migrate:up
-- Dedup by event_id instead of idempotency_key: rebuild the table and swap it in.
CREATE TABLE billing.usage_events_v2
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
ORDER BY (org_id, meter, toStartOfHour(occurred_at), event_id);

INSERT INTO billing.usage_events_v2 SELECT * FROM billing.usage_events;

EXCHANGE TABLES billing.usage_events AND billing.usage_events_v2;

DROP TABLE billing.usage_events_v2;

-- migrate:down
