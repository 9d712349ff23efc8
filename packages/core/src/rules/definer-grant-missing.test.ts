import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './definer-grant-missing.js';
import { ruleTester } from './ruleTester.js';

/** The access a tenant gets, as the environment fixture writes it: its own database, and SELECT on the shared lookups. */
const ACCESS = `CREATE DATABASE IF NOT EXISTS shared;
CREATE DATABASE IF NOT EXISTS billing;
CREATE DATABASE IF NOT EXISTS tenant_acme;
CREATE TABLE shared.countries (code FixedString(2), name String) ENGINE = ReplacingMergeTree ORDER BY code;
CREATE TABLE billing.invoices (ts DateTime, tenant String, amount Decimal(18, 2)) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE tenant_acme.events (ts DateTime, country FixedString(2), value Float64) ENGINE = MergeTree ORDER BY ts;
CREATE ROLE IF NOT EXISTS role_tenant_acme;
GRANT SELECT, INSERT, ALTER, CREATE, DROP ON tenant_acme.* TO role_tenant_acme;
GRANT SELECT ON shared.* TO role_tenant_acme;
CREATE USER IF NOT EXISTS user_tenant_acme HOST NONE DEFAULT DATABASE tenant_acme;
GRANT role_tenant_acme TO user_tenant_acme;
`;

ruleTester(rule, {
  valid: [
    // The role granted to the definer covers the shared lookup.
    `${ACCESS}
CREATE VIEW tenant_acme.events_by_country DEFINER = user_tenant_acme SQL SECURITY DEFINER AS
SELECT c.name AS country, count() AS events
FROM tenant_acme.events AS e
INNER JOIN shared.countries AS c ON c.code = e.country
GROUP BY country;
`,
    // SQL SECURITY INVOKER (and a view with no definer) runs as whoever queries it.
    `${ACCESS}
CREATE VIEW tenant_acme.revenue SQL SECURITY INVOKER AS SELECT sum(amount) FROM billing.invoices WHERE tenant = 'acme';
CREATE VIEW tenant_acme.revenue_all AS SELECT sum(amount) FROM billing.invoices;
`,
    // A definer whose grants the repository does not manage: its grants are not known.
    `${ACCESS}
CREATE VIEW tenant_acme.revenue DEFINER = finance SQL SECURITY DEFINER AS SELECT sum(amount) FROM billing.invoices WHERE tenant = 'acme';
`,
    // A grant given after the view still counts: the state after the migrations is judged.
    `${ACCESS}
CREATE VIEW tenant_acme.revenue DEFINER = user_tenant_acme AS SELECT sum(amount) FROM billing.invoices WHERE tenant = 'acme';
GRANT SELECT(tenant, amount) ON billing.invoices TO role_tenant_acme;
`,
  ],
  invalid: [
    {
      // Another database than the ones the role holds.
      sql: `${ACCESS}
CREATE VIEW tenant_acme.revenue DEFINER = user_tenant_acme SQL SECURITY DEFINER AS
SELECT sum(amount) AS revenue FROM billing.invoices WHERE tenant = 'acme';
`,
      errors: [{ messageId: 'missing', line: 14, column: 36, endColumn: 52 }],
    },
    {
      // A materialized view: it reads the joined table and writes its target as the definer.
      sql: `${ACCESS}
CREATE TABLE billing.usage (day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW tenant_acme.usage_mv TO billing.usage DEFINER = user_tenant_acme SQL SECURITY DEFINER AS
SELECT toDate(ts) AS day, count() AS events FROM tenant_acme.events GROUP BY day;
`,
      errors: [{ messageId: 'missing', line: 14, column: 50, endColumn: 63 }],
    },
    {
      // A revoke after the database grant takes the table back; dictGet needs its own privilege.
      sql: `${ACCESS}
REVOKE SELECT ON shared.countries FROM role_tenant_acme;
CREATE DICTIONARY shared.country_names (code String, name String) PRIMARY KEY code
SOURCE(CLICKHOUSE(DB 'shared' TABLE 'countries')) LIFETIME(3600) LAYOUT(COMPLEX_KEY_HASHED());
CREATE VIEW tenant_acme.named DEFINER = user_tenant_acme AS
SELECT dictGet('shared.country_names', 'name', tuple(e.country)) AS name, c.name AS checked
FROM tenant_acme.events AS e LEFT JOIN shared.countries AS c ON c.code = e.country;
`,
      errors: [
        { messageId: 'missing', line: 18, column: 40, endColumn: 56 },
        { messageId: 'missing', line: 17, column: 16, endColumn: 38 },
      ],
    },
    {
      // A dictionary loads as the USER its source names.
      sql: `${ACCESS}
CREATE DICTIONARY tenant_acme.invoices (ts DateTime, amount Decimal(18, 2)) PRIMARY KEY ts
SOURCE(CLICKHOUSE(USER 'user_tenant_acme' DB 'billing' TABLE 'invoices')) LIFETIME(3600) LAYOUT(HASHED());
`,
      errors: [{ messageId: 'missing', line: 14, column: 62, endColumn: 72 }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'names the object, the user, the privilege and what ClickHouse does',
      files: [
        {
          file: 'V3__usage.sql',
          text: `${ACCESS}CREATE TABLE billing.usage (day Date, events UInt64) ENGINE = SummingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW tenant_acme.usage_mv TO billing.usage DEFINER = user_tenant_acme AS
SELECT toDate(ts) AS day, count() AS events FROM tenant_acme.events GROUP BY day;
`,
        },
      ],
      errors: [
        {
          messageId: 'missing',
          line: 13,
          column: 50,
          message:
            '`tenant_acme.usage_mv` runs as `user_tenant_acme` (SQL SECURITY DEFINER), and no GRANT in the migrations gives `user_tenant_acme` or a role granted to it INSERT on `billing.usage`: ClickHouse creates the view, then refuses every insert into its source table (code 497, ACCESS_DENIED) because the view cannot write its rows.',
          help: 'Add `GRANT INSERT ON billing.usage TO user_tenant_acme` (or to a role it has) in a migration before `tenant_acme.usage_mv` is created.',
        },
      ],
    },
  ],
});

describe('definer-grant-missing on ClickHouse', () => {
  // chDB has no writable access storage: the definer comes from an XML user directory, with the grants
  // a repository would give it (SELECT and INSERT on its own database only).
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-definer-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'users.xml'),
    `<clickhouse>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
  <users>
    <default><password></password><access_management>1</access_management><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default>
    <reporter>
      <no_password/><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota>
      <grants><query>GRANT SELECT, INSERT ON app.*</query></grants>
    </reporter>
  </users>
</clickhouse>
`,
  );
  writeFileSync(
    join(dir, 'config.xml'),
    `<clickhouse><user_directories><users_xml><path>${join(dir, 'users.xml')}</path></users_xml></user_directories></clickhouse>\n`,
  );
  const session = new Session(join(dir, 'data'), { connectionArgs: [`--config-file=${join(dir, 'config.xml')}`] });
  const run = (sql: string) => session.query(sql, 'TSVRaw');
  const refusal = (sql: string) => {
    try {
      run(sql);
      return 'accepted';
    } catch (error) {
      // "Code: 497. ... it's necessary to have the grant SELECT ON shared.countries. (ACCESS_DENIED)"
      return (
        /Code: (\d+)\..*?the grant (\w+ ON \w+\.\w+)/
          .exec((error as Error).message)
          ?.slice(1)
          .join(' ') ?? (error as Error).message
      );
    }
  };
  afterAll(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a definer view over another database, then refuses every query of it', () => {
    run('CREATE DATABASE app');
    run('CREATE DATABASE shared');
    run('CREATE TABLE shared.countries (code String, name String) ENGINE = MergeTree ORDER BY code');
    run("INSERT INTO shared.countries VALUES ('FR', 'France')");
    run('CREATE TABLE app.events (ts DateTime, country String) ENGINE = MergeTree ORDER BY ts');
    expect(run('SHOW GRANTS FOR reporter')).toBe('GRANT SELECT, INSERT ON app.* TO reporter\n');
    // Its own database is covered; the shared one is not.
    run('CREATE VIEW app.own DEFINER = reporter SQL SECURITY DEFINER AS SELECT count() FROM app.events');
    expect(run('SELECT * FROM app.own')).toBe('0\n');
    run('CREATE VIEW app.named DEFINER = reporter AS SELECT e.country, c.name FROM app.events AS e LEFT JOIN shared.countries AS c ON c.code = e.country');
    expect(refusal('SELECT * FROM app.named')).toBe('497 SELECT ON shared.countries');
  });

  it('creates a definer materialized view writing to another database, then refuses every insert into its source', () => {
    run('CREATE TABLE shared.sink (country String) ENGINE = MergeTree ORDER BY country');
    run('CREATE MATERIALIZED VIEW app.sink_mv TO shared.sink DEFINER = reporter SQL SECURITY DEFINER AS SELECT country FROM app.events');
    expect(refusal("INSERT INTO app.events VALUES (now(), 'FR')")).toBe('497 INSERT ON shared.sink');
    expect(run('SELECT count() FROM shared.sink')).toBe('0\n');
    run('DROP VIEW app.sink_mv');
  });

  it('needs dictGet on a dictionary, and SELECT on the source of a dictionary that loads as the user', () => {
    run(
      "CREATE DICTIONARY shared.names (code String, name String) PRIMARY KEY code SOURCE(CLICKHOUSE(DB 'shared' TABLE 'countries')) LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())",
    );
    run("CREATE VIEW app.looked_up DEFINER = reporter AS SELECT dictGet('shared.names', 'name', tuple('FR')) AS name");
    expect(refusal('SELECT * FROM app.looked_up')).toBe('497 dictGet ON shared.names');
    run(
      "CREATE DICTIONARY app.names (code String, name String) PRIMARY KEY code SOURCE(CLICKHOUSE(USER 'reporter' DB 'shared' TABLE 'countries')) LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())",
    );
    expect(refusal("SELECT dictGet('app.names', 'name', tuple('FR'))")).toBe('497 SELECT ON shared.countries');
    // The same dictionary without USER loads as the default user.
    expect(run("SELECT dictGet('shared.names', 'name', tuple('FR'))")).toBe('France\n');
  });
});
