import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSql } from './parser.js';
import { printStatement, quoteString } from './printer.js';
import { HIDDEN, hideSecrets, maskSql, redactSecrets, secretValues } from './secrets.js';
import { forEachNode } from './walk.js';

// What ClickHouse hides is the oracle: each form is created on chDB and its stored form
// (create_table_query, SHOW CREATE DATABASE) says which string literals became [HIDDEN].

/** Name → DDL that creates `x.<name>` (or database `<name>`) on chDB without reaching any server. */
const FORMS: [string, string][] = [
  ['e_mysql', "CREATE TABLE x.e_mysql (a Int32) ENGINE = MySQL('127.0.0.1:1', 'db1', 'tb1', 'usr1', 'CAN''ARY_1')"],
  ['e_mysql_nc', "CREATE TABLE x.e_mysql_nc (a Int32) ENGINE = MySQL(nc_mysql, password = 'CANARY_2', table = 'tb2')"],
  ['e_pg', "CREATE TABLE x.e_pg (a Int32) ENGINE = PostgreSQL('127.0.0.1:1', 'db1', 'tb1', 'usr1', /* c */ 'CANARY_3', 'sch1')"],
  ['e_mongo', "CREATE TABLE x.e_mongo (a Int32) ENGINE = MongoDB('127.0.0.1:1', 'db1', 'col1', 'usr1', 'CANARY_4')"],
  ['e_mongo_uri', "CREATE TABLE x.e_mongo_uri (a Int32) ENGINE = MongoDB('mongodb://usr1:CANARY_5@127.0.0.1:1/db1', 'col1')"],
  ['e_redis', "CREATE TABLE x.e_redis (k String) ENGINE = Redis('127.0.0.1:1', 0, 'CANARY_6') PRIMARY KEY k"],
  ['e_s3_4', "CREATE TABLE x.e_s3_4 (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID7', 'CANARY_7', 'CSV')"],
  ['e_s3_3', "CREATE TABLE x.e_s3_3 (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID8', 'CANARY_8')"],
  ['e_s3_5', "CREATE TABLE x.e_s3_5 (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID9', 'CANARY_9', 'CSV', 'gzip')"],
  ['e_s3_fmt', "CREATE TABLE x.e_s3_fmt (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv', 'CSV', 'gzip')"],
  ['e_url', "CREATE TABLE x.e_url (a Int32) ENGINE = URL('http://usr1:CANARY_10@127.0.0.1:1/x', CSV)"],
  ['e_az', "CREATE TABLE x.e_az (a Int32) ENGINE = AzureBlobStorage('https://a.blob', 'cont1', 'blob1', 'acct1', 'CANARY11', 'CSV')"],
  [
    'e_az_cs',
    "CREATE TABLE x.e_az_cs (a Int32) ENGINE = AzureBlobStorage('DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=CANARY12;EndpointSuffix=core.windows.net', 'cont1', 'blob1', 'CSV')",
  ],
  [
    'e_kafka',
    "CREATE TABLE x.e_kafka (a Int32) ENGINE = Kafka SETTINGS kafka_broker_list = '127.0.0.1:1', kafka_topic_list = 'top1', kafka_group_name = 'grp1', kafka_format = 'JSONEachRow', kafka_sasl_username = 'usr1', kafka_sasl_password = 'CANARY_13'",
  ],
  [
    'd_mysql',
    "CREATE DICTIONARY x.d_mysql (a UInt64) PRIMARY KEY a SOURCE(MYSQL(HOST '127.0.0.1' PORT 1 USER 'usr1' PASSWORD 'CAN''ARY_14' DB 'db1' TABLE 'tb1')) LAYOUT(HASHED()) LIFETIME(1)",
  ],
  [
    'd_ch',
    "CREATE DICTIONARY x.d_ch (a UInt64) PRIMARY KEY a SOURCE(CLICKHOUSE(HOST '127.0.0.1' PORT 1 USER 'usr1' PASSWORD 'CANARY_15' TABLE 'tb1')) LAYOUT(HASHED()) LIFETIME(1)",
  ],
  [
    'd_http',
    "CREATE DICTIONARY x.d_http (a UInt64) PRIMARY KEY a SOURCE(HTTP(URL 'http://127.0.0.1:1/x' FORMAT 'TSV' credentials(user 'usr1' password 'CANARY_16') headers(header(name 'Auth1' value 'val1')))) LAYOUT(HASHED()) LIFETIME(1)",
  ],
  ['f_mysql', "CREATE TABLE x.f_mysql (a String) AS mysql('127.0.0.1:1', 'db1', 'tb1', 'usr1', 'CANARY_17')"],
  ['f_pg', "CREATE TABLE x.f_pg (a String) AS postgresql('127.0.0.1:1', 'db1', 'tb1', 'usr1', 'CANARY_18')"],
  ['f_remote_dbt', "CREATE TABLE x.f_remote_dbt (a String) AS remote('127.0.0.1:1', db1.tb1, 'usr1', 'CANARY_19')"],
  ['f_remote_db_t', "CREATE TABLE x.f_remote_db_t (a String) AS remoteSecure('127.0.0.1:1', 'db1', 'tb1', 'usr1', 'CANARY_20')"],
  ['f_remote_str', "CREATE TABLE x.f_remote_str (a String) AS remote('127.0.0.1:1', 'db1.tb1', 'usr1', 'CANARY_21')"],
  ['f_s3', "CREATE TABLE x.f_s3 (a String) AS s3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID22', 'CANARY_22', 'CSV')"],
  ['f_s3_3', "CREATE TABLE x.f_s3_3 (a String) AS s3('https://127.0.0.1:1/bucket1/x.csv', 'KEYID23', 'CANARY_23')"],
  ['f_s3_fmt', "CREATE TABLE x.f_s3_fmt (a String) AS s3('https://127.0.0.1:1/bucket1/x.csv', 'CSV', 'a String')"],
  ['f_s3_nc', "CREATE TABLE x.f_s3_nc (a String) AS s3(nc_s3, url = 'https://127.0.0.1:1/bucket1/y.csv', secret_access_key = 'CANARY_24')"],
  ['f_url', "CREATE TABLE x.f_url (a String) AS url('http://usr1:CANARY_25@127.0.0.1:1/x', CSV)"],
  ['f_mongo', "CREATE TABLE x.f_mongo (a String) AS mongodb('127.0.0.1:1', 'db1', 'col1', 'usr1', 'CANARY_26', 'a String')"],
  ['f_redis', "CREATE TABLE x.f_redis (k String) AS redis('127.0.0.1:1', 'k', 'k String', 0, 'CANARY_27')"],
  ['f_az', "CREATE TABLE x.f_az (a String) AS azureBlobStorage('https://a.blob', 'cont1', 'blob1', 'acct1', 'CANARY_28', 'CSV')"],
  ['f_gcs', "CREATE TABLE x.f_gcs (a String) AS gcs('https://127.0.0.1:1/bucket1/x.csv', 'KEYID29', 'CANARY_29', 'CSV')"],
  ['c_encrypt', "CREATE TABLE x.c_encrypt (a String DEFAULT encrypt('aes-256-ofb', 'plain30', 'CANARY_30_key_32_bytes_long_xxxx')) ENGINE = Memory"],
  ['e_s3_userinfo', "CREATE TABLE x.e_s3_userinfo (a Int32) ENGINE = S3('https://usr1:CANARY_32@127.0.0.1:1/bucket1/x.csv', 'CSV')"],
  [
    'e_s3_presigned',
    "CREATE TABLE x.e_s3_presigned (a Int32) ENGINE = S3('https://127.0.0.1:1/bucket1/x.csv?X-Amz-Signature=CANARY_33&X-Amz-Security-Token=CANARY_34&X-Amz-Credential=CANARY_35&part=p1', 'CSV')",
  ],
  ['f_s3_userinfo', "CREATE TABLE x.f_s3_userinfo (a String) AS s3('https://usr1:CANARY_36@127.0.0.1:1/bucket1/x.csv', 'KEYID36', 'CANARY_37', 'CSV')"],
  ['e_url_at', "CREATE TABLE x.e_url_at (a Int32) ENGINE = URL('http://usr1:CAN@RY_38@127.0.0.1:1/x', CSV)"],
  ['db_pg', "CREATE DATABASE db_pg ENGINE = PostgreSQL('127.0.0.1:1', 'db1', 'usr1', 'CANARY_31')"],
];

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-secrets-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

function stringLiterals(sql: string): string[] {
  const values: string[] = [];
  forEachNode(parseSql(sql).statements, (node) => {
    if (node.kind === 'Literal' && 'type' in node && node.type === 'string' && 'value' in node) values.push(String(node.value));
    return undefined;
  });
  return values;
}

describe('secrets as ClickHouse hides them', () => {
  it('hides exactly the string literals that chDB shows as [HIDDEN], in every form', () => {
    session.query('CREATE DATABASE x');
    session.query("CREATE NAMED COLLECTION nc_mysql AS host = '127.0.0.1', port = 1, user = 'u', database = 'd'");
    session.query("CREATE NAMED COLLECTION nc_s3 AS url = 'https://127.0.0.1:1/bucket1/x.csv', access_key_id = 'k'");
    for (const [name, sql] of FORMS) {
      session.query(sql);
      const stored = name.startsWith('db_')
        ? session.query(`SHOW CREATE DATABASE ${name}`, 'TSVRaw')
        : session.query(`SELECT create_table_query FROM system.tables WHERE database = 'x' AND name = '${name}'`, 'TSVRaw');
      const masked = maskSql(sql);
      const printed = printStatement(hideSecrets(parseSql(sql).statements[0] as never, sql));
      const hiddenByClickHouse = stringLiterals(sql).filter((value) => !stored.includes(value));
      expect(
        stringLiterals(sql).filter((value) => !masked.includes(value)),
        `${name}: ${stored}`,
      ).toEqual(hiddenByClickHouse);
      expect(
        stringLiterals(sql).filter((value) => !printed.includes(value)),
        `${name}: ${printed}`,
      ).toEqual(hiddenByClickHouse);
      expect(masked.split(HIDDEN).length, name).toBe(stored.split(HIDDEN).length);
      // What we show is SQL ClickHouse reads.
      expect(() => session.query(`SELECT formatQuery(${quoteString(masked)})`)).not.toThrow();
    }
  });

  it('hides a password with a doubled quote, a comment before it, and keeps the rest as written', () => {
    const sql = "CREATE TABLE t (a Int32) -- keep\nENGINE = MySQL('h:3306', 'db', 't', 'u', /* pw: */ 'CAN''ARY')";
    expect(maskSql(sql)).toBe("CREATE TABLE t (a Int32) -- keep\nENGINE = MySQL('h:3306', 'db', 't', 'u', /* pw: */ '[HIDDEN]')");
    expect(secretValues(sql)).toEqual(["CAN''ARY", "CAN\\'ARY", "CAN'ARY"]);
  });

  it('hides IDENTIFIED BY secrets, every value of a named collection, and every string of a statement that does not parse', () => {
    expect(maskSql("CREATE USER u IDENTIFIED WITH sha256_hash BY 'h4sh' SALT 's4lt'")).toBe(
      "CREATE USER u IDENTIFIED WITH sha256_hash BY '[HIDDEN]' SALT '[HIDDEN]'",
    );
    expect(maskSql("ALTER USER u IDENTIFIED BY 'pw1'; ALTER NAMED COLLECTION nc SET password = 'pw2', host = 'h' DELETE x")).toBe(
      "ALTER USER u IDENTIFIED BY '[HIDDEN]'; ALTER NAMED COLLECTION nc SET password = '[HIDDEN]', host = '[HIDDEN]' DELETE x",
    );
    expect(maskSql("CREATE NAMED COLLECTION nc AS key = 'k1', secret = 's1'")).toBe("CREATE NAMED COLLECTION nc AS key = '[HIDDEN]', secret = '[HIDDEN]'");
    expect(maskSql("CREATE TABLE t (a) ENGINE = MySQL('h', 'd', 't', 'u', 'pw3'")).toBe(
      "CREATE TABLE t (a) ENGINE = MySQL('[HIDDEN]', '[HIDDEN]', '[HIDDEN]', '[HIDDEN]', '[HIDDEN]'",
    );
  });

  it('hides table functions wherever they are: a view, INSERT INTO FUNCTION, a subquery', () => {
    const sql = [
      "CREATE VIEW v AS SELECT * FROM (SELECT * FROM remote('h', db.t, 'u', 'pw4')) JOIN s3('https://h/bucket1/x', 'k', 'pw5', 'CSV') USING a",
      "INSERT INTO FUNCTION mysql('h:3306', 'd', 't', 'u', 'pw6') SELECT decrypt('aes-256-ofb', c, 'pw7') FROM t",
    ].join(';\n');
    const masked = maskSql(sql);
    for (const secret of ['pw4', 'pw5', 'pw6', 'pw7']) expect(masked).not.toContain(secret);
    expect(masked).toContain("decrypt('aes-256-ofb', '[HIDDEN]')");
  });

  it('redacts every quoted form of the secrets from a text', () => {
    const sql = "CREATE DICTIONARY d (a UInt64) PRIMARY KEY a SOURCE(MYSQL(PASSWORD 'x''y\\\\z')) LAYOUT(FLAT()) LIFETIME(0)";
    const error = "Syntax error: failed at position 80 ('x''y\\\\z'): ...PASSWORD 'x''y\\\\z')) and x'y\\z";
    expect(redactSecrets(error, secretValues(sql))).toBe(`Syntax error: failed at position 80 ('${HIDDEN}'): ...PASSWORD '${HIDDEN}')) and ${HIDDEN}`);
  });

  it('redacts a short secret only where it is not part of a word', () => {
    const error = "Not enough privileges to use collection with host = 'h' at //u:h@h:9000, h";
    expect(redactSecrets(error, ['h'])).toBe(`Not enough privileges to use collection with host = '${HIDDEN}' at //u:${HIDDEN}@${HIDDEN}:9000, ${HIDDEN}`);
    expect(redactSecrets('p@ss.word1 and xp@ss.word1x', ['p@ss.word1'])).toBe(`${HIDDEN} and xp@ss.word1x`);
    expect(redactSecrets('key $x(y)* key2', ['$x(y)*'])).toBe(`key ${HIDDEN} key2`);
  });
});
