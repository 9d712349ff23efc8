-- migrate:up
ALTER TABLE billing.invoice_lines ADD COLUMN credits_applied Decimal(38, 2) DEFAULT 0 AFTER amount;
ALTER TABLE billing.invoice_lines MODIFY COLUMN finalized Bool;
ALTER TABLE billing.price_plans MODIFY COLUMN meter LowCardinality(String);

-- migrate:down
ALTER TABLE billing.price_plans MODIFY COLUMN meter String;
ALTER TABLE billing.invoice_lines MODIFY COLUMN finalized UInt8;
ALTER TABLE billing.invoice_lines DROP COLUMN credits_applied;
