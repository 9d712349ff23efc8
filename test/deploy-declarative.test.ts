import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../packages/core/src/deploy/check.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import type { Target } from '../packages/core/src/live/types.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { deploy, writeFiles, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Declarative deploys with the object registry, and `check`, on the embedded engine.

const repositoryRoot = new URL('..', import.meta.url).pathname;
const engine = embeddedEngine('deploy-declarative');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

function quickstart(registry: string): string {
  const dir = writeRepo({});
  cpSync(join(repositoryRoot, 'fixtures/quickstart'), dir, { recursive: true });
  writeFileSync(join(dir, 'clickplan.yaml'), `registry: ${registry}\n`);
  return dir;
}

async function check(dir: string) {
  const project = loadProject(dir);
  return checkProject(project, analyzeFiles(project.files, { defaultDatabase: project.config.database }), target);
}

describe('declarative deploy', () => {
  it('applies the plan, records every object, skips converged objects, reports hand-made changes as drift', async () => {
    const dir = quickstart('reg_declarative');
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.mode).toBe('declarative');
    expect(first.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual([
      'create analytics applied',
      'create analytics.events applied',
      'create analytics.events_daily applied',
      'create analytics.events_daily_mv applied',
      'create analytics.countries applied',
      'create analytics.country_names applied',
      'create analytics.events_by_country applied',
    ]);
    expect(first.verification).toEqual({ remaining: [] });
    const recorded = await target.query<{ object: string; hash: string }>(
      'SELECT object, argMax(hash, seq) AS hash FROM reg_declarative.objects GROUP BY object ORDER BY object',
    );
    const project = loadProject(dir);
    const analysis = analyzeFiles(project.files);
    expect(recorded).toEqual([...analysis.hashes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([object, hash]) => ({ object, hash })));

    const second = await deploy(dir, target);
    expect(second.steps).toEqual([]);
    expect(second.converged).toEqual(recorded.map((r) => r.object));

    // Someone adds a column by hand: the registry says the repository did not change the table since
    // the last deploy, so it is drift, reported and not planned away.
    await target.execute('ALTER TABLE analytics.countries ADD COLUMN region String');
    const drifted = await deploy(dir, target);
    expect(drifted.steps).toEqual([]);
    expect(drifted.drift).toEqual([
      { id: 'analytics.countries', kind: 'table', state: 'different', differences: [{ key: 'column:region', live: 'COLUMN region String' }] },
    ]);
    expect(drifted.converged).not.toContain('analytics.countries');

    // The repository changes the table: that is a step, and the registry takes the new hash.
    writeFiles(dir, {
      'schema/003_region.sql': 'ALTER TABLE analytics.countries ADD COLUMN region String;\nALTER TABLE analytics.countries ADD COLUMN capital String;\n',
    });
    const changed = await deploy(dir, target);
    expect(changed.failure).toBeUndefined();
    expect(changed.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual(['alter analytics.countries applied']);
    const [countries] = await target.query<{ hash: string }>(
      "SELECT argMax(hash, seq) AS hash FROM reg_declarative.objects WHERE object = 'analytics.countries'",
    );
    const changedAnalysis = analyzeFiles(loadProject(dir).files);
    expect(countries?.hash).toBe(changedAnalysis.hashes.get('analytics.countries'));
  });

  it('converges whatever order the files are read in: copies, ALTERs and UDF calls before what they need (issue 13)', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'registry: reg_declarative_order\n',
      'schema/obs.sql': 'CREATE DATABASE IF NOT EXISTS obs;\n',
      'schema/obs.logs_buffer.sql': 'CREATE TABLE obs.logs_buffer AS obs.logs ENGINE = Buffer(obs, logs, 1, 10, 100, 10000, 1000000, 10000000, 100000000);\n',
      'schema/obs.logs.sql': 'CREATE TABLE obs.logs (ts DateTime, url String, path String MATERIALIZED obs_normalize(url)) ENGINE = MergeTree ORDER BY ts;\n',
      'schema/obs.a_level.sql': 'ALTER TABLE obs.logs ADD COLUMN level UInt8 DEFAULT 1;\n',
      'schema/udf.sql': 'CREATE FUNCTION obs_normalize AS (p) -> lower(p);\n',
    });
    const files = loadProject(dir).files.map((f) => f.file.replace(/^.*schema\//, ''));
    // The copy and the ALTER are read before the table, the table before the function it calls.
    expect(files.indexOf('obs.logs_buffer.sql')).toBeLessThan(files.indexOf('obs.logs.sql'));
    expect(files.indexOf('obs.a_level.sql')).toBeLessThan(files.indexOf('obs.logs.sql'));
    expect(files.indexOf('obs.logs.sql')).toBeLessThan(files.indexOf('udf.sql'));
    const first = await deploy(dir, target);
    expect(first.failure).toBeUndefined();
    expect(first.verification).toEqual({ remaining: [] });
    expect(first.steps.map((s) => `${s.action} ${s.object} ${s.status}`)).toEqual([
      'create obs_normalize applied',
      'create obs applied',
      'create obs.logs applied',
      'create obs.logs_buffer applied',
    ]);
    const [buffer] = await target.query<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'obs' AND name = 'logs_buffer'");
    expect(buffer.q).toBe(
      "CREATE TABLE obs.logs_buffer (`ts` DateTime, `url` String, `path` String MATERIALIZED lower(url), `level` UInt8 DEFAULT 1) ENGINE = Buffer('obs', 'logs', 1, 10, 100, 10000, 1000000, 10000000, 100000000)",
    );
    const second = await deploy(dir, target);
    expect(second.steps).toEqual([]);
  });

  it('dry run validates every step with EXPLAIN AST and changes nothing', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'registry: reg_declarative_dry\n',
      'schema/a.sql': 'CREATE DATABASE IF NOT EXISTS dry_decl;\nCREATE TABLE dry_decl.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const dry = await deploy(dir, target, { dryRun: true });
    expect(dry.failure).toBeUndefined();
    expect(dry.steps.map((s) => s.status)).toEqual(['validated', 'validated']);
    expect(await target.query("SELECT name FROM system.databases WHERE name IN ('dry_decl', 'reg_declarative_dry')")).toEqual([]);
  });
});

describe('check', () => {
  it('answers yes to all three questions after a deploy, and no with the items behind it after changes', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: checked\nregistry: reg_check\n',
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS checked;\n',
      'migrations/V2__orders.sql': 'CREATE TABLE orders (id UInt64) ENGINE = MergeTree ORDER BY id;\nCREATE VIEW order_ids AS SELECT id FROM orders;\n',
    });
    const before = await check(dir);
    expect(before.ok).toBe(false);
    expect(before.answers.map((a) => [a.question, a.ok, a.items.map((i) => `${i.status} ${i.subject.replace(/^.*\//, '')}`)])).toEqual([
      ['migrations', false, ['missing V1__database.sql', 'missing V2__orders.sql']],
      ['access', false, ['missing database checked']],
      ['objects', false, ['missing table checked.orders', 'missing view checked.order_ids']],
    ]);

    expect((await deploy(dir, target)).failure).toBeUndefined();
    const after = await check(dir);
    expect(after.ok).toBe(true);
    expect(after.answers.map((a) => [a.question, a.ok, a.items.length])).toEqual([
      ['migrations', true, 2],
      ['access', true, 1],
      ['objects', true, 2],
    ]);

    await target.execute('ALTER TABLE checked.orders ADD COLUMN note String');
    writeFiles(dir, {
      'migrations/V2__orders.sql':
        'CREATE TABLE orders (id UInt64, amount Float64) ENGINE = MergeTree ORDER BY id;\nCREATE VIEW order_ids AS SELECT id FROM orders;\n',
      'migrations/V3__later.sql': 'CREATE TABLE later (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    });
    const drifted = await check(dir);
    expect(drifted.ok).toBe(false);
    const migrations = drifted.answers[0]?.items.map((i) => `${i.status} ${i.subject.replace(/^.*\//, '')} ${i.detail.replace(/[0-9a-f]{64}/g, 'H')}`);
    expect(migrations).toEqual([
      'ok V1__database.sql ',
      'different V2__orders.sql changed since it was applied: recorded checksum H, file checksum H',
      'missing V3__later.sql not applied',
    ]);
    expect(drifted.answers[2]?.items.map((i) => `${i.status} ${i.subject}`)).toEqual([
      'different table checked.orders',
      'ok view checked.order_ids',
      'missing table checked.later',
    ]);
  });
});
