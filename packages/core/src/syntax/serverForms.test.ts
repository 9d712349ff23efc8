/**
 * What the server prints must parse (issue 13, defect 9): every `create_table_query` ClickHouse
 * (chDB 26.7) stores for the objects below parses without diagnostics into one statement, and the
 * printer prints it back as the same statement (ClickHouse formats both alike).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSql } from './parser.js';
import { printStatement } from './printer.js';

const directory = mkdtempSync(join(tmpdir(), 'clickplan-server-forms-'));
const session = new Session(directory);
afterAll(() => {
  session.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const OBJECTS = [
  'CREATE TABLE series ENGINE = TimeSeries',
  `CREATE TABLE series_custom ENGINE = TimeSeries
     DATA ENGINE = MergeTree ORDER BY (id, timestamp) SETTINGS index_granularity = 1024
     TAGS INNER COLUMNS (id UUID, metric_name LowCardinality(String), tags Map(LowCardinality(String), String), all_tags Map(String, String), min_time SimpleAggregateFunction(min, Nullable(DateTime64(3))), max_time SimpleAggregateFunction(max, Nullable(DateTime64(3))))`,
  'CREATE TABLE samples (id UUID, timestamp DateTime64(3), value Float64) ENGINE = MergeTree ORDER BY (id, timestamp)',
  'CREATE TABLE series_outer ENGINE = TimeSeries DATA samples',
  // A view's comment is stored before AS SELECT.
  "CREATE VIEW commented AS SELECT id FROM samples COMMENT 'a view'",
  'CREATE TABLE sink (id UUID) ENGINE = Memory',
  "CREATE MATERIALIZED VIEW commented_to TO sink AS SELECT id FROM samples COMMENT 'an mv'",
  "CREATE MATERIALIZED VIEW commented_inner ENGINE = Memory AS SELECT id FROM samples COMMENT 'an inner mv'",
];

function format(sql: string): string {
  return session.queryBind('SELECT formatQuerySingleLine({q:String})', { q: sql }, 'TSVRaw').trim();
}

describe('create_table_query of the engine', () => {
  it('parses and prints back as the same statement, TimeSeries tables and commented views included', () => {
    session.query('SET allow_experimental_time_series_table = 1');
    for (const sql of OBJECTS) session.query(sql);
    const stored: string[] = JSON.parse(
      session.query(
        'SELECT groupArray(create_table_query) AS q FROM (SELECT create_table_query FROM system.tables WHERE database = currentDatabase() ORDER BY name)',
        'JSONEachRow',
      ),
    ).q;
    // The four tables and the inner tables of the two TimeSeries tables that have them.
    expect(stored.length).toBeGreaterThanOrEqual(OBJECTS.length);
    expect(stored.filter((q) => q.includes('ENGINE = TimeSeries SAMPLES INNER COLUMNS')).length).toBe(2);
    const problems = stored.flatMap((sql) => {
      const { statements, diagnostics } = parseSql(sql);
      if (diagnostics.length > 0 || statements.length !== 1) return [`${sql}\n  ${diagnostics.map((d) => d.message).join('; ')}`];
      const printed = printStatement(statements[0]);
      return format(printed) === format(sql) ? [] : [`${sql}\n  printed as ${printed}`];
    });
    expect(problems).toEqual([]);
  });
});
