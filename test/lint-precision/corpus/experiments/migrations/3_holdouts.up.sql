ALTER TABLE exp.exposures ADD COLUMN IF NOT EXISTS holdout Bool DEFAULT false;
ALTER TABLE exp.exposures ADD COLUMN IF NOT EXISTS environment LowCardinality(String) DEFAULT 'production';

ALTER TABLE exp.metric_events MODIFY COLUMN value Float32;

DROP VIEW IF EXISTS exp.variant_daily_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS exp.variant_daily_mv TO exp.variant_daily AS
SELECT team_id, experiment_key, variant, toDate(first_exposed_at) AS day, uniqExactState(unit_id) AS units
FROM exp.exposures
WHERE NOT holdout
GROUP BY team_id, experiment_key, variant, day;
