import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget } from '../packages/core/src/live/target.js';
import { TargetError } from '../packages/core/src/live/types.js';
import { clickplanInProcess } from './support/clickplan.js';

// Targets a user names wrongly: one sentence and what to do, never a library's error or a stack trace.

/** A plain HTTP server that answers like ClickHouse's HTTP port does to a stray request. */
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('Ok.\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  const { errorCode, message, help } = error as TargetError;
  return { code: errorCode, message, help };
}

/** Runs the CLI in this process; what it wrote and its exit code. */
const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-live-errors-'));
  writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
  return dir;
};

describe('a target that cannot be used as named', () => {
  it('https:// on a port that serves plain HTTP says so instead of quoting OpenSSL', async () => {
    const target = await openTarget(`https://127.0.0.1:${port}`);
    try {
      expect(await failureOf(target.query('SELECT 1'))).toEqual({
        code: 'target-unreachable',
        message: `Cannot reach https://127.0.0.1:${port} as default: the port answers in plain HTTP, not HTTPS.`,
        help: 'Use http:// for this port, or the port the server serves HTTPS on (8443 by default).',
      });
    } finally {
      await target.close();
    }
    const cli = await clickplanInProcess(['plan', project(), '--target', `https://127.0.0.1:${port}`]);
    expect(cli).toEqual({
      code: 2,
      stdout: '',
      stderr: `clickplan plan: Cannot reach https://127.0.0.1:${port} as default: the port answers in plain HTTP, not HTTPS.\n  help: Use http:// for this port, or the port the server serves HTTPS on (8443 by default).\n`,
    });
  });

  it('an embedded directory that is a file, or below a file, is a target-invalid sentence', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clickplan-live-errors-')), 'data');
    writeFileSync(file, '');
    expect(await failureOf(openTarget(`embedded:${file}`))).toEqual({
      code: 'target-invalid',
      message: `The embedded engine keeps its data in a directory, and ${file} is a file.`,
      help: 'Name a directory after `embedded:` (it is created when missing), or remove the file.',
    });
    expect(await failureOf(openTarget(`embedded:${file}/sub`))).toEqual({
      code: 'target-invalid',
      message: `The embedded engine cannot create its data directory ${file}/sub: ENOTDIR.`,
      help: 'Name a directory after `embedded:` that can be created and written (not below a file).',
    });
    expect(await clickplanInProcess(['plan', project(), '--target', `embedded:${file}`])).toEqual({
      code: 2,
      stdout: '',
      stderr: `clickplan plan: The embedded engine keeps its data in a directory, and ${file} is a file.\n  help: Name a directory after \`embedded:\` (it is created when missing), or remove the file.\n`,
    });
  });
});
