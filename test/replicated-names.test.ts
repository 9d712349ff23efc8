import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashObject } from '../packages/core/src/canon/canonical.js';
import { planAgainstTarget } from '../packages/core/src/deploy/planTarget.js';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import type { Target } from '../packages/core/src/live/types.js';
import { buildModel } from '../packages/core/src/model/replay.js';
import type { Schema } from '../packages/core/src/model/schema.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';

// A server writes `{database}` and `{table}` out in a Replicated table's path and replica name when it
// creates the table (so a RENAME keeps its replica); before, a repository that wrote them planned a
// rebuild forever. ClickHouse is the oracle: each migration runs on chDB with a real in-memory keeper
// (Replicated tables are created for real there; the keeper is read-only, which CREATE does not need).

const root = mkdtempSync(join(tmpdir(), 'clickplan-replicated-names-'));
const config = join(root, 'chdb.xml');
writeFileSync(
  config,
  `<clickhouse>
  <zookeeper><implementation>testkeeper</implementation></zookeeper>
  <macros><shard>02</shard><replica>ch-2a</replica></macros>
</clickhouse>
`,
);

const COLUMNS = '(k UInt8, v UInt32, s Int8)';
const MIGRATIONS: Record<string, string> = {
  'path and replica with both names': `CREATE TABLE {db}.t ${COLUMNS} ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY k`,
  'names in the replica name': `CREATE TABLE {db}.t ${COLUMNS} ENGINE = ReplicatedReplacingMergeTree('/p/{database}.{table}', '{replica}_{table}', v) ORDER BY k`,
  'renamed after CREATE: the path keeps the old name': `CREATE TABLE {db}.t ${COLUMNS} ENGINE = ReplicatedMergeTree('/p/{database}/{table}', '{replica}') ORDER BY k;\nRENAME TABLE {db}.t TO {db}.t2`,
  'a materialized view engine with {database}': `CREATE TABLE {db}.src ${COLUMNS} ENGINE = MergeTree ORDER BY k;\nCREATE MATERIALIZED VIEW {db}.mv ENGINE = ReplicatedMergeTree('/p/{database}/mv_inner', '{replica}') ORDER BY k AS SELECT k, v FROM {db}.src`,
  'no macro at all': `CREATE TABLE {db}.t ${COLUMNS} ENGINE = ReplicatedSummingMergeTree('/p/plain', 'r1', v) ORDER BY k`,
};

let target: Target;
const databases = Object.keys(MIGRATIONS).map((_, i) => `rn_${i}`);
beforeAll(async () => {
  target = await openEmbeddedTarget(join(root, 'data'), { configFile: config });
  for (const [i, sql] of Object.values(MIGRATIONS).entries()) {
    // Past the embedded target's emulation of replication: the engine creates the Replicated tables.
    await target.query(`CREATE DATABASE ${databases[i]}`);
    for (const statement of sql.replaceAll('{db}', databases[i] as string).split(';\n')) await target.query(statement);
  }
}, 120_000);
afterAll(async () => {
  await target?.close();
  rmSync(root, { recursive: true, force: true });
});

function model(sql: string, database: string): Schema {
  const parsed = parseSql(sql, { file: `${database}.sql` });
  expect(parsed.diagnostics).toEqual([]);
  const schema = buildModel([{ file: `${database}.sql`, statements: parsed.statements }], { defaultDatabase: database });
  expect(schema.diagnostics).toEqual([]);
  return schema;
}

describe('Replicated paths with {database} and {table}, as the server stores them', () => {
  for (const [i, [what, sql]] of Object.entries(MIGRATIONS).entries()) {
    const database = databases[i] as string;
    const written = sql.replaceAll('{db}', database);
    it(`${what}: hashes equal to the stored form, and planning finds nothing`, async () => {
      const stored = await target.query<{ name: string; q: string }>(
        `SELECT name, create_table_query AS q FROM system.tables WHERE database = '${database}' AND NOT startsWith(name, '.inner') ORDER BY engine = 'MaterializedView', name`,
      );
      const repository = model(written, database);
      // All stored objects together, views after tables, as the live reader models them (a view's columns come from its sources).
      const server = model(stored.map((row) => row.q).join(';\n'), database);
      for (const { name, q } of stored) {
        const ours = repository.objects.find((o) => o.id === `${database}.${name}`);
        const theirs = server.objects.find((o) => o.id === `${database}.${name}`);
        if (!ours || !theirs) throw new Error(`${database}.${name} not modelled`);
        expect(hashObject(ours), `stored: ${q}`).toBe(hashObject(theirs));
      }
      const { plan, liveDiagnostics } = await planAgainstTarget(model(`CREATE DATABASE ${database};\n${written}`, database), target);
      expect(liveDiagnostics).toEqual([]);
      expect(plan.steps.map((s) => s.sql)).toEqual([]);
    });
  }
});
