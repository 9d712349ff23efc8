DROP TABLE IF EXISTS exp.metric_events;
DROP TABLE IF EXISTS exp.exposures;
