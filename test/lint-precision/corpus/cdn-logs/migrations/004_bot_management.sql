ALTER TABLE cdn.requests ADD COLUMN IF NOT EXISTS ja4 String DEFAULT '' CODEC(ZSTD(1));
ALTER TABLE cdn.requests ADD COLUMN IF NOT EXISTS verified_bot Bool DEFAULT false;

ALTER TABLE cdn.zone_minutely ADD COLUMN IF NOT EXISTS bot_requests UInt64;

ALTER TABLE cdn.requests MODIFY COLUMN bot_score UInt16;

ALTER TABLE cdn.requests DELETE WHERE zone_id = 4711;
