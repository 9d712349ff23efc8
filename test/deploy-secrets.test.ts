import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionInputs } from '../packages/action/src/inputs.js';
import { planAgainstBase, planOnTarget, readProject } from '../packages/action/src/project.js';
import { checkProject } from '../packages/core/src/deploy/check.js';
import { planAgainstSchema } from '../packages/core/src/deploy/planTarget.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import type { Target } from '../packages/core/src/live/types.js';
import { ENGINES_WITHOUT_LOCAL_ROWS } from '../packages/core/src/plan/tables.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { planProject } from '../packages/core/src/workflow/planProject.js';
import { declarativeRepo, deploy, planWithSecrets, writeFiles } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Issue 18, point 6 continued: a password changed in the repository deploys, although the
// repository's definition and the server's stored one both show it as '[HIDDEN]'. The registry
// keeps a keyed fingerprint of each object's secrets; tables whose rows live elsewhere are
// recreated, never rebuilt by copying their rows back into the system they read.

const engine = embeddedEngine('deploy-secrets');
const ACTION_INPUTS: ActionInputs = { mode: 'review', paths: ['.'], comment: false, reportDir: '', checkName: 'ClickPlan', docsUrl: '' };
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

function schema(passwords: { dict: string; s3: string; url: string; mysql: string }, s3Path = 'bucket1/x.csv'): string {
  return [
    'CREATE DATABASE IF NOT EXISTS app;',
    `CREATE DICTIONARY app.plans (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(HOST '127.0.0.1' PORT 1 USER 'usr' PASSWORD '${passwords.dict}' DB 'app' TABLE 't')) LAYOUT(FLAT()) LIFETIME(0);`,
    `CREATE TABLE app.files (a Int32) ENGINE = S3('http://127.0.0.1:1/${s3Path}', 'KEYID', '${passwords.s3}', 'CSV');`,
    `CREATE TABLE app.feed (a Int32) ENGINE = URL('http://usr:${passwords.url}@127.0.0.1:1/feed.csv', CSV);`,
    `CREATE TABLE app.orders (id UInt64) ENGINE = MySQL('127.0.0.1:1', 'shop', 'orders', 'usr', '${passwords.mysql}');`,
    'CREATE TABLE app.events (id UInt64) ENGINE = MergeTree ORDER BY id;',
    '',
  ].join('\n');
}

const FIRST = { dict: 'dict-pw-1', s3: 's3-secret-1', url: 'url-pw-1', mysql: 'mysql-pw-1' };

const repository = declarativeRepo;
const planOf = (dir: string) => planWithSecrets(dir, target);

const stepsOf = (plan: { steps: { action: string; object: string }[] }) => plan.steps.map((s) => `${s.action} ${s.object}`);

describe('a changed password deploys', () => {
  it('plans one step per object whose secret changed, applies it, and plans nothing after', async () => {
    await target.execute('DROP DATABASE IF EXISTS app SYNC');
    const dir = repository('reg_secrets', schema(FIRST));
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.steps).toHaveLength(6);
    const unchanged = await planOf(dir);
    expect(stepsOf(unchanged)).toEqual([]);
    expect(unchanged.diagnostics.filter((d) => d.code === 'secrets-unrecorded')).toEqual([]);

    // Each password alone, one at a time: one step, of the kind that sets it, then nothing.
    const expected: [keyof typeof FIRST, string, RegExp][] = [
      ['dict', 'replace app.plans', /^CREATE OR REPLACE DICTIONARY app\.plans/],
      ['s3', 'replace app.files', /^CREATE OR REPLACE TABLE app\.files/],
      ['url', 'replace app.feed', /^CREATE OR REPLACE TABLE app\.feed/],
      ['mysql', 'replace app.orders', /^CREATE OR REPLACE TABLE app\.orders/],
    ];
    let passwords = { ...FIRST };
    for (const [which, step, sql] of expected) {
      passwords = { ...passwords, [which]: `${which}-pw-2` };
      writeFiles(dir, { 'schema/01.sql': schema(passwords) });
      const plan = await planOf(dir);
      expect(stepsOf(plan), which).toEqual([step]);
      expect(plan.steps[0]?.sql).toMatch(sql);
      expect(plan.steps[0]?.reason).toMatch(/secrets \(passwords, keys\) changed/);
      if (which === 'dict') {
        // The pull request's comment, planned against the target, shows the same step.
        const workspace = readProject(dir, ACTION_INPUTS, {});
        expect(stepsOf(await planOnTarget(workspace, target, undefined))).toEqual([step]);
        // So does the editor's, which asks for the schema change alone (no effect on a declarative project).
        expect(stepsOf((await planProject(workspace, target, { migrations: false })).plan)).toEqual([step]);
        const project = loadProject(dir);
        const checked = await checkProject(project, analyzeFiles(project.files, { defaultDatabase: project.config.database }), target);
        expect(checked.answers[0]?.items.filter((i) => i.status !== 'ok')).toEqual([
          { subject: 'dictionary app.plans', status: 'different', detail: 'deployed with other secrets (passwords, keys)' },
        ]);
      }
      const applied = await deploy(dir, target);
      expect(applied.failure).toBeUndefined();
      expect(applied.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual([`${step} applied`]);
      expect(applied.verification).toEqual({ remaining: [] });
      expect(stepsOf(await planOf(dir)), `${which} after apply`).toEqual([]);
    }
    // The registry holds fingerprints, never the password nor its plain hash.
    const rows = await target.query<{ object: string; fingerprint: string }>(
      'SELECT object, argMax(fingerprint, seq) AS fingerprint FROM reg_secrets.object_secrets GROUP BY object ORDER BY object',
    );
    expect(rows.map((r) => r.object)).toEqual(['app.feed', 'app.files', 'app.orders', 'app.plans']);
    const dump = JSON.stringify(await target.query('SELECT * FROM reg_secrets.object_secrets'));
    for (const password of Object.values(passwords)) {
      expect(dump).not.toContain(password);
      expect(dump).not.toContain(createHash('sha256').update(password).digest('hex'));
    }
  });

  it('a table whose rows live elsewhere is recreated, never copied into itself', async () => {
    await target.execute('DROP DATABASE IF EXISTS app SYNC');
    const dir = repository('reg_secrets_rebuild', schema(FIRST));
    expect((await deploy(dir, target)).failure).toBeUndefined();
    // The S3 path is an engine argument: a change ClickHouse cannot make in place.
    writeFiles(dir, { 'schema/01.sql': schema(FIRST, 'bucket2/y.csv') });
    const plan = await planOf(dir);
    expect(stepsOf(plan)).toEqual(['replace app.files']);
    expect(plan.steps.some((s) => /INSERT/i.test(s.sql))).toBe(false);
    expect(plan.steps[0]?.risk).toBe('safe');
    const applied = await deploy(dir, target);
    expect(applied.failure).toBeUndefined();
    expect(applied.verification).toEqual({ remaining: [] });
    const [created] = await target.query<{ create_table_query: string }>(
      "SELECT create_table_query FROM system.tables WHERE database = 'app' AND name = 'files'",
    );
    expect(created?.create_table_query).toContain('bucket2/y.csv');
  });

  it('says once that objects made outside ClickPlan have secrets it cannot compare', async () => {
    await target.execute('DROP DATABASE IF EXISTS app SYNC');
    await target.execute('CREATE DATABASE app');
    await target.execute("CREATE TABLE app.files (a Int32) ENGINE = S3('http://127.0.0.1:1/bucket1/x.csv', 'KEYID', 'made-by-hand', 'CSV')");
    const dir = repository('reg_secrets_adopt', schema(FIRST));
    const before = await planOf(dir);
    const notes = before.diagnostics.filter((d) => d.code === 'secrets-unrecorded');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toContain('`app.files`');
    expect(notes[0]?.message).not.toContain('`app.plans`');
    expect(stepsOf(before)).not.toContain('replace app.files');
    expect((await deploy(dir, target)).failure).toBeUndefined();
    const after = await planOf(dir);
    expect(stepsOf(after)).toEqual([]);
    expect(after.diagnostics.filter((d) => d.code === 'secrets-unrecorded')).toEqual([]);
    // Adopted: a change in the repository now deploys.
    writeFiles(dir, { 'schema/01.sql': schema({ ...FIRST, s3: 's3-secret-3' }) });
    expect(stepsOf(await planOf(dir))).toEqual(['replace app.files']);
  });

  it('a database whose engine reads another server is dropped and created again with the new password', async () => {
    await target.execute('DROP DATABASE IF EXISTS pgdb SYNC');
    // chDB creates a PostgreSQL database without reaching the server (a MySQL one it refuses, code 501).
    const database = (password: string) => `CREATE DATABASE IF NOT EXISTS pgdb ENGINE = PostgreSQL('127.0.0.1:1', 'shop', 'usr', '${password}');\n`;
    const dir = repository('reg_secrets_database', database('db-pw-1'));
    expect((await deploy(dir, target)).failure).toBeUndefined();
    expect(stepsOf(await planOf(dir))).toEqual([]);
    writeFiles(dir, { 'schema/01.sql': database('db-pw-2') });
    const plan = await planOf(dir);
    expect(plan.steps.map((s) => `${s.action} ${s.object} ${s.risk}: ${s.sql}`)).toEqual([
      'drop pgdb safe: DROP DATABASE IF EXISTS pgdb SYNC',
      "create pgdb safe: CREATE DATABASE IF NOT EXISTS pgdb\nENGINE = PostgreSQL('127.0.0.1:1', 'shop', 'usr', 'db-pw-2')",
    ]);
    expect(plan.steps[0]?.reason).toMatch(/^the secrets \(passwords, keys\) changed .* a PostgreSQL database keeps no rows of its own/);
    expect(plan.diagnostics.filter((d) => d.code === 'plan-unsupported')).toEqual([]);
    const applied = await deploy(dir, target);
    expect(applied.failure).toBeUndefined();
    expect(applied.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual(['drop pgdb applied', 'create pgdb applied']);
    expect(stepsOf(await planOf(dir))).toEqual([]);
    // A Materialized engine keeps local copies of the remote tables: dropping them is data loss.
    const materialized = (password: string) =>
      analyzeFiles([{ file: 'db.sql', text: `CREATE DATABASE m ENGINE = MaterializedPostgreSQL('127.0.0.1:1', 'shop', 'usr', '${password}');` }]).schema;
    const recreate = planAgainstSchema(materialized('a'), materialized('b'), { secrets: { changed: new Set(['m']), unrecorded: [] } });
    expect(recreate.steps.map((s) => `${s.action} ${s.object} ${s.risk}`)).toEqual(['drop m data-loss', 'create m safe']);
    expect(recreate.steps[0]?.riskReason).toBe("drops the local copies of `m`'s replicated tables; the CREATE copies every table again from the remote server");
  });

  it("the pull request's plan against the base branch (no target) compares secrets with the base's SQL", () => {
    const head = (dict: string, collection: string) =>
      `${schema({ ...FIRST, dict })}CREATE NAMED COLLECTION warehouse AS host = 'h', password = '${collection}';\n`;
    const dir = repository('reg_base_plan', head('dict-pw-9', 'nc-pw-9'));
    const workspace = readProject(dir, ACTION_INPUTS, {});
    const base = (text: string) => analyzeFiles([{ file: 'base/schema/01.sql', text }], { defaultDatabase: 'default' }).schema;
    const plan = planAgainstBase(workspace, base(head(FIRST.dict, 'nc-pw-1')));
    expect(plan.steps.map((s) => `${s.action} ${s.object}: ${s.reason}`)).toEqual([
      'alter warehouse: the value of `password` changed in the repository since the last deploy',
      'replace app.plans: the secrets (passwords, keys) changed in the repository since the last deploy',
    ]);
    expect(plan.diagnostics).toEqual([]);
    expect(planAgainstBase(workspace, base(head('dict-pw-9', 'nc-pw-9'))).steps).toEqual([]);
  });

  it('knows every engine it recreates without copying', async () => {
    const known = new Set((await target.query<{ name: string }>('SELECT name FROM system.table_engines')).map((r) => r.name));
    // chDB is built without these four; a ClickHouse server has them.
    expect([...ENGINES_WITHOUT_LOCAL_ROWS].filter((name) => !known.has(name))).toEqual(['ExternalDistributed', 'Hive', 'NATS', 'RabbitMQ']);
  });
});
