import { beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../packages/core/src/live/types.js';
import { deploy, FailingTarget, writeFiles, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Versioned deploys on the embedded engine (chDB, ClickHouse 26.7): the registry, checksums,
// resuming a file at the right statement, dry runs, retries. Each test uses its own databases and
// registry, since chDB opens one data directory per process.

const engine = embeddedEngine('deploy-versioned');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

const rows = async (sql: string) => target.query<Record<string, string>>(sql);

function flyway(database: string, registry: string, files: Record<string, string>): string {
  return writeRepo({ 'clickplan.yaml': `layout: flyway\ndatabase: ${database}\nregistry: ${registry}\n`, ...files });
}

describe('versioned deploy', () => {
  it('applies pending migrations statement by statement, records them, and a second deploy runs nothing', async () => {
    const dir = flyway('shop', 'reg_apply', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS shop;\n',
      'migrations/V2__orders.sql': 'CREATE TABLE orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id;\nINSERT INTO orders VALUES (1, 9.5);\n',
      'migrations/V3__customer.sql': 'ALTER TABLE orders ADD COLUMN customer String;\n',
    });
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.migrations.map((m) => [m.file.split('/').pop(), m.status, m.ran, m.statements])).toEqual([
      ['V1__database.sql', 'applied', 1, 1],
      ['V2__orders.sql', 'applied', 2, 2],
      ['V3__customer.sql', 'applied', 1, 1],
    ]);
    expect(first.statementsRun).toBe(4);
    expect(first.verification).toEqual({ remaining: [] });
    expect(first.events.filter((e) => e.kind === 'statement').map((e) => e.kind === 'statement' && `${e.index}/${e.total} ${e.detail}`)).toEqual([
      '1/4 statement 1/1',
      '2/4 statement 1/2',
      '3/4 statement 2/2',
      '4/4 statement 1/1',
    ]);
    expect(
      await rows(
        'SELECT migration, argMax(status, seq) AS status, argMax(applied_statements, seq) AS n FROM reg_apply.migrations GROUP BY migration ORDER BY migration',
      ),
    ).toEqual([
      { migration: '/global/V1', status: 'applied', n: 1 },
      { migration: '/global/V2', status: 'applied', n: 2 },
      { migration: '/global/V3', status: 'applied', n: 1 },
    ]);
    expect(await rows('SELECT migration, ordinal, statement FROM reg_apply.statements ORDER BY migration, ordinal')).toEqual([
      { migration: '/global/V1', ordinal: 0, statement: 'CREATE DATABASE IF NOT EXISTS shop' },
      { migration: '/global/V2', ordinal: 0, statement: 'CREATE TABLE orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id' },
      { migration: '/global/V2', ordinal: 1, statement: 'INSERT INTO orders VALUES (1, 9.5)' },
      { migration: '/global/V3', ordinal: 0, statement: 'ALTER TABLE orders ADD COLUMN customer String' },
    ]);

    const second = await deploy(dir, target);
    expect(second.failure).toBeUndefined();
    expect(second.statementsRun).toBe(0);
    expect(second.migrations.map((m) => m.status)).toEqual(['already-applied', 'already-applied', 'already-applied']);
    expect(await rows('SELECT count() AS n FROM shop.orders')).toEqual([{ n: '1' }]);
  });

  it('stops at a failing statement with the server error and the state, then resumes at that statement after the fix', async () => {
    const dir = flyway('resume', 'reg_resume', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS resume;\n',
      // Statement 1 is not idempotent: if the resumed deploy ran it again there would be two rows.
      'migrations/V2__events.sql': [
        'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;',
        'INSERT INTO events VALUES (1);',
        'INSERT INTO events SELECT id FROM no_such_table;',
        'CREATE TABLE totals (n UInt64) ENGINE = MergeTree ORDER BY n;',
        '',
      ].join('\n'),
      'migrations/V3__later.sql': 'CREATE TABLE later (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const failed = await deploy(dir, target);
    expect(failed.failure).toMatchObject({
      code: 'deploy-statement-failed',
      file: expect.stringMatching(/V2__events\.sql$/),
      statement: 3,
      sql: 'INSERT INTO events SELECT id FROM no_such_table',
      serverCode: 60,
      state: expect.stringMatching(
        /^1 migration file before it was applied and recorded \(.*V1__database\.sql\)\. Statements 1-2 of .*V2__events\.sql ran and are recorded; statement 3 did not take effect\. Run the deploy again once the cause is fixed: it resumes at statement 3\.$/,
      ),
    });
    expect(failed.failure?.message).toMatch(/^Statement 3 of .*V2__events\.sql failed: Code 60: .*no_such_table/);
    expect(failed.migrations.map((m) => m.status)).toEqual(['applied', 'failed']);
    expect(
      await rows("SELECT argMax(status, seq) AS status, argMax(applied_statements, seq) AS n FROM reg_resume.migrations WHERE migration = '/global/V2'"),
    ).toEqual([{ status: 'failed', n: 2 }]);

    // Fix the failing statement (statements that did not run may change) and deploy again.
    writeFiles(dir, {
      'migrations/V2__events.sql': [
        'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;',
        'INSERT INTO events VALUES (1);',
        'INSERT INTO events SELECT number + 10 FROM system.numbers LIMIT 2;',
        'CREATE TABLE totals (n UInt64) ENGINE = MergeTree ORDER BY n;',
        '',
      ].join('\n'),
    });
    const resumed = await deploy(dir, target);
    expect(resumed.failure).toBeUndefined();
    expect(resumed.events.filter((e) => e.kind === 'resume')).toEqual([
      { kind: 'resume', unit: expect.stringMatching(/V2__events\.sql$/), statement: 3, of: 4 },
    ]);
    expect(resumed.migrations.map((m) => [m.status, m.ran, m.resumedAt])).toEqual([
      ['already-applied', 0, undefined],
      ['applied', 2, 3],
      ['applied', 1, undefined],
    ]);
    expect(await rows('SELECT id FROM resume.events ORDER BY id')).toEqual([{ id: '1' }, { id: '10' }, { id: '11' }]);
    expect(resumed.verification?.remaining).toEqual([]);
  });

  it('refuses an edited applied migration before anything runs, naming the file and both checksums', async () => {
    const dir = flyway('edited', 'reg_edited', {
      'migrations/V1__table.sql': 'CREATE DATABASE IF NOT EXISTS edited;\nCREATE TABLE edited.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    const [applied] = await rows("SELECT argMax(checksum, seq) AS checksum FROM reg_edited.migrations WHERE migration = '/global/V1'");
    writeFiles(dir, {
      'migrations/V1__table.sql': 'CREATE DATABASE IF NOT EXISTS edited;\nCREATE TABLE edited.t (x UInt16) ENGINE = MergeTree ORDER BY x;\n',
      'migrations/V2__next.sql': 'CREATE TABLE edited.next (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const refused = await deploy(dir, target);
    expect(refused.failure).toMatchObject({
      code: 'migration-checksum-changed',
      state: 'Nothing ran: the deploy checks every checksum before the first statement.',
    });
    expect(refused.diagnostics).toHaveLength(1);
    const [diagnostic] = refused.diagnostics;
    expect(diagnostic?.code).toBe('migration-checksum-changed');
    expect(diagnostic?.file).toMatch(/V1__table\.sql$/);
    expect(diagnostic?.message).toContain(`with checksum ${applied?.checksum}, and the file now has checksum `);
    expect(diagnostic?.message).not.toContain(`file now has checksum ${applied?.checksum}`);
    expect(diagnostic?.help).toMatch(/^Restore the file as it was applied/);
    expect(refused.statementsRun).toBe(0);
    expect(await rows("SELECT count() AS n FROM system.tables WHERE database = 'edited' AND name = 'next'")).toEqual([{ n: '0' }]);
  });

  it('refuses a half-applied file whose already-run statement changed', async () => {
    const dir = flyway('halfedit', 'reg_halfedit', {
      'migrations/V1__two.sql':
        'CREATE DATABASE IF NOT EXISTS halfedit;\nCREATE TABLE halfedit.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nSELECT throwIf(1);\n',
    });
    expect((await deploy(dir, target)).failure?.statement).toBe(3);
    writeFiles(dir, {
      'migrations/V1__two.sql': 'CREATE DATABASE IF NOT EXISTS halfedit;\nCREATE TABLE halfedit.t (x UInt16) ENGINE = MergeTree ORDER BY x;\nSELECT 1;\n',
    });
    const refused = await deploy(dir, target);
    expect(refused.failure?.code).toBe('migration-checksum-changed');
    expect(refused.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(
        /V1__two\.sql stopped half way in an earlier deploy \(2 of its statements ran\) and statement 2, which already ran, has changed since: recorded checksum [0-9a-f]{64}, file checksum [0-9a-f]{64}\.$/,
      ),
    ]);
    expect(refused.statementsRun).toBe(0);
  });

  it('dry run validates every pending statement with the engine and changes nothing', async () => {
    const dir = flyway('dry', 'reg_dry', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS dry;\n',
      'migrations/V2__t.sql': 'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const dry = await deploy(dir, target, { dryRun: true });
    expect(dry.failure).toBeUndefined();
    expect(dry.migrations.map((m) => [m.status, m.ran])).toEqual([
      ['validated', 1],
      ['validated', 1],
    ]);
    expect(dry.verification).toBeUndefined();
    expect(await rows("SELECT name FROM system.databases WHERE name IN ('dry', 'reg_dry')")).toEqual([]);

    writeFiles(dir, { 'migrations/V3__bad.sql': 'CREATE TABLE u (x UInt8 ENGINE = MergeTree ORDER BY x;\n' });
    const bad = await deploy(dir, target, { dryRun: true });
    expect(bad.failure).toMatchObject({ code: 'deploy-statement-failed', statement: 1, serverCode: 62, state: 'Nothing was changed (dry run).' });
    expect(bad.failure?.message).toMatch(/^Statement 1 of .*V3__bad\.sql does not validate: Syntax error/);
  });

  it('retries transient failures (517, 252, network) with backoff and stops on others with the state left', async () => {
    const dir = flyway('retry', 'reg_retry', {
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS retry;\n',
      'migrations/V2__t.sql': 'CREATE TABLE retry.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nALTER TABLE retry.t ADD COLUMN y UInt8;\n',
    });
    const failing = new FailingTarget(target);
    failing.injections.push(
      { match: /^CREATE TABLE retry\.t/, times: 2, code: 517 },
      { match: /^ALTER TABLE retry\.t/, times: 1, code: 252 },
      // The answer to the first try is lost after the server ran it: the retry finds the database there.
      { match: /^CREATE DATABASE IF NOT EXISTS retry/, times: 1, network: true, afterRunning: true },
    );
    const report = await deploy(dir, failing, { retry: { attempts: 4, initialDelayMs: 1 } });
    expect(report.failure).toBeUndefined();
    expect(report.retries).toBe(4);
    expect(
      report.events.filter((e) => e.kind === 'retry').map((e) => e.kind === 'retry' && `${e.attempt}/${e.attempts} ${e.sql.split(' ').slice(0, 3).join(' ')}`),
    ).toEqual(['1/4 CREATE DATABASE IF', '1/4 CREATE TABLE retry.t', '2/4 CREATE TABLE retry.t', '1/4 ALTER TABLE retry.t']);
    expect(await rows("SELECT name FROM system.columns WHERE database = 'retry' AND table = 't' ORDER BY position")).toEqual([{ name: 'x' }, { name: 'y' }]);

    writeFiles(dir, { 'migrations/V3__u.sql': 'CREATE TABLE retry.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n' });
    failing.injections.push({ match: /^CREATE TABLE retry\.u/, times: 9, code: 517 });
    const exhausted = await deploy(dir, failing, { retry: { attempts: 3, initialDelayMs: 1 } });
    expect(exhausted.retries).toBe(2);
    expect(exhausted.failure).toMatchObject({ code: 'deploy-statement-failed', serverCode: 517, statement: 1 });

    failing.injections.length = 0;
    failing.injections.push({ match: /^CREATE TABLE retry\.u/, times: 1, code: 60 });
    const hard = await deploy(dir, failing);
    expect(hard.retries).toBe(0);
    expect(hard.failure).toMatchObject({
      serverCode: 60,
      state: expect.stringMatching(/No statement of .*V3__u\.sql ran\. Run the deploy again once the cause is fixed: it resumes at statement 1\.$/),
    });
    expect((await deploy(dir, failing)).failure).toBeUndefined();
  });

  it('runs ALTER and DELETE with the configured mutations_sync and alter_sync, other statements without', async () => {
    const dir = flyway('sync', 'reg_sync', {
      'migrations/V1__t.sql':
        'CREATE DATABASE IF NOT EXISTS sync;\nCREATE TABLE sync.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nINSERT INTO sync.t VALUES (1), (2);\nALTER TABLE sync.t DELETE WHERE x = 1;\n',
    });
    const recording = new FailingTarget(target);
    expect((await deploy(dir, recording, { mutationsSync: 1, alterSync: 0 })).failure).toBeUndefined();
    const migrationStatements = recording.executed.filter((e) =>
      /^(CREATE DATABASE IF NOT EXISTS sync$|CREATE TABLE sync\.|INSERT INTO sync\.|ALTER TABLE sync\.)/.test(e.sql),
    );
    expect(migrationStatements.map((e) => [e.sql.split(' ').slice(0, 3).join(' '), e.options?.settings])).toEqual([
      ['CREATE DATABASE IF', {}],
      ['CREATE TABLE sync.t', {}],
      // Every INSERT carries its migration's deduplication token (chDB knows the setting), for its
      // table and the tables its materialized views write into.
      [
        'INSERT INTO sync.t',
        {
          insert_deduplicate: 1,
          insert_deduplication_token: expect.stringMatching(/^clickplan:[0-9a-f]{64}:\d+:2$/),
          deduplicate_blocks_in_dependent_materialized_views: 1,
        },
      ],
      ['ALTER TABLE sync.t', { mutations_sync: 1, alter_sync: 0 }],
    ]);
    // mutations_sync = 1 waited for the mutation: the row is gone when the deploy ends.
    expect(await rows('SELECT x FROM sync.t')).toEqual([{ x: 2 }]);
  });

  it('takes mutations_sync and alter_sync from deploy: in clickplan.yaml, and an option given wins over it', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: cfgsync\nregistry: reg_cfgsync\ndeploy:\n  mutationsSync: 1\n  alterSync: 0\n  retries: 1\n',
      'migrations/V1__t.sql':
        'CREATE DATABASE IF NOT EXISTS cfgsync;\nCREATE TABLE cfgsync.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nALTER TABLE cfgsync.t DELETE WHERE x = 1;\n',
      'migrations/V2__t.sql': 'ALTER TABLE cfgsync.t DELETE WHERE x = 2;\n',
    });
    const recording = new FailingTarget(target);
    expect((await deploy(dir, recording, { alterSync: 2 })).failure).toBeUndefined();
    const alters = recording.executed.filter((e) => e.sql.startsWith('ALTER TABLE cfgsync.'));
    expect(alters.map((e) => e.options?.settings)).toEqual([
      { mutations_sync: 1, alter_sync: 2 },
      { mutations_sync: 1, alter_sync: 2 },
    ]);
    // retries: 1 in the file: a transient failure is not retried.
    const flaky = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: cfgretry\nregistry: reg_cfgretry\ndeploy:\n  retries: 1\n',
      'migrations/V1__t.sql': 'CREATE DATABASE IF NOT EXISTS cfgretry;\n',
    });
    const failing = new FailingTarget(target);
    failing.injections.push({ match: /^CREATE DATABASE IF NOT EXISTS cfgretry/, times: 1, code: 517 });
    const report = await deploy(flaky, failing);
    expect([report.retries, report.failure?.serverCode]).toEqual([0, 517]);
  });

  it('resumes a file whose deploy died before its statements were recorded: the rerunnable ones in effect count as done', async () => {
    const dir = flyway('crash', 'reg_crash', {
      'migrations/V1__t.sql':
        'CREATE DATABASE IF NOT EXISTS crash;\nCREATE TABLE crash.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE crash.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const failing = new FailingTarget(target);
    // The three statements ran; the process dies while their rows (one batch) are written.
    failing.injections.push(
      { match: /^INSERT INTO `?reg_crash`?\.`?statements`?.*CREATE TABLE crash\.t/, times: 1, crash: true },
      { match: /^INSERT INTO `?reg_crash`?\.`?migrations`?.*'applied'/, times: 1, crash: true },
    );
    await expect(deploy(dir, failing)).rejects.toThrow(/injected crash/);
    expect(await rows('SELECT count() AS n FROM reg_crash.statements')).toEqual([{ n: '0' }]);
    const report = await deploy(dir, target);
    expect(report.failure).toBeUndefined();
    expect(report.migrations.map((m) => [m.status, m.ran])).toEqual([['applied', 3]]);
    expect(report.notes).toEqual([
      expect.stringMatching(/^The previous deploy \(\w+ by .*\) did not finish/),
      expect.stringMatching(/^`CREATE TABLE crash\.t .*` had started when the previous deploy stopped and is already in effect/),
      expect.stringMatching(/^`CREATE TABLE crash\.u .*` had started when the previous deploy stopped and is already in effect/),
    ]);
  });

  it('records the statements before one that must not run twice: a deploy that dies there runs it once', async () => {
    const dir = flyway('once', 'reg_once', {
      'migrations/V1__t.sql':
        'CREATE DATABASE IF NOT EXISTS once;\nCREATE TABLE once.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nINSERT INTO once.t VALUES (1), (2);\nCREATE TABLE once.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const failing = new FailingTarget(target);
    // The process dies while the rows of the two CREATEs are written, before the INSERT runs.
    failing.injections.push({ match: /^INSERT INTO `?reg_once`?\.`?statements`?.*CREATE TABLE once\.t/, times: 1, crash: true });
    await expect(deploy(dir, failing)).rejects.toThrow(/injected crash/);
    expect(failing.executed.some((e) => e.sql.startsWith('INSERT INTO once.t'))).toBe(false);
    const report = await deploy(dir, target);
    expect(report.failure).toBeUndefined();
    expect(report.notes).toEqual([
      expect.stringMatching(/^The previous deploy/),
      expect.stringMatching(/^`CREATE TABLE once\.t .*` had started when the previous deploy stopped/),
    ]);
    expect(await rows('SELECT x FROM once.t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
    // Every statement recorded once it ran, the INSERT in a row of its own.
    const recorded = await rows('SELECT ordinal FROM reg_once.statements ORDER BY ordinal');
    expect(recorded.map((r) => Number(r.ordinal))).toEqual([0, 1, 2, 3]);
  });
});
