import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './depends-on-not-refreshable.js';
import { ruleTester } from './ruleTester.js';

const TABLES = `CREATE TABLE events (ts DateTime, kind String) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW hourly REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;`;

ruleTester(rule, {
  valid: [
    // Depending on another refreshable view is what DEPENDS ON is for.
    `${TABLES}
CREATE MATERIALIZED VIEW daily REFRESH EVERY 1 DAY DEPENDS ON hourly ENGINE = MergeTree ORDER BY kind AS SELECT kind, sum(n) AS n FROM hourly GROUP BY kind;`,
    // No DEPENDS ON: the refresh reads the current rows of the table.
    `${TABLES}
CREATE MATERIALIZED VIEW daily REFRESH EVERY 1 DAY ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;`,
    // A DEPENDS ON fixed by a later MODIFY REFRESH.
    `${TABLES}
CREATE MATERIALIZED VIEW daily REFRESH EVERY 1 DAY DEPENDS ON events ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;
ALTER TABLE daily MODIFY REFRESH EVERY 1 DAY DEPENDS ON hourly;`,
  ],
  invalid: [
    {
      sql: `${TABLES}
CREATE MATERIALIZED VIEW daily REFRESH EVERY 1 DAY DEPENDS ON events ENGINE = MergeTree ORDER BY kind AS SELECT kind, count() AS n FROM events GROUP BY kind;`,
      errors: [{ messageId: 'notRefreshable', line: 3, column: 63, endColumn: 69 }],
    },
    {
      // A view fired by inserts is not refreshable either; the second name is fine.
      sql: `${TABLES}
CREATE TABLE kinds (kind String) ENGINE = MergeTree ORDER BY kind;
CREATE MATERIALIZED VIEW kinds_mv TO kinds AS SELECT kind FROM events;
CREATE MATERIALIZED VIEW summary REFRESH EVERY 1 DAY DEPENDS ON kinds_mv, hourly ENGINE = MergeTree ORDER BY kind AS SELECT kind FROM kinds;`,
      errors: [{ messageId: 'notRefreshable', line: 5, column: 65, endColumn: 73 }],
    },
    {
      // Set by MODIFY REFRESH, with names in another database.
      sql: `CREATE DATABASE reports;
CREATE TABLE reports.sales (day Date, amount Float64) ENGINE = MergeTree ORDER BY day;
CREATE VIEW reports.sales_view AS SELECT * FROM reports.sales;
CREATE MATERIALIZED VIEW reports.totals REFRESH EVERY 1 DAY ENGINE = MergeTree ORDER BY day AS SELECT day, sum(amount) AS amount FROM reports.sales GROUP BY day;
ALTER TABLE reports.totals MODIFY REFRESH EVERY 1 DAY DEPENDS ON reports.sales_view;`,
      errors: [{ messageId: 'notRefreshable', line: 5, column: 66, endColumn: 84 }],
    },
  ],
});

describe('what ClickHouse does with DEPENDS ON', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-depends-on-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('never runs the scheduled refresh of a view that depends on a table, and runs one that depends on a refreshable view', async () => {
    run('CREATE DATABASE d');
    run('CREATE TABLE d.events (x UInt8) ENGINE = MergeTree ORDER BY x');
    run('INSERT INTO d.events VALUES (1)');
    run('CREATE MATERIALIZED VIEW d.base REFRESH EVERY 1 SECOND ENGINE = MergeTree ORDER BY x AS SELECT x FROM d.events');
    run('CREATE MATERIALIZED VIEW d.on_table REFRESH EVERY 1 SECOND DEPENDS ON d.events ENGINE = MergeTree ORDER BY x AS SELECT x FROM d.events');
    run('CREATE MATERIALIZED VIEW d.on_view REFRESH EVERY 1 SECOND DEPENDS ON d.base ENGINE = MergeTree ORDER BY x AS SELECT x FROM d.events');
    for (let i = 0; i < 100 && run('SELECT count() FROM d.on_view') !== '1'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // A view that refreshes every second is seen between refreshes (Scheduled), in one (Running), or,
    // when it depends on another view, waiting for that view's next refresh (WaitingForDependencies:
    // seen on a loaded machine). A view over a table waits for ever instead: MissingDependencies.
    const status = "if(status IN ('Scheduled', 'Running', 'WaitingForDependencies'), 'refreshes', status)";
    expect(run(`SELECT view, ${status} FROM system.view_refreshes WHERE database = 'd' ORDER BY view`)).toBe(
      'base\trefreshes\non_table\tMissingDependencies\non_view\trefreshes',
    );
    expect(run('SELECT count() FROM d.on_view')).toBe('1');
    expect(run('SELECT count() FROM d.on_table')).toBe('0');
  });
});
