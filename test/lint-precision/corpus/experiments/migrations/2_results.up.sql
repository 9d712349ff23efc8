CREATE TABLE IF NOT EXISTS exp.variant_daily
(
    team_id UInt32,
    experiment_key LowCardinality(String),
    variant LowCardinality(String),
    day Date,
    units AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (team_id, experiment_key, variant, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS exp.variant_daily_mv TO exp.variant_daily AS
SELECT team_id, experiment_key, variant, toDate(first_exposed_at) AS day, uniqExactState(unit_id) AS units
FROM exp.exposures
GROUP BY team_id, experiment_key, variant, day;

CREATE VIEW IF NOT EXISTS exp.experiment_results AS
WITH exposed AS
(
    SELECT team_id, experiment_key, unit_id, argMin(variant, first_exposed_at) AS variant, min(first_exposed_at) AS exposed_at
    FROM exp.exposures
    GROUP BY team_id, experiment_key, unit_id
)
SELECT
    e.team_id,
    e.experiment_key,
    e.variant,
    m.metric,
    count(DISTINCT e.unit_id) AS units,
    sum(m.value) AS total,
    avg(m.value) AS mean,
    stddevSamp(m.value) AS sd
FROM exposed AS e
INNER JOIN exp.metric_events AS m ON m.team_id = e.team_id AND m.unit_id = e.unit_id AND m.ts >= e.exposed_at
GROUP BY e.team_id, e.experiment_key, e.variant, m.metric;
