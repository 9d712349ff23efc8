ALTER TABLE otel.spans_local ON CLUSTER telemetry DROP INDEX IF EXISTS idx_span_attr_value;
ALTER TABLE otel.spans ON CLUSTER telemetry DROP COLUMN IF EXISTS ScopeVersion, DROP COLUMN IF EXISTS ScopeName;
ALTER TABLE otel.spans_local ON CLUSTER telemetry DROP COLUMN IF EXISTS ScopeVersion, DROP COLUMN IF EXISTS ScopeName;
