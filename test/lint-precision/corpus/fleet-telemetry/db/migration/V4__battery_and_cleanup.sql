ALTER TABLE fleet.readings ADD COLUMN battery_pct Nullable(UInt8) AFTER quality;

-- Readings from the 2.x firmware carried a calibration offset.
ALTER TABLE fleet.readings UPDATE value = value - 0.5 WHERE sensor = 'coolant_temp' AND firmware LIKE '2.%';

ALTER TABLE fleet.readings MODIFY COLUMN quality Enum8('good' = 0, 'suspect' = 1, 'bad' = 2) DEFAULT 'good';

ALTER TABLE fleet.devices DROP COLUMN decommissioned;
