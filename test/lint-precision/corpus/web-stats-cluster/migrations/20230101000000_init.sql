CREATE DATABASE IF NOT EXISTS stats ON CLUSTER '{cluster}';

CREATE TABLE IF NOT EXISTS stats.events_v2 ON CLUSTER '{cluster}'
(
    timestamp DateTime CODEC(Delta(4), LZ4),
    name LowCardinality(String),
    site_id UInt64,
    user_id UInt64,
    session_id UInt64,
    hostname String CODEC(ZSTD(3)),
    pathname String CODEC(ZSTD(3)),
    referrer String CODEC(ZSTD(3)),
    referrer_source String CODEC(ZSTD(3)),
    country_code FixedString(2),
    screen_size LowCardinality(String),
    operating_system LowCardinality(String),
    browser LowCardinality(String),
    `meta.key` Array(String) CODEC(ZSTD(3)),
    `meta.value` Array(String) CODEC(ZSTD(3)),
    revenue_reporting_amount Nullable(Decimal64(3)),
    revenue_reporting_currency FixedString(3)
)
ENGINE = ReplicatedMergeTree
PARTITION BY toYYYYMM(timestamp)
PRIMARY KEY (site_id, toDate(timestamp), name, user_id)
ORDER BY (site_id, toDate(timestamp), name, user_id, timestamp)
SAMPLE BY user_id
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS stats.sessions_v2 ON CLUSTER '{cluster}'
(
    session_id UInt64,
    sign Int8,
    site_id UInt64,
    user_id UInt64,
    hostname String CODEC(ZSTD(3)),
    timestamp DateTime CODEC(Delta(4), LZ4),
    start DateTime CODEC(Delta(4), LZ4),
    is_bounce UInt8,
    entry_page String CODEC(ZSTD(3)),
    exit_page String CODEC(ZSTD(3)),
    pageviews Int32,
    events Int32,
    duration UInt32,
    referrer_source String CODEC(ZSTD(3)),
    country_code FixedString(2)
)
ENGINE = ReplicatedVersionedCollapsingMergeTree(sign, events)
PARTITION BY toYYYYMM(start)
PRIMARY KEY (site_id, toDate(start), user_id, session_id)
ORDER BY (site_id, toDate(start), user_id, session_id)
SAMPLE BY user_id
SETTINGS index_granularity = 8192;
