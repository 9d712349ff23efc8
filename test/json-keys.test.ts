import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplanInProcess } from './support/clickplan.js';

// Every JSON document the CLI writes names its keys in one style, snake_case (`has_changes`,
// `end_line`), the style most of its keys were already written in. Checked on real output of every
// command with a JSON format, against the embedded engine.

const root = new URL('..', import.meta.url).pathname;

/** The JSON a command writes (none: undefined); it must not crash. */
async function jsonOf(...argv: string[]): Promise<unknown> {
  const { code, stdout } = await clickplanInProcess(argv);
  expect(code, `clickplan ${argv.join(' ')}`).toBeLessThanOrEqual(2);
  return stdout ? JSON.parse(stdout) : undefined;
}

/** Every object key in a JSON value, with its path. */
function keysOf(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keysOf(item, `${path}[]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [`${path}.${key}`, ...keysOf(child, `${path}.${key}`)]);
}

describe('JSON output', () => {
  it('names every key in snake_case, in every command', async () => {
    const project = mkdtempSync(join(tmpdir(), 'clickplan-json-'));
    cpSync(join(root, 'fixtures/quickstart'), project, { recursive: true });
    // A finding and a syntax error, so diagnostics with their positions are in the documents.
    writeFileSync(join(project, 'schema/003_broken.sql'), 'CREATE TABLE analytics.broken (a UInt8 b) ENGINE = Memory;\n');
    const target = `embedded:${join(project, '.clickplan/engine')}`;
    const documents = {
      inspect: await jsonOf('inspect', project, '--format', 'json'),
      lint: await jsonOf('lint', project, '--format', 'json'),
      graph: await jsonOf('graph', project, '--format', 'json'),
    };
    writeFileSync(join(project, 'schema/003_broken.sql'), 'CREATE TABLE analytics.extra (a UInt8, b String) ENGINE = MergeTree ORDER BY a;\n');
    const plan = await jsonOf('plan', project, '--target', target, '--format', 'json');
    const apply = await jsonOf('apply', project, '--target', target, '--format', 'json');
    const check = await jsonOf('check', project, '--target', target, '--format', 'json');
    const snapshotFile = join(project, 'snapshot.json');
    await jsonOf('snapshot', project, '--target', target, '--output', snapshotFile);
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    // A column's type changed: a step with a risk and its reason.
    writeFileSync(join(project, 'schema/003_broken.sql'), 'CREATE TABLE analytics.extra (a UInt8, b UInt8) ENGINE = MergeTree ORDER BY a;\n');
    const change = await jsonOf('plan', project, '--target', target, '--format', 'json');
    const all = { ...documents, plan, apply, check, change, snapshot };
    const keys = [...new Set(Object.entries(all).flatMap(([command, document]) => keysOf(document, command)))];
    // The documents have the keys this test is about.
    for (const key of [
      'inspect.diagnostics[].end_line',
      'inspect.creation_order',
      'plan.has_changes',
      'change.steps[].risk_reason',
      'apply.statements_run',
      'snapshot.tables[].create_query',
    ])
      expect(keys).toContain(key);
    expect(keys.filter((key) => !/^[a-z0-9_]+$/.test(key.split('.').at(-1) ?? ''))).toEqual([]);
  }, 120_000);
});
