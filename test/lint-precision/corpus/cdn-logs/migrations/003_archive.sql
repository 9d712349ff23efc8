-- Raw logs older than the hot window are archived to object storage by a nightly job.
CREATE TABLE IF NOT EXISTS cdn.requests_archive
(
    ts DateTime,
    zone_id UInt32,
    host String,
    path String,
    status UInt16,
    bytes_sent UInt64
)
ENGINE = S3('https://cdn-archive.s3.eu-west-1.amazonaws.com/requests/{_partition_id}.parquet', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'Parquet')
PARTITION BY toYYYYMMDD(ts);

CREATE DICTIONARY IF NOT EXISTS cdn.asn_names
(
    asn UInt32,
    name String,
    country String
)
PRIMARY KEY asn
SOURCE(HTTP(URL 'https://asn-db.internal/asn.tsv' FORMAT 'TabSeparated'))
LIFETIME(86400)
LAYOUT(HASHED());
