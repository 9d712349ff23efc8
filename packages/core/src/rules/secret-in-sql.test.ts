import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleTester, testRule } from './ruleTester.js';
import rule from './secret-in-sql.js';

ruleTester(rule, {
  valid: [
    // An empty password is no secret (a local default user), and NOT IDENTIFIED has none.
    `
CREATE USER IF NOT EXISTS local_dev IDENTIFIED WITH plaintext_password BY '' HOST LOCAL;
CREATE USER IF NOT EXISTS healthcheck NOT IDENTIFIED HOST IP '10.0.0.0/8';
`,
    // Passwords taken from query parameters at deploy time, and methods without a password.
    `
CREATE USER IF NOT EXISTS etl_loader IDENTIFIED WITH sha256_password BY {etl_password:String} DEFAULT ROLE etl;
CREATE USER IF NOT EXISTS analyst IDENTIFIED WITH ldap SERVER 'corp_ldap';
CREATE USER IF NOT EXISTS ci_runner IDENTIFIED WITH ssl_certificate CN 'ci-runner.internal';
CREATE USER IF NOT EXISTS ops IDENTIFIED WITH ssh_key BY KEY 'AAAAC3NzaC1lZDI1NTE5AAAAIBgdkVvG6Zn9eL2u0V0eJ0pP7' TYPE 'ssh-ed25519';
ALTER USER etl_loader IDENTIFIED WITH sha256_password BY {etl_password:String};
`,
    // A dictionary that reads the local server as the default user, with an empty PASSWORD.
    `
CREATE DICTIONARY analytics.country_dict
(
    code String,
    name String DEFAULT 'Unknown'
)
PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'analytics' TABLE 'countries' USER 'default' PASSWORD ''))
LAYOUT(COMPLEX_KEY_HASHED())
LIFETIME(3600);
`,
    // Credentials left out or bound at deploy time: S3 with a format where a key id would be, remote()
    // as the default user, a query parameter, a URL without a password, an encryption key read from a column.
    `
CREATE TABLE app.public_s3 (id UInt64) ENGINE = S3('https://b.s3.amazonaws.com/public/x.csv', 'CSV', 'gzip');
CREATE VIEW app.remote_orders AS SELECT * FROM remote('ch-2:9000', shop.orders);
CREATE TABLE app.orders_mysql (id UInt64) ENGINE = MySQL('db:3306', 'shop', 'orders', 'reader', {mysql_password:String});
CREATE TABLE app.feed (id UInt64) ENGINE = URL('https://feed.internal/x.csv', CSV);
CREATE VIEW app.decrypted AS SELECT decrypt('aes-256-gcm', secret, key) FROM app.vault;
`,
    // Named collection entries that are not secrets.
    `
CREATE NAMED COLLECTION s3_exports AS
    url = 'https://exports.s3.eu-west-1.amazonaws.com/clickhouse/',
    access_key_id = 'AKIAEXAMPLE',
    region = 'eu-west-1';
`,
  ],
  invalid: [
    {
      sql: `
CREATE USER IF NOT EXISTS etl_loader
    IDENTIFIED WITH sha256_password BY 'Sup3r-s3cret!'
    HOST IP '10.0.0.0/8'
    DEFAULT ROLE etl;
`,
      errors: [{ messageId: 'secret', line: 3, column: 40, endColumn: 55 }],
    },
    {
      // A hash and its salt are secrets too: either allows an offline attack on the password.
      sql: `
CREATE USER reporting IDENTIFIED WITH sha256_hash BY '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' SALT 'a1b2c3';
ALTER USER reporting IDENTIFIED BY 'rotated-2024-06';
`,
      errors: [
        { messageId: 'secret', line: 2, column: 54, endColumn: 120 },
        { messageId: 'secret', line: 2, column: 126, endColumn: 134 },
        { messageId: 'secret', line: 3, column: 36, endColumn: 53 },
      ],
    },
    {
      sql: `
CREATE DICTIONARY analytics.plans
(
    plan_id UInt64,
    name String
)
PRIMARY KEY plan_id
SOURCE(MYSQL(HOST 'billing-db.internal' PORT 3306 USER 'clickhouse' PASSWORD 'billing-pw' DB 'billing' TABLE 'plans'))
LAYOUT(HASHED())
LIFETIME(MIN 300 MAX 600);
`,
      errors: [{ messageId: 'secret', line: 8, column: 78, endColumn: 90 }],
    },
    {
      // Regression: a password nested in credentials(...) of an HTTP source.
      sql: `
CREATE DICTIONARY analytics.exchange_rates (currency String, rate Float64)
PRIMARY KEY currency
SOURCE(HTTP(url 'https://rates.internal/latest.tsv' format 'TabSeparated' credentials(user 'rates' password 'r4tes-pw')))
LAYOUT(COMPLEX_KEY_HASHED())
LIFETIME(3600);
`,
      errors: [{ messageId: 'secret', line: 4, column: 109, endColumn: 119 }],
    },
    {
      sql: `
CREATE NAMED COLLECTION s3_exports AS
    url = 'https://exports.s3.eu-west-1.amazonaws.com/clickhouse/',
    access_key_id = 'AKIAEXAMPLE',
    secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

CREATE NAMED COLLECTION pg_billing AS host = 'billing-db.internal', port = 5432, user = 'clickhouse', password = 'pg-pw' NOT OVERRIDABLE;
`,
      errors: [
        { messageId: 'secret', line: 5, column: 25, endColumn: 67 },
        { messageId: 'secret', line: 7, column: 114, endColumn: 121 },
      ],
    },
    {
      // Issue 18: credentials of engines, table functions, URLs and Kafka settings; a quote doubled
      // inside the password and a comment before it change nothing.
      sql: `
CREATE TABLE app.orders_mysql (id UInt64) ENGINE = MySQL('db:3306', 'shop', 'orders', 'reader', /* pw */ 'CAN''ARY-1');
CREATE TABLE app.orders_pg (id UInt64) ENGINE = PostgreSQL('pg:5432', 'shop', 'orders', 'reader', 'canary-2');
CREATE TABLE app.raw_s3 (id UInt64) ENGINE = S3('https://b.s3.amazonaws.com/raw/x.csv', 'AKIAKEY', 'canary-3', 'CSV');
CREATE TABLE app.feed (id UInt64) ENGINE = URL('https://feed:canary-4@feed.internal/x.csv', CSV);
CREATE TABLE app.events_queue (id UInt64) ENGINE = Kafka SETTINGS kafka_broker_list = 'k:9092', kafka_topic_list = 't', kafka_group_name = 'g', kafka_format = 'JSONEachRow', kafka_sasl_password = 'canary-5';
CREATE DATABASE legacy ENGINE = PostgreSQL('pg:5432', 'legacy', 'reader', 'canary-6');
CREATE VIEW app.remote_orders AS SELECT * FROM remote('ch-2:9000', shop.orders, 'reader', 'canary-7');
INSERT INTO app.orders_copy SELECT * FROM mysql('db:3306', 'shop', 'orders', 'reader', 'canary-8');
INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/out/x.csv', 'AKIAKEY', 'canary-9', 'CSV') SELECT * FROM app.orders;
CREATE NAMED COLLECTION api AS endpoint = 'https://api.internal', api_key = 'canary-10';
`,
      errors: [
        { messageId: 'secret', line: 2, column: 106, endColumn: 118 },
        { messageId: 'secret', line: 3, column: 99, endColumn: 109 },
        { messageId: 'secret', line: 4, column: 100, endColumn: 110 },
        { messageId: 'secret', line: 5, column: 48, endColumn: 91 },
        { messageId: 'secret', line: 6, column: 197, endColumn: 207 },
        { messageId: 'secret', line: 7, column: 75, endColumn: 85 },
        { messageId: 'secret', line: 8, column: 91, endColumn: 101 },
        { messageId: 'secret', line: 9, column: 88, endColumn: 98 },
        { messageId: 'secret', line: 10, column: 76, endColumn: 86 },
        { messageId: 'secret', line: 11, column: 77, endColumn: 88 },
      ],
    },
    {
      // Issue 18: ALTER NAMED COLLECTION ... SET is read like CREATE: the password, not the host.
      sql: `
ALTER NAMED COLLECTION pg_billing SET host = 'billing-db-2.internal', password = 'canary-11' NOT OVERRIDABLE DELETE port;
`,
      errors: [{ messageId: 'secret', line: 2, column: 82, endColumn: 93 }],
    },
  ],
});

describe('secret-in-sql on ClickHouse', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-secret-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ClickHouse shows the secrets as [HIDDEN]: the copy that leaks is the one in the repository', () => {
    const dictionary =
      "CREATE DICTIONARY plans (plan_id UInt64, name String) PRIMARY KEY plan_id SOURCE(CLICKHOUSE(TABLE 'plan_rows' USER 'default' PASSWORD 'hunter2')) LAYOUT(HASHED()) LIFETIME(0)";
    const collection = "CREATE NAMED COLLECTION billing AS host = 'billing-db.internal', password = 'hunter2'";
    expect(testRule(rule, { sql: `${dictionary};\n${collection};` }).map((f) => f.messageId)).toEqual(['secret', 'secret']);

    session.query(dictionary);
    session.query(collection);
    const shown = [
      session.query('SHOW CREATE DICTIONARY plans', 'TSVRaw'),
      session.query("SELECT create_table_query FROM system.tables WHERE name = 'plans'", 'TSVRaw'),
      session.query("SELECT create_query FROM system.named_collections WHERE name = 'billing'", 'TSVRaw'),
    ];
    for (const text of shown) {
      expect(text).toMatch(/password =? ?'\[HIDDEN\]'/i);
      expect(text).not.toContain('hunter2');
    }
  });
});
