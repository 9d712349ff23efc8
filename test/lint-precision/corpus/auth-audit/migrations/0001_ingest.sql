-- Every source writes to one Null table; materialized views fan the rows out.
CREATE TABLE IF NOT EXISTS audit_ingest
(
    ts DateTime64(3),
    source LowCardinality(String),
    tenant_id UInt32,
    actor String,
    action LowCardinality(String),
    outcome Enum8('success' = 1, 'failure' = 2, 'denied' = 3),
    ip IPv6,
    user_agent String,
    details String
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS sign_ins
(
    ts DateTime64(3),
    tenant_id UInt32,
    actor String,
    outcome Enum8('success' = 1, 'failure' = 2, 'denied' = 3),
    ip IPv6,
    country LowCardinality(String),
    user_agent String,
    mfa UInt8
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant_id, actor, ts)
TTL toDateTime(ts) + INTERVAL 2 YEAR;

CREATE MATERIALIZED VIEW IF NOT EXISTS sign_ins_mv TO sign_ins AS
SELECT
    ts,
    tenant_id,
    actor,
    outcome,
    ip,
    JSONExtractString(details, 'geo', 'country') AS country,
    user_agent,
    JSONExtractBool(details, 'mfa') AS mfa
FROM audit_ingest
WHERE source = 'idp' AND action = 'sign_in';

CREATE TABLE IF NOT EXISTS api_access
(
    ts DateTime64(3),
    tenant_id UInt32,
    actor String,
    action LowCardinality(String),
    outcome Enum8('success' = 1, 'failure' = 2, 'denied' = 3),
    ip IPv6,
    details String CODEC(ZSTD(6))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant_id, action, ts)
TTL toDateTime(ts) + INTERVAL 1 YEAR;

CREATE MATERIALIZED VIEW IF NOT EXISTS api_access_mv TO api_access AS
SELECT ts, tenant_id, actor, action, outcome, ip, details
FROM audit_ingest
WHERE source = 'api';
