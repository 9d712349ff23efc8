-- +goose Up
ALTER TABLE shop.order_lines ADD COLUMN IF NOT EXISTS category LowCardinality(String) DEFAULT '' AFTER product_id;
ALTER TABLE shop.order_lines RENAME COLUMN sku TO variant_sku;
ALTER TABLE shop.orders MODIFY COLUMN status Enum8('pending' = 1, 'paid' = 2, 'shipped' = 3, 'delivered' = 4, 'cancelled' = 5, 'refunded' = 6, 'partially_refunded' = 7);
ALTER TABLE shop.storefront_events ADD INDEX IF NOT EXISTS idx_session session_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE shop.storefront_events MATERIALIZE INDEX idx_session;

-- +goose Down
ALTER TABLE shop.storefront_events DROP INDEX IF EXISTS idx_session;
ALTER TABLE shop.order_lines RENAME COLUMN variant_sku TO sku;
ALTER TABLE shop.order_lines DROP COLUMN IF EXISTS category;
