import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedTarget } from '../packages/core/src/live/embedded.js';
import { type EngineFacts, translateStatement, withRecordedEngine, ZERO_UUID } from '../packages/core/src/live/replicationEmulation.js';
import { type Target, TargetError } from '../packages/core/src/live/types.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';

// Issue 14: the embedded engine runs a Replicated table as its plain counterpart and shows it with
// the Replicated engine a server would store. ClickHouse is the oracle: each engine below is created
// for real on chDB's in-memory keeper (read-only, but CREATE works and stores the definition), and
// the emulated table, read back, must be the same CREATE; a refusal must have ClickHouse's code and words.

const root = mkdtempSync(join(tmpdir(), 'clickplan-replication-emulation-'));
const config = join(root, 'chdb.xml');
writeFileSync(
  config,
  `<clickhouse>
  <zookeeper><implementation>testkeeper</implementation></zookeeper>
  <macros><cluster>events</cluster><shard>02</shard><replica>ch-2a</replica></macros>
  <default_replica_path>/clickhouse/tables/{shard}/{database}/{table}</default_replica_path>
  <default_replica_name>{replica}_x</default_replica_name>
  <remote_servers><events><shard><replica><host>localhost</host><port>9000</port></replica></shard></events></remote_servers>
</clickhouse>
`,
);
let target: Target | undefined;
afterAll(async () => {
  await target?.close();
});

const ENGINES = [
  "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')",
  'ReplicatedMergeTree',
  'ReplicatedMergeTree()',
  "ReplicatedReplacingMergeTree('/p/{shard}/x', '{replica}_{database}', v)",
  'ReplicatedReplacingMergeTree(v)',
  'ReplicatedSummingMergeTree((n, v))',
  "ReplicatedCollapsingMergeTree('/p/c/{table}', 'r-{shard}', s)",
  "ReplicatedVersionedCollapsingMergeTree('/p/vc/{table}', '{replica}', s, v)",
  "ReplicatedAggregatingMergeTree('/p/{database}.{table}', '{table}')",
  "ReplicatedMergeTree('/p/{uuid}/{shard}', '{replica}')",
  "ReplicatedMergeTree('/p/{nomacro}', '{replica}')",
  "ReplicatedMergeTree('/p/ok', '{replica}-{typo')",
  "ReplicatedMergeTree('/p/only-a-path')",
];

const COLUMNS = '(k UInt8, n UInt8, v UInt32, s Int8)';

async function factsOf(engine: Target): Promise<EngineFacts> {
  const macros = await engine.query<{ macro: string; substitution: string }>('SELECT macro, substitution FROM system.macros');
  const clusters = await engine.query<{ cluster: string }>('SELECT DISTINCT cluster FROM system.clusters');
  const settings = await engine.query<{ name: string; value: string }>(
    "SELECT name, value FROM system.server_settings WHERE name IN ('default_replica_path', 'default_replica_name')",
  );
  const setting = (name: string) => settings.find((s) => s.name === name)?.value ?? '';
  return {
    macros: new Map(macros.map((m) => [m.macro, m.substitution])),
    clusters: new Set(clusters.map((c) => c.cluster)),
    defaultReplicaPath: setting('default_replica_path'),
    defaultReplicaName: setting('default_replica_name'),
    emulateReplication: true,
  };
}

/** What ClickHouse answers: the stored CREATE, or its error code and message. */
type Outcome = { createQuery: string } | { code: number | undefined; message: string };

async function created(engine: Target, database: string, table: string): Promise<string> {
  const rows = await engine.query<{ q: string }>(`SELECT create_table_query AS q FROM system.tables WHERE database = '${database}' AND name = '${table}'`);
  return rows[0]?.q ?? '';
}

function refusal(error: unknown): Outcome {
  if (!(error instanceof TargetError)) throw error;
  return { code: error.code, message: (error.serverMessage ?? error.message).replace(/ while processing substitutions.*/, '') };
}

describe('Replicated tables emulated as their plain counterparts', () => {
  it('read back as ClickHouse stores the Replicated table, and are refused where ClickHouse refuses it', async () => {
    target = await openEmbeddedTarget(join(root, 'data'), { configFile: config });
    const facts = await factsOf(target);
    await target.execute('CREATE DATABASE real_side');
    await target.execute('CREATE DATABASE emul_side');
    const outcomes: [string, Outcome, Outcome][] = [];
    for (const [i, engine] of ENGINES.entries()) {
      for (const withUuid of [false, true]) {
        const table = `t${i}${withUuid ? 'u' : ''}`;
        const uuid = (side: number) => (withUuid ? ` UUID '1b7a3c52-0000-4000-8000-${side}00000000${String(i).padStart(3, '0')}'` : '');
        // A second table on a path is refused by the keeper (253, replica exists): each has its own.
        const written = withUuid ? engine.replace("('/", "('/u") : engine;
        const ddl = (database: string) =>
          `CREATE TABLE ${database}.${table}${uuid(database === 'real_side' ? 0 : 1)} ${COLUMNS} ENGINE = ${written} ORDER BY k`;
        let real: Outcome;
        try {
          // Past the target's emulation: the engine itself creates the Replicated table on its keeper.
          await target.query(ddl('real_side'));
          real = { createQuery: (await created(target, 'real_side', table)).replaceAll('real_side', 'emul_side') };
        } catch (error) {
          real = refusal(error);
        }
        let emulated: Outcome;
        try {
          const sql = ddl('emul_side');
          const translated = translateStatement(sql, parseSql(sql).statements[0], 'default', facts);
          expect(translated.sql).not.toMatch(/Replicated/);
          await target.query(translated.sql);
          const record = { uuid: ZERO_UUID, ...(translated.replicated as NonNullable<typeof translated.replicated>) };
          emulated = { createQuery: withRecordedEngine(await created(target, 'emul_side', table), record) ?? 'not rewritten' };
        } catch (error) {
          emulated = refusal(error);
        }
        outcomes.push([`${engine}${withUuid ? ' with UUID' : ''}`, emulated, real]);
      }
    }
    for (const [engine, emulated, real] of outcomes) expect({ engine, ...emulated }).toEqual({ engine, ...real });
    // The cases cover both answers: tables created, and each refusal ClickHouse has for them.
    const codes = outcomes.map(([, , real]) => ('code' in real ? real.code : 0));
    expect([...new Set(codes)].sort()).toEqual([0, 139, 36, 62].sort());
  }, 120_000);
});
