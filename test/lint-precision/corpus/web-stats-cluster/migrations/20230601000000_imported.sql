CREATE TABLE IF NOT EXISTS stats.imported_visitors ON CLUSTER '{cluster}'
(
    site_id UInt64,
    date Date,
    visitors UInt64,
    pageviews UInt64,
    bounces UInt64,
    visits UInt64,
    visit_duration UInt64
)
ENGINE = ReplicatedMergeTree
ORDER BY (site_id, date);

CREATE TABLE IF NOT EXISTS stats.imported_pages ON CLUSTER '{cluster}'
(
    site_id UInt64,
    date Date,
    hostname String,
    page String,
    visitors UInt64,
    pageviews UInt64,
    exits UInt64,
    time_on_page UInt64
)
ENGINE = ReplicatedMergeTree
ORDER BY (site_id, date, hostname, page);
