CREATE TABLE IF NOT EXISTS stats.goals
(
    site_id UInt64,
    ts DateTime,
    goal Enum8('signup' = 1, 'purchase' = 2)
)
ENGINE = MergeTree
ORDER BY (site_id, goal, ts);

ALTER TABLE stats.goals MODIFY COLUMN goal Enum8('signup' = 1, 'purchase' = 2, 'download' = 3);
ALTER TABLE stats.pageviews ADD COLUMN IF NOT EXISTS utm_source LowCardinality(String);
ALTER TABLE stats.pageviews MODIFY COLUMN pathname LowCardinality(String);
ALTER TABLE stats.pageviews DROP COLUMN IF EXISTS referrer;

DROP VIEW IF EXISTS stats.daily_paths_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stats.daily_paths_mv TO stats.daily_paths AS
SELECT site_id, toDate(ts) AS day, pathname, any(browser) AS browser, uniqState(session_id) AS visitors, countState() AS views
FROM stats.pageviews
WHERE site_id != 0
GROUP BY site_id, day, pathname;
