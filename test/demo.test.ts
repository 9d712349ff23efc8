import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run demo` end to end, as a new user runs it after `npm ci`: in one screen, a finding with its
// help line, a plan with a heavy and a data-loss step and their impact, drift, and the pull request
// comment written as Markdown and HTML at the paths it prints.

const root = new URL('..', import.meta.url).pathname;

describe('npm run demo', () => {
  it('shows what ClickPlan is for in one screen, and writes the pull request comment', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.CLICKHOUSE_URL;
    delete env.FORCE_COLOR;
    const result = spawnSync('bash', [join(root, 'scripts/demo.sh')], { cwd: root, encoding: 'utf8', env });
    expect([result.status, result.stderr]).toEqual([0, '']);
    const out = result.stdout;
    const work = join(root, '.clickplan/demo');
    // A screen: a terminal of 50 lines holds it all, and nothing is coloured in a pipe.
    expect(out.split('\n').length).toBeLessThanOrEqual(50);
    expect(out).not.toContain('\u001b[');
    // The engine starts from the shop's server configuration, and says what of it it left out.
    expect(out).toContain(
      '# Production runs V1 and V2 (deployed from the base branch). The engine starts from shop/clickhouse/config.xml:\n' +
        'note: The embedded engine leaves out of the server configuration disk `cold` (s3): a local directory stands for it; its endpoint and credentials are not used.\n' +
        'Applied 5 statements of 2 migration files; planning again finds nothing to do.\n',
    );
    // The finding and its help line.
    expect(out).toContain(
      'shop/migrations/V3__drop_coupon_widen_amount.sql:3:5: error destructive-statement: DROP COLUMN deletes `coupon` and its data from every part of `orders`.\n' +
        '  help: Stop writing and reading the column first, keep a copy if it matters, and suppress with the reason it is safe.\n',
    );
    expect(out).toContain('1 error, 1 warning, 0 notes in 3 files\n');
    // The plan: a heavy step and a data-loss step with the rows it touches.
    // Versioned: the pending file's SQL as it will run, then the schema change it makes (issue 18).
    expect(out).toContain(
      `Plan for embedded ClickHouse in ${work}/engine: 1 pending migration file (1 statement, as they will run), highest risk: data-loss.\n\n` +
        'shop/migrations/V3__drop_coupon_widen_amount.sql:\n  1. [data-loss]\n',
    );
    expect(out).toContain('Resulting schema change (2 steps):\n');
    expect(out).toMatch(/ {2}1\. alter table shop\.orders {2}\[heavy\]\n {5}why: column `amount`: type Decimal\(18, 2\) → Decimal\(38, 2\)\n/);
    expect(out).toMatch(
      / {2}2\. alter table shop\.orders {2}\[data-loss\]\n[\s\S]*? {5}impact: 250,000 rows, [\d.]+ MiB\n {5}ALTER TABLE shop\.orders DROP COLUMN coupon\n/,
    );
    // Drift, reported and not planned.
    expect(out).toContain(
      'Drift (differs on the target although the repository did not change it; not planned):\n  table shop.customers: differs (column:email)\n',
    );
    // The comment: its verdict, and the two files at the paths printed.
    expect(out).toContain(
      `❌ ClickPlan fails: findings at or above error · 1 pending migration file, highest risk data-loss · 1 error, 1 warning, 0 notes · against embedded ClickHouse in ${work}/engine, deployed from the base branch\n` +
        `  Markdown: ${work}/pr-comment.md\n  HTML:     ${work}/pr-comment.html\n`,
    );
    const markdown = readFileSync(join(work, 'pr-comment.md'), 'utf8');
    expect(markdown.split('\n').slice(0, 4)).toEqual([
      '<!-- clickplan-review: shop -->',
      '### ClickPlan · `shop`',
      '',
      `❌ **ClickPlan fails: findings at or above error** · 1 pending migration file, highest risk **data-loss** · 1 error, 1 warning, 0 notes · against embedded ClickHouse in ${work}/engine, deployed from the base branch`,
    ]);
    for (const part of [
      // Versioned: the pending file's SQL as it will run, then the schema change (issue 18).
      '**Pending migrations, as they will run:**\n\n`shop/migrations/V3__drop_coupon_widen_amount.sql`\n\n```sql\n-- statement 1 [data-loss] destructive-statement:',
      '**Resulting schema change:**',
      '🟠 **heavy**',
      '🔴 **data-loss**',
      '**Drift**',
      '- table `shop.customers`: differs (column:email)',
      '```mermaid',
      '[`destructive-statement`](https://',
    ])
      expect(markdown).toContain(part);
    const html = readFileSync(join(work, 'pr-comment.html'), 'utf8');
    for (const part of [
      '<table>',
      '<details>',
      '<strong>data-loss</strong>',
      '<a href="https://github.com/clickplan/clickplan/blob/main/docs/rules/destructive-statement.md">',
    ])
      expect(html).toContain(part);
  }, 300_000);
});
