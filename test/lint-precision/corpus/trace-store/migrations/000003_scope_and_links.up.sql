ALTER TABLE otel.spans_local ON CLUSTER telemetry
    ADD COLUMN IF NOT EXISTS ScopeName String CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS ScopeVersion String CODEC(ZSTD(1));

ALTER TABLE otel.spans ON CLUSTER telemetry
    ADD COLUMN IF NOT EXISTS ScopeName String,
    ADD COLUMN IF NOT EXISTS ScopeVersion String;

ALTER TABLE otel.spans_local ON CLUSTER telemetry
    ADD INDEX IF NOT EXISTS idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1;

ALTER TABLE otel.spans_local ON CLUSTER telemetry MODIFY TTL toDateTime(Timestamp) + toIntervalDay(30);
