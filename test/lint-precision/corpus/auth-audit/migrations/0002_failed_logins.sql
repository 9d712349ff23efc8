CREATE TABLE IF NOT EXISTS failed_sign_ins_5m
(
    window_start DateTime,
    tenant_id UInt32,
    actor String,
    failures UInt64,
    ips AggregateFunction(groupUniqArray(16), IPv6)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(window_start)
ORDER BY (tenant_id, actor, window_start)
TTL window_start + INTERVAL 30 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS failed_sign_ins_5m_mv TO failed_sign_ins_5m AS
SELECT
    toStartOfFiveMinutes(ts) AS window_start,
    tenant_id,
    actor,
    count() AS failures,
    groupUniqArrayState(16)(ip) AS ips
FROM sign_ins
WHERE outcome = 'failure'
GROUP BY window_start, tenant_id, actor;
