CREATE TABLE game.sessions
(
    session_id UUID,
    player_id UInt64,
    platform LowCardinality(String),
    app_version LowCardinality(String),
    country LowCardinality(String),
    started_at DateTime,
    ended_at DateTime,
    duration_s UInt32 MATERIALIZED dateDiff('second', started_at, ended_at)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (player_id, started_at);

CREATE TABLE game.matches
(
    match_id UUID,
    mode LowCardinality(String),
    map LowCardinality(String),
    started_at DateTime,
    player_id UInt64,
    team UInt8,
    score Int32,
    kills UInt16,
    deaths UInt16,
    won Bool
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (mode, started_at, match_id, player_id);

CREATE TABLE game.purchases
(
    purchase_id String,
    player_id UInt64,
    sku LowCardinality(String),
    store LowCardinality(String),
    price_usd Decimal(10, 2),
    purchased_at DateTime,
    refunded Bool DEFAULT false
)
ENGINE = ReplacingMergeTree
ORDER BY (player_id, purchase_id);
