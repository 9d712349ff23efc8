CREATE TABLE IF NOT EXISTS pa.sessions
(
    session_id String,
    team_id Int64,
    distinct_id SimpleAggregateFunction(any, String),
    min_timestamp SimpleAggregateFunction(min, DateTime64(6, 'UTC')),
    max_timestamp SimpleAggregateFunction(max, DateTime64(6, 'UTC')),
    urls SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    pageview_count SimpleAggregateFunction(sum, Int64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(min_timestamp)
ORDER BY (team_id, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS pa.sessions_mv TO pa.sessions AS
SELECT
    JSONExtractString(properties, '$session_id') AS session_id,
    team_id,
    any(distinct_id) AS distinct_id,
    min(timestamp) AS min_timestamp,
    max(timestamp) AS max_timestamp,
    groupUniqArrayIf(JSONExtractString(properties, '$current_url'), event = '$pageview') AS urls,
    countIf(event = '$pageview') AS pageview_count
FROM pa.events
WHERE session_id != ''
GROUP BY session_id, team_id;
