import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../packages/core/src/deploy/check.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import type { Target } from '../packages/core/src/live/types.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { maskSql } from '../packages/core/src/syntax/secrets.js';
import { declarativeRepo, deploy, planWithSecrets } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Issue 18: named collections are objects like the others. The live side reads them from
// system.named_collections, where ClickHouse shows every value as '[HIDDEN]': keys and
// overridability are compared as shown, values by the registry's keyed fingerprints, so a changed
// password is one `ALTER NAMED COLLECTION ... SET password = ...` step.

const engine = embeddedEngine('deploy-named-collections');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

function schema(entries: string): string {
  return [
    'CREATE DATABASE IF NOT EXISTS app;',
    `CREATE NAMED COLLECTION warehouse AS ${entries};`,
    // A database of the same name: its record of secrets must not be the collection's.
    "CREATE DATABASE IF NOT EXISTS warehouse ENGINE = PostgreSQL('127.0.0.1:1', 'shop', 'usr', 'db-pw-1');",
    '',
  ].join('\n');
}

const FIRST = "host = '127.0.0.1', port = 3306, user = 'usr', password = 'nc-pw-1' NOT OVERRIDABLE";

const repository = declarativeRepo;
const planOf = (dir: string) => planWithSecrets(dir, target);

const stepsOf = (plan: { steps: { action: string; object: string; sql: string }[] }) => plan.steps.map((s) => `${s.action} ${s.object}: ${s.sql}`);

describe('named collections deploy', () => {
  it('are read live, created, and then converged', async () => {
    const dir = repository('reg_nc', schema(FIRST));
    const created = await planOf(dir);
    expect(stepsOf(created).filter((s) => s.includes('warehouse:') && s.includes('NAMED COLLECTION'))).toEqual([
      "create warehouse: CREATE NAMED COLLECTION IF NOT EXISTS warehouse AS host = '127.0.0.1', port = 3306, user = 'usr', password = 'nc-pw-1' NOT OVERRIDABLE",
    ]);
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.verification).toEqual({ remaining: [] });
    // What the engine shows: every value hidden, as a server shows it.
    const [shown] = await target.query<{ create_query: string }>("SELECT create_query FROM system.named_collections WHERE name = 'warehouse'");
    expect(shown?.create_query).toBe(
      "CREATE NAMED COLLECTION IF NOT EXISTS warehouse AS host = '[HIDDEN]', password = '[HIDDEN]' NOT OVERRIDABLE, port = '[HIDDEN]', user = '[HIDDEN]'",
    );
    const again = await planOf(dir);
    expect(stepsOf(again)).toEqual([]);
    expect(again.diagnostics.filter((d) => d.code === 'secrets-unrecorded' || d.code === 'live-gap')).toEqual([]);
    expect((await deploy(dir, target)).steps).toEqual([]);
  });

  it('a changed password is one ALTER NAMED COLLECTION ... SET step, masked wherever it is shown', async () => {
    const dir = repository('reg_nc', schema(FIRST.replace('nc-pw-1', 'nc-pw-2')));
    const plan = await planOf(dir);
    expect(stepsOf(plan)).toEqual(["alter warehouse: ALTER NAMED COLLECTION warehouse SET password = 'nc-pw-2' NOT OVERRIDABLE"]);
    expect(plan.steps[0]?.reason).toBe('the value of `password` changed in the repository since the last deploy');
    expect(plan.steps[0]?.risk).toBe('safe');
    // What every output shows of it (secrets-canary.test.ts greps them all).
    expect(maskSql(plan.steps[0]?.sql ?? '')).toBe("ALTER NAMED COLLECTION warehouse SET password = '[HIDDEN]' NOT OVERRIDABLE");
    const project = loadProject(dir);
    const checked = await checkProject(project, analyzeFiles(project.files, { defaultDatabase: project.config.database }), target);
    expect(checked.answers[0]?.items.filter((i) => i.status !== 'ok')).toEqual([
      { subject: 'named-collection warehouse', status: 'different', detail: 'deployed with other secrets (passwords, keys)' },
    ]);
    const applied = await deploy(dir, target);
    expect(applied.failure).toBeUndefined();
    expect(applied.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual(['alter warehouse applied']);
    expect(applied.verification).toEqual({ remaining: [] });
    expect(stepsOf(await planOf(dir))).toEqual([]);
  });

  it('keys added, removed, revalued and made overridable are one ALTER', async () => {
    const dir = repository('reg_nc', schema("host = '10.0.0.1', port = 3306, password = 'nc-pw-2' OVERRIDABLE, database = 'shop'"));
    const plan = await planOf(dir);
    expect(stepsOf(plan)).toEqual([
      "alter warehouse: ALTER NAMED COLLECTION warehouse SET host = '10.0.0.1', password = 'nc-pw-2' OVERRIDABLE, database = 'shop' DELETE user",
    ]);
    const applied = await deploy(dir, target);
    expect(applied.failure).toBeUndefined();
    expect(applied.verification).toEqual({ remaining: [] });
    expect(stepsOf(await planOf(dir))).toEqual([]);
    const [shown] = await target.query<{ create_query: string }>("SELECT create_query FROM system.named_collections WHERE name = 'warehouse'");
    expect(shown?.create_query).toBe(
      "CREATE NAMED COLLECTION IF NOT EXISTS warehouse AS database = '[HIDDEN]', host = '[HIDDEN]', password = '[HIDDEN]' OVERRIDABLE, port = '[HIDDEN]'",
    );
    // The registry keeps one fingerprint per key, never a value nor its plain hash, apart from the database's.
    const rows = await target.query<{ object: string; fingerprint: string }>(
      'SELECT object, argMax(fingerprint, seq) AS fingerprint FROM reg_nc.object_secrets GROUP BY object ORDER BY object',
    );
    expect(rows.map((r) => r.object)).toEqual(['named collection warehouse', 'warehouse']);
    expect(Object.keys(JSON.parse(rows[0]?.fingerprint ?? '{}'))).toEqual(['database', 'host', 'password', 'port']);
    const dump = JSON.stringify(await target.query('SELECT * FROM reg_nc.object_secrets'));
    for (const value of ['nc-pw-1', 'nc-pw-2', '10.0.0.1', 'db-pw-1']) {
      expect(dump).not.toContain(value);
      expect(dump).not.toContain(createHash('sha256').update(value).digest('hex'));
    }
  });

  it('a key that loses [NOT] OVERRIDABLE is deleted, then set', async () => {
    const dir = repository('reg_nc', schema("host = '10.0.0.1', port = 3306, password = 'nc-pw-2', database = 'shop'"));
    const plan = await planOf(dir);
    expect(stepsOf(plan)).toEqual([
      'alter warehouse: ALTER NAMED COLLECTION warehouse DELETE password',
      "alter warehouse: ALTER NAMED COLLECTION warehouse SET password = 'nc-pw-2'",
    ]);
    const applied = await deploy(dir, target);
    expect(applied.failure).toBeUndefined();
    expect(applied.verification).toEqual({ remaining: [] });
    expect(stepsOf(await planOf(dir))).toEqual([]);
  });

  it('a collection the repository drops is dropped', async () => {
    const dir = repository('reg_nc', `${schema("host = '10.0.0.1'")}DROP NAMED COLLECTION warehouse;\n`);
    const plan = await planOf(dir);
    expect(stepsOf(plan)).toEqual(['drop warehouse: DROP NAMED COLLECTION IF EXISTS warehouse']);
    expect((await deploy(dir, target)).failure).toBeUndefined();
    expect(await target.query("SELECT name FROM system.named_collections WHERE name = 'warehouse'")).toEqual([]);
    expect(stepsOf(await planOf(dir))).toEqual([]);
  });
});
