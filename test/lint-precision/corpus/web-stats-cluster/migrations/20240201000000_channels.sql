ALTER TABLE stats.events_v2 ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS channel LowCardinality(String) AFTER referrer_source;
ALTER TABLE stats.sessions_v2 ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS channel LowCardinality(String) AFTER referrer_source;

ALTER TABLE stats.events_v2 ON CLUSTER '{cluster}' MODIFY COLUMN hostname String CODEC(ZSTD(6));

ALTER TABLE stats.imported_pages ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS active_visitors UInt64;

CREATE DICTIONARY IF NOT EXISTS stats.location_data ON CLUSTER '{cluster}'
(
    type LowCardinality(String),
    id String,
    name String
)
PRIMARY KEY type, id
SOURCE(CLICKHOUSE(TABLE 'location_data'))
LIFETIME(0)
LAYOUT(COMPLEX_KEY_CACHE(SIZE_IN_CELLS 500000));

CREATE TABLE IF NOT EXISTS stats.location_data ON CLUSTER '{cluster}'
(
    type LowCardinality(String),
    id String,
    name String
)
ENGINE = ReplicatedReplacingMergeTree
ORDER BY (type, id);
