CREATE DATABASE IF NOT EXISTS exp;

CREATE TABLE IF NOT EXISTS exp.exposures
(
    team_id UInt32,
    experiment_key LowCardinality(String),
    variant LowCardinality(String),
    unit_id String,
    first_exposed_at DateTime64(3),
    properties Map(String, String)
)
ENGINE = ReplacingMergeTree
ORDER BY (team_id, experiment_key, unit_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS exp.metric_events
(
    team_id UInt32,
    unit_id String,
    metric LowCardinality(String),
    value Float64,
    ts DateTime64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (team_id, metric, unit_id, ts)
TTL toDateTime(ts) + INTERVAL 18 MONTH;
