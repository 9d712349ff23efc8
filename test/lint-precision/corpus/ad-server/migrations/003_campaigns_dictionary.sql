CREATE TABLE IF NOT EXISTS ads.campaigns
(
    campaign_id UInt32,
    advertiser_id UInt32,
    name String,
    daily_budget_micros UInt64,
    status LowCardinality(String),
    updated_at DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY campaign_id;

CREATE DICTIONARY IF NOT EXISTS ads.campaigns_dict
(
    campaign_id UInt32,
    advertiser_id UInt32,
    name String,
    daily_budget_micros UInt64
)
PRIMARY KEY campaign_id
SOURCE(CLICKHOUSE(DB 'ads' TABLE 'campaigns'))
LIFETIME(MIN 60 MAX 300)
LAYOUT(HASHED());
