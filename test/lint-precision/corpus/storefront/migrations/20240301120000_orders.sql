-- +goose Up
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.orders
(
    order_id UInt64,
    shop_id UInt32,
    customer_id UInt64,
    status Enum8('pending' = 1, 'paid' = 2, 'shipped' = 3, 'delivered' = 4, 'cancelled' = 5, 'refunded' = 6),
    currency LowCardinality(String),
    subtotal Decimal(18, 2),
    discount Decimal(18, 2),
    shipping Decimal(18, 2),
    tax Decimal(18, 2),
    total Decimal(18, 2),
    created_at DateTime,
    updated_at DateTime,
    _version UInt64,
    _deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(_version, _deleted)
PARTITION BY toYYYYMM(created_at)
ORDER BY (shop_id, order_id);

CREATE TABLE IF NOT EXISTS shop.order_lines
(
    order_id UInt64,
    line_no UInt16,
    shop_id UInt32,
    sku String,
    product_id UInt64,
    quantity UInt32,
    unit_price Decimal(18, 2),
    created_at DateTime,
    _version UInt64
)
ENGINE = ReplacingMergeTree(_version)
PARTITION BY toYYYYMM(created_at)
ORDER BY (shop_id, order_id, line_no);

-- +goose Down
DROP TABLE IF EXISTS shop.order_lines;
DROP TABLE IF EXISTS shop.orders;
