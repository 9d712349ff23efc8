DROP TABLE IF EXISTS otel.trace_id_ts ON CLUSTER telemetry;
DROP VIEW IF EXISTS otel.trace_id_ts_mv ON CLUSTER telemetry;
DROP TABLE IF EXISTS otel.trace_id_ts_local ON CLUSTER telemetry;
DROP TABLE IF EXISTS otel.spans ON CLUSTER telemetry;
DROP TABLE IF EXISTS otel.spans_local ON CLUSTER telemetry;
