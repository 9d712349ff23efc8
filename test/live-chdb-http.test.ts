import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashObject } from '../packages/core/src/canon/canonical.js';
import { modelLiveSchema } from '../packages/core/src/live/liveModel.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { type Target, TargetError } from '../packages/core/src/live/types.js';
import { type ChdbHttp, startChdbHttp } from './support/chdbHttp.js';
import { EXPECTED_REST, EXPECTED_TABLES, FIXTURE_DATA, FIXTURE_DDL, hashesOfFixtureDdl, writeChdbAccessConfig } from './support/liveFixture.js';

// Modern DDL over HTTP: @clickhouse/client talks to chDB through the test-only HTTP front, and
// the HTTP target reads the same schema the embedded target reads (test/live-embedded.test.ts).

const PASSWORD = 'chdb-http-pw-9!never-print';
const root = mkdtempSync(join(tmpdir(), 'clickplan-chdb-http-'));
let session: Session;
let front: ChdbHttp;
let target: Target;

beforeAll(async () => {
  session = new Session(join(root, 'data'), { connectionArgs: [`--config-file=${writeChdbAccessConfig(join(root, 'config'))}`] });
  front = await startChdbHttp(session, { password: PASSWORD });
  target = await openTarget(front.url, { user: 'default', password: PASSWORD });
  for (const sql of [...FIXTURE_DDL, ...FIXTURE_DATA]) await target.execute(sql);
});

afterAll(async () => {
  await target?.close();
  await front?.close();
  session?.close();
  rmSync(root, { recursive: true, force: true });
});

function everythingShown(error: TargetError): string {
  return [String(error), error.message, error.help, error.stack, JSON.stringify(error), JSON.stringify({ ...error })].join('\n');
}

describe('HTTP target on chDB', () => {
  it('reads the schema the embedded target reads', async () => {
    const live = await target.readSchema({ databases: ['app', 'absent'], users: ['analyst', 'ghost'], roles: ['auditor'] });
    expect({ ...live, readAt: '' }).toEqual({ ...EXPECTED_REST, readAt: '', tables: EXPECTED_TABLES });
    const { schema, diagnostics } = modelLiveSchema(live);
    expect(diagnostics).toEqual([]);
    expect(new Map(schema.objects.map((o) => [`${o.kind} ${o.id}`, hashObject(o)]))).toEqual(hashesOfFixtureDdl());
  });

  it('sent every statement over HTTP', () => {
    expect(front.queries.slice(0, FIXTURE_DDL.length)).toEqual(FIXTURE_DDL);
  });

  it('reports a failing statement with the server code, without the password', async () => {
    const error = (await target.execute('CREATE TABLE app.events (x UInt8) ENGINE = Memory').catch((e: unknown) => e)) as TargetError;
    expect(error).toBeInstanceOf(TargetError);
    expect(error.errorCode).toBe('target-statement-failed');
    expect(error.code).toBe(57);
    expect(error.message).toBe(
      `${front.url} as default refused \`CREATE TABLE app.events (x UInt8) ENGINE = Memory\`: Code 57: Table app.events already exists.`,
    );
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('reports refused credentials as ClickHouse 26 words them, without the password', async () => {
    const wrong = `${PASSWORD}x`;
    const bad = await openTarget(front.url.replace('http://', `http://default:${encodeURIComponent(wrong)}@`), {});
    const error = (await bad.readSchema({ databases: ['app'] }).catch((e: unknown) => e)) as TargetError;
    await bad.close();
    expect(error).toBeInstanceOf(TargetError);
    expect(error.errorCode).toBe('target-auth-failed');
    expect(error.code).toBe(516);
    expect(error.message).toBe(
      `${front.url} as default refused the credentials: default: Authentication failed: password is incorrect, or there is no user with such name.`,
    );
    expect(everythingShown(error)).not.toContain(wrong);
    expect(everythingShown(error)).not.toContain(encodeURIComponent(wrong));
  });
});
