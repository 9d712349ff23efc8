CREATE DATABASE IF NOT EXISTS cdn;

CREATE TABLE IF NOT EXISTS cdn.requests
(
    ts DateTime CODEC(Delta, ZSTD(1)),
    zone_id UInt32,
    pop LowCardinality(String),
    client_ip IPv6,
    client_country LowCardinality(String),
    client_asn UInt32,
    method LowCardinality(String),
    host LowCardinality(String),
    path String CODEC(ZSTD(3)),
    query String CODEC(ZSTD(3)),
    status UInt16,
    bytes_sent UInt64,
    ttfb_ms UInt32,
    cache_status LowCardinality(String),
    origin_status UInt16,
    user_agent String CODEC(ZSTD(3)),
    bot_score UInt8,
    INDEX idx_path path TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 4,
    INDEX idx_status status TYPE set(100) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (zone_id, host, ts)
TTL ts + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;
