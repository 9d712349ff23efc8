-- migrate:up
CREATE TABLE billing.invoice_lines
(
    invoice_id String,
    org_id UInt64,
    period_start Date,
    period_end Date,
    meter LowCardinality(String),
    quantity Decimal(38, 6),
    unit_price Decimal(18, 8),
    amount Decimal(38, 2),
    currency LowCardinality(String),
    finalized UInt8,
    version UInt32
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (org_id, invoice_id, meter);

CREATE TABLE billing.price_plans
(
    plan_id String,
    meter String,
    tier_from Decimal(38, 6),
    unit_price Decimal(18, 8)
)
ENGINE = MergeTree
ORDER BY (plan_id, meter, tier_from);

-- migrate:down
DROP TABLE billing.price_plans;
DROP TABLE billing.invoice_lines;
