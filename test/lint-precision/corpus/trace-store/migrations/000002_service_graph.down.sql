DROP TABLE IF EXISTS otel.operations ON CLUSTER telemetry;
DROP VIEW IF EXISTS otel.operations_mv ON CLUSTER telemetry;
DROP TABLE IF EXISTS otel.operations_local ON CLUSTER telemetry;
