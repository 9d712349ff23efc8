CREATE TABLE IF NOT EXISTS cdn.zone_minutely
(
    zone_id UInt32,
    minute DateTime,
    requests UInt64,
    bytes UInt64,
    cache_hits UInt64,
    errors_5xx UInt64,
    ttfb_quantiles AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt32),
    visitors AggregateFunction(uniqCombined64, IPv6)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (zone_id, minute)
TTL minute + INTERVAL 400 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS cdn.zone_minutely_mv TO cdn.zone_minutely AS
SELECT
    zone_id,
    toStartOfMinute(ts) AS minute,
    count() AS requests,
    sum(bytes_sent) AS bytes,
    countIf(cache_status = 'HIT') AS cache_hits,
    countIf(status >= 500) AS errors_5xx,
    quantilesTDigestState(0.5, 0.95, 0.99)(ttfb_ms) AS ttfb_quantiles,
    uniqCombined64State(client_ip) AS visitors
FROM cdn.requests
GROUP BY zone_id, minute;
