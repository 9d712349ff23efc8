import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickplan } from './support/clickplan.js';

describe('clickplan graph', () => {
  it('says which statements have syntax errors when it exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-graph-'));
    writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE t (a UInt8 b) ENGINE = MergeTree ORDER BY a;\nCREATE TABLE u (a UInt8) ENGINE = Memory;\n');
    const { code, stdout, stderr } = clickplan(['graph', dir], { entry: 'bin' });
    expect([code, stdout, stderr]).toEqual([
      2,
      'flowchart LR\n  n0["default.u"]\n',
      `${dir}/a.sql:1:25: error syntax-error: Expected \`,\` or \`)\` after the column definition, but found \`b\`.\n  help: Fix the statement here; ClickHouse rejects it as written.\n` +
        'clickplan graph: 1 syntax error: the graph leaves out what those statements define; fix them and run it again.\n',
    ]);
  });

  it('draws the repository as a Mermaid flowchart, arrows following the data', () => {
    const { code, stdout } = clickplan(['graph', 'fixtures/quickstart'], { entry: 'bin' });
    expect(code).toBe(0);
    expect(stdout).toBe(`flowchart LR
  n0["analytics.events"]
  n1["analytics.events_daily"]
  n2[["analytics.events_daily_mv"]]
  n3["analytics.countries"]
  n4[("analytics.country_names")]
  n5("analytics.events_by_country")
  n0 -->|trigger| n2
  n2 -->|writes-to| n1
  n3 -->|dictionary-source| n4
  n0 -->|reads| n5
  n4 -->|dict-get| n5
`);
  });

  it('focuses on one object, upstream and downstream, as Graphviz or JSON', () => {
    const dot = clickplan(['graph', 'fixtures/repos/events-pipeline/schema', '--object', 'mart.purchases', '--format', 'dot'], { entry: 'bin' });
    expect(dot.stdout).toBe(`digraph schema {
  rankdir=LR;
  "raw.events" [shape=box];
  "mart.countries" [shape=box];
  "mart.purchases" [shape=box];
  "mart.purchases_mv" [shape=box3d];
  "mart.all_purchases" [shape=box];
  "raw.events" -> "mart.purchases_mv" [label="trigger"];
  "mart.countries" -> "mart.purchases_mv" [label="reads"];
  "mart.purchases_mv" -> "mart.purchases" [label="writes-to"];
  "mart.purchases" -> "mart.all_purchases" [label="as-table"];
  "mart.purchases" -> "mart.all_purchases" [label="merge"];
}
`);
    const json = JSON.parse(clickplan(['graph', 'fixtures/quickstart', '--object', 'analytics.country_names', '--format', 'json'], { entry: 'bin' }).stdout);
    expect(json).toEqual({
      version: 1,
      nodes: [
        { id: 'analytics.countries', kind: 'table' },
        { id: 'analytics.country_names', kind: 'dictionary' },
        { id: 'analytics.events_by_country', kind: 'view' },
      ],
      edges: [
        { from: 'analytics.countries', to: 'analytics.country_names', kind: 'dictionary-source' },
        { from: 'analytics.country_names', to: 'analytics.events_by_country', kind: 'dict-get' },
      ],
    });
  });

  it('says so when the object is not in the repository, and exits 2', () => {
    const { code, stderr } = clickplan(['graph', 'fixtures/quickstart', '--object', 'analytics.nope'], { entry: 'bin' });
    expect(code).toBe(2);
    expect(stderr).toBe('clickplan graph: `analytics.nope` is not an object of this repository; name it as db.name, as inspect lists it.\n');
  });
});
