ALTER TABLE ads.impressions ADD COLUMN IF NOT EXISTS viewable UInt8 DEFAULT 0 AFTER placement_id;
ALTER TABLE ads.impressions ADD COLUMN IF NOT EXISTS viewable_time_ms UInt32 DEFAULT 0 AFTER viewable;

ALTER TABLE ads.campaign_daily ADD COLUMN IF NOT EXISTS viewable_impressions UInt64;

ALTER TABLE ads.campaign_daily_mv MODIFY QUERY
SELECT
    event_date,
    advertiser_id,
    campaign_id,
    country_code,
    count() AS impressions,
    sum(clearing_price_micros) AS spend_micros,
    countIf(viewable = 1) AS viewable_impressions
FROM ads.impressions
GROUP BY event_date, advertiser_id, campaign_id, country_code;

ALTER TABLE ads.clicks MODIFY TTL toDateTime(event_time) + INTERVAL 365 DAY;

-- Legal asked for raw user agents to go after 30 days.
ALTER TABLE ads.impressions MODIFY COLUMN user_agent String TTL event_date + INTERVAL 30 DAY;
