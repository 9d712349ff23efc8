CREATE TABLE IF NOT EXISTS person_stats
(
    team_id Int64,
    distinct_id String,
    first_seen SimpleAggregateFunction(min, DateTime64(6, 'UTC')),
    last_seen SimpleAggregateFunction(max, DateTime64(6, 'UTC')),
    pageviews AggregateFunction(count),
    purchases AggregateFunction(count),
    revenue AggregateFunction(sum, Float64)
)
ENGINE = AggregatingMergeTree
ORDER BY (team_id, distinct_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS person_stats_pageviews_mv TO person_stats AS
SELECT team_id, distinct_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, countState() AS pageviews
FROM sharded_events
WHERE event = '$pageview'
GROUP BY team_id, distinct_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_stats_purchases_mv TO person_stats AS
SELECT team_id, distinct_id, countState() AS purchases, sumState(toFloat64OrZero(JSONExtractRaw(properties, 'amount'))) AS revenue
FROM sharded_events
WHERE event = 'purchase'
GROUP BY team_id, distinct_id;
