import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The benchmark's workspace: a Flyway repository of `files` migrations, one of them `bigLines` long,
// with the shapes real migrations have (tables, materialized views into them, ALTERs, dictionaries).

export interface BenchWorkspace {
  root: string;
  /** The long migration the benchmark edits. */
  big: string;
  lines: number;
}

export function createBenchWorkspace(options: { files: number; bigLines: number }): BenchWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-lsp-bench-'));
  const dir = join(root, 'migrations');
  mkdirSync(dir);
  writeFileSync(join(root, 'clickplan.yaml'), 'layout: flyway\npaths:\n  migrations: migrations\ndatabase: analytics\n');
  writeFileSync(join(dir, 'V1__database.sql'), 'CREATE DATABASE IF NOT EXISTS analytics;\n');
  const bigIndex = Math.floor(options.files / 2);
  let big = '';
  let bigLines = 0;
  for (let i = 2; i <= options.files; i++) {
    let text = migration(i);
    if (i === bigIndex) {
      const parts: string[] = [];
      let lines = 0;
      for (let k = 0; lines < options.bigLines; k++) {
        const part = migration(10_000 + k);
        parts.push(part);
        lines += part.split('\n').length - 1;
      }
      text = parts.join('');
      bigLines = text.split('\n').length;
    }
    const name = `V${i}__step_${i}.sql`;
    writeFileSync(join(dir, name), text);
    if (i === bigIndex) big = join(dir, name);
  }
  return { root, big, lines: bigLines };
}

/** One migration: a table, a rollup target and a materialized view into it, a column added later. */
function migration(i: number): string {
  return `CREATE TABLE IF NOT EXISTS analytics.events_${i}
(
    event_time DateTime,
    user_id UInt64,
    event_type LowCardinality(String),
    country FixedString(2),
    amount Decimal(18, 4),
    tags Array(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_type, user_id, event_time);

CREATE TABLE IF NOT EXISTS analytics.daily_${i}
(
    day Date,
    event_type LowCardinality(String),
    events UInt64,
    amount Decimal(38, 4)
)
ENGINE = SummingMergeTree
ORDER BY (day, event_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.daily_${i}_mv TO analytics.daily_${i} AS
SELECT toDate(event_time) AS day, event_type, count() AS events, sum(amount) AS amount
FROM analytics.events_${i}
WHERE country != ''
GROUP BY day, event_type;

ALTER TABLE analytics.events_${i} ADD COLUMN IF NOT EXISTS session_id String AFTER user_id;

`;
}
