import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../packages/core/src/live/types.js';
import { clickplanInProcess } from './support/clickplan.js';
import { deploy, FailingTarget, writeFiles, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Issue 18, items 7, 8, 10 and 11, through the CLI as a user runs it, on the embedded engine: the
// gate before risky steps (--max-risk), saved plans (plan --out, apply --plan), versioned plans
// that show the SQL as it runs, and the lifecycle commands status, baseline and repair. The CLI
// and the test share the file's one chDB session (same data directory).

const embedded = embeddedEngine('deploy-gate');
let engine: Target;
let target: string;

beforeAll(async () => {
  engine = await embedded.open();
  target = `embedded:${join(embedded.root, 'data')}`;
});

/** The output with the repository's directory left out of file names. */
function relative(text: string, dir: string): string {
  return text.replaceAll(`${dir}/`, '');
}

async function columns(table: string): Promise<string[]> {
  const [database, name] = table.split('.');
  return (await engine.query<{ name: string }>(`SELECT name FROM system.columns WHERE database = '${database}' AND table = '${name}' ORDER BY position`)).map(
    (r) => r.name,
  );
}

describe('apply --max-risk: the gate before data loss', () => {
  it('declarative: a plan that drops a column stops before anything runs (exit 1); on a terminal, yes runs it and no does not', async () => {
    const table = 'CREATE TABLE gate_d.t (id UInt64, note String) ENGINE = MergeTree ORDER BY id;\n';
    const dir = writeRepo({ 'clickplan.yaml': 'layout: declarative\nregistry: reg_gate_d\n', 'schema/01.sql': `CREATE DATABASE gate_d;\n${table}` });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    await engine.execute("INSERT INTO gate_d.t VALUES (1, 'a'), (2, 'b')");
    writeFiles(dir, { 'schema/01.sql': 'CREATE DATABASE gate_d;\nCREATE TABLE gate_d.t (id UInt64) ENGINE = MergeTree ORDER BY id;\n' });

    const refused = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      [
        'clickplan apply: 1 step is riskier than heavy, the most this deploy runs without asking: alter table gate_d.t (data-loss: drops column `note` and its data from every part).',
        '  state: Nothing ran.',
        '  help: Review it, then deploy with --max-risk data-loss.',
        '',
      ].join('\n'),
    );
    expect(await columns('gate_d.t')).toEqual(['id', 'note']);

    const no = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'], { ask: async () => 'no' });
    expect([no.code, no.stderr.split('\n').slice(0, 2)]).toEqual([
      1,
      ['1 step is riskier than this deploy runs without asking:', '  alter table gate_d.t: data-loss (drops column `note` and its data from every part)'],
    ]);
    expect(await columns('gate_d.t')).toEqual(['id', 'note']);

    const yes = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'], { ask: async () => 'yes' });
    expect(yes.code).toBe(0);
    expect(await columns('gate_d.t')).toEqual(['id']);
    expect(await engine.query('SELECT count() AS n FROM gate_d.t')).toEqual([{ n: '2' }]);
  });

  it('versioned: a destructive statement stops the deploy; suppressed with a reason it is reviewed and runs; --max-risk and deploy.maxRisk move the line', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: gate_v\nregistry: reg_gate_v\n',
      'migrations/V1__orders.sql':
        "CREATE DATABASE IF NOT EXISTS gate_v;\nCREATE TABLE gate_v.orders (id UInt64, note String) ENGINE = MergeTree ORDER BY id;\nINSERT INTO gate_v.orders VALUES (1, 'a');\n",
    });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    writeFiles(dir, { 'migrations/V2__drop_note.sql': 'ALTER TABLE orders DROP COLUMN note;\n' });

    const refused = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none', '--format', 'json']);
    expect(refused.code).toBe(1);
    const failure = JSON.parse(refused.stdout).failure;
    expect([failure.code, relative(failure.message, dir), failure.state]).toEqual([
      'deploy-risk-refused',
      '1 step is riskier than heavy, the most this deploy runs without asking: migrations/V2__drop_note.sql statement 1 (data-loss: destructive-statement: DROP COLUMN deletes `note` and its data from every part of `orders`.).',
      'Nothing ran.',
    ]);
    expect(await columns('gate_v.orders')).toEqual(['id', 'note']);
    const status = JSON.parse((await clickplanInProcess(['status', dir, '--target', target, '--format', 'json'])).stdout);
    expect(status.migrations.map((m: { version: string; state: string }) => `${m.version} ${m.state}`)).toEqual(['1 applied', '2 pending']);

    // A heavy statement passes the default, and stops at --max-risk safe or deploy.maxRisk: safe.
    writeFiles(dir, { 'migrations/V2__drop_note.sql': "ALTER TABLE orders UPDATE note = 'x' WHERE 1;\n" });
    const safe = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none', '--max-risk', 'safe']);
    expect([safe.code, safe.stderr.split(':')[1]]).toEqual([1, ' 1 step is riskier than safe, the most this deploy runs without asking']);
    writeFileSync(join(dir, 'clickplan.yaml'), 'layout: flyway\ndatabase: gate_v\nregistry: reg_gate_v\ndeploy:\n  maxRisk: safe\n');
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(1);
    writeFileSync(join(dir, 'clickplan.yaml'), 'layout: flyway\ndatabase: gate_v\nregistry: reg_gate_v\n');

    // Reviewed: the finding suppressed with a reason.
    writeFiles(dir, {
      'migrations/V2__drop_note.sql': '-- clickplan-ignore destructive-statement: nothing reads note since release 12\nALTER TABLE orders DROP COLUMN note;\n',
    });
    const plan = await clickplanInProcess(['plan', dir, '--target', target]);
    expect(relative(plan.stdout, dir).split('\n').slice(0, 7)).toEqual([
      `Plan for embedded ClickHouse in ${join(embedded.root, 'data')}: 1 pending migration file (1 statement, as they will run), highest risk: safe.`,
      '',
      'migrations/V2__drop_note.sql:',
      '  1. [data-loss] reviewed: nothing reads note since release 12',
      '     risk: destructive-statement: DROP COLUMN deletes `note` and its data from every part of `orders`.',
      '     ALTER TABLE orders DROP COLUMN note',
      '',
    ]);
    const applied = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none']);
    expect([applied.code, applied.stderr]).toEqual([0, '']);
    expect(await columns('gate_v.orders')).toEqual(['id']);
  });
});

describe('plan --out and apply --plan: saved plans', () => {
  it('runs exactly the saved steps, and refuses when the target or the repository changed since (exit 1)', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: declarative\nregistry: reg_gate_s\n',
      'schema/01.sql': 'CREATE DATABASE gate_s;\nCREATE TABLE gate_s.t (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    const file = join(dir, 'plan.json');
    expect((await clickplanInProcess(['plan', dir, '--target', target, '--out', file])).code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect([saved.clickplan_saved_plan, saved.mode, saved.live, saved.applied, saved.run.map((r: { where: string }) => r.where)]).toEqual([
      1,
      'declarative',
      {},
      {},
      ['create database gate_s', 'create table gate_s.t'],
    ]);
    const first = await clickplanInProcess(['apply', dir, '--target', target, '--plan', file, '--progress', 'lines']);
    expect([first.code, first.stdout.split('\n').filter((l) => l.startsWith('['))]).toEqual([
      0,
      ['[1/2] create database gate_s', '[2/2] create table gate_s.t'],
    ]);

    // The same file again: the target is no longer what it was planned against.
    const again = await clickplanInProcess(['apply', dir, '--target', target, '--plan', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('clickplan apply: The saved plan is out of date: the target changed since the plan was saved');
    expect(again.stderr).toContain('object database gate_s appeared; object table gate_s.t appeared');

    // A change by hand between plan and apply is refused; nothing runs.
    writeFiles(dir, { 'schema/01.sql': 'CREATE DATABASE gate_s;\nCREATE TABLE gate_s.t (id UInt64, v UInt8) ENGINE = MergeTree ORDER BY id;\n' });
    expect((await clickplanInProcess(['plan', dir, '--target', target, '--out', file])).code).toBe(0);
    await engine.execute('ALTER TABLE gate_s.t ADD COLUMN w String');
    const changed = await clickplanInProcess(['apply', dir, '--target', target, '--plan', file]);
    expect(changed.code).toBe(1);
    expect(changed.stderr.split('\n')[0]).toMatch(
      /^clickplan apply: The saved plan is out of date: the target changed since the plan was saved \(.*\): object table gate_s\.t changed\.$/,
    );
    expect(await columns('gate_s.t')).toEqual(['id', 'w']);

    // The repository changed since the plan: refused too.
    await engine.execute('ALTER TABLE gate_s.t DROP COLUMN w');
    expect((await clickplanInProcess(['plan', dir, '--target', target, '--out', file])).code).toBe(0);
    writeFiles(dir, { 'schema/01.sql': 'CREATE DATABASE gate_s;\nCREATE TABLE gate_s.t (id UInt64, v UInt16) ENGINE = MergeTree ORDER BY id;\n' });
    const edited = await clickplanInProcess(['apply', dir, '--target', target, '--plan', file]);
    expect(edited.code).toBe(1);
    expect(edited.stderr.split('\n')[0]).toBe(
      'clickplan apply: The saved plan is out of date: the repository plans other steps than the saved plan: step 1 was alter table gate_s.t, is now alter table gate_s.t with other SQL.',
    );
    expect(await columns('gate_s.t')).toEqual(['id']);

    // Not a saved plan: exit 2 before the target is opened.
    writeFileSync(file, '{"version": 1}');
    const invalid = await clickplanInProcess(['apply', dir, '--target', target, '--plan', file]);
    expect([invalid.code, relative(invalid.stderr, dir)]).toEqual([
      2,
      'clickplan apply: plan.json is not a plan written by clickplan plan --out. Write the plan again with clickplan plan --out <file>, then apply that file.\n',
    ]);
  });
});

describe('versioned plans show the SQL as it runs', () => {
  const files = {
    'clickplan.yaml': 'layout: flyway\ndatabase: gate_p\nregistry: reg_gate_p\n',
    'migrations/V1__events.sql':
      'CREATE DATABASE IF NOT EXISTS gate_p;\nCREATE TABLE IF NOT EXISTS events (id UInt64) ENGINE = MergeTree ORDER BY id;\nINSERT INTO events SELECT number FROM numbers(3);\n',
    'migrations/V2__more.sql':
      'ALTER TABLE events ADD COLUMN IF NOT EXISTS kind String;\nCREATE MATERIALIZED VIEW events_mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM events;\n',
  };

  it('plan: file by file, statement by statement, in order, then the resulting schema change; JSON and markdown too', async () => {
    const dir = writeRepo(files);
    const text = relative((await clickplanInProcess(['plan', dir, '--target', target])).stdout, dir);
    const head = text.split('\n').slice(0, 22);
    expect(head).toEqual([
      `Plan for embedded ClickHouse in ${join(embedded.root, 'data')}: 2 pending migration files (5 statements, as they will run), highest risk: heavy.`,
      '',
      'migrations/V1__events.sql:',
      '  1. [safe]',
      '     CREATE DATABASE IF NOT EXISTS gate_p',
      '  2. [safe]',
      '     CREATE TABLE IF NOT EXISTS events (id UInt64) ENGINE = MergeTree ORDER BY id',
      '  3. [safe]',
      '     INSERT INTO events SELECT number FROM numbers(3)',
      '',
      'migrations/V2__more.sql:',
      '  1. [safe]',
      '     ALTER TABLE events ADD COLUMN IF NOT EXISTS kind String',
      '  2. [heavy]',
      '     risk: mv-populate: POPULATE fills `events_mv` with a copy of the rows already in its source: rows that an INSERT already running writes after the copy starts reach neither the copy nor the view, and if the copy fails the view stays created without the old rows.',
      '     CREATE MATERIALIZED VIEW events_mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM events',
      '',
      'Resulting schema change (3 steps):',
      '',
      '  1. create database gate_p  [safe]',
      '     why: not in the target',
      '     CREATE DATABASE IF NOT EXISTS gate_p',
    ]);
    const json = JSON.parse((await clickplanInProcess(['plan', dir, '--target', target, '--format', 'json'])).stdout);
    expect(
      json.migrations.map((m: { file: string; resume_at: number; statements: { number: number; risk: string; sql: string }[] }) => [
        relative(m.file, dir),
        m.resume_at,
        m.statements.map((s) => `${s.number} ${s.risk} ${s.sql.slice(0, 24)}`),
      ]),
    ).toEqual([
      ['migrations/V1__events.sql', 1, ['1 safe CREATE DATABASE IF NOT E', '2 safe CREATE TABLE IF NOT EXIS', '3 safe INSERT INTO events SELEC']],
      ['migrations/V2__more.sql', 1, ['1 safe ALTER TABLE events ADD C', '2 heavy CREATE MATERIALIZED VIEW']],
    ]);
    expect([json.risk, json.has_changes, json.steps.length]).toEqual(['heavy', true, 3]);
    const markdown = relative((await clickplanInProcess(['plan', dir, '--target', target, '--format', 'markdown'])).stdout, dir);
    expect(markdown).toContain(
      [
        '`migrations/V2__more.sql`',
        '',
        '```sql',
        '-- statement 1 [safe]',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS kind String;',
        '-- statement 2 [heavy] mv-populate: POPULATE fills `events_mv` with a copy of the rows already in its source: rows that an INSERT already running writes after the copy starts reach neither the copy nor the view, and if the copy fails the view stays created without the old rows.',
        'CREATE MATERIALIZED VIEW events_mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM events;',
        '```',
        '',
        '**Resulting schema change** (3 steps):',
      ].join('\n'),
    );
  });

  it('apply --dry-run shows the SQL too; after V1 ran, the plan lists V2 only', async () => {
    const dir = writeRepo(files);
    const dry = relative((await clickplanInProcess(['apply', dir, '--target', target, '--dry-run', '--progress', 'none'])).stdout, dir);
    expect(dry).toContain('migrations/V2__more.sql:\n  1. [safe]\n     ALTER TABLE events ADD COLUMN IF NOT EXISTS kind String\n');
    expect(dry.trimEnd().split('\n').at(-1)).toBe('Validated 5 statements; nothing was changed.');
    const v1 = writeRepo({ 'clickplan.yaml': files['clickplan.yaml'], 'migrations/V1__events.sql': files['migrations/V1__events.sql'] });
    expect((await clickplanInProcess(['apply', v1, '--target', target, '--progress', 'none'])).code).toBe(0);
    const after = relative((await clickplanInProcess(['plan', dir, '--target', target])).stdout, dir);
    expect(after.split('\n').slice(0, 3)).toEqual([
      `Plan for embedded ClickHouse in ${join(embedded.root, 'data')}: 1 pending migration file (2 statements, as they will run), highest risk: heavy.`,
      '',
      'migrations/V2__more.sql:',
    ]);
  });

  it('declarative: CREATE MATERIALIZED VIEW ... POPULATE over a table with rows is heavy; over an empty one, safe', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: declarative\nregistry: reg_gate_mv\n',
      'schema/01.sql': 'CREATE DATABASE gate_mv;\nCREATE TABLE gate_mv.src (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    writeFiles(dir, { 'schema/02.sql': 'CREATE MATERIALIZED VIEW gate_mv.mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM gate_mv.src;\n' });
    const planOf = async () => JSON.parse((await clickplanInProcess(['plan', dir, '--target', target, '--format', 'json'])).stdout).steps;
    expect((await planOf()).map((s: { risk: string }) => s.risk)).toEqual(['safe']);
    await engine.execute('INSERT INTO gate_mv.src SELECT number FROM numbers(5)');
    expect((await planOf()).map((s: { risk: string; risk_reason: string }) => [s.risk, s.risk_reason])).toEqual([
      ['heavy', 'POPULATE copies 5 rows of `gate_mv.src` into the view while it is created (mv-populate)'],
    ]);
  });
});

describe('status, baseline and repair', () => {
  const base = {
    'clickplan.yaml': 'layout: flyway\ndatabase: gate_l\nregistry: reg_gate_l\n',
    'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS gate_l;\n',
    'migrations/V2__t.sql': 'CREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
  };

  it('status lists every file as applied, pending, failed, changed, out-of-order or missing, with checksum and when it ran (text and JSON)', async () => {
    const dir = writeRepo(base);
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    // V3 stops half way (its statement 2 fails); then V1 is edited, V1_5 comes late, and the
    // registry records a V0 whose file is gone.
    writeFiles(dir, { 'migrations/V3__fails.sql': 'SELECT 1;\nSELECT no_such_column FROM t;\n', 'migrations/V4__next.sql': 'SELECT 2;\n' });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(2);
    writeFiles(dir, { 'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS gate_l; -- edited\n', 'migrations/V1_5__late.sql': 'SELECT 1;\n' });
    await engine.execute(
      "INSERT INTO reg_gate_l.migrations (migration, file, checksum, status, deployed_by, at, seq) VALUES ('/global/V0', 'migrations/V0__gone.sql', 'abcdefabcdef00', 'applied', 'someone', now(), 1)",
    );

    const json = await clickplanInProcess(['status', dir, '--target', target, '--format', 'json']);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(
      document.migrations.map((m: Record<string, unknown>) => [
        m.migration,
        m.state,
        m.checksum === undefined ? '-' : m.checksum === sha(readFileSync(join(dir, relative(m.file as string, dir)), 'utf8')) ? 'file' : '?',
        m.applied_at === undefined ? '-' : 'at',
      ]),
    ).toEqual([
      ['/global/V1', 'changed', 'file', 'at'],
      ['/global/V1.5', 'out-of-order', 'file', '-'],
      ['/global/V2', 'applied', 'file', 'at'],
      ['/global/V3', 'failed', 'file', 'at'],
      ['/global/V4', 'pending', 'file', '-'],
      ['/global/V0', 'missing', '-', 'at'],
    ]);
    expect(document.counts).toEqual({ applied: 1, pending: 1, out_of_order: 1, failed: 1, changed: 1, missing: 1 });
    const text = relative((await clickplanInProcess(['status', dir, '--target', target])).stdout, dir);
    // Columns are aligned on the file names as given (absolute here): compare with runs of spaces as one.
    const shown = text.split('\n').map((l) =>
      l
        .replace(/[0-9a-f]{12}/g, '<sha>')
        .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d by \S+/, '<when> by <who>')
        .replace(/ {2,}/g, '  '),
    );
    expect(shown).toEqual([
      `Migrations on embedded ClickHouse in ${join(embedded.root, 'data')} (registry reg_gate_l):`,
      '',
      '  state  file  checksum  applied',
      '  changed  migrations/V1__db.sql  <sha>  <when> by <who> (checksum then <sha>)',
      '  out-of-order migrations/V1_5__late.sql  <sha>',
      '  applied  migrations/V2__t.sql  <sha>  <when> by <who>',
      '  failed  migrations/V3__fails.sql  <sha>  <when> by <who>',
      '  pending  migrations/V4__next.sql  <sha>',
      '  missing  migrations/V0__gone.sql  <sha>  <when> by <who>',
      '',
      '6 migrations: 1 applied, 1 pending, 1 out-of-order, 1 failed, 1 changed, 1 missing.',
      '',
    ]);
  });

  it('repair accepts a changed checksum only with a reason, and records the reason, who and when', async () => {
    const dir = writeRepo({
      ...base,
      'clickplan.yaml': 'layout: flyway\ndatabase: gate_r\nregistry: reg_gate_r\n',
      'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS gate_r;\n',
    });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    writeFiles(dir, { 'migrations/V2__t.sql': '-- a comment added after the deploy\nCREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id;\n' });
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(2);
    const noReason = await clickplanInProcess(['repair', dir, '--target', target]);
    expect([noReason.code, noReason.stderr.split('\n')[0]]).toEqual([2, "error: required option '--reason <text>' not specified"]);
    const repaired = await clickplanInProcess(['repair', dir, '--target', target, '--reason', 'comment only, same statement']);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(
      /^accepted {2}\/global\/V2: checksum [0-9a-f]{12} -> [0-9a-f]{12}\nRecorded 1 repair by \S+: comment only, same statement\n$/,
    );
    expect(await engine.query("SELECT migration, action, reason, deployed_by != '' AS who, at > 0 AS when FROM reg_gate_r.repairs")).toEqual([
      { migration: '/global/V2', action: 'accept-checksum', reason: 'comment only, same statement', who: 1, when: 1 },
    ]);
    const status = JSON.parse((await clickplanInProcess(['status', dir, '--target', target, '--format', 'json'])).stdout);
    expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied']);
    const again = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none']);
    expect([again.code, again.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'Applied 0 statements of 0 migration files (2 already applied); planning again finds nothing to do.',
    ]);
  });

  it('repair --resolve records whether the statement a deploy stopped before took effect; the next deploy goes on, running nothing twice', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: gate_u\nregistry: reg_gate_u\n',
      'migrations/V1__setup.sql':
        'CREATE DATABASE IF NOT EXISTS gate_u;\nCREATE TABLE gate_u.src (id UInt64) ENGINE = MergeTree ORDER BY id;\nINSERT INTO gate_u.src SELECT number FROM numbers(100);\nCREATE TABLE gate_u.orders (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
      'migrations/V2__fill.sql':
        'INSERT INTO gate_u.orders SELECT id FROM gate_u.src;\nCREATE TABLE gate_u.after (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    // The deploy dies right after the INSERT ran, before recording it.
    const dying = new FailingTarget(engine);
    dying.injections.push({ match: /^INSERT INTO gate_u\.orders/, times: 1, crash: true, afterRunning: true });
    await expect(deploy(dir, dying)).rejects.toThrow(/injected crash/);
    const stopped = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none']);
    expect([stopped.code, stopped.stderr]).toEqual([2, expect.stringContaining('clickplan repair --resolve applied')]);
    const noResolve = await clickplanInProcess(['repair', dir, '--target', target, '--reason', 'orders has its rows']);
    expect([noResolve.code, noResolve.stderr]).toEqual([2, expect.stringContaining('--resolve records the outcome')]);
    const repaired = await clickplanInProcess(['repair', dir, '--target', target, '--resolve', 'applied', '--reason', 'orders has its 100 rows']);
    expect(repaired.stderr).toBe('');
    expect(repaired.stdout).toMatch(
      /^resolved {2}\/global\/V2: statement 1 of \/.*\/migrations\/V2__fill\.sql took effect; the next deploy goes on after it\nRecorded 1 repair by \S+: orders has its 100 rows\n$/,
    );
    expect(await engine.query('SELECT migration, action, ordinal, reason FROM reg_gate_u.repairs')).toEqual([
      { migration: '/global/V2', action: 'resolve-applied', ordinal: 0, reason: 'orders has its 100 rows' },
    ]);
    expect((await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none'])).code).toBe(0);
    expect(await engine.query('SELECT count() AS n FROM gate_u.orders')).toEqual([{ n: '100' }]);
    const again = await clickplanInProcess(['repair', dir, '--target', target, '--resolve', 'not-applied', '--reason', 'again']);
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/No statement of .* waits for a decision/)]);
  });

  it('baseline --version N adopts a database that has what the files up to N create: the next deploy runs the files after N', async () => {
    await engine.execute('CREATE DATABASE IF NOT EXISTS gate_b');
    await engine.execute('CREATE TABLE gate_b.t (id UInt64) ENGINE = MergeTree ORDER BY id');
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: gate_b\nregistry: reg_gate_b\n',
      'migrations/V1__db.sql': 'CREATE DATABASE gate_b;\n',
      'migrations/V2__t.sql': 'CREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
      'migrations/V3__u.sql': 'CREATE TABLE u (id UInt64) ENGINE = MergeTree ORDER BY id;\n',
    });
    const baseline = await clickplanInProcess(['baseline', dir, '--target', target, '--version', '2']);
    expect([baseline.code, relative(baseline.stdout, dir)]).toEqual([
      0,
      `baseline  migrations/V1__db.sql\nbaseline  migrations/V2__t.sql\nRecorded 2 migration files up to version 2 as applied on embedded ClickHouse in ${join(embedded.root, 'data')}; the next deploy runs the files after it.\n`,
    ]);
    const status = JSON.parse((await clickplanInProcess(['status', dir, '--target', target, '--format', 'json'])).stdout);
    expect(status.migrations.map((m: { version: string; state: string }) => `${m.version} ${m.state}`)).toEqual(['1 applied', '2 applied', '3 pending']);
    const applied = await clickplanInProcess(['apply', dir, '--target', target, '--progress', 'none']);
    expect([applied.code, applied.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'Applied 1 statement of 1 migration file (2 already applied); planning again finds nothing to do.',
    ]);
    const twice = await clickplanInProcess(['baseline', dir, '--target', target, '--version', '3']);
    expect([twice.code, twice.stderr]).toEqual([
      2,
      'clickplan baseline: The registry already records 3 migrations: baseline adopts a database that has none. Run clickplan status to see them; clickplan apply runs what is pending.\n',
    ]);
  });
});
