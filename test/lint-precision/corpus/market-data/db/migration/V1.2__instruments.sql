CREATE TABLE IF NOT EXISTS md.instruments
(
    exchange LowCardinality(String),
    symbol LowCardinality(String),
    base_asset LowCardinality(String),
    quote_asset LowCardinality(String),
    tick_size Decimal64(8),
    lot_size Decimal64(8),
    listed_at DateTime,
    delisted_at Nullable(DateTime),
    updated_at DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (exchange, symbol);

CREATE DICTIONARY IF NOT EXISTS md.instruments_dict
(
    exchange String,
    symbol String,
    base_asset String,
    quote_asset String,
    tick_size Decimal64(8)
)
PRIMARY KEY exchange, symbol
SOURCE(CLICKHOUSE(DB 'md' TABLE 'instruments'))
LIFETIME(MIN 300 MAX 900)
LAYOUT(COMPLEX_KEY_HASHED());
