import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LockEvent } from '../packages/core/src/deploy/lock.js';
import { acquireLock, DeployLock, lockTableStatement } from '../packages/core/src/deploy/lock.js';
import { Registry } from '../packages/core/src/deploy/registry.js';
import type { Target } from '../packages/core/src/live/types.js';
import { deploy, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// The deploy lock on the embedded engine: one holder, a clear refusal for the second deploy,
// waiting, stale locks taken over, and a holder that notices it lost the lock.

const engine = embeddedEngine('deploy-lock');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

async function registry(name: string): Promise<void> {
  await new Registry(target, name, { id: 'test', by: 'test' }).ensure();
}

function held(value: unknown): DeployLock {
  if (!(value instanceof DeployLock)) throw new Error(`no lock: ${JSON.stringify(value)}`);
  return value;
}

describe('deploy lock', () => {
  it('refuses a second holder at once, naming the owner and the expiry', async () => {
    await registry('lock_busy');
    const first = held(await acquireLock(target, 'lock_busy', { owner: 'alice@laptop pid 1', ttlSeconds: 60 }));
    const second = await acquireLock(target, 'lock_busy', { owner: 'bob@ci pid 2' });
    expect(second).toEqual({
      code: 'deploy-locked',
      message: expect.stringMatching(
        /^Another deploy holds the lock of embedded ClickHouse in .*: alice@laptop pid 1; it expires in (59|60) s unless refreshed\.$/,
      ),
      help: 'Wait for it to finish, or wait for it with --lock-wait <seconds>. A lock whose holder died is taken over once it expires (at once when it was a process of this host); clickplan unlock releases it.',
      state: 'Nothing ran.',
    });
    await first.release();
    const third = held(await acquireLock(target, 'lock_busy', { owner: 'bob@ci pid 2' }));
    await third.release();
  });

  it('waits for a busy lock when told to, and gets it once the holder releases it', async () => {
    await registry('lock_wait');
    const first = held(await acquireLock(target, 'lock_wait', { owner: 'first' }));
    const events: LockEvent[] = [];
    const waiting = acquireLock(target, 'lock_wait', { owner: 'second', waitSeconds: 10, pollMs: 50 }, (e) => events.push(e));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.release();
    const second = held(await waiting);
    expect(second.owner).toBe('second');
    expect(events).toEqual([{ kind: 'lock-wait', holder: { owner: 'first', expiresIn: expect.any(Number), host: hostname(), pid: process.pid } }]);
    await second.release();
  });

  it('takes a stale lock over; the old holder finds out and its release leaves the new lock alone', async () => {
    await registry('lock_stale');
    const dead = held(await acquireLock(target, 'lock_stale', { owner: 'crashed pid 9', ttlSeconds: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const events: LockEvent[] = [];
    const next = held(await acquireLock(target, 'lock_stale', { owner: 'next pid 10' }, (e) => events.push(e)));
    expect(events).toEqual([
      { kind: 'lock-takeover', holder: { owner: 'crashed pid 9', expiresIn: expect.any(Number), host: hostname(), pid: process.pid, reason: 'expired' } },
    ]);
    expect(events[0]?.holder.expiresIn).toBeLessThan(0);
    expect(await dead.verify()).toMatchObject({ code: 'deploy-lock-lost', message: expect.stringContaining('taken over by next pid 10') });
    await dead.release();
    expect(await next.verify()).toBeUndefined();
    await next.release();
    expect(await target.query("SELECT name FROM system.tables WHERE database = 'lock_stale' AND name LIKE 'deploy_lock%'")).toEqual([]);
  });

  it('takes over a lock table whose creator died before writing its name, once it is older than the expiry', async () => {
    await registry('lock_empty');
    await target.execute(lockTableStatement('lock_empty'));
    const busy = await acquireLock(target, 'lock_empty', { ttlSeconds: 60 });
    expect(busy).toMatchObject({ code: 'deploy-locked', message: expect.stringContaining('a deploy that had not written its name yet') });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const events: LockEvent[] = [];
    const taken = held(await acquireLock(target, 'lock_empty', { ttlSeconds: 1 }, (e) => events.push(e)));
    expect(events.map((e) => e.kind)).toEqual(['lock-takeover']);
    await taken.release();
  });

  it('a deploy that finds the lock held stops before running anything', async () => {
    const dir = writeRepo({
      'clickplan.yaml': 'layout: flyway\ndatabase: locked\nregistry: lock_deploy\n',
      'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS locked;\n',
    });
    await registry('lock_deploy');
    const holder = held(await acquireLock(target, 'lock_deploy', { owner: 'the other deploy' }));
    const refused = await deploy(dir, target);
    expect(refused.failure).toMatchObject({ code: 'deploy-locked', state: 'Nothing ran.' });
    expect(refused.statementsRun).toBe(0);
    expect(await target.query("SELECT count() AS n FROM system.databases WHERE name = 'locked'")).toEqual([{ n: '0' }]);
    await holder.release();
    expect((await deploy(dir, target)).failure).toBeUndefined();
    // The deploy released its lock: the table is gone.
    expect(await target.query("SELECT name FROM system.tables WHERE database = 'lock_deploy' AND name LIKE 'deploy_lock%'")).toEqual([]);
  });
});
