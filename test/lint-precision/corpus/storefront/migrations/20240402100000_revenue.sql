-- +goose Up
CREATE TABLE IF NOT EXISTS shop.revenue_daily
(
    day Date,
    shop_id UInt32,
    currency LowCardinality(String),
    orders UInt64,
    gross Decimal(38, 2),
    refunded Decimal(38, 2)
)
ENGINE = SummingMergeTree
ORDER BY (shop_id, currency, day);

-- Orders are re-inserted on every status change; the rollup only counts an order once it is paid.
CREATE MATERIALIZED VIEW IF NOT EXISTS shop.revenue_daily_mv TO shop.revenue_daily AS
SELECT
    toDate(created_at) AS day,
    shop_id,
    currency,
    countIf(status = 'paid') AS orders,
    sumIf(total, status = 'paid') AS gross,
    sumIf(total, status = 'refunded') AS refunded
FROM shop.orders
GROUP BY day, shop_id, currency;

CREATE VIEW IF NOT EXISTS shop.orders_current AS
SELECT * FROM shop.orders FINAL WHERE _deleted = 0;

-- +goose Down
DROP VIEW IF EXISTS shop.orders_current;
DROP VIEW IF EXISTS shop.revenue_daily_mv;
DROP TABLE IF EXISTS shop.revenue_daily;
