DROP VIEW IF EXISTS old_events_by_day;
DROP TABLE IF EXISTS sharded_events_backup;
