ALTER TABLE sharded_events ADD INDEX IF NOT EXISTS idx_event event TYPE bloom_filter GRANULARITY 4;
ALTER TABLE sharded_events ADD PROJECTION IF NOT EXISTS by_distinct_id (SELECT * ORDER BY distinct_id);
ALTER TABLE sharded_events DROP INDEX IF EXISTS idx_event;
ALTER TABLE sharded_events DROP PROJECTION IF EXISTS by_distinct_id;

CREATE TABLE IF NOT EXISTS cohort_members
(
    team_id Int64,
    cohort_id Int64,
    person_id UUID,
    sign Int8
)
ENGINE = CollapsingMergeTree(sign)
ORDER BY (team_id, cohort_id, person_id);

CREATE DICTIONARY IF NOT EXISTS cohort_names_dict
(
    cohort_id Int64,
    name String
)
PRIMARY KEY cohort_id
SOURCE(CLICKHOUSE(TABLE 'cohorts'))
LAYOUT(HASHED())
LIFETIME(3600);
