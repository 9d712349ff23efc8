import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestClient } from './lspClient.js';

// The latency benchmark of issue 7, shared by test/lsp-bench.test.ts and bench/lsp.bench.ts: a
// Flyway repository of `files` migrations, one of them `bigLines` long, with the shapes real
// migrations have (tables, materialized views into them, ALTERs), and the two kinds of edit a person
// makes in it.

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

/** A replacement of `text[start, end)`: what an editor sends as an incremental change. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** The `i`th edit of a kind, made to the text as it stands; edits come in pairs, the second undoing the first. */
export type EditKind = (text: string, i: number) => TextEdit;

/**
 * A sorting-key column made Nullable (a finding comes), then back (it goes), at a different place
 * of the file each time; the dependencies stay.
 */
export const typeChange: EditKind = (text, i) => {
  if (i % 2 === 1) {
    const at = text.indexOf('user_id Nullable(UInt64)');
    return { start: at + 'user_id '.length, end: at + 'user_id Nullable(UInt64)'.length, text: 'UInt64' };
  }
  const at = text.indexOf('user_id UInt64', Math.floor((text.length * (i % 20)) / 20));
  return { start: at + 'user_id '.length, end: at + 'user_id UInt64'.length, text: 'Nullable(UInt64)' };
};

/**
 * A stray parenthesis in a view's query, then removed: a syntax error comes and goes, and the view
 * leaves the schema and comes back (the graph changes shape).
 */
export const brokenStatement: EditKind = (text, i) => {
  if (i % 2 === 1) {
    const at = text.indexOf(' (\nGROUP BY');
    return { start: at, end: at + 2, text: '' };
  }
  const at = text.indexOf('\nGROUP BY', Math.floor((text.length * (i % 20)) / 20));
  return { start: at, end: at, text: ' (' };
};

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** Quiet time after each edit, as between a person's edits: more than the server's debounce (100 ms), so each edit is analysed at once. */
export const PAUSE_MS = 120;

/**
 * Waits for the analyses after opening to end: the first status notification (the server analyses
 * the workspace once initialized, and again when a document opens), then a quiet 300 ms.
 */
export async function settle(client: TestClient): Promise<void> {
  await client.until(() => client.notifications.some((n) => n.method === 'clickplan/status'), 60_000, 'the first analysis');
  for (let seen = -1; seen !== client.notifications.length; ) {
    seen = client.notifications.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Sends `count` edits of a kind to an open document, one after each pause, and returns how long
 * each took until the document's new diagnostics arrived, in milliseconds, in order.
 */
export async function measureEdits(client: TestClient, uri: string, kind: EditKind, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    // The pause comes first: the analysis after opening (or the last edit) must not debounce this one.
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const before = client.publications.length;
    const sent = performance.now();
    await client.change(uri, [kind(client.text(uri), i)]);
    const published = await client.until(() => client.publications.slice(before).find((p) => p.uri === uri), 10_000, `diagnostics after edit ${i}`);
    latencies.push(published.at - sent);
  }
  return latencies;
}

/** Edits of each kind, and warm-up edits before them (half of each kind), as the target counts them. */
export const EDITS = 100;
export const WARMUP = 20;

/**
 * Opens the workspace's big file, waits for the analyses after opening, then measures `WARMUP`
 * warm-up edits and `EDITS` edits of each kind: the latencies until new diagnostics, in order.
 */
export async function measureStdio(client: TestClient, workspace: BenchWorkspace): Promise<{ warmup: number[]; typed: number[]; broken: number[] }> {
  const uri = await client.open(workspace.big, readFileSync(workspace.big, 'utf8'));
  await settle(client);
  const warmup = [...(await measureEdits(client, uri, typeChange, WARMUP / 2)), ...(await measureEdits(client, uri, brokenStatement, WARMUP / 2))];
  const typed = await measureEdits(client, uri, typeChange, EDITS);
  const broken = await measureEdits(client, uri, brokenStatement, EDITS);
  return { warmup, typed, broken };
}

/** Median and 95th percentile (nearest rank) of a list of milliseconds. */
export function percentiles(values: readonly number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { median: rank(0.5), p95: rank(0.95) };
}
