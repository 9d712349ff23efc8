CREATE TABLE game.player_stats
(
    player_id UInt64,
    matches SimpleAggregateFunction(sum, UInt64),
    wins SimpleAggregateFunction(sum, UInt64),
    kills SimpleAggregateFunction(sum, UInt64),
    last_played SimpleAggregateFunction(max, DateTime),
    best_score AggregateFunction(max, Int32)
)
ENGINE = AggregatingMergeTree
ORDER BY player_id;

CREATE MATERIALIZED VIEW game.player_stats_mv TO game.player_stats AS
SELECT
    player_id,
    count() AS matches,
    countIf(won) AS wins,
    sum(kills) AS kills,
    max(started_at) AS last_played,
    maxState(score) AS best_score
FROM game.matches
GROUP BY player_id;

CREATE TABLE game.daily_active
(
    day Date,
    platform LowCardinality(String),
    players AggregateFunction(uniqCombined, UInt64),
    sessions SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (day, platform);

CREATE MATERIALIZED VIEW game.daily_active_mv TO game.daily_active AS
SELECT toDate(started_at) AS day, platform, uniqCombinedState(player_id) AS players, count() AS sessions
FROM game.sessions
GROUP BY day, platform;

CREATE TABLE game.leaderboard
(
    mode LowCardinality(String),
    rank UInt32,
    player_id UInt64,
    best_score Int32,
    refreshed_at DateTime
)
ENGINE = MergeTree
ORDER BY (mode, rank);

CREATE MATERIALIZED VIEW game.leaderboard_mv
REFRESH EVERY 10 MINUTE
TO game.leaderboard AS
SELECT
    mode,
    toUInt32(row_number() OVER (PARTITION BY mode ORDER BY best_score DESC)) AS rank,
    player_id,
    best_score,
    now() AS refreshed_at
FROM
(
    SELECT mode, player_id, max(score) AS best_score
    FROM game.matches
    WHERE started_at >= now() - INTERVAL 7 DAY
    GROUP BY mode, player_id
)
ORDER BY mode, rank
LIMIT 100 BY mode;

CREATE VIEW game.revenue_by_sku AS
SELECT sku, store, toStartOfWeek(purchased_at) AS week, sum(price_usd) AS revenue, count() AS purchases
FROM game.purchases FINAL
WHERE NOT refunded
GROUP BY sku, store, week;
