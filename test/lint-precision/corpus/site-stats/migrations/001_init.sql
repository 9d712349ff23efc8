CREATE DATABASE IF NOT EXISTS stats;

CREATE TABLE IF NOT EXISTS stats.pageviews
(
    site_id UInt64,
    ts DateTime,
    session_id UInt64,
    pathname String,
    referrer String,
    country_code FixedString(2),
    browser LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, toDate(ts), session_id)
SAMPLE BY session_id;

CREATE TABLE IF NOT EXISTS stats.sessions
(
    site_id UInt64,
    session_id UInt64,
    sign Int8,
    start DateTime,
    entry_page String,
    pageviews UInt32,
    duration UInt32
)
ENGINE = VersionedCollapsingMergeTree(sign, pageviews)
PARTITION BY toYYYYMM(start)
ORDER BY (site_id, toDate(start), session_id)
SAMPLE BY session_id;

CREATE TABLE IF NOT EXISTS stats.daily_paths
(
    site_id UInt64,
    day Date,
    pathname String,
    browser LowCardinality(String),
    visitors AggregateFunction(uniq, UInt64),
    views AggregateFunction(count)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, day, pathname);

CREATE MATERIALIZED VIEW IF NOT EXISTS stats.daily_paths_mv TO stats.daily_paths AS
SELECT site_id, toDate(ts) AS day, pathname, any(browser) AS browser, uniqState(session_id) AS visitors, countState() AS views
FROM stats.pageviews
GROUP BY site_id, day, pathname;
