import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkProject } from '../packages/core/src/deploy/check.js';
import { acquireLock, DeployLock, type LockEvent, lockTableStatement, readHolder } from '../packages/core/src/deploy/lock.js';
import { Registry } from '../packages/core/src/deploy/registry.js';
import { repairUncertainStatement } from '../packages/core/src/deploy/repair.js';
import type { DeployOptions } from '../packages/core/src/deploy/types.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import type { Target } from '../packages/core/src/live/types.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { deploy, FailingTarget, writeFiles, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// The data guarantees of the deploy engine on chDB (ClickHouse 26.7), issue 18: a statement whose
// outcome is unknown never runs twice, renamed versions are one migration, the registry's order
// does not follow the client's clock, and a deploy stops cleanly when asked.

const engine = embeddedEngine('deploy-data');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

afterEach(() => {
  vi.useRealTimers();
});

const rows = (sql: string) => target.query<Record<string, string>>(sql);
const count = async (table: string) => Number((await rows(`SELECT count() AS n FROM ${table}`))[0]?.n);

function flyway(database: string, registry: string, files: Record<string, string>, extra = ''): string {
  return writeRepo({ 'clickplan.yaml': `layout: flyway\ndatabase: ${database}\nregistry: ${registry}\n${extra}`, ...files });
}

/** Deploys through a target that "dies" at the first statement matching `match`: after running it (`ran`) or before. */
async function deployDying(dir: string, match: RegExp, ran: boolean, options: DeployOptions = {}): Promise<void> {
  const dying = new FailingTarget(target);
  dying.injections.push({ match, times: 1, crash: true, afterRunning: ran });
  await expect(deploy(dir, dying, options)).rejects.toThrow(/injected crash/);
}

function analyzed(dir: string) {
  const project = loadProject(dir);
  return { project, analysis: analyzeFiles(project.files, { defaultDatabase: project.config.database }) };
}

async function repair(dir: string, resolution: 'applied' | 'not-applied', reason: string) {
  const { project, analysis } = analyzed(dir);
  return repairUncertainStatement(project, analysis, target, { resolution, reason, by: 'alice@laptop' });
}

describe('a statement whose outcome is unknown never runs twice (issue 18.1)', () => {
  const setup = (db: string, settings = '') =>
    `CREATE DATABASE IF NOT EXISTS ${db};\nCREATE TABLE ${db}.src (id UInt64) ENGINE = MergeTree ORDER BY id;\nINSERT INTO ${db}.src SELECT number FROM numbers(1000);\n` +
    `CREATE TABLE ${db}.orders (id UInt64, n UInt64) ENGINE = MergeTree ORDER BY id${settings};\n`;

  it('an INSERT ... SELECT that ran before the deploy died is deduplicated by its token where the table keeps a window', async () => {
    const dir = flyway('dd1', 'reg_dd1', {
      'migrations/V1__setup.sql': setup('dd1', ' SETTINGS non_replicated_deduplication_window = 100'),
      'migrations/V2__backfill.sql': 'INSERT INTO dd1.orders SELECT id, id * 2 FROM dd1.src;\nALTER TABLE dd1.orders ADD COLUMN note String;\n',
    });
    await deployDying(dir, /^INSERT INTO dd1\.orders/, true);
    expect(await count('dd1.orders')).toBe(1000);
    const again = await deploy(dir, target);
    expect(again.failure).toBeUndefined();
    expect(await count('dd1.orders')).toBe(1000);
    expect(again.notes).toContainEqual(
      expect.stringContaining('it ran again with its deduplication token (dd1.orders keeps non_replicated_deduplication_window = 100)'),
    );
    expect((await deploy(dir, target)).statementsRun).toBe(0);
  });

  it('re-runs an INSERT whose materialized views write into tables that keep a window: no table gets its rows twice', async () => {
    const window = ' SETTINGS non_replicated_deduplication_window = 100';
    const dir = flyway('ddmv', 'reg_ddmv', {
      'migrations/V1__setup.sql':
        setup('ddmv', window) +
        `CREATE TABLE ddmv.totals (id UInt64, n UInt64) ENGINE = MergeTree ORDER BY id${window};\n` +
        'CREATE MATERIALIZED VIEW ddmv.to_totals TO ddmv.totals AS SELECT id, n * 10 AS n FROM ddmv.orders;\n' +
        `CREATE TABLE ddmv.chained (id UInt64) ENGINE = MergeTree ORDER BY id${window};\n` +
        'CREATE MATERIALIZED VIEW ddmv.to_chained TO ddmv.chained AS SELECT id FROM ddmv.totals;\n' +
        `CREATE MATERIALIZED VIEW ddmv.inner_counts ENGINE = MergeTree ORDER BY id${window} AS SELECT id FROM ddmv.orders;\n`,
      'migrations/V2__backfill.sql': 'INSERT INTO ddmv.orders SELECT id, id * 2 FROM ddmv.src;\n',
    });
    await deployDying(dir, /^INSERT INTO ddmv\.orders/, true);
    const tables = ['ddmv.orders', 'ddmv.totals', 'ddmv.chained', 'ddmv.inner_counts'];
    for (const table of tables) expect(await count(table), table).toBe(1000);
    const again = await deploy(dir, target);
    expect(again.failure).toBeUndefined();
    for (const table of tables) expect(await count(table), table).toBe(1000);
    expect(again.notes).toContainEqual(expect.stringContaining('ddmv.totals keeps non_replicated_deduplication_window = 100'));
  });

  it('stops before running again an INSERT whose materialized view writes into a table without a window', async () => {
    const dir = flyway('ddmv2', 'reg_ddmv2', {
      'migrations/V1__setup.sql':
        setup('ddmv2', ' SETTINGS non_replicated_deduplication_window = 100') +
        'CREATE TABLE ddmv2.totals (id UInt64, n UInt64) ENGINE = MergeTree ORDER BY id;\n' +
        'CREATE MATERIALIZED VIEW ddmv2.to_totals TO ddmv2.totals AS SELECT id, n FROM ddmv2.orders;\n',
      'migrations/V2__backfill.sql': 'INSERT INTO ddmv2.orders SELECT id, id * 2 FROM ddmv2.src;\n',
    });
    await deployDying(dir, /^INSERT INTO ddmv2\.orders/, true);
    const stopped = await deploy(dir, target);
    expect(stopped.failure?.code).toBe('deploy-statement-uncertain');
    expect(stopped.failure?.message).toContain(
      'the materialized view ddmv2.to_totals on ddmv2.orders writes into ddmv2.totals: ddmv2.totals has no non_replicated_deduplication_window',
    );
    expect(await count('ddmv2.orders')).toBe(1000);
    expect(await count('ddmv2.totals')).toBe(1000);
  });

  it('an INSERT into a table without a window stops the deploy before running again; repair records the decision', async () => {
    const dir = flyway('dd2', 'reg_dd2', {
      'migrations/V1__setup.sql': setup('dd2'),
      'migrations/V2__backfill.sql': 'INSERT INTO dd2.orders SELECT id, id FROM dd2.src;\nCREATE TABLE dd2.after (d Date) ENGINE = MergeTree ORDER BY d;\n',
    });
    await deployDying(dir, /^INSERT INTO dd2\.orders/, true);
    const stopped = await deploy(dir, target);
    expect(stopped.failure).toEqual({
      code: 'deploy-statement-uncertain',
      message: expect.stringMatching(
        /^Statement 1 of \/.*\/migrations\/V2__backfill\.sql \(\/global\/V2\) may have run when the previous deploy \([0-9a-f]+ by .*, started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\) stopped, and whether it took effect cannot be told: running the INSERT again would add its rows twice: dd2\.orders has no non_replicated_deduplication_window \(set it on the table to make INSERTs into it safe to run again\)\.$/,
      ),
      help: 'Find out whether it took effect, then record it with `clickplan repair --resolve applied --reason "..."` (it ran) or `clickplan repair --resolve not-applied --reason "..."` (it did not), and deploy again.',
      file: `${dir}/migrations/V2__backfill.sql`,
      statement: 1,
      line: 1,
      sql: 'INSERT INTO dd2.orders SELECT id, id FROM dd2.src',
      state: `Nothing ran in this deploy. No statement of ${dir}/migrations/V2__backfill.sql is recorded; statement 1 waits for clickplan repair.`,
    });
    expect(stopped.statementsRun).toBe(0);
    expect(await count('dd2.orders')).toBe(1000);
    // Asked again, it stops again: nothing changed until a person decides.
    expect((await deploy(dir, target)).failure?.code).toBe('deploy-statement-uncertain');

    const repaired = await repair(dir, 'applied', 'orders has the 1000 backfilled rows');
    expect(repaired).toEqual({
      repaired: {
        file: `${dir}/migrations/V2__backfill.sql`,
        migration: '/global/V2',
        statement: 1,
        sql: 'INSERT INTO dd2.orders SELECT id, id FROM dd2.src',
        resolution: 'applied',
        by: 'alice@laptop',
      },
    });
    expect(await rows("SELECT migration, action, ordinal, reason, deployed_by, new_checksum != '' AS checksum, at > 0 AS dated FROM reg_dd2.repairs")).toEqual([
      {
        migration: '/global/V2',
        action: 'resolve-applied',
        ordinal: 0,
        reason: 'orders has the 1000 backfilled rows',
        deployed_by: 'alice@laptop',
        checksum: 1,
        dated: 1,
      },
    ]);
    const resumed = await deploy(dir, target);
    expect(resumed.failure).toBeUndefined();
    expect(resumed.statementsRun).toBe(1);
    expect(await count('dd2.orders')).toBe(1000);
    // Nothing is left to repair.
    expect((await repair(dir, 'applied', 'again')).failure?.message).toMatch(/^No statement of .* waits for a decision/);
  });

  it('repair --resolve not-applied makes the next deploy run the statement, once', async () => {
    const dir = flyway('dd3', 'reg_dd3', {
      'migrations/V1__setup.sql': setup('dd3'),
      'migrations/V2__backfill.sql': 'INSERT INTO dd3.orders SELECT id, id FROM dd3.src;\n',
    });
    await deployDying(dir, /^INSERT INTO dd3\.orders/, false);
    expect((await deploy(dir, target)).failure?.code).toBe('deploy-statement-uncertain');
    expect((await repair(dir, 'not-applied', 'orders is empty')).repaired?.resolution).toBe('not-applied');
    expect((await deploy(dir, target)).failure).toBeUndefined();
    expect(await count('dd3.orders')).toBe(1000);
  });

  it('an ALTER ... UPDATE that ran is found in system.mutations and not run again; one that did not run runs', async () => {
    const files = {
      'migrations/V1__setup.sql': setup('dd4'),
      'migrations/V2__fill.sql': 'INSERT INTO dd4.orders SELECT id, 1 FROM dd4.src;\n',
      'migrations/V3__bump.sql': 'ALTER TABLE dd4.orders UPDATE n = n + 1 WHERE id < 10;\nALTER TABLE dd4.orders DELETE WHERE id >= 900;\n',
    };
    const dir = flyway('dd4', 'reg_dd4', files);
    await deployDying(dir, /^ALTER TABLE dd4\.orders DELETE/, true);
    const again = await deploy(dir, target, { mutationsSync: 2 });
    expect(again.failure).toBeUndefined();
    expect(again.notes).toContainEqual(
      expect.stringMatching(/^Statement 2 of \/.*\/migrations\/V3__bump\.sql had run when the previous deploy stopped: dd4\.orders has its mutation /),
    );
    expect(await rows('SELECT sum(n) AS s, count() AS c FROM dd4.orders')).toEqual([{ s: '910', c: '900' }]);

    const other = flyway('dd5', 'reg_dd5', { ...files, 'migrations/V1__setup.sql': setup('dd5') });
    for (const name of Object.keys(files)) writeFiles(other, { [name]: (files as Record<string, string>)[name]?.replaceAll('dd4', 'dd5') ?? '' });
    await deployDying(other, /^ALTER TABLE dd5\.orders UPDATE/, false);
    expect((await deploy(other, target)).failure).toBeUndefined();
    expect(await rows('SELECT sum(n) AS s, count() AS c FROM dd5.orders')).toEqual([{ s: '910', c: '900' }]);
  });

  it('a statement whose answer was lost is sent again only when that is safe', async () => {
    const dir = flyway('dd8', 'reg_dd8', {
      'migrations/V1__setup.sql': setup('dd8'),
      'migrations/V2__fill.sql': 'INSERT INTO dd8.orders SELECT id, 1 FROM dd8.src;\nALTER TABLE dd8.orders UPDATE n = n + 1 WHERE id < 10;\n',
    });
    const lossy = new FailingTarget(target);
    // The server ran it, the answer never came back (a network failure), as an INSERT that outlives a proxy's timeout.
    lossy.injections.push({ match: /^INSERT INTO dd8\.orders/, times: 1, network: true, afterRunning: true });
    const stopped = await deploy(dir, lossy);
    expect(stopped.failure).toMatchObject({
      code: 'deploy-statement-uncertain',
      message: expect.stringMatching(
        /^Statement 1 of .*V2__fill\.sql lost its answer \(.*socket hang up \(injected\)\) and may have taken effect; it cannot be sent again safely: running the INSERT again would add its rows twice: dd8\.orders has no non_replicated_deduplication_window/,
      ),
    });
    expect(await count('dd8.orders')).toBe(1000);
    // The next deploy does not guess either.
    expect((await deploy(dir, target)).failure?.code).toBe('deploy-statement-uncertain');
    expect((await repair(dir, 'applied', 'orders has its 1000 rows')).repaired?.statement).toBe(1);
    // The mutation's answer is lost too: system.mutations shows it ran, so it is not sent again.
    const lossyAgain = new FailingTarget(target);
    lossyAgain.injections.push({ match: /^ALTER TABLE dd8\.orders UPDATE/, times: 1, network: true, afterRunning: true });
    const done = await deploy(dir, lossyAgain, { mutationsSync: 2 });
    expect(done.failure).toBeUndefined();
    expect(done.notes).toContainEqual(expect.stringContaining('had taken effect when its answer was lost; it was not sent again.'));
    expect(await rows('SELECT sum(n) AS s, count() AS c FROM dd8.orders')).toEqual([{ s: '1010', c: '1000' }]);
  });

  it('TRUNCATE and EXCHANGE whose outcome is unknown stop the deploy', async () => {
    for (const [db, sql, word] of [
      ['dd6', 'TRUNCATE TABLE dd6.orders', 'TRUNCATE'],
      ['dd7', 'EXCHANGE TABLES dd7.orders AND dd7.src', 'EXCHANGE'],
    ] as const) {
      const dir = flyway(db, `reg_${db}`, { 'migrations/V1__setup.sql': setup(db), 'migrations/V2__x.sql': `${sql};\n` });
      // TRUNCATE deletes every row: past the risk gate only when allowed.
      await deployDying(dir, new RegExp(`^${word}`), true, { maxRisk: 'data-loss' });
      const stopped = await deploy(dir, target, { maxRisk: 'data-loss' });
      expect(stopped.failure?.message).toContain(`running ${word} again`);
    }
  });
});

describe('the registry keys migrations on their parsed version (issue 18.3)', () => {
  it('V4__x.sql renamed V004__x.sql with the same bytes is the same migration; with other bytes it is a changed one', async () => {
    const insert = 'INSERT INTO ren.t VALUES (1);\n';
    const dir = flyway('ren', 'reg_ren', {
      'migrations/V1__t.sql': 'CREATE DATABASE IF NOT EXISTS ren;\nCREATE TABLE ren.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
      'migrations/V4__x.sql': insert,
    });
    expect((await deploy(dir, target)).failure).toBeUndefined();
    const renamed = flyway('ren', 'reg_ren', {
      'migrations/V1__t.sql': 'CREATE DATABASE IF NOT EXISTS ren;\nCREATE TABLE ren.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
      'migrations/V004__x.sql': insert,
    });
    const again = await deploy(renamed, target);
    expect(again.failure).toBeUndefined();
    expect(again.statementsRun).toBe(0);
    expect(await count('ren.t')).toBe(1);
    writeFiles(renamed, { 'migrations/V004__x.sql': 'INSERT INTO ren.t VALUES (2);\n' });
    expect((await deploy(renamed, target)).failure?.code).toBe('migration-checksum-changed');
    expect(await count('ren.t')).toBe(1);
  });

  it('reads rows an older version wrote under the unparsed version as the same migration', async () => {
    const dir = flyway('old', 'reg_old', { 'migrations/V004__db.sql': 'CREATE DATABASE IF NOT EXISTS old;\n' });
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(await rows('SELECT DISTINCT migration FROM reg_old.migrations')).toEqual([{ migration: '/global/V4' }]);
    // What a registry written before keys were parsed holds: the same rows under `/global/V004`, and nothing under V4.
    await target.execute('CREATE TABLE reg_old.before AS reg_old.migrations');
    await target.execute("INSERT INTO reg_old.before SELECT * REPLACE ('/global/V004' AS migration) FROM reg_old.migrations");
    await target.execute('EXCHANGE TABLES reg_old.before AND reg_old.migrations');
    expect(await rows('SELECT DISTINCT migration FROM reg_old.migrations')).toEqual([{ migration: '/global/V004' }]);
    const again = await deploy(dir, target);
    expect([again.failure, again.statementsRun]).toEqual([undefined, 0]);
  });

  it('refuses a new version below the highest applied one, unless deploy.outOfOrder', async () => {
    const files = {
      'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS ooo;\n',
      'migrations/V3__t.sql': 'CREATE TABLE ooo.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    };
    const dir = flyway('ooo', 'reg_ooo', files);
    expect((await deploy(dir, target)).failure).toBeUndefined();
    writeFiles(dir, {
      'migrations/V2__late.sql': 'CREATE TABLE ooo.late (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
      'migrations/V4__u.sql': 'CREATE TABLE ooo.u (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const refused = await deploy(dir, target);
    expect(refused.failure).toEqual({
      code: 'deploy-out-of-order',
      message: `1 new migration has a version lower than the highest applied one: ${dir}/migrations/V2__late.sql (applied up to V3).`,
      help: "Give the migration a version above the highest applied one, or set `deploy.outOfOrder: true` in clickplan.yaml to run it where it falls (Flyway's outOfOrder).",
      state: 'Nothing ran.',
    });
    expect(await rows("SELECT name FROM system.tables WHERE database = 'ooo' ORDER BY name")).toEqual([{ name: 't' }]);
    writeFiles(dir, { 'clickplan.yaml': 'layout: flyway\ndatabase: ooo\nregistry: reg_ooo\ndeploy:\n  outOfOrder: true\n' });
    const allowed = await deploy(dir, target);
    expect(allowed.failure).toBeUndefined();
    expect(allowed.statementsRun).toBe(2);
  });
});

describe('registry rows of a deploy that dies while writing them', () => {
  it('never record a file applied without its statements', async () => {
    const dir = flyway('rw', 'reg_rw', {
      'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS rw;\n',
      'migrations/V2__t.sql': 'CREATE TABLE rw.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
      'migrations/V3__fill.sql': 'INSERT INTO rw.t VALUES (1);\n',
    });
    // The rows of V1 and V2 wait for the INSERT, before which they are written: the deploy dies writing the statements' rows.
    const dying = new FailingTarget(target);
    dying.injections.push({ match: /^INSERT INTO reg_rw\.statements/, times: 1, crash: true });
    await expect(deploy(dir, dying)).rejects.toThrow(/injected crash/);
    expect(await rows("SELECT migration FROM reg_rw.migrations WHERE status = 'applied'")).toEqual([]);
    const again = await deploy(dir, target);
    expect(again.failure).toBeUndefined();
    expect(await rows('SELECT migration, ordinal FROM reg_rw.statements GROUP BY migration, ordinal ORDER BY migration')).toEqual([
      { migration: '/global/V1', ordinal: 0 },
      { migration: '/global/V2', ordinal: 0 },
      { migration: '/global/V3', ordinal: 0 },
    ]);
    expect(await count('rw.t')).toBe(1);
  });
});

describe('a registry written by an earlier version', () => {
  it('is upgraded under the lock to the current columns, its rows kept, on the first deploy', async () => {
    await target.execute('CREATE DATABASE reg_v1');
    // The tables as the first releases created them: Log tables refuse ADD COLUMN (code 48).
    await target.execute(
      'CREATE TABLE reg_v1.statements (migration String, run UInt64, ordinal UInt32, statement_hash String, statement String, checksum String, deploy_id String, at DateTime, seq UInt64) ENGINE = Log',
    );
    await expect(target.execute('ALTER TABLE reg_v1.statements ADD COLUMN query_id String')).rejects.toMatchObject({ code: 48 });
    await target.execute('CREATE TABLE reg_v1.deploys (deploy_id String, deployed_by String, status String, at DateTime, seq UInt64) ENGINE = Log');
    await target.execute("INSERT INTO reg_v1.deploys VALUES ('old', 'me', 'finished', now(), 1)");
    await target.execute(
      'CREATE TABLE reg_v1.repairs (migration String, action String, old_checksum String, new_checksum String, reason String, deploy_id String, deployed_by String, at DateTime, seq UInt64) ENGINE = Log',
    );
    await target.execute("INSERT INTO reg_v1.repairs VALUES ('/global/V0', 'baseline', '', 'c0', 'adopted', 'old', 'me', now(), 2)");
    // What an upgrade that died half way leaves: a copy under the temporary name.
    await target.execute('CREATE TABLE reg_v1.deploys__clickplan_upgrade (deploy_id String) ENGINE = Log');
    const dir = flyway('v1', 'reg_v1', { 'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS v1;\nCREATE TABLE v1.t (id UInt64) ENGINE = Log;\n' });
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.notes).toContainEqual(expect.stringContaining('statements, deploys, repairs tables were upgraded'));
    expect(
      await rows(
        "SELECT table, name FROM system.columns WHERE database = 'reg_v1' AND name IN ('query_id', 'query_id_prefix', 'ordinal') ORDER BY table, name",
      ),
    ).toEqual([
      { table: 'deploys', name: 'query_id_prefix' },
      { table: 'repairs', name: 'ordinal' },
      { table: 'statements', name: 'ordinal' },
      { table: 'statements', name: 'query_id' },
    ]);
    expect(await rows("SELECT name FROM system.tables WHERE database = 'reg_v1' AND name LIKE '%clickplan%'")).toEqual([]);
    expect(await rows("SELECT deploy_id = 'old' AS old, status FROM reg_v1.deploys ORDER BY seq")).toEqual([
      { old: 1, status: 'finished' },
      { old: 0, status: 'started' },
      { old: 0, status: 'finished' },
    ]);
    expect(await rows('SELECT migration, reason, ordinal FROM reg_v1.repairs')).toEqual([{ migration: '/global/V0', reason: 'adopted', ordinal: 0 }]);
    expect(await rows('SELECT migration, ordinal FROM reg_v1.statements ORDER BY ordinal')).toEqual([
      { migration: '/global/V1', ordinal: 0 },
      { migration: '/global/V1', ordinal: 1 },
    ]);
    const second = await deploy(dir, target);
    expect(second.statementsRun).toBe(0);
    expect(second.notes.filter((n) => n.includes('upgraded'))).toEqual([]);
  });
});

describe("the registry's order does not follow the client's clock (issue 18.4)", () => {
  it('after a deploy from a clock 1 h fast, a normal deploy still wins and check is right', async () => {
    const dir = flyway('clk', 'reg_clk', {
      'migrations/V1__db.sql': 'CREATE DATABASE IF NOT EXISTS clk;\n',
      'migrations/V2__t.sql': 'CREATE TABLE clk.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nALTER TABLE clk.t ADD COLUMN y UInt8 AFTER nothing;\n',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000);
    const fast = await deploy(dir, target);
    vi.useRealTimers();
    expect(fast.failure?.code).toBe('deploy-statement-failed');
    writeFiles(dir, { 'migrations/V2__t.sql': 'CREATE TABLE clk.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nALTER TABLE clk.t ADD COLUMN y UInt8;\n' });
    const fixed = await deploy(dir, target);
    expect(fixed.failure).toBeUndefined();
    expect(fixed.migrations.map((m) => m.status)).toEqual(['already-applied', 'applied']);
    const { project, analysis } = analyzed(dir);
    const check = await checkProject(project, analysis, target);
    expect(check.answers.filter((a) => !a.ok)).toEqual([]);
    expect(check.ok).toBe(true);
    expect((await deploy(dir, target)).statementsRun).toBe(0);
  });
});

describe('stopping and the lock (issue 18.9)', () => {
  it('a deploy asked to stop finishes the running statement, records it, releases the lock and says where it stopped', async () => {
    const dir = flyway('stop', 'reg_stop', {
      'migrations/V1__db.sql':
        'CREATE DATABASE IF NOT EXISTS stop;\nCREATE TABLE stop.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nINSERT INTO stop.t VALUES (1);\n',
    });
    let statements = 0;
    const stopped = await deploy(dir, target, {
      onEvent: (event) => {
        if (event.kind === 'statement') statements += 1;
      },
      stopRequested: () => statements >= 2,
    });
    expect(stopped.failure).toEqual({
      code: 'deploy-interrupted',
      message: `Stopped by an interrupt before statement 3 of ${dir}/migrations/V1__db.sql.`,
      help: 'Run the deploy again to go on from there.',
      file: `${dir}/migrations/V1__db.sql`,
      statement: 3,
      state: `statements 1-2 of ${dir}/migrations/V1__db.sql ran and are recorded; the next deploy resumes at statement 3. The lock was released.`,
    });
    expect(await count('stop.t')).toBe(0);
    expect(await rows("SELECT name FROM system.tables WHERE database = 'reg_stop' AND name LIKE 'deploy_lock%'")).toEqual([]);
    const resumed = await deploy(dir, target);
    expect([resumed.failure, resumed.statementsRun, resumed.migrations[0]?.resumedAt]).toEqual([undefined, 1, 3]);
    expect(await count('stop.t')).toBe(1);
  });

  it('takes over at once a lock whose holder was a process of this host that is gone', async () => {
    await new Registry(target, 'reg_dead', { id: 't', by: 't' }).ensure();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    await target.execute(lockTableStatement('reg_dead'));
    await target.execute(
      `INSERT INTO reg_dead.deploy_lock (token, owner, host, pid, acquired_at, expires_at, seq) SELECT 'dead', 'ci@${hostname()} pid ${deadPid}', '${hostname()}', ${deadPid}, toUInt32(now()), toUInt32(now()) + 600, 1`,
    );
    const events: LockEvent[] = [];
    const lock = await acquireLock(target, 'reg_dead', { owner: 'next' }, (e) => events.push(e));
    expect(lock).toBeInstanceOf(DeployLock);
    expect(events).toEqual([
      {
        kind: 'lock-takeover',
        holder: { owner: `ci@${hostname()} pid ${deadPid}`, expiresIn: expect.any(Number), host: hostname(), pid: deadPid, reason: 'holder-dead' },
      },
    ]);
    expect(events[0]?.holder.expiresIn).toBeGreaterThan(500);
    await (lock as DeployLock).release();
    // A live holder of this host (this process) keeps its lock.
    const mine = await acquireLock(target, 'reg_dead', { owner: 'me' });
    expect(await acquireLock(target, 'reg_dead', { owner: 'other' })).toMatchObject({ code: 'deploy-locked' });
    expect((await readHolder(target, 'reg_dead'))?.owner).toBe('me');
    await (mine as DeployLock).release();
  });
});
