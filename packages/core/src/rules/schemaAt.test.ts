import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { lintAnalysis } from './lint.js';
import rule from './mv-target-dropped.js';

describe('the rules timeline', () => {
  it("resolves a tenant file's unqualified names to the tenant's database", () => {
    const schema = `CREATE TABLE events (ts DateTime) ENGINE = MergeTree ORDER BY ts;
CREATE TABLE daily (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day;
CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT toDate(ts) AS day, count() AS n FROM events GROUP BY day;`;
    const analysis = analyzeFiles(
      [
        { file: 'global.sql', text: 'CREATE DATABASE shared; CREATE TABLE countries (code String) ENGINE = MergeTree ORDER BY code;' },
        { file: 'acme/V1.sql', text: schema, defaultDatabase: 'tenant_acme' },
        { file: 'acme/V2.sql', text: 'DROP TABLE daily;', defaultDatabase: 'tenant_acme' },
      ],
      { defaultDatabase: 'shared' },
    );
    const findings = lintAnalysis(analysis, { only: [rule] });
    expect(findings.map((f) => [f.file, f.message.match(/`[^`]+`/g)?.slice(0, 2)])).toEqual([
      ['acme/V2.sql', ['`tenant_acme.daily_mv`', '`tenant_acme.daily`']],
    ]);
  });
});
