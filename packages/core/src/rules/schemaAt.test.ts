import { describe, expect, it } from 'vitest';
import { Random } from '../../../../bench/random.js';
import { analyzeFiles } from '../inspect/analyze.js';
import { SchemaReplay } from '../model/replay.js';
import { namespaceOf } from '../model/schema.js';
import { lintAnalysis } from './lint.js';
import rule from './mv-target-dropped.js';
import type { LocatedStatement } from './rule.js';
import { timelineOf } from './schemaAt.js';

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

// The timeline answers "the schema before statement i" from a record of every change the replay
// made, not from a copy per statement. Compared here with a fresh replay up to i, for random
// migrations that create (Merge tables too), replace, alter, rename, exchange, detach, attach and drop, asked in a
// random order (backwards too).

function migration(seed: number): string[] {
  const random = new Random(seed);
  const pick = (n: number) => random.next() * n;
  const name = () => `t${Math.floor(pick(6))}`;
  const database = () => ['db', 'other'][Math.floor(pick(2))];
  const files: string[] = [];
  for (let f = 0; f < 3; f++) {
    const lines = f === 0 ? ['CREATE DATABASE db;', 'CREATE DATABASE other;'] : [];
    for (let i = 0; i < 25; i++) {
      const t = `${database()}.${name()}`;
      const statements = [
        `CREATE TABLE IF NOT EXISTS ${t} (id UInt64, v String) ENGINE = MergeTree ORDER BY id;`,
        `CREATE OR REPLACE TABLE ${t} (id UInt64) ENGINE = MergeTree ORDER BY id;`,
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS c${Math.floor(pick(3))} UInt8;`,
        `DROP TABLE IF EXISTS ${t};`,
        `RENAME TABLE ${t} TO ${database()}.${name()};`,
        `EXCHANGE TABLES ${t} AND ${database()}.${name()};`,
        `DETACH TABLE ${t};`,
        `ATTACH TABLE ${t};`,
        `CREATE VIEW IF NOT EXISTS ${database()}.v${Math.floor(pick(3))} AS SELECT id FROM ${t};`,
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${database()}.mv${Math.floor(pick(3))} TO ${t} AS SELECT id FROM ${database()}.${name()};`,
        `CREATE TABLE IF NOT EXISTS ${database()}.m${Math.floor(pick(2))} (id UInt64) ENGINE = Merge(${database()}, '^t');`,
        `DROP DATABASE IF EXISTS other;`,
        `CREATE DATABASE IF NOT EXISTS other;`,
        `RENAME DATABASE other TO moved;`,
      ];
      lines.push(statements[Math.floor(pick(statements.length))]);
    }
    files.push(lines.join('\n'));
  }
  return files;
}

describe('timeline', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`equals a fresh replay at every statement, asked in random order (seed ${seed})`, () => {
      const files = migration(seed).map((text, i) => ({ file: `V${i + 1}.sql`, text }));
      const analysis = analyzeFiles(files);
      const statements: LocatedStatement[] = analysis.parsed.flatMap((p) => p.statements.map((statement) => ({ file: p.file, statement })));
      const timeline = timelineOf({ analysis, statements });
      const random = new Random(seed * 7919);
      const pick = (n: number) => random.next() * n;
      const order = Array.from({ length: statements.length + 1 }, (_, i) => i).sort(() => pick(2) - 1);
      for (const index of order) {
        const replay = new SchemaReplay('default');
        for (let i = 0; i < index; i++) {
          const { file, statement } = statements[i];
          if (i === 0 || statements[i - 1].file !== file) replay.startFile();
          replay.apply(file, statement);
        }
        const expected = replay.result().objects;
        const state = timeline.before(index);
        // Asked before `dependencies` is worked out: from the timeline's index of dependents.
        const targets = [...new Set([...expected.map((o) => o.id), 'db.t0', 'db.t5', 'moved.t1', 'other.v2'])];
        const on = targets.map((id) => state.dependenciesOn(id));
        expect(on, `dependencies before statement ${index}`).toEqual(targets.map((id) => state.dependencies.filter((d) => d.to === id)));
        for (const database of expected.filter((o) => o.kind === 'database')) expect(state.database(database.name)).toEqual(database);
        expect(state.schema.objects, `before statement ${index}`).toEqual(expected);
        for (const object of expected) {
          if (namespaceOf(object.kind) !== 'table') continue;
          expect(state.tables.get(object.id)).toEqual(object);
          expect(state.tables.has(object.id)).toBe(true);
        }
        expect([...state.tables.values()]).toEqual(expected.filter((o) => namespaceOf(o.kind) === 'table'));
        for (const gone of ['db.t0', 'db.t5', 'moved.t1', 'other.v2']) {
          expect(state.tables.has(gone)).toBe(expected.some((o) => namespaceOf(o.kind) === 'table' && o.id === gone));
        }
      }
    });
  }
});
