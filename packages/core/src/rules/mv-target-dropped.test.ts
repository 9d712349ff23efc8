import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './mv-target-dropped.js';
import { ruleTester } from './ruleTester.js';

const PIPELINE = `CREATE TABLE events (ts DateTime, kind String) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE daily (day Date, kind String, n UInt64) ENGINE = SummingMergeTree ORDER BY (day, kind);
CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT toDate(ts) AS day, kind, count() AS n FROM events GROUP BY day, kind;`;

ruleTester(rule, {
  valid: [
    // The view goes first, then its target: nothing writes to the dropped table.
    `${PIPELINE}
DROP VIEW daily_mv;
DROP TABLE daily;`,
    // Swapping in a rebuilt target atomically.
    `${PIPELINE}
CREATE TABLE daily_v2 (day Date, kind String, n UInt64) ENGINE = SummingMergeTree ORDER BY (day, kind);
EXCHANGE TABLES daily AND daily_v2;
DROP TABLE daily_v2;`,
    // One RENAME statement that puts another table under the target's name at once.
    `${PIPELINE}
CREATE TABLE daily_v2 (day Date, kind String, n UInt64) ENGINE = SummingMergeTree ORDER BY (day, kind);
RENAME TABLE daily TO daily_old, daily_v2 TO daily;`,
    // Dropping the source is another matter (reference-missing reports the view).
    `${PIPELINE}
DROP TABLE events;`,
  ],
  invalid: [
    {
      sql: `${PIPELINE}
DROP TABLE daily;`,
      errors: [{ messageId: 'insertsFail', line: 4, column: 12, endColumn: 17 }],
    },
    {
      sql: `${PIPELINE}
RENAME TABLE daily TO daily_old;
DETACH TABLE daily_old;`,
      errors: [{ messageId: 'insertsFail', line: 4, column: 14, endColumn: 19 }],
    },
    {
      // Recreated later in the same migration: inserts still fail in between.
      sql: `CREATE DATABASE stats;
CREATE TABLE stats.events (ts DateTime, kind String) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE stats.kinds (kind String) ENGINE = MergeTree ORDER BY kind;
CREATE TABLE stats.hourly (kind String, n UInt64) ENGINE = MergeTree ORDER BY kind;
CREATE MATERIALIZED VIEW stats.kinds_mv TO stats.kinds AS SELECT kind FROM stats.events;
CREATE MATERIALIZED VIEW stats.hourly_mv REFRESH EVERY 1 HOUR TO stats.hourly AS SELECT kind, count() AS n FROM stats.events GROUP BY kind;
DETACH TABLE stats.kinds;
DROP TABLE stats.hourly;
ATTACH TABLE stats.kinds;
CREATE TABLE stats.hourly (kind String, n UInt64) ENGINE = MergeTree ORDER BY kind;`,
      errors: [
        { messageId: 'insertsFail', line: 7, column: 14, endColumn: 25 },
        { messageId: 'refreshFails', line: 8, column: 12, endColumn: 24 },
      ],
    },
  ],
});

describe('what ClickHouse does when the target of a materialized view goes away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-mv-target-'));
  const session = new Session(dataDir);
  afterAll(() => {
    session.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = (sql: string) => String(session.query(sql, 'TSVRaw')).trim();

  it('refuses every insert into the source while the target is renamed, detached or dropped', () => {
    run('CREATE DATABASE t');
    run('CREATE TABLE t.events (kind String) ENGINE = MergeTree ORDER BY kind');
    run('CREATE TABLE t.kinds (kind String) ENGINE = MergeTree ORDER BY kind');
    run('CREATE MATERIALIZED VIEW t.kinds_mv TO t.kinds AS SELECT kind FROM t.events');
    run("INSERT INTO t.events VALUES ('a')");
    run('RENAME TABLE t.kinds TO t.kinds_old');
    expect(() => run("INSERT INTO t.events VALUES ('b')")).toThrow(/Code: 60.*Target table 't.kinds' of view .* doesn't exist/);
    run('RENAME TABLE t.kinds_old TO t.kinds');
    run('DETACH TABLE t.kinds');
    expect(() => run("INSERT INTO t.events VALUES ('c')")).toThrow(/Code: 60/);
    run('ATTACH TABLE t.kinds');
    run('DROP TABLE t.kinds');
    expect(() => run("INSERT INTO t.events VALUES ('d')")).toThrow(/Code: 60/);
    expect(run('SELECT count() FROM t.events')).toBe('1');
  });

  it('fails the refresh of a refreshable view whose target is dropped', async () => {
    run('CREATE DATABASE r');
    run('CREATE TABLE r.events (kind String) ENGINE = MergeTree ORDER BY kind');
    run('CREATE TABLE r.counts (n UInt64) ENGINE = MergeTree ORDER BY n');
    run('CREATE MATERIALIZED VIEW r.counts_mv REFRESH EVERY 1 HOUR TO r.counts AS SELECT count() AS n FROM r.events');
    const refreshState = async (done: (row: string) => boolean) => {
      let row = '';
      for (let i = 0; i < 100 && !done(row); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        row = run("SELECT last_success_time IS NOT NULL, exception FROM system.view_refreshes WHERE database = 'r' AND view = 'counts_mv'");
      }
      return row;
    };
    await refreshState((row) => row.startsWith('1'));
    run('DROP TABLE r.counts');
    run('SYSTEM REFRESH VIEW r.counts_mv');
    expect(await refreshState((row) => row.includes('Code:'))).toMatch(/Code: 390.*Table `counts` doesn't exist/);
  });
});
