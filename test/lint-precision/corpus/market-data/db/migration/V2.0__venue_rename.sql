-- `exchange` becomes `venue` everywhere.
ALTER TABLE md.quotes RENAME COLUMN exchange TO venue;
ALTER TABLE md.trades ADD COLUMN IF NOT EXISTS aggressor_order_id String;
ALTER TABLE md.quotes DROP PARTITION 20240101;
OPTIMIZE TABLE md.trades FINAL;
