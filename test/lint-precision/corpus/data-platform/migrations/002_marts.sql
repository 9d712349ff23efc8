CREATE TABLE IF NOT EXISTS marts.sales_by_category
(
    day Date,
    category LowCardinality(String),
    revenue Decimal(38, 2),
    units UInt64
)
ENGINE = SummingMergeTree
ORDER BY (day, category);

-- Categories come from the product catalog team's dimension table.
CREATE MATERIALIZED VIEW IF NOT EXISTS marts.sales_by_category_mv TO marts.sales_by_category AS
SELECT
    toDate(o.ordered_at) AS day,
    dictGetOrDefault('dim.products_dict', 'category', o.product_id, 'unknown') AS category,
    sum(o.price * o.quantity) AS revenue,
    sum(o.quantity) AS units
FROM raw.orders AS o
GROUP BY day, category;

CREATE TABLE IF NOT EXISTS marts.customer_ltv
(
    customer_id UInt64,
    country LowCardinality(String),
    lifetime_revenue Decimal(38, 2),
    first_order DateTime,
    last_order DateTime
)
ENGINE = MergeTree
ORDER BY customer_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS marts.customer_ltv_mv
REFRESH EVERY 1 DAY OFFSET 2 HOUR
TO marts.customer_ltv AS
SELECT
    o.customer_id AS customer_id,
    any(c.country) AS country,
    sum(o.price * o.quantity) AS lifetime_revenue,
    min(o.ordered_at) AS first_order,
    max(o.ordered_at) AS last_order
FROM raw.orders AS o
LEFT JOIN dim.customers AS c ON c.customer_id = o.customer_id
GROUP BY o.customer_id;

CREATE TABLE IF NOT EXISTS marts.top_customers
(
    country LowCardinality(String),
    customer_id UInt64,
    lifetime_revenue Decimal(38, 2)
)
ENGINE = MergeTree
ORDER BY (country, lifetime_revenue);

CREATE MATERIALIZED VIEW IF NOT EXISTS marts.top_customers_mv
REFRESH EVERY 1 DAY OFFSET 3 HOUR DEPENDS ON marts.customer_ltv_mv
TO marts.top_customers AS
SELECT country, customer_id, lifetime_revenue
FROM marts.customer_ltv
ORDER BY lifetime_revenue DESC
LIMIT 100 BY country;
