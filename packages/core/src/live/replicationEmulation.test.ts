import { describe, expect, it } from 'vitest';
import type { Statement } from '../syntax/ast.js';
import { ON_CLUSTER_KINDS } from '../syntax/onCluster.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement } from '../syntax/printer.js';
import {
  type EmulatedReplicatedTable,
  type EngineFacts,
  emptyReplicationLedger,
  ledgerAfter,
  translateStatement,
  withRecordedEngine,
  ZERO_UUID,
} from './replicationEmulation.js';
import { TargetError } from './types.js';

// Issue 14: ON CLUSTER and Replicated engines as the embedded engine runs them. What ClickHouse
// stores and refuses for Replicated engines is compared with chDB in test/replication-emulation.test.ts.

const facts: EngineFacts = {
  macros: new Map([
    ['cluster', 'events'],
    ['shard', '01'],
    ['replica', 'ch-1a'],
  ]),
  clusters: new Set(['events', 'all-hosts']),
  defaultReplicaPath: '/clickhouse/tables/{uuid}/{shard}',
  defaultReplicaName: '{replica}',
  emulateReplication: true,
};

const parse = (sql: string): Statement => {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  return statements[0];
};

/** One statement of every kind ClickHouse runs ON CLUSTER, with a place for the clause. */
const ON_CLUSTER_STATEMENTS: Record<string, string> = {
  CreateTable: 'CREATE TABLE IF NOT EXISTS db.t {c} (a UInt8) ENGINE = MergeTree ORDER BY a',
  CreateView: 'CREATE MATERIALIZED VIEW db.mv {c} TO db.t AS SELECT a FROM db.s',
  CreateDictionary: "CREATE DICTIONARY db.d {c} (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'src')) LIFETIME(300) LAYOUT(HASHED())",
  CreateDatabase: 'CREATE DATABASE IF NOT EXISTS db {c}',
  CreateFunction: 'CREATE FUNCTION twice {c} AS (x) -> x * 2',
  CreateNamedCollection: "CREATE NAMED COLLECTION nc {c} AS key = 'v'",
  AlterNamedCollection: "ALTER NAMED COLLECTION nc {c} SET key = 'w' DELETE other",
  CreateAccessEntity: 'CREATE ROLE r {c}',
  Grant: 'GRANT {c} SELECT ON db.* TO r',
  Revoke: 'REVOKE {c} SELECT ON db.* FROM r',
  AlterTable: "ALTER TABLE db.t {c} ADD COLUMN b String DEFAULT ''",
  AlterDatabase: "ALTER DATABASE db {c} MODIFY COMMENT 'x'",
  Drop: 'DROP TABLE IF EXISTS db.t {c} SYNC',
  Truncate: 'TRUNCATE TABLE db.t {c}',
  Rename: 'RENAME TABLE db.a TO db.b {c}',
  Exchange: 'EXCHANGE TABLES db.a AND db.b {c}',
  Optimize: 'OPTIMIZE TABLE db.t {c} FINAL',
  Delete: 'DELETE FROM db.t {c} WHERE a = 1',
  Attach: 'ATTACH TABLE db.t {c}',
};

describe('translateStatement', () => {
  it('covers every statement kind that takes ON CLUSTER', () => {
    expect(Object.keys(ON_CLUSTER_STATEMENTS).sort()).toEqual([...ON_CLUSTER_KINDS].sort());
  });

  for (const [kind, template] of Object.entries(ON_CLUSTER_STATEMENTS))
    for (const written of ["ON CLUSTER '{cluster}'", 'ON CLUSTER events', 'on  /* hosts */ cluster `all-hosts`'])
      it(`runs ${kind} ${written} once, locally, as written without the clause`, () => {
        const sql = template.replace('{c}', written);
        const statement = parse(sql);
        expect(statement.kind).toBe(kind);
        const translated = translateStatement(sql, statement, 'db', facts);
        const without = parse(translated.sql);
        expect('onCluster' in without && without.onCluster).toBeFalsy();
        expect(printStatement(without)).toBe(printStatement({ ...statement, onCluster: undefined } as Statement));
        expect(translated.cluster).toBe(written.includes('all-hosts') ? 'all-hosts' : 'events');
      });

  it("refuses a cluster the configuration does not define, or a macro it does not, with ClickHouse's codes", () => {
    const refusal = (sql: string) => {
      try {
        translateStatement(sql, parse(sql), 'db', facts);
      } catch (error) {
        if (error instanceof TargetError) return [error.code, error.serverMessage];
        throw error;
      }
      return 'ran';
    };
    expect(refusal('CREATE DATABASE db ON CLUSTER analytics')).toEqual([701, "Requested cluster 'analytics' not found"]);
    expect(refusal("CREATE DATABASE db ON CLUSTER '{layer}'")).toEqual([
      139,
      "No macro 'layer' in config while processing substitutions in '{layer}' at '1' or macro is not supported here.",
    ]);
    expect(refusal("CREATE DATABASE db ON CLUSTER '{cluster'")).toEqual([62, "Unbalanced { and } in string with macros: '{cluster'."]);
    // `{uuid}` is allowed in a Replicated path under ON CLUSTER, which gives every host the table's UUID.
    expect(refusal("CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree('/t/{uuid}', '{replica}') ORDER BY a")[0]).toBe(36);
    expect(refusal("CREATE TABLE t ON CLUSTER events (a UInt8) ENGINE = ReplicatedMergeTree('/t/{uuid}', '{replica}') ORDER BY a")).toBe('ran');
  });

  it('runs a Replicated engine as its plain counterpart, keeps its other arguments, and records it as a server stores it', () => {
    const sql =
      "CREATE TABLE IF NOT EXISTS profiles ON CLUSTER '{cluster}' (id UInt64, v UInt64) ENGINE = ReplicatedReplacingMergeTree('/t/{shard}/{database}/{table}', '{replica}', v) ORDER BY id";
    const translated = translateStatement(sql, parse(sql), 'app', facts);
    expect(translated).toEqual({
      sql: 'CREATE TABLE IF NOT EXISTS profiles  (id UInt64, v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY id',
      cluster: 'events',
      replicated: { database: 'app', table: 'profiles', engine: 'ReplicatedReplacingMergeTree', path: '/t/{shard}/app/profiles', replica: '{replica}' },
    });
  });

  it('leaves Replicated engines to the engine when replication is not emulated', () => {
    const sql = "CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree('/t', 'r') ORDER BY a";
    expect(translateStatement(sql, parse(sql), 'db', { ...facts, emulateReplication: false })).toEqual({ sql });
  });
});

describe('withRecordedEngine', () => {
  const record: EmulatedReplicatedTable = {
    uuid: ZERO_UUID,
    database: 'db',
    table: 't',
    engine: 'ReplicatedVersionedCollapsingMergeTree',
    path: "/t/it's",
    replica: '{replica}',
  };

  it('puts the recorded engine, path and replica before the plain engine arguments, quoted as ClickHouse quotes them', () => {
    expect(withRecordedEngine('CREATE TABLE db.t (`s` Int8, `v` UInt8) ENGINE = VersionedCollapsingMergeTree(s, v) ORDER BY s', record)).toBe(
      "CREATE TABLE db.t (`s` Int8, `v` UInt8) ENGINE = ReplicatedVersionedCollapsingMergeTree('/t/it\\'s', '{replica}', s, v) ORDER BY s",
    );
  });

  it('leaves a table whose engine is no longer the plain counterpart', () => {
    expect(withRecordedEngine('CREATE TABLE db.t (`s` Int8) ENGINE = MergeTree ORDER BY s', record)).toBeUndefined();
  });
});

describe('ledgerAfter', () => {
  const entry = (database: string, table: string, uuid = ZERO_UUID): EmulatedReplicatedTable => ({
    uuid,
    database,
    table,
    engine: 'ReplicatedMergeTree',
    path: `/t/${table}`,
    replica: 'r',
  });
  const ledger = {
    ...emptyReplicationLedger(),
    tables: [entry('default', 'a'), entry('default', 'b'), entry('app', 'a', 'c0ffee00-0000-4000-8000-000000000001')],
  };
  const after = (sql: string) => ledgerAfter(ledger, parse(sql), 'default').tables.map((t) => `${t.database}.${t.table}:${t.path}`);

  it('follows tables without a UUID through RENAME, EXCHANGE, DROP and CREATE OR REPLACE; tables with one need nothing', () => {
    expect(after('RENAME TABLE a TO c, app.a TO app.z')).toEqual(['default.c:/t/a', 'default.b:/t/b', 'app.a:/t/a']);
    expect(after('EXCHANGE TABLES a AND b')).toEqual(['default.b:/t/a', 'default.a:/t/b', 'app.a:/t/a']);
    expect(after('DROP TABLE default.b SYNC')).toEqual(['default.a:/t/a', 'app.a:/t/a']);
    expect(after('DROP DATABASE default')).toEqual(['app.a:/t/a']);
    expect(after('CREATE OR REPLACE TABLE a (x UInt8) ENGINE = MergeTree ORDER BY x')).toEqual(['default.b:/t/b', 'app.a:/t/a']);
    expect(after('CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = MergeTree ORDER BY x')).toEqual(['default.a:/t/a', 'default.b:/t/b', 'app.a:/t/a']);
    expect(ledgerAfter(ledger, parse('SELECT 1'), 'default')).toBe(ledger);
  });
});
