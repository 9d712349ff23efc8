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
});
