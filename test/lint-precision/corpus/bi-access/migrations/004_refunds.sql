ALTER TABLE bi.events ADD COLUMN IF NOT EXISTS refunded Bool DEFAULT false;
ALTER TABLE bi.daily_kpis ADD COLUMN IF NOT EXISTS refunds UInt64;

ALTER TABLE bi.daily_kpis_mv MODIFY QUERY
SELECT tenant_id, toDate(ts) AS day, event, count() AS events, sum(amount) AS amount, countIf(refunded) AS refunds
FROM bi.events
GROUP BY tenant_id, day, event;

GRANT SELECT ON bi.events_by_user TO bi_reader;
