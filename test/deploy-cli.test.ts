import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplan } from './support/clickplan.js';
import { writeRepo } from './support/deploy.js';

// `clickplan apply` and `clickplan check` as a user runs them on the embedded engine: text and JSON
// output, progress as step lines or a bar, exit codes. One process per command.

/** The progress a developer's terminal gets: under CI, apply prints lines. */
const NOT_CI = { env: { CI: '' } };

function repo(): { dir: string; target: string } {
  const dir = writeRepo({
    'clickplan.yaml': 'layout: flyway\ndatabase: cli\n',
    'migrations/V1__database.sql': 'CREATE DATABASE IF NOT EXISTS cli;\n',
    'migrations/V2__orders.sql': 'CREATE TABLE orders (id UInt64) ENGINE = MergeTree ORDER BY id;\nCREATE VIEW order_ids AS SELECT id FROM orders;\n',
  });
  return { dir, target: `embedded:${join(mkdtempSync(join(tmpdir(), 'clickplan-cli-deploy-')), 'engine')}` };
}

describe('clickplan check and apply', () => {
  it('check says no before the deploy (exit 1), apply shows step lines, check says yes after (exit 0)', () => {
    const { dir, target } = repo();
    const before = clickplan(['check', dir, '--target', target], NOT_CI);
    expect(before.code).toBe(1);
    expect(before.stdout.replace(/\/tmp\/\S+\//g, '')).toBe(
      [
        `Check of embedded ClickHouse in ${target.slice('embedded:'.length)} (registry clickplan)`.replace(/\/tmp\/\S+\//g, ''),
        '1. Expected migrations applied and unchanged: no (2 missing)',
        '   missing   V1__database.sql: not applied',
        '   missing   V2__orders.sql: not applied',
        '2. Databases, users, roles and grants exist: no (1 missing)',
        '   missing   database cli: does not exist',
        '3. Managed tables and views exist as defined: no (2 missing)',
        '   missing   table cli.orders: does not exist',
        '   missing   view cli.order_ids: does not exist',
        '',
      ].join('\n'),
    );

    const apply = clickplan(['apply', dir, '--target', target], NOT_CI);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    // What runs first (issue 18: the pending files' SQL as it will run), then a line per statement.
    const shown = apply.stdout.replace(/\/tmp\/\S+\//g, '');
    expect(shown.split('\n').slice(0, 6)).toEqual([
      'Plan for embedded ClickHouse in engine: 2 pending migration files (3 statements, as they will run), highest risk: safe.',
      '',
      'V1__database.sql:',
      '  1. [safe]',
      '     CREATE DATABASE IF NOT EXISTS cli',
      '',
    ]);
    expect(shown.slice(shown.indexOf('[1/3]'))).toBe(
      [
        '[1/3] V1__database.sql statement 1/1',
        '[2/3] V2__orders.sql statement 1/2',
        '[3/3] V2__orders.sql statement 2/2',
        'Applied 3 statements of 2 migration files; planning again finds nothing to do.',
        '',
      ].join('\n'),
    );

    const after = clickplan(['check', dir, '--target', target, '--format', 'json'], NOT_CI);
    expect(after.code).toBe(0);
    const json = JSON.parse(after.stdout);
    expect(json).toMatchObject({ version: 1, registry: 'clickplan', ok: true, notes: [] });
    expect(json.answers.map((a: { question: string; ok: boolean; items: unknown[] }) => [a.question, a.ok, a.items.length])).toEqual([
      ['migrations', true, 2],
      ['access', true, 1],
      ['objects', true, 2],
    ]);
  });

  it('apply --format json reports a failure with the statement, the server error and the state (exit 2); a bar goes to stderr', () => {
    const { dir, target } = repo();
    writeFileSync(join(dir, 'migrations/V3__bad.sql'), 'CREATE TABLE later (x UInt8) ENGINE = MergeTree ORDER BY x;\nINSERT INTO nowhere VALUES (1);\n');
    const failed = clickplan(['apply', dir, '--target', target, '--format', 'json'], NOT_CI);
    expect(failed.code).toBe(2);
    const json = JSON.parse(failed.stdout);
    expect(json).toMatchObject({
      version: 2,
      mode: 'versioned',
      dry_run: false,
      statements_run: 4,
      failure: {
        code: 'deploy-statement-failed',
        statement: 2,
        line: 2,
        sql: 'INSERT INTO nowhere VALUES (1)',
        server_code: 60,
        state: expect.stringMatching(
          /Statements 1-1 of .*V3__bad\.sql ran and are recorded; statement 2 did not take effect\. Run the deploy again once the cause is fixed: it resumes at statement 2\.$/,
        ),
      },
    });
    expect(json.migrations.map((m: { status: string }) => m.status)).toEqual(['applied', 'applied', 'failed']);
    // JSON on stdout, progress lines on stderr, then the failure in words.
    expect(failed.stderr).toMatch(/^\[1\/5\] .*V1__database\.sql statement 1\/1\n/);
    expect(failed.stderr).toMatch(
      /\nclickplan apply: .*V3__bad\.sql:2: Statement 2 of .*V3__bad\.sql failed: Code 60: .*nowhere.*\n {2}statement: INSERT INTO nowhere VALUES \(1\)\n {2}state: .*\n {2}help: /,
    );

    writeFileSync(join(dir, 'migrations/V3__bad.sql'), 'CREATE TABLE later (x UInt8) ENGINE = MergeTree ORDER BY x;\nINSERT INTO later VALUES (1);\n');
    const bar = clickplan(['apply', dir, '--target', target, '--progress', 'bar'], NOT_CI);
    expect(bar.code).toBe(0);
    expect(bar.stdout).toMatch(
      /^Plan for .*: 1 pending migration file \(1 statement, as they will run\), highest risk: safe\.\n\n.*V3__bad\.sql, resuming at statement 2:\n {2}2\. \[safe\]\n {5}INSERT INTO later VALUES \(1\)\n/,
    );
    // One line redrawn in place (carriage return, erase line), erased at the end.
    expect(bar.stderr.replaceAll('\r', '<CR>').replaceAll('\u001b', '<ESC>')).toMatch(
      /^<CR><ESC>\[2K\[#{24}\] 1\/1 \S*V3__bad\.sql statement 2\/2<CR><ESC>\[2K$/,
    );
    expect(bar.stdout.slice(bar.stdout.indexOf('\nresuming ') + 1)).toMatch(
      /^resuming .*V3__bad\.sql at statement 2 of 2\nApplied 1 statement of 1 migration file \(2 already applied\); planning again finds nothing to do\.\n$/,
    );
  });
  it('refuses a flag that is not a number of seconds or attempts before anything runs (exit 2)', () => {
    const { dir, target } = repo();
    const wait = clickplan(['apply', dir, '--target', target, '--lock-wait', 'soon'], NOT_CI);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toContain("option '--lock-wait <seconds>' argument 'soon' is invalid. Give a number of seconds, such as 30 or 0.5.");
    const retries = clickplan(['apply', dir, '--target', target, '--retries', '0'], NOT_CI);
    expect(retries.code).toBe(2);
    expect(retries.stderr).toContain('Give a whole number of attempts, 1 or more (1: no retries).');
    expect(wait.stdout + retries.stdout).toBe('');
  });
});
