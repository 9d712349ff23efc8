-- `price` in raw.orders is the unit price; the catalog's products also have a `price` column.
ALTER TABLE raw.orders_copy RENAME COLUMN price TO unit_price;

ALTER TABLE raw.orders ADD COLUMN IF NOT EXISTS coupon_code LowCardinality(String) DEFAULT '';
ALTER TABLE raw.orders_copy ADD COLUMN IF NOT EXISTS coupon_code LowCardinality(String) DEFAULT '';

CREATE VIEW IF NOT EXISTS marts.order_lines AS
SELECT o.order_id, o.quantity, o.price AS unit_price, p.price AS list_price, p.name AS product
FROM raw.orders AS o
INNER JOIN dim.products AS p ON p.product_id = o.product_id;
