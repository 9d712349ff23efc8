import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployDirectory } from '../packages/action/src/deploy.js';
import { readInputs } from '../packages/action/src/inputs.js';
import { writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Issue 18, points 9 and 11 in the Action's deploy mode (its sources: dist/ is rebuilt by the
// release): a cancelled run stops as Ctrl-C stops `clickplan apply`, and the log shows the pending
// migration files' SQL as it will run.

const engine = embeddedEngine('action-deploy-stop');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const MIGRATION = [
  'CREATE DATABASE IF NOT EXISTS stop_db;',
  'CREATE TABLE stop_db.first (id UInt64) ENGINE = MergeTree ORDER BY id;',
  'INSERT INTO stop_db.first SELECT number FROM numbers(5);',
  'CREATE TABLE stop_db.second (id UInt64) ENGINE = MergeTree ORDER BY id;',
  '',
].join('\n');

describe('deploy mode', () => {
  it('on SIGTERM finishes the running statement, records it, releases the lock and says where it stopped; the log shows the SQL that runs', async () => {
    const dir = writeRepo({ 'clickplan.yaml': 'layout: flyway\n', 'migrations/V1__tables.sql': MIGRATION });
    vi.stubEnv('INPUT_MODE', 'deploy');
    vi.stubEnv('INPUT_PATH', dir);
    vi.stubEnv('INPUT_TARGET', `embedded:${join(engine.root, 'data')}`);
    vi.stubEnv('CLICKHOUSE_URL', '');
    const signals = new EventEmitter();
    let log = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      log += text;
      // The cancel arrives while the third statement (the INSERT) runs.
      if (text.startsWith('[3/')) signals.emit('SIGTERM');
      return true;
    });
    const report = await deployDirectory(dir, readInputs(), process.env, undefined, signals);
    vi.restoreAllMocks();

    expect(report.result.failure?.code).toBe('deploy-interrupted');
    expect(report.result.statementsRun).toBe(3);
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
    expect(log).toContain('Stop requested: the deploy stops after the running statement');
    // The plan logged before the first statement is the pending file's SQL, statement by statement.
    const plan = log.slice(0, log.indexOf('[1/'));
    for (const statement of MIGRATION.split('\n').filter(Boolean)) expect(plan).toContain(statement.replace(/;$/, ''));

    const target = await engine.open();
    expect(await target.query('SELECT count() AS n FROM stop_db.first')).toEqual([{ n: '5' }]);
    expect(await target.query("SELECT name FROM system.tables WHERE database = 'stop_db' ORDER BY name")).toEqual([{ name: 'first' }]);
    expect(await target.query("SELECT name FROM system.tables WHERE database = 'clickplan' AND name = 'deploy_lock'")).toEqual([]);
    expect(await target.query('SELECT ordinal FROM clickplan.statements ORDER BY ordinal')).toEqual([{ ordinal: 0 }, { ordinal: 1 }, { ordinal: 2 }]);
  });
});
