CREATE DICTIONARY fleet.devices_dict
(
    device_id UInt64,
    vin String,
    model String,
    customer_id UInt32
)
PRIMARY KEY device_id
SOURCE(CLICKHOUSE(QUERY 'SELECT device_id, vin, model, customer_id FROM fleet.devices FINAL WHERE decommissioned = 0'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(HASHED());

CREATE VIEW fleet.readings_by_customer AS
SELECT
    dictGet('fleet.devices_dict', 'customer_id', device_id) AS customer_id,
    device_id,
    sensor,
    minute,
    min(min_value) AS min_value,
    max(max_value) AS max_value,
    avgMerge(avg_value) AS avg_value
FROM fleet.readings_1m
GROUP BY customer_id, device_id, sensor, minute;
