CREATE DATABASE IF NOT EXISTS ads;

CREATE TABLE IF NOT EXISTS ads.impressions
(
    event_time DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    event_date Date DEFAULT toDate(event_time),
    request_id UUID,
    advertiser_id UInt32,
    campaign_id UInt32,
    creative_id UInt64,
    placement_id UInt32,
    publisher_id UInt32,
    device_type Enum8('unknown' = 0, 'desktop' = 1, 'mobile' = 2, 'tablet' = 3, 'ctv' = 4),
    country_code LowCardinality(FixedString(2)),
    bid_price_micros UInt64,
    clearing_price_micros UInt64,
    user_agent String CODEC(ZSTD(3)),
    segments Array(UInt32)
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(event_date)
ORDER BY (advertiser_id, campaign_id, event_date, creative_id)
TTL event_date + INTERVAL 90 DAY
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS ads.clicks
(
    event_time DateTime64(3, 'UTC'),
    request_id UUID,
    click_id UUID,
    advertiser_id UInt32,
    campaign_id UInt32,
    creative_id UInt64,
    landing_url String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (advertiser_id, campaign_id, toDate(event_time), click_id)
TTL toDateTime(event_time) + INTERVAL 180 DAY;

CREATE TABLE IF NOT EXISTS ads.conversions
(
    event_time DateTime64(3, 'UTC'),
    click_id UUID,
    advertiser_id UInt32,
    conversion_type LowCardinality(String),
    revenue_micros Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(event_time)
ORDER BY (advertiser_id, click_id, conversion_type);
