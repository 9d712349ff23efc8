DROP VIEW IF EXISTS exp.experiment_results;
DROP VIEW IF EXISTS exp.variant_daily_mv;
DROP TABLE IF EXISTS exp.variant_daily;
