CREATE DATABASE IF NOT EXISTS raw;
CREATE DATABASE IF NOT EXISTS marts;

CREATE TABLE IF NOT EXISTS raw.orders
(
    order_id UInt64,
    customer_id UInt64,
    product_id UInt64,
    quantity UInt32,
    price Decimal(18, 2),
    ordered_at DateTime
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ordered_at)
ORDER BY (customer_id, ordered_at, order_id);

CREATE TABLE IF NOT EXISTS raw.orders_dist AS raw.orders
ENGINE = Distributed(default, raw, orders, cityHash64(customer_id));

CREATE TABLE IF NOT EXISTS raw.orders_copy
(
    order_id UInt64,
    customer_id UInt64,
    product_id UInt64,
    quantity UInt32,
    price Decimal(18, 2),
    ordered_at DateTime
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ordered_at)
ORDER BY (customer_id, ordered_at, order_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS raw.orders_copy_mv TO raw.orders_copy AS
SELECT * FROM raw.orders;
