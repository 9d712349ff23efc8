CREATE TABLE IF NOT EXISTS ads.campaign_daily
(
    event_date Date,
    advertiser_id UInt32,
    campaign_id UInt32,
    country_code LowCardinality(FixedString(2)),
    impressions UInt64,
    spend_micros UInt64
)
ENGINE = SummingMergeTree((impressions, spend_micros))
PARTITION BY toYYYYMM(event_date)
ORDER BY (advertiser_id, campaign_id, event_date, country_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS ads.campaign_daily_mv TO ads.campaign_daily AS
SELECT
    event_date,
    advertiser_id,
    campaign_id,
    country_code,
    count() AS impressions,
    sum(clearing_price_micros) AS spend_micros
FROM ads.impressions
GROUP BY event_date, advertiser_id, campaign_id, country_code;

CREATE TABLE IF NOT EXISTS ads.creative_reach
(
    event_date Date,
    creative_id UInt64,
    uniq_requests AggregateFunction(uniq, UUID),
    p95_bid AggregateFunction(quantile(0.95), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (creative_id, event_date);

CREATE MATERIALIZED VIEW IF NOT EXISTS ads.creative_reach_mv TO ads.creative_reach AS
SELECT
    event_date,
    creative_id,
    uniqState(request_id) AS uniq_requests,
    quantileState(0.95)(bid_price_micros) AS p95_bid
FROM ads.impressions
GROUP BY event_date, creative_id;
