import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { parseSql } from '../syntax/parser.js';
import { prepareFile } from './statements.js';

// How a migration file runs: statement by statement, USE and SET carried to the statements after
// them, ON CLUSTER added with the database written into the names when a cluster is configured.

function prepare(text: string, options: { cluster?: string; alterCluster?: string } = {}) {
  const analysis = analyzeFiles([{ file: 'm.sql', text }], { defaultDatabase: 'app' });
  return prepareFile(text, parseSql(text).statements, 'app', { ...options, schema: analysis.schema });
}

describe('prepareFile', () => {
  it('runs statements as written, each in the database and with the settings in effect', () => {
    const text =
      'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x;\nUSE other;\nSET max_threads = 2, mutations_sync = 1;\nALTER TABLE t DELETE WHERE x = 1;\n';
    const { statements, problems } = prepare(text);
    expect(problems).toEqual([]);
    expect(statements.map((s) => [s.ordinal, s.sql, s.database, s.settings, s.kind])).toEqual([
      [0, 'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x', 'app', {}, 'CreateTable'],
      [1, 'ALTER TABLE t DELETE WHERE x = 1', 'other', { max_threads: 2, mutations_sync: 1 }, 'AlterTable'],
    ]);
    expect(statements[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('adds ON CLUSTER with qualified names; ALTER of a non-replicated table goes to the ALTER cluster', () => {
    const text = [
      "CREATE TABLE local (x UInt8) ENGINE = ReplicatedMergeTree('/t/{shard}/local', '{replica}') ORDER BY x;",
      'CREATE TABLE dist AS local ENGINE = Distributed(main, app, local, rand());',
      'ALTER TABLE local ADD COLUMN y UInt8;',
      'ALTER TABLE dist ADD COLUMN y UInt8;',
      'RENAME TABLE dist TO dist2;',
      'CREATE TABLE written ON CLUSTER other (x UInt8) ENGINE = Memory;',
      'INSERT INTO local VALUES (1);',
      '',
    ].join('\n');
    const { statements } = prepare(text, { cluster: 'main', alterCluster: 'main_flat' });
    expect(statements.map((s) => s.sql.replace(/\s+/g, ' '))).toEqual([
      "CREATE TABLE app.local ON CLUSTER main ( x UInt8 ) ENGINE = ReplicatedMergeTree('/t/{shard}/local', '{replica}') ORDER BY x",
      'CREATE TABLE app.dist ON CLUSTER main AS app.local ENGINE = Distributed(main, app, local, rand())',
      'ALTER TABLE app.local ON CLUSTER main ADD COLUMN y UInt8',
      'ALTER TABLE app.dist ON CLUSTER main_flat ADD COLUMN y UInt8',
      'RENAME TABLE app.dist TO app.dist2 ON CLUSTER main',
      'CREATE TABLE written ON CLUSTER other (x UInt8) ENGINE = Memory',
      'INSERT INTO local VALUES (1)',
    ]);
    // What the registry hashes is the text as written, not what runs.
    expect(statements[0]?.text).toBe("CREATE TABLE local (x UInt8) ENGINE = ReplicatedMergeTree('/t/{shard}/local', '{replica}') ORDER BY x");
  });
});
