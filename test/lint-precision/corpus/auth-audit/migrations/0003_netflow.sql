CREATE TABLE IF NOT EXISTS netflow
(
    ts DateTime,
    exporter IPv4,
    src_ip IPv6,
    dst_ip IPv6,
    src_port UInt16,
    dst_port UInt16,
    protocol UInt8,
    bytes UInt64,
    packets UInt64,
    src_asn UInt32,
    dst_asn UInt32
)
ENGINE = MergeTree
PARTITION BY toStartOfDay(ts)
ORDER BY (exporter, ts)
TTL ts + INTERVAL 14 DAY;

ALTER TABLE sign_ins ADD COLUMN IF NOT EXISTS session_id String AFTER actor;

ALTER TABLE api_access ADD COLUMN IF NOT EXISTS request_id String;
ALTER TABLE api_access ADD INDEX IF NOT EXISTS idx_request request_id TYPE bloom_filter GRANULARITY 1;

ALTER TABLE failed_sign_ins_5m MODIFY TTL window_start + INTERVAL 90 DAY;
