import { queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import { hashObject } from '../canon/canonical.js';
import { emptyAccessCatalog, runAccessStatement, showCreate } from '../live/accessCatalog.js';
import { modelLiveSchema } from '../live/liveModel.js';
import { SNAPSHOT_FORMAT } from '../live/types.js';
import { parseSql } from '../syntax/parser.js';
import { buildModel } from './replay.js';

// The canonical form of users and roles keeps every clause, and what the repository writes hashes as
// what the embedded engine shows back (ClickHouse's own formatting, chDB's formatQuery) — the hash
// contract of DESIGN.md, for access entities. The cases are generated: every combination of a few
// spellings of each clause.

const format = (sql: string) => String(queryBind('SELECT formatQuery({q:String})', { q: sql }, 'TSVRaw')).trim();

/** Each clause in a few spellings ClickHouse stores the same way ('' = absent). */
const HOSTS = ['', 'HOST ANY', "host ip '10.0.0.0/8', local", "HOST LOCAL, IP '10.0.0.0/8'", 'HOST NONE', "HOST NAME 'a.example', LIKE '%.example'"];
const DATABASES = ['', 'DEFAULT DATABASE shop', 'default database `shop`', 'DEFAULT DATABASE other'];
const ROLES = ['', 'DEFAULT ROLE ALL', 'DEFAULT ROLE reader', 'default role all except reader'];
const IDENTIFIED = ['', "IDENTIFIED BY 'x'", "IDENTIFIED WITH sha256_hash BY 'ab'", 'NOT IDENTIFIED', "IDENTIFIED WITH double_sha1_password BY 'y'"];

/** Every combination of authentication, hosts and database, each with one of the role clauses in turn (every pair of those meets). */
function cases(): string[] {
  const out: string[] = [];
  IDENTIFIED.forEach((identified, i) => {
    HOSTS.forEach((host, h) => {
      DATABASES.forEach((database, d) => {
        const role = ROLES[(i + h + d) % ROLES.length];
        out.push(['CREATE USER u', identified, host, database, role].filter(Boolean).join(' '));
      });
    });
  });
  return out;
}

/** The hash of the user as the repository defines it (roles it names exist). */
function repositoryHash(sql: string): string {
  const model = buildModel([{ file: 'r.sql', statements: parseSql(`CREATE ROLE reader;\n${sql}`).statements }]);
  const user = model.objects.find((o) => o.kind === 'user');
  if (!user) throw new Error(`no user in ${sql}`);
  return hashObject(user);
}

/** The hash of the user as the embedded engine shows it back after running the statement. */
function shownHash(sql: string): { hash: string; shown: string } {
  let catalog = emptyAccessCatalog();
  for (const statement of parseSql(`CREATE ROLE reader;\n${sql}`).statements) catalog = runAccessStatement(catalog, statement, 'default');
  const user = catalog.entities.find((e) => e.kind === 'user');
  if (!user) throw new Error(`no user from ${sql}`);
  const shown = showCreate(user, format);
  const live = modelLiveSchema({
    format: SNAPSHOT_FORMAT,
    serverVersion: '26.7',
    readAt: '',
    databases: [],
    tables: [],
    functions: [],
    accessEntities: [{ kind: 'user', name: 'u', createQuery: shown }],
    grants: [],
    gaps: [],
  });
  expect(live.diagnostics, shown).toEqual([]);
  const object = live.schema.objects.find((o) => o.kind === 'user');
  if (!object) throw new Error(`no user read back from ${shown}`);
  return { hash: hashObject(object), shown };
}

describe('canonical form of access entities', () => {
  it('hashes what the repository writes as what the embedded engine shows back, for every combination of clauses', () => {
    const all = cases();
    expect(all.length).toBe(120);
    for (const sql of all) {
      const { hash, shown } = shownHash(sql);
      expect(repositoryHash(sql), `${sql}\nshown: ${shown}`).toBe(hash);
    }
  });

  it('tells apart users that differ in any clause (DEFAULT DATABASE a and b no longer hash equal)', () => {
    const hashes = new Map<string, string>();
    for (const sql of cases()) {
      const hash = repositoryHash(sql);
      const shown = shownHash(sql).shown;
      // Same hash only for the same stored user, which ClickHouse shows the same way.
      const earlier = hashes.get(hash);
      if (earlier !== undefined) expect(shown, sql).toBe(earlier);
      else hashes.set(hash, shown);
    }
    expect(new Set(hashes.values()).size).toBe(hashes.size);
    expect(repositoryHash('CREATE USER u DEFAULT DATABASE a')).not.toBe(repositoryHash('CREATE USER u DEFAULT DATABASE b'));
  });

  it('refuses a default role that is not granted, as ClickHouse does (SET_NON_GRANTED_ROLE)', () => {
    expect(() => shownHash('CREATE USER u;\nSET DEFAULT ROLE reader TO u')).toThrow(expect.objectContaining({ code: 512 }));
    // A new user's DEFAULT ROLE grants the role.
    expect(shownHash('CREATE USER u DEFAULT ROLE reader;\nALTER USER u DEFAULT ROLE reader').shown).toBe(
      'CREATE USER u IDENTIFIED WITH no_password DEFAULT ROLE reader',
    );
  });

  it('applies ALTER USER and SET DEFAULT ROLE in the model as the engine applies them', () => {
    const sql = [
      "CREATE USER u IDENTIFIED BY 'x' HOST NONE DEFAULT DATABASE shop",
      "ALTER USER u HOST IP '10.0.0.0/8' DEFAULT DATABASE other",
      'GRANT reader TO u',
      'SET DEFAULT ROLE reader TO u',
    ].join(';\n');
    const shown = shownHash(sql);
    expect(shown.shown).toBe("CREATE USER u IDENTIFIED WITH sha256_password HOST IP '10.0.0.0/8' DEFAULT DATABASE other DEFAULT ROLE reader");
    expect(repositoryHash(sql)).toBe(shown.hash);
  });

  it('applies ADD HOST and DROP HOST to the HOST list, in the model and in the emulated catalog alike', () => {
    const cases: [string[], string][] = [
      [["CREATE USER u HOST IP '10.0.0.1'", "ALTER USER u ADD HOST LOCAL, NAME 'a.example'"], "HOST LOCAL, IP '10.0.0.1', NAME 'a.example'"],
      [
        ["CREATE USER u HOST IP '10.0.0.1', '10.0.0.0/8', LOCAL", "ALTER USER u DROP HOST IP '10.0.0.1' ADD HOST IP '10.0.0.1'"],
        "HOST LOCAL, IP '10.0.0.1', '10.0.0.0/8'",
      ],
      [["CREATE USER u HOST IP '10.0.0.1', LOCAL", "ALTER USER u DROP HOST IP '10.0.0.1'", 'ALTER USER u DROP HOST LOCAL'], 'HOST NONE'],
      [["CREATE USER u HOST IP '10.0.0.1'", "ALTER USER u ADD HOST IP '10.0.0.1'"], "HOST IP '10.0.0.1'"],
      // A user reachable from any host stays so: ANY holds every address.
      [['CREATE USER u', "ALTER USER u ADD HOST IP '10.0.0.1'"], ''],
      [['CREATE USER u HOST NONE', "ALTER USER u ADD HOST LIKE '%.example'"], "HOST LIKE '%.example'"],
      // The loopback addresses and `localhost` are LOCAL, and an IPv6 address loses the leading zeros
      // of its groups (as ClickHouse's test 01075_allowed_client_hosts shows).
      [["CREATE USER u HOST IP '10.1.0.0/16'", "ALTER USER u ADD HOST IP '127.0.0.1'"], "HOST LOCAL, IP '10.1.0.0/16'"],
      [
        ["CREATE USER u HOST IP 'fd00:0db8:11a3:09d7:1f34:8a2e:07a0:765d'", "ALTER USER u ADD HOST IP '::1'"],
        "HOST LOCAL, IP 'fd00:db8:11a3:9d7:1f34:8a2e:7a0:765d'",
      ],
      [['CREATE USER u HOST LOCAL', "ALTER USER u DROP HOST NAME 'localhost'"], 'HOST NONE'],
    ];
    for (const [statements, host] of cases) {
      const sql = statements.join(';\n');
      const shown = shownHash(sql);
      expect(shown.shown, sql).toBe(`CREATE USER u IDENTIFIED WITH no_password${host ? ` ${host}` : ''}`);
      expect(repositoryHash(sql), sql).toBe(shown.hash);
    }
  });
});
