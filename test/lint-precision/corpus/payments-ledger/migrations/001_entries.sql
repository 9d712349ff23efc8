CREATE DATABASE IF NOT EXISTS ledger;

CREATE TABLE IF NOT EXISTS ledger.entries
(
    entry_id UUID,
    journal_id UUID,
    account_id UInt64,
    booked_at DateTime64(3, 'UTC'),
    value_date Date,
    direction Enum8('debit' = 1, 'credit' = 2),
    amount Decimal(38, 4),
    currency LowCardinality(String),
    merchant_id Nullable(UInt64),
    metadata String CODEC(ZSTD(3)),
    PROJECTION by_merchant
    (
        SELECT merchant_id, value_date, sum(amount), count()
        GROUP BY merchant_id, value_date
    )
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(value_date)
ORDER BY (account_id, value_date, booked_at, entry_id);

CREATE TABLE IF NOT EXISTS ledger.accounts
(
    account_id UInt64,
    parent_id Nullable(UInt64),
    name String,
    kind LowCardinality(String),
    opened_at DateTime
)
ENGINE = ReplacingMergeTree(opened_at)
ORDER BY account_id;

CREATE TABLE IF NOT EXISTS ledger.entries_archive AS ledger.entries
ENGINE = MergeTree
PARTITION BY toYYYYMM(value_date)
ORDER BY (account_id, value_date, booked_at, entry_id)
SETTINGS storage_policy = 'default';
