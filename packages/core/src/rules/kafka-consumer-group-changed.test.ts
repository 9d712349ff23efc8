import { describe, expect, it } from 'vitest';
import rule from './kafka-consumer-group-changed.js';
import { ruleTester, testRule } from './ruleTester.js';

const QUEUE = `CREATE TABLE events_queue (ts DateTime, kind String)
ENGINE = Kafka SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'events', kafka_group_name = 'clickhouse-events', kafka_format = 'JSONEachRow';`;

ruleTester(rule, {
  valid: [
    // Recreated with new settings and the same group: consumption resumes at the committed offsets.
    `${QUEUE}
DROP TABLE events_queue;
CREATE TABLE events_queue (ts DateTime, kind String, user_id UInt64)
ENGINE = Kafka SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'events', kafka_group_name = 'clickhouse-events', kafka_format = 'JSONEachRow', kafka_num_consumers = 4;`,
    // A second consumer group on the same topic while the first still runs: a deliberate fan-out.
    `${QUEUE}
CREATE TABLE events_audit_queue (ts DateTime, kind String)
ENGINE = Kafka('kafka:9092', 'events', 'clickhouse-audit', 'JSONEachRow');`,
    // Another topic under a new group; and CREATE OR REPLACE keeping the group in the positional form.
    `${QUEUE}
DROP TABLE events_queue;
CREATE TABLE clicks_queue (ts DateTime, url String) ENGINE = Kafka('kafka:9092', 'clicks', 'clickhouse-clicks', 'JSONEachRow');
CREATE OR REPLACE TABLE clicks_queue (ts DateTime, url String, ref String) ENGINE = Kafka('kafka:9092', 'clicks', 'clickhouse-clicks', 'JSONEachRow');`,
  ],
  invalid: [
    {
      sql: `${QUEUE}
DROP TABLE events_queue;
CREATE TABLE events_queue (ts DateTime, kind String)
ENGINE = Kafka SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'events', kafka_group_name = 'clickhouse-events-v2', kafka_format = 'JSONEachRow';`,
      errors: [{ messageId: 'groupChanged', line: 5, column: 107, endColumn: 129 }],
    },
    {
      sql: `${QUEUE}
CREATE OR REPLACE TABLE events_queue (ts DateTime, kind String)
ENGINE = Kafka('kafka:9092', 'events', 'clickhouse', 'JSONEachRow');`,
      errors: [{ messageId: 'groupChanged', line: 4, column: 40, endColumn: 52 }],
    },
    {
      // Replaced by a table under another name on the same topic, in a later migration.
      sql: `CREATE DATABASE ingest;
CREATE TABLE ingest.orders_queue (id UInt64) ENGINE = Kafka('kafka:9092', 'orders,refunds', 'ch-orders', 'JSONEachRow');
DROP TABLE ingest.orders_queue;
CREATE TABLE ingest.orders_queue_v2 (id UInt64, amount Float64)
ENGINE = Kafka(kafka_broker_list = 'kafka:9092', kafka_topic_list = 'orders', kafka_group_name = 'ch-orders-v2', kafka_format = 'JSONEachRow');`,
      errors: [{ messageId: 'groupChanged', line: 5, column: 98, endColumn: 112 }],
    },
    {
      // Renamed aside first, dropped later.
      sql: `${QUEUE}
RENAME TABLE events_queue TO events_queue_old;
DROP TABLE events_queue_old;
CREATE TABLE events_queue (ts DateTime, kind String) ENGINE = Kafka('kafka:9092', 'events', 'clickhouse-events-2', 'JSONEachRow');`,
      errors: [{ messageId: 'groupChanged', line: 5, column: 93, endColumn: 114 }],
    },
  ],
});

describe('the message', () => {
  it('names both groups and the topics', () => {
    const findings = testRule(rule, {
      sql: `${QUEUE}
DROP TABLE events_queue;
CREATE TABLE events_queue (ts DateTime, kind String) ENGINE = Kafka('kafka:9092', 'events', 'new-group', 'JSONEachRow');`,
    });
    expect(findings.map((f) => f.message)).toEqual([
      '`default.events_queue` consumes `events` as group `new-group`, where `clickhouse-events` consumed them before: the new group has no committed offsets, so ClickHouse starts at the earliest retained message (auto.offset.reset = earliest) and inserts again every row the old group already delivered.',
    ]);
  });
});
