ALTER TABLE exp.metric_events MODIFY COLUMN value Float64;
ALTER TABLE exp.exposures DROP COLUMN IF EXISTS environment;
ALTER TABLE exp.exposures DROP COLUMN IF EXISTS holdout;
