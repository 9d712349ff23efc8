import { describe, expect, it } from 'vitest';
import type { CreateAccessEntityStatement, GrantStatement, Statement } from './ast.js';
import { clickhouseRejection, expectRejected, expectSameVerdicts } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// Every statement here is also given to ClickHouse (chDB): accepted cases must be accepted there,
// rejected cases rejected there on the same line. The expectations below are ours; the verdicts are ClickHouse's.

function parseOne(sql: string): Statement {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  expect(statements).toHaveLength(1);
  return statements[0];
}

/** A CREATE of an access entity, with names, ON targets, settings and clauses as text. */
function entity(sql: string): Record<string, unknown> {
  const statement = parseOne(sql) as CreateAccessEntityStatement;
  expect(statement.kind).toBe('CreateAccessEntity');
  const text = (node: { start: number; end: number }): string => sql.slice(node.start, node.end);
  const out: Record<string, unknown> = {
    header: {
      verb: statement.verb,
      orReplace: statement.orReplace,
      ifNotExists: statement.ifNotExists,
      onCluster: statement.onCluster && text(statement.onCluster),
    },
    entity: statement.entity,
    names: statement.names.map((name) => name.name),
    clauses: statement.clauses.map((clause) => `${clause.keyword}: ${text(clause)}`),
  };
  if (statement.on) out.on = statement.on.map(text);
  if (statement.settings) out.settings = statement.settings.map(text);
  if (statement.using) out.using = text(statement.using);
  if (statement.identification) {
    const { method, secrets } = statement.identification;
    out.identification = { method, secrets: secrets.map((s) => s.value), text: text(statement.identification) };
  }
  expect(text(statement)).toBe(sql);
  return out;
}

/** A GRANT or REVOKE, with privileges and targets as text. */
function grant(sql: string): Record<string, unknown> {
  const statement = parseOne(sql) as GrantStatement;
  expect(statement.kind === 'Grant' || statement.kind === 'Revoke').toBe(true);
  const text = (node: { start: number; end: number }): string => sql.slice(node.start, node.end);
  const target = (on?: GrantStatement['on']): string | undefined => on && `${on.database === undefined ? '' : `${on.database}.`}${on.table} = ${text(on)}`;
  const out: Record<string, unknown> = {
    kind: statement.kind,
    privileges: statement.privileges.map((p) => [p.name, p.columns?.map((c) => c.name), target(p.on), text(p)].filter((x) => x !== undefined)),
    on: target(statement.on),
    grantees: statement.grantees.map((g) => g.name),
    options: [statement.withGrantOption && 'GRANT', statement.withAdminOption && 'ADMIN', statement.withReplaceOption && 'REPLACE'].filter(Boolean),
  };
  if (statement.onCluster) out.onCluster = text(statement.onCluster);
  if (statement.exceptGrantees) out.exceptGrantees = statement.exceptGrantees.map((g) => g.name);
  if (statement.currentGrants) out.currentGrants = true;
  expect(text(statement)).toBe(sql);
  return out;
}

const CREATE = { verb: 'CREATE', orReplace: false, ifNotExists: false, onCluster: undefined };

describe('CREATE USER', () => {
  it('reads names with hosts, ON CLUSTER and every clause', () => {
    const sql =
      "CREATE USER IF NOT EXISTS analyst, bi@'10.%', anyone@'%' ON CLUSTER main IDENTIFIED WITH sha256_password BY 'S3cret' HOST IP '10.0.0.0/8', '192.168.0.0/16', LIKE '%.corp' DEFAULT ROLE ALL EXCEPT admin DEFAULT DATABASE analytics GRANTEES ANY EXCEPT intern IN local_directory SETTINGS max_threads = 8 MIN 1 MAX 16 READONLY, PROFILE 'default' ROLE reader";
    expect(entity(sql)).toEqual({
      header: { ...CREATE, ifNotExists: true, onCluster: 'main' },
      entity: 'USER',
      names: ['analyst', 'bi@10.%', 'anyone'],
      clauses: [
        "IDENTIFIED: IDENTIFIED WITH sha256_password BY 'S3cret'",
        "HOST: HOST IP '10.0.0.0/8', '192.168.0.0/16', LIKE '%.corp'",
        'DEFAULT ROLE: DEFAULT ROLE ALL EXCEPT admin',
        'DEFAULT DATABASE: DEFAULT DATABASE analytics',
        'GRANTEES: GRANTEES ANY EXCEPT intern',
        'IN: IN local_directory',
        "SETTINGS: SETTINGS max_threads = 8 MIN 1 MAX 16 READONLY, PROFILE 'default'",
        'ROLE: ROLE reader',
      ],
      settings: ['max_threads = 8 MIN 1 MAX 16 READONLY'],
      identification: { method: 'sha256_password', secrets: ['S3cret'], text: "IDENTIFIED WITH sha256_password BY 'S3cret'" },
    });
  });

  it('puts every password, hash and salt in secrets, and only those', () => {
    const identification = (clause: string) => entity(`CREATE USER u ${clause}`).identification;
    expect(identification("IDENTIFIED BY 'plain'")).toEqual({ method: undefined, secrets: ['plain'], text: "IDENTIFIED BY 'plain'" });
    expect(identification("IDENTIFIED WITH plaintext_password BY 'a', bcrypt_password BY 'b' VALID UNTIL '2030-01-01', BY 'c'")).toEqual({
      method: 'plaintext_password',
      secrets: ['a', 'b', 'c'],
      text: "IDENTIFIED WITH plaintext_password BY 'a', bcrypt_password BY 'b' VALID UNTIL '2030-01-01', BY 'c'",
    });
    expect(identification("IDENTIFIED WITH sha256_hash BY 'h1' SALT 's1'")).toEqual({
      method: 'sha256_hash',
      secrets: ['h1', 's1'],
      text: "IDENTIFIED WITH sha256_hash BY 'h1' SALT 's1'",
    });
    expect(identification("IDENTIFIED WITH double_sha1_hash BY 'h2'")).toEqual({
      method: 'double_sha1_hash',
      secrets: ['h2'],
      text: "IDENTIFIED WITH double_sha1_hash BY 'h2'",
    });
    expect(identification('IDENTIFIED WITH scram_sha256_password BY $$pw$$')).toEqual({
      method: 'scram_sha256_password',
      secrets: ['pw'],
      text: 'IDENTIFIED WITH scram_sha256_password BY $$pw$$',
    });
    expect(identification('IDENTIFIED BY {password:String}')).toEqual({ method: undefined, secrets: [], text: 'IDENTIFIED BY {password:String}' });
    expect(identification("NOT IDENTIFIED VALID UNTIL '2030-01-01'")).toEqual({
      method: 'no_password',
      secrets: [],
      text: "NOT IDENTIFIED VALID UNTIL '2030-01-01'",
    });
  });

  it('reads the methods without secrets', () => {
    const methods = [
      ['IDENTIFIED WITH no_password', 'no_password'],
      ['IDENTIFIED WITH no_authentication', 'no_authentication'],
      ["IDENTIFIED WITH ldap SERVER 'corp'", 'ldap'],
      ["IDENTIFIED WITH kerberos REALM 'EXAMPLE.COM'", 'kerberos'],
      ["IDENTIFIED WITH ssl_certificate CN 'a', 'b'", 'ssl_certificate'],
      ["IDENTIFIED WITH ssl_certificate SAN 'DNS:host'", 'ssl_certificate'],
      ["IDENTIFIED WITH ssh_key BY KEY 'AAAAC3' TYPE 'ssh-ed25519', KEY 'AAAAB3' TYPE 'ssh-rsa'", 'ssh_key'],
      ["IDENTIFIED WITH http SERVER 'auth' SCHEME 'basic'", 'http'],
    ];
    for (const [clause, method] of methods) expect(entity(`CREATE USER u ${clause}`).identification).toEqual({ method, secrets: [], text: clause });
  });

  it('reads OR REPLACE where ClickHouse writes it, after USER', () => {
    expect(entity('CREATE USER OR REPLACE u NOT IDENTIFIED')).toMatchObject({ header: { ...CREATE, orReplace: true }, names: ['u'] });
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('CREATE OR REPLACE USER u', 'u', /OR REPLACE name/);
    expectRejected("CREATE USER u IDENTIFIED BY 'x' VALID UNTIL '2030-01-01' VALID UNTIL '2031-01-01'", 'VALID', /end of the statement/, 2);
    expectRejected("CREATE USER u IDENTIFIED BY 'x' HOST ANY VALID UNTIL '2030-01-01'", 'VALID', /end of the statement/);
    expectRejected("CREATE USER broken\n    IDENTIFIED WITH\n    BY 'x'", 'BY', /Expected an authentication method/);
    expectRejected('CREATE USER u IDENTIFIED BY secret', 'secret', /Expected a password string/);
    expectRejected("CREATE USER u IDENTIFIED WITH foo BY 'x'", 'foo', /Expected an authentication method/);
    expectRejected("CREATE USER u IDENTIFIED plaintext_password BY 'x'", 'plaintext_password', /Expected `WITH`/);
    expectRejected('CREATE USER u IDENTIFIED WITH jwt', 'jwt', /other than `jwt`/);
    expectRejected('CREATE USER u IDENTIFIED WITH ldap', '', /Expected `SERVER`/);
    expectRejected("CREATE USER u IDENTIFIED WITH ssh_key BY KEY 'k'", '', /Expected `TYPE`/);
    expectRejected("CREATE USER u IDENTIFIED BY 'x',\n  HOST ANY", 'HOST', /Expected `BY`/);
    expectRejected("CREATE USER u IDENTIFIED BY 'x' IDENTIFIED BY 'y'", 'IDENTIFIED', /end of the statement/, 2);
    expectRejected("CREATE USER u HOST ADDRESS '10.0.0.1'", 'ADDRESS', /after HOST/);
    expectRejected('CREATE USER u SETTINGS max_threads = 8,', '', /Expected a setting name/);
    expectRejected('CREATE USER u SETTINGS max_threads', '', /Expected `= value`, MIN, MAX/);
    expectRejected('CREATE USER u SETTINGS a = 1 + 1', '+', /end of the statement/);
    expectRejected('CREATE USER u SETTINGS a = x', 'x', /Expected a literal value/);
    expectRejected("CREATE USER u PROFILE 'p', a = 1", '=', /end of the statement/);
    expectRejected('CREATE USER u DEFAULT ROLE r DEFAULT ROLE s', 'DEFAULT', /end of the statement/, 2);
    expectRejected('CREATE USER u HOST LOCAL VALID UNTIL', '', /Expected a date string/);
    expectRejected("CREATE USER 'u'@'localhost'", '@', /end of the statement/);
    expectRejected("CREATE USER first.last IDENTIFIED BY 'x'", '.', /end of the statement/);
    expectRejected('CREATE USER u RENAME TO v', 'RENAME', /end of the statement/);
  });
});

describe('CREATE ROLE and SETTINGS PROFILE', () => {
  it('reads roles', () => {
    expect(entity("CREATE ROLE IF NOT EXISTS writer, 'admin' ON CLUSTER main SETTING max_memory_usage = 1000 CONST, PROFILE 'heavy' IN replicated")).toEqual({
      header: { ...CREATE, ifNotExists: true, onCluster: 'main' },
      entity: 'ROLE',
      names: ['writer', 'admin'],
      clauses: ["SETTINGS: SETTING max_memory_usage = 1000 CONST, PROFILE 'heavy'", 'IN: IN replicated'],
      settings: ['max_memory_usage = 1000 CONST'],
    });
  });

  it('reads settings profiles, with INHERIT and TO', () => {
    expect(
      entity("CREATE SETTINGS PROFILE OR REPLACE heavy SETTINGS max_threads = 32 CHANGEABLE_IN_READONLY INHERIT 'default' TO ALL EXCEPT intern ON CLUSTER c"),
    ).toEqual({
      header: { ...CREATE, orReplace: true, onCluster: 'c' },
      entity: 'SETTINGS PROFILE',
      names: ['heavy'],
      clauses: ['SETTINGS: SETTINGS max_threads = 32 CHANGEABLE_IN_READONLY', "SETTINGS: INHERIT 'default'", 'TO: TO ALL EXCEPT intern'],
      settings: ['max_threads = 32 CHANGEABLE_IN_READONLY'],
    });
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('CREATE OR REPLACE ROLE r', 'r', /OR REPLACE name/);
    expectRejected("CREATE ROLE r SETTINGS INHERIT 'p'", "'p'", /Expected `= value`/);
    expectRejected("CREATE ROLE r1, 'r2'@'h'", '@', /end of the statement/);
    expectRejected('CREATE SETTINGS PROFILE p TO r SETTINGS a = 1', 'SETTINGS', /end of the statement/, 2);
    expectRejected('CREATE SETTINGS PROFILE sp\n    SETTINGS\n    TO reader', 'reader', /Expected `= value`/);
  });
});

describe('CREATE ROW POLICY', () => {
  it('reads names, tables, kind, filters and TO', () => {
    expect(
      entity(
        'CREATE ROW POLICY IF NOT EXISTS p1 ON CLUSTER c ON db.t1, t2, db.* AS RESTRICTIVE FOR SELECT USING tenant = currentUser() TO reader, CURRENT_USER',
      ),
    ).toEqual({
      header: { ...CREATE, ifNotExists: true, onCluster: 'c' },
      entity: 'ROW POLICY',
      names: ['p1'],
      on: ['db.t1', 't2', 'db.*'],
      clauses: ['AS: AS RESTRICTIVE', 'FOR: FOR SELECT USING tenant = currentUser()', 'TO: TO reader, CURRENT_USER'],
      using: 'tenant = currentUser()',
    });
  });

  it('reads `p1 ON t1, p2 ON t2`, several policies on one table, NONE and WITH CHECK', () => {
    expect(entity('CREATE POLICY p1 ON t1, p2 ON t2 USING NONE, WITH CHECK 1')).toMatchObject({
      names: ['p1', 'p2'],
      on: ['t1', 't2'],
      clauses: ['USING: USING NONE, WITH CHECK 1'],
    });
    expect(entity('CREATE ROW POLICY p1, p2 ON * USING a = 1')).toMatchObject({ names: ['p1', 'p2'], on: ['*'], using: 'a = 1' });
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('CREATE ROW POLICY p db.t USING 1 TO ALL', 'db', /Expected `ON`/);
    expectRejected('CREATE ROW POLICY p ON *.* USING 1', '.', /cannot be on `\*\.\*`/);
    expectRejected('CREATE ROW POLICY p ON t FOR INSERT USING 1', 'INSERT', /Expected `SELECT` or `ALL`/);
    expectRejected('CREATE ROW POLICY p ON t FOR SELECT', '', /Expected `USING condition`/);
    expectRejected('CREATE ROW POLICY p ON t USING a AS b', 'b', /Expected `PERMISSIVE` or `RESTRICTIVE`/);
    expectRejected('CREATE ROW POLICY p ON t TO r USING 1', 'USING', /end of the statement/);
    expectRejected('CREATE ROW POLICY p ON db.t\n    USING\n    TO ALL', 'ALL', /end of the statement/);
  });
});

describe('CREATE QUOTA', () => {
  it('reads keys, intervals with limits, and TO', () => {
    expect(
      entity(
        "CREATE QUOTA IF NOT EXISTS q1, 'q2' KEYED BY ip_address IPV4_PREFIX_BITS 24 FOR INTERVAL 1 HOUR MAX queries = 1000, READ ROWS = 1e9, FOR RANDOMIZED INTERVAL 1 DAY execution_time MAX 3600, FOR 1 MONTH TRACKING ONLY TO analyst",
      ),
    ).toEqual({
      header: { ...CREATE, ifNotExists: true },
      entity: 'QUOTA',
      names: ['q1', 'q2'],
      clauses: [
        'KEYED BY: KEYED BY ip_address IPV4_PREFIX_BITS 24',
        'FOR: FOR INTERVAL 1 HOUR MAX queries = 1000, READ ROWS = 1e9, FOR RANDOMIZED INTERVAL 1 DAY execution_time MAX 3600, FOR 1 MONTH TRACKING ONLY',
        'TO: TO analyst',
      ],
    });
    expect(entity("CREATE QUOTA q KEYED BY 'client key', user_name FOR INTERVAL 15 MINUTE NO LIMITS")).toMatchObject({
      clauses: ["KEYED BY: KEYED BY 'client key', user_name", 'FOR: FOR INTERVAL 15 MINUTE NO LIMITS'],
    });
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('CREATE QUOTA q\n    FOR INTERVAL 1 MAX queries = 10', 'MAX', /Expected a time unit/);
    expectRejected('CREATE QUOTA q2 FOR INTERVAL 1 HOUR MAX requests = 10', 'requests', /Expected a quota resource/);
    expectRejected('CREATE QUOTA q FOR INTERVAL 1 hour MAX QUERIES PER NORMALIZED HASH = 1', 'PER', /Expected a limit/);
    expectRejected('CREATE QUOTA q FOR INTERVAL 1 hour queries = 1', '=', /Expected `MAX`/);
    expectRejected('CREATE QUOTA q KEYED BY foo', 'foo', /Expected a quota key/);
    expectRejected('CREATE QUOTA q KEYED BY user_name IPV4_PREFIX_BITS 24', 'IPV4_PREFIX_BITS', /only to quotas keyed by ip_address/);
    expectRejected('CREATE QUOTA q KEYED BY user_name KEYED BY ip_address', 'KEYED', /end of the statement/, 2);
  });

  it('reads a limit written as a string with a size suffix, as ClickHouse does (#15)', () => {
    const limits = ['12', ' 12k ', '12Ki', '12M', '12Gi', '+12', '12Ti', '12 K', '12KB', '12m', '12P', '1.5', '-1', '', 'abc', '0x10', '1e3'];
    expectSameVerdicts(
      limits.flatMap((limit) => [
        `CREATE QUOTA q FOR INTERVAL 1 MINUTE MAX query_selects = '${limit}'`,
        `CREATE QUOTA q FOR INTERVAL 1 MINUTE execution_time MAX '${limit}'`,
      ]),
    );
  });
});

describe('GRANT and REVOKE', () => {
  it('reads privileges with columns, several targets, grantees and options', () => {
    expect(
      grant(
        'GRANT ON CLUSTER main SELECT(user_id, event), INSERT ON analytics.events, UPDATE ON staging.* TO etl, CURRENT_USER WITH GRANT OPTION WITH REPLACE OPTION',
      ),
    ).toEqual({
      kind: 'Grant',
      onCluster: 'main',
      privileges: [
        ['SELECT', ['user_id', 'event'], 'analytics.events = analytics.events', 'SELECT(user_id, event)'],
        ['INSERT', 'analytics.events = analytics.events', 'INSERT'],
        ['ALTER UPDATE', 'staging.* = staging.*', 'UPDATE'],
      ],
      on: 'analytics.events = analytics.events',
      grantees: ['etl', 'CURRENT_USER'],
      options: ['GRANT', 'REPLACE'],
    });
  });

  it('reads every target form', () => {
    const targets = ['*.*', '*', 'db.*', 'db*.*', 'db.events_*', 'events', '`db-1`.`t`'];
    const expected = ['*.* = *.*', '* = *', 'db.* = db.*', 'db*.* = db*.*', 'db.events_* = db.events_*', 'events = events', 'db-1.t = `db-1`.`t`'];
    expect(targets.map((target) => grant(`GRANT SELECT ON ${target} TO u`).on)).toEqual(expected);
  });

  it('reads multi-word privileges and aliases, by their system.privileges names', () => {
    const sql =
      'GRANT SYSTEM RELOAD DICTIONARY, SYSTEM FLUSH LOGS, dictGet, CREATE TEMPORARY TABLE, ALL PRIVILEGES, SHOW TABLES, INTROSPECTION FUNCTIONS ON *.* TO u';
    expect((grant(sql).privileges as string[][]).map(([name]) => name)).toEqual([
      'SYSTEM RELOAD DICTIONARY',
      'SYSTEM FLUSH LOGS',
      'dictGet',
      'CREATE TEMPORARY TABLE',
      'ALL',
      'SHOW TABLES',
      'INTROSPECTION',
    ]);
  });

  it('reads privileges that take a parameter instead of a table', () => {
    expect(grant("GRANT READ, WRITE ON S3('s3://bucket/.*'), NAMED COLLECTION ON mongo_creds, CREATE USER ON * TO etl")).toMatchObject({
      privileges: [
        ['READ', "S3 = S3('s3://bucket/.*')", 'READ'],
        ['WRITE', "S3 = S3('s3://bucket/.*')", 'WRITE'],
        ['NAMED COLLECTION', 'mongo_creds = mongo_creds', 'NAMED COLLECTION'],
        ['CREATE USER', '* = *', 'CREATE USER'],
      ],
    });
  });

  it('reads role grants, CURRENT GRANTS and ALL EXCEPT', () => {
    expect(grant("GRANT reader, 'writer' TO analyst, ALL EXCEPT intern WITH ADMIN OPTION")).toEqual({
      kind: 'Grant',
      privileges: [
        ['reader', 'reader'],
        ['writer', "'writer'"],
      ],
      on: undefined,
      grantees: ['analyst', 'ALL'],
      exceptGrantees: ['intern'],
      options: ['ADMIN'],
    });
    expect(grant('GRANT CURRENT GRANTS(SELECT ON analytics.*) TO intern')).toMatchObject({
      currentGrants: true,
      privileges: [['SELECT', 'analytics.* = analytics.*', 'SELECT']],
    });
    expect(grant('GRANT CURRENT GRANTS ON db.* TO intern')).toMatchObject({ currentGrants: true, privileges: [], on: 'db.* = db.*' });
  });

  it('reads REVOKE with its options, ALL and ALL EXCEPT', () => {
    expect(grant('REVOKE ON CLUSTER main GRANT OPTION FOR SELECT ON db.* FROM ALL EXCEPT admin')).toEqual({
      kind: 'Revoke',
      onCluster: 'main',
      privileges: [['SELECT', 'db.* = db.*', 'SELECT']],
      on: 'db.* = db.*',
      grantees: ['ALL'],
      exceptGrantees: ['admin'],
      options: ['GRANT'],
    });
    expect(grant('REVOKE ADMIN OPTION FOR reader FROM analyst')).toMatchObject({ privileges: [['reader', 'reader']], options: ['ADMIN'] });
    expect(grant('REVOKE ALL FROM u')).toMatchObject({ privileges: [['ALL', 'ALL']], grantees: ['u'] });
    expect(grant('REVOKE KILL QUERY ON db.* FROM u')).toMatchObject({ privileges: [['KILL QUERY', 'db.* = db.*', 'KILL QUERY']] });
  });

  it('rejects what ClickHouse rejects', () => {
    // ClickHouse tries unknown words as role names and fails after them: past ON for one word, at ON for more.
    expectRejected('GRANT SELEKT ON analytics.* TO reader', 'analytics', /Expected a privilege ClickHouse knows/);
    expectRejected('GRANT SELECT INSERT ON t TO u', 'ON', /`SELECT INSERT` is not one/);
    expectRejected('GRANT SELECT ON analytics.*\n    reader', 'reader', /Expected `TO`/);
    expectRejected('REVOKE SELECT ON analytics.*\nTO reader', 'TO', /Expected `FROM`/);
    expectRejected('GRANT SELECT(a, b ON db.t TO reader', '(', /never closed/);
    expectRejected('GRANT SELECT(a) ON db.* TO u', 'SELECT', /columns need one table/);
    expectRejected('GRANT SELECT ON db.* TO reader\nWITH GRANT OPTIONS', 'WITH', /end of the statement/);
    expectRejected('GRANT SELECT ON *.events TO reader', '.', /Expected `TO`/);
    expectRejected('GRANT KILL QUERY ON db.* TO u', 'KILL', /KILL QUERY cannot be granted on the database level/);
    expectRejected('GRANT CREATE TEMPORARY TABLE ON * TO u', 'CREATE', /cannot be granted on the database level/);
    expectRejected('GRANT dictGet(a) ON db.t TO u', 'dictGet', /cannot be granted on the column level/);
    expectRejected('GRANT READ ON s3 TO u', 's3', /Expected a source/);
    expectRejected('GRANT CREATE USER ON db.* TO u', '.', /Expected `TO`/);
    expectRejected('GRANT r1 TO u WITH GRANT OPTION', 'WITH', /GRANT OPTION applies to privileges/);
    expectRejected('GRANT SELECT ON t TO u WITH ADMIN OPTION', 'WITH', /ADMIN OPTION applies to roles/);
    expectRejected('GRANT ALL ON *.* TO u WITH REPLACE OPTION WITH GRANT OPTION', 'WITH', /end of the statement/, 2);
    expectRejected('GRANT ON CLUSTER c SELECT ON t TO u ON CLUSTER d', 'ON', /end of the statement/, 3);
    expectRejected('REVOKE SELECT ON t FROM u WITH GRANT OPTION', 'WITH', /end of the statement/);
    expectRejected('REVOKE CURRENT GRANTS ON *.* FROM u', 'ON', /`CURRENT GRANTS` is not one/);
  });
});
