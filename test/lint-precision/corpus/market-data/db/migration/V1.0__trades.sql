CREATE DATABASE IF NOT EXISTS md;

CREATE TABLE IF NOT EXISTS md.trades
(
    exchange LowCardinality(String),
    symbol LowCardinality(String),
    trade_id UInt64,
    ts DateTime64(6, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    price Decimal64(8) CODEC(ZSTD(1)),
    size Decimal64(8) CODEC(ZSTD(1)),
    side Enum8('buy' = 1, 'sell' = 2),
    received_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (exchange, symbol, ts, trade_id);

CREATE TABLE IF NOT EXISTS md.trades_buffer AS md.trades
ENGINE = Buffer(md, trades, 16, 1, 10, 10000, 1000000, 10000000, 100000000);

CREATE TABLE IF NOT EXISTS md.quotes
(
    exchange LowCardinality(String),
    symbol LowCardinality(String),
    ts DateTime64(6, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    bid Decimal64(8),
    ask Decimal64(8),
    bid_size Decimal64(8),
    ask_size Decimal64(8)
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (exchange, symbol, ts)
TTL toDateTime(ts) + INTERVAL 30 DAY;
