import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplan } from './support/clickplan.js';

// The CLI as a user runs it: each command is its own process, so each opens the embedded engine
// (one data directory per process) on the same directory in turn.

const root = new URL('..', import.meta.url).pathname;

const scratch = () => mkdtempSync(join(tmpdir(), 'clickplan-cli-plan-'));

describe('clickplan plan, apply and snapshot on the embedded engine', () => {
  it('plans the quickstart, applies it, and plans again to nothing; a snapshot of the result plans to nothing too', () => {
    const dir = scratch();
    const target = `embedded:${join(dir, 'engine')}`;

    const first = clickplan(['plan', 'fixtures/quickstart', '--target', target, '--format', 'json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const plan = JSON.parse(first.stdout);
    expect(plan).toMatchObject({ version: 1, has_changes: true, risk: 'safe', drift: [], diagnostics: [] });
    expect(plan.steps.every((s: { action: string }) => s.action === 'create')).toBe(true);
    // Sources before the views that read them.
    const order = plan.steps.map((s: { object: string }) => s.object);
    for (const step of plan.steps as { object: string; kind: string; sql: string }[]) {
      if (step.kind !== 'materialized-view') continue;
      const sources = order.filter((o: string) => o !== step.object && step.sql.includes(o.split('.')[1]));
      for (const source of sources) expect(order.indexOf(source)).toBeLessThan(order.indexOf(step.object));
    }

    const apply = clickplan(['apply', 'fixtures/quickstart', '--target', target]);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(`[${plan.steps.length}/${plan.steps.length}]`);
    expect(apply.stdout).toContain('planning again finds nothing to do');

    const again = clickplan(['plan', 'fixtures/quickstart', '--target', target]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^No changes: embedded ClickHouse in .* matches the repository\.\n$/);

    const snapshotFile = join(dir, 'live.json');
    const snapshot = clickplan(['snapshot', 'fixtures/quickstart', '--target', target, '--output', snapshotFile]);
    expect(snapshot.code).toBe(0);
    expect(JSON.parse(readFileSync(snapshotFile, 'utf8')).tables.length).toBeGreaterThan(0);
    const fromSnapshot = clickplan(['plan', 'fixtures/quickstart', '--target', snapshotFile, '--format', 'markdown']);
    expect(fromSnapshot.code).toBe(0);
    expect(fromSnapshot.stdout).toMatch(/^\*\*No changes: snapshot .* matches the repository\.\*\*/);
  });

  it('shows a changed repository as a markdown table with risks, and refuses to apply to a snapshot', () => {
    const dir = scratch();
    const target = `embedded:${join(dir, 'engine')}`;
    const repo = join(dir, 'repo');
    cpSync(join(root, 'fixtures/quickstart'), repo, { recursive: true });
    expect(clickplan(['apply', repo, '--target', target]).code).toBe(0);
    const snapshotFile = join(dir, 'before.json');
    expect(clickplan(['snapshot', repo, '--target', target, '--output', snapshotFile]).code).toBe(0);

    writeFileSync(join(repo, 'schema', 'zz_change.sql'), 'ALTER TABLE analytics.events ADD COLUMN referrer String;\n');
    const markdown = clickplan(['plan', repo, '--target', snapshotFile, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('| 1 | alter | `analytics.events` | safe | column `referrer` is new |');
    expect(markdown.stdout).toContain('ALTER TABLE analytics.events ADD COLUMN referrer String AFTER value');

    const refused = clickplan(['apply', repo, '--target', snapshotFile]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^clickplan apply: .*snapshot.*\n/);
    expect(refused.stderr).not.toContain('    at ');

    const dry = clickplan(['apply', repo, '--target', target, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Validated 1 statement; nothing was changed.');
    expect(clickplan(['plan', repo, '--target', target, '--format', 'json', '--fail-on', 'safe']).code).toBe(1);
  });

  it('reports live changes the repository did not make as drift with --base, without planning them away', () => {
    const dir = scratch();
    const target = `embedded:${join(dir, 'engine')}`;
    const repo = join(dir, 'repo');
    cpSync(join(root, 'fixtures/quickstart'), repo, { recursive: true });
    expect(clickplan(['apply', repo, '--target', target]).code).toBe(0);
    // Someone changes production by hand (here: by applying another repository).
    const handmade = join(dir, 'handmade');
    cpSync(repo, handmade, { recursive: true });
    writeFileSync(join(handmade, 'schema', 'zz_hotfix.sql'), 'ALTER TABLE analytics.countries ADD COLUMN region String;\n');
    expect(clickplan(['apply', handmade, '--target', target]).code).toBe(0);

    const withBase = clickplan(['plan', repo, '--target', target, '--base', repo, '--format', 'json']);
    expect(withBase.code).toBe(1);
    const plan = JSON.parse(withBase.stdout);
    expect(plan.steps).toEqual([]);
    expect(plan.drift).toEqual([
      { object: 'analytics.countries', kind: 'table', state: 'different', differences: [{ key: 'column:region', live: 'COLUMN region String' }] },
    ]);
    // Without a base, the repository is the truth: the hand-made column is planned away, at its risk.
    const withoutBase = JSON.parse(clickplan(['plan', repo, '--target', target, '--format', 'json']).stdout);
    expect(withoutBase.steps.map((s: { sql: string; risk: string }) => [s.sql, s.risk])).toEqual([
      ['ALTER TABLE analytics.countries DROP COLUMN region', 'data-loss'],
    ]);
  });

  it('says in one sentence what is wrong with a target, without a stack trace or the password', () => {
    const bad = clickplan(['plan', 'fixtures/quickstart', '--target', 'ftp://example'], { env: { CLICKHOUSE_PASSWORD: 's3cret-pw' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clickplan plan: The target cannot be used: only http:\/\/ and https:\/\/ servers are supported\.\n {2}help: /);
    const unreachable = clickplan(['plan', 'fixtures/quickstart', '--target', 'http://127.0.0.1:9', '--user', 'me', '--password', 's3cret-pw']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^clickplan plan: /);
    for (const output of [bad.stderr, unreachable.stderr, unreachable.stdout]) {
      expect(output).not.toContain('s3cret-pw');
      expect(output).not.toContain('    at ');
    }
  });
});
