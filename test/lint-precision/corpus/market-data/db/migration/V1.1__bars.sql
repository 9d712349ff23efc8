CREATE TABLE IF NOT EXISTS md.bars_1m
(
    exchange LowCardinality(String),
    symbol LowCardinality(String),
    minute DateTime('UTC'),
    open AggregateFunction(argMin, Decimal64(8), DateTime64(6, 'UTC')),
    high SimpleAggregateFunction(max, Decimal64(8)),
    low SimpleAggregateFunction(min, Decimal64(8)),
    close AggregateFunction(argMax, Decimal64(8), DateTime64(6, 'UTC')),
    volume SimpleAggregateFunction(sum, Decimal128(8)),
    trades SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, symbol, minute);

CREATE MATERIALIZED VIEW IF NOT EXISTS md.bars_1m_mv TO md.bars_1m AS
SELECT
    exchange,
    symbol,
    toStartOfMinute(ts) AS minute,
    argMinState(price, ts) AS open,
    max(price) AS high,
    min(price) AS low,
    argMaxState(price, ts) AS close,
    sum(toDecimal128(size, 8)) AS volume,
    count() AS trades
FROM md.trades
GROUP BY exchange, symbol, minute;

CREATE VIEW IF NOT EXISTS md.bars_1h AS
SELECT
    exchange,
    symbol,
    toStartOfHour(minute) AS hour,
    argMinMerge(open) AS open,
    max(high) AS high,
    min(low) AS low,
    argMaxMerge(close) AS close,
    sum(volume) AS volume
FROM md.bars_1m
GROUP BY exchange, symbol, hour;
