-- +goose Up
CREATE TABLE IF NOT EXISTS shop.storefront_events
(
    ts DateTime64(3),
    shop_id UInt32,
    session_id String,
    customer_id Nullable(UInt64),
    event LowCardinality(String),
    product_id Nullable(UInt64),
    url String,
    referrer String,
    properties JSON
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, event, toDate(ts), session_id)
TTL toDateTime(ts) + INTERVAL 13 MONTH;

CREATE TABLE IF NOT EXISTS shop.funnel_daily
(
    day Date,
    shop_id UInt32,
    viewed AggregateFunction(uniq, String),
    added_to_cart AggregateFunction(uniq, String),
    checked_out AggregateFunction(uniq, String),
    purchased AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (shop_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS shop.funnel_daily_mv TO shop.funnel_daily AS
SELECT
    toDate(ts) AS day,
    shop_id,
    uniqStateIf(session_id, event = 'product_viewed') AS viewed,
    uniqStateIf(session_id, event = 'added_to_cart') AS added_to_cart,
    uniqStateIf(session_id, event = 'checkout_started') AS checked_out,
    uniqStateIf(session_id, event = 'order_completed') AS purchased
FROM shop.storefront_events
GROUP BY day, shop_id;

-- +goose Down
DROP VIEW IF EXISTS shop.funnel_daily_mv;
DROP TABLE IF EXISTS shop.funnel_daily;
DROP TABLE IF EXISTS shop.storefront_events;
