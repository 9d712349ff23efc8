ALTER TABLE ledger.entries ADD COLUMN IF NOT EXISTS settlement_batch String DEFAULT '' AFTER journal_id;

-- Backfill the batch id from the metadata blob for entries booked before the column existed.
ALTER TABLE ledger.entries UPDATE settlement_batch = JSONExtractString(metadata, 'settlement_batch')
WHERE settlement_batch = '' AND booked_at < '2024-06-01 00:00:00';

ALTER TABLE ledger.entries ADD INDEX IF NOT EXISTS idx_batch settlement_batch TYPE bloom_filter GRANULARITY 4;
