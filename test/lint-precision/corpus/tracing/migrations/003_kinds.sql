ALTER TABLE traces.spans MODIFY COLUMN kind Enum8('unspecified' = 0, 'internal' = 1, 'server' = 2, 'client' = 3, 'producer' = 4, 'consumer' = 5);
ALTER TABLE traces.spans ADD INDEX IF NOT EXISTS idx_duration duration_nano TYPE minmax GRANULARITY 1;
ALTER TABLE traces.spans MATERIALIZE INDEX idx_duration;
ALTER TABLE traces.spans MODIFY TTL toDateTime(timestamp) + INTERVAL 30 DAY;

CREATE TABLE IF NOT EXISTS traces.spans_dist AS traces.spans ENGINE = Distributed(tracing, traces, spans_local, cityHash64(trace_id));

DROP TABLE IF EXISTS traces.errors_v0;
CREATE VIEW IF NOT EXISTS traces.slow_spans AS SELECT * FROM traces.spans_v0 WHERE duration_nano > 1000000000;
