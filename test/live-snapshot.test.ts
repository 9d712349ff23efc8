import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, renderSnapshot, writeSnapshot } from '../packages/core/src/live/snapshot.js';
import { openTarget } from '../packages/core/src/live/target.js';
import { type LiveSchema, TargetError } from '../packages/core/src/live/types.js';
import { FIXTURE_DATA, FIXTURE_DDL } from './support/liveFixture.js';

// Snapshots: what the embedded engine holds, written as JSON, read back equal; broken files give
// errors that name the file and say what to do.

const root = mkdtempSync(join(tmpdir(), 'clickplan-snapshot-'));
let live: LiveSchema;

beforeAll(async () => {
  const target = await openTarget(`embedded:${join(root, 'data')}`, {});
  for (const sql of [...FIXTURE_DDL, ...FIXTURE_DATA]) await target.execute(sql);
  live = await target.readSchema({ databases: ['app'], users: ['analyst'] });
  await target.close();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function failure(run: () => unknown): TargetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TargetError);
    return error as TargetError;
  }
  throw new Error('expected a TargetError');
}

function writeFile(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

describe('snapshot files', () => {
  it('has no gap on the embedded engine: access entities come from its emulated catalog (issue 14)', () => {
    expect(live.accessEntities).toEqual([]);
    expect(live.gaps).toEqual([]);
  });

  it('keeps what a server refused to show (a gap) through the file', () => {
    const refused = {
      ...live,
      gaps: [
        {
          what: 'users analyst',
          reason: "no privilege: default: Not enough privileges. To execute this query, it's necessary to have the grant SHOW USERS ON *.*.",
        },
      ],
    };
    const path = join(root, 'gaps.json');
    writeSnapshot(refused, path);
    expect(readSnapshot(path)).toEqual(refused);
  });

  it('round-trips what the embedded engine holds', () => {
    const path = join(root, 'schema.json');
    writeSnapshot(live, path);
    expect(readSnapshot(path)).toEqual(live);
    expect(live.tables.map((t) => t.name)).toEqual(['daily', 'daily_mv', 'events', 'kind_labels', 'kinds']);
  });

  it('writes the same bytes for the same schema, whatever order it came in', () => {
    const shuffled: LiveSchema = { ...live, tables: [...live.tables].reverse(), databases: [...live.databases].reverse() };
    expect(renderSnapshot(shuffled)).toBe(renderSnapshot(live));
    const text = renderSnapshot(live);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').slice(0, 5)).toEqual([
      '{',
      '  "format": 2,',
      '  "server_version": "26.7.2.1",',
      `  "read_at": "${live.readAt}",`,
      '  "databases": [',
    ]);
  });

  it('is a read-only target limited to the scope', async () => {
    const path = join(root, 'target.json');
    writeSnapshot(live, path);
    const target = await openTarget(path, {});
    expect([target.kind, target.description, target.writable]).toEqual(['snapshot', `snapshot ${path}`, false]);
    const scoped = await target.readSchema({ databases: ['elsewhere'], functions: false });
    expect({ ...scoped, gaps: [] }).toEqual({ ...live, gaps: [], databases: [], tables: [], functions: [], accessEntities: [], grants: [] });
    const error = (await target.execute('DROP TABLE app.events').catch((e: unknown) => e)) as TargetError;
    expect([error.errorCode, error.message, error.help]).toEqual([
      'target-read-only',
      `${path} is a snapshot file: snapshots cannot be changed or run statements.`,
      'Use a server (http(s)://...) or the embedded engine (embedded[:dir]) as the target to apply changes.',
    ]);
  });

  it('names the file, line and column of malformed JSON', () => {
    const path = writeFile('broken.json', '{\n  "format": 1,\n  "tables": [\n    { "name": "x", }\n  ]\n}\n');
    const error = failure(() => readSnapshot(path));
    expect(error.errorCode).toBe('snapshot-invalid');
    expect(error.message).toMatch(new RegExp(`^${path}:4:20: the snapshot is not valid JSON: .+\\.$`));
    expect(error.help).toBe('Fix the file at that line, or write it again with `clickplan snapshot`.');
  });

  it('refuses another format version and says what to do', () => {
    const newer = failure(() => readSnapshot(writeFile('v3.json', JSON.stringify({ ...JSON.parse(renderSnapshot(live)), format: 3 }))));
    expect([newer.errorCode, newer.message, newer.help]).toEqual([
      'snapshot-format-unsupported',
      `${join(root, 'v3.json')} is a snapshot of format 3; this ClickPlan reads snapshot format 2 only.`,
      'Use the ClickPlan version that wrote it (or a newer one), or write the snapshot again with this version.',
    ]);
    // Format 1 wrote its keys in camelCase (serverVersion, createQuery): written again, it reads.
    const older = failure(() => readSnapshot(writeFile('v1.json', JSON.stringify({ ...live, format: 1 }))));
    expect([older.errorCode, older.message, older.help]).toEqual([
      'snapshot-format-unsupported',
      `${join(root, 'v1.json')} is a snapshot of format 1; this ClickPlan reads snapshot format 2 only.`,
      'Write the snapshot again with this ClickPlan version: `clickplan snapshot --target <server or embedded> > file.json`.',
    ]);
    const none = failure(() => readSnapshot(writeFile('none.json', '[]')));
    expect([none.errorCode, none.message]).toEqual([
      'snapshot-format-unsupported',
      `${join(root, 'none.json')} is not a ClickPlan snapshot: it has no "format" field (this ClickPlan reads snapshot format 2).`,
    ]);
  });

  it('refuses a snapshot that does not match the format', () => {
    const { gaps: _gaps, ...withoutGaps } = JSON.parse(renderSnapshot(live));
    const bad = { ...withoutGaps, tables: [{ database: 'app', name: 'x', engine: 'Memory', create_query: 7 }], extra: true };
    const error = failure(() => readSnapshot(writeFile('shape.json', JSON.stringify(bad))));
    expect([error.errorCode, error.message]).toEqual([
      'snapshot-invalid',
      `${join(root, 'shape.json')} does not match the snapshot format 2: / must have required property 'gaps'; / must NOT have additional properties (extra); /tables/0/create_query must be string.`,
    ]);
  });

  it('says when the file is missing', () => {
    const error = failure(() => readSnapshot(join(root, 'nope.json')));
    expect([error.errorCode, error.message]).toEqual(['path-not-found', `The snapshot file ${join(root, 'nope.json')} does not exist.`]);
  });

  it('is valid against its own JSON Schema as written, formats included', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajvFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../packages/core/schema/snapshot.schema.json', import.meta.url), 'utf8')));
    expect(validate(JSON.parse(readFileSync(join(root, 'schema.json'), 'utf8')))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });
});
