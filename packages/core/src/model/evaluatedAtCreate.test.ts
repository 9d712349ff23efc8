import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeThroughEngine, describeDisagreement } from '../canon/throughEngine.js';
import { createStatement } from '../plan/create.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement } from '../syntax/printer.js';
import { buildModel } from './replay.js';

// Issue 13, defect 8: what ClickHouse evaluates when it runs a CREATE is stored evaluated. The
// repository's definitions must hash as chDB stores them.

const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-evaluated-'));

const REPOSITORY = `
CREATE DATABASE ev;
USE ev;
CREATE TABLE logs (a UInt32, id UUID) ENGINE = MergeTree ORDER BY a;
CREATE TABLE logs_all AS logs ENGINE = Merge(currentDatabase(), '^logs$');
CREATE TABLE logs_concat (a UInt32) ENGINE = Merge(currentDatabase(), concat('^lo', 'gs$'));
CREATE TABLE logs_named (a UInt32) ENGINE = Merge(ev, 'logs');
CREATE TABLE logs_regexp (a UInt32) ENGINE = Merge(REGEXP('^ev$'), '^logs$');
CREATE TABLE logs_buffer AS logs ENGINE = Buffer(currentDatabase(), logs, 1, 10, 100, 10000, 1000000, 10000000, 100000000);
CREATE TABLE logs_distributed AS logs ENGINE = Distributed(c1, currentDatabase(), logs, rand(), default);
CREATE TABLE logs_distributed_concat AS logs ENGINE = Distributed('c1', 'ev', 'lo' || 'gs');
CREATE TABLE csv_file (a UInt32) ENGINE = File(CSV);
CREATE TABLE csv_named (a UInt32) ENGINE = File(CSV, 'data.csv');
CREATE TABLE url (a UInt32) ENGINE = URL(concat('http://localhost/', currentDatabase()), CSV, 'gzip');
CREATE TABLE s3 (a UInt32) ENGINE = S3('http://localhost:9000/bucket/' || currentDatabase() || '.csv', CSV);
CREATE TABLE sqlite (a UInt32) ENGINE = SQLite(concat('${dataDir}', '/x.db'), 't');
CREATE TABLE random (a UInt32) ENGINE = GenerateRandom(1 + 1, 5);
CREATE TABLE join_table (k UInt32, v String) ENGINE = Join(ANY, LEFT, k);
CREATE VIEW raw_v0 AS SELECT a FROM logs WHERE id = {p:UUID};
CREATE VIEW calls_qualified AS SELECT * FROM ev.raw_v0(p = {p:UUID});
CREATE VIEW calls_unqualified AS SELECT * FROM raw_v0(p = {p:UUID});
CREATE VIEW calls_joined AS
  SELECT r.a FROM raw_v0(p = toUUID('00000000-0000-0000-0000-000000000000')) AS r JOIN ev.raw_v0(p = {q:UUID}) AS s ON r.a = s.a;
`;

describe('what ClickHouse evaluates at CREATE', () => {
  let session: Session;
  beforeAll(() => {
    const config = join(dataDir, 'config.xml');
    writeFileSync(
      config,
      '<clickhouse><remote_servers><c1><shard><replica><host>localhost</host><port>9000</port></replica></shard></c1></remote_servers></clickhouse>',
    );
    session = new Session(join(dataDir, 'data'), { connectionArgs: [`--config-file=${config}`] });
    for (const s of parseSql(REPOSITORY).statements) session.query(REPOSITORY.slice(s.start, s.end));
  });
  afterAll(() => {
    session.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hashes engine arguments and parameterized view calls as the server stores them', () => {
    const parsed = parseSql(REPOSITORY, { file: 'ev.sql' });
    expect(parsed.diagnostics).toEqual([]);
    const schema = buildModel([{ file: 'ev.sql', statements: parsed.statements }]);
    expect(schema.diagnostics).toEqual([]);
    const { results, diagnostics } = canonicalizeThroughEngine(session, schema.objects);
    expect(diagnostics).toEqual([]);
    expect(results).toHaveLength(schema.objects.length);
    expect(results.filter((r) => !r.agrees).map(describeDisagreement)).toEqual([]);
  });

  it('is what a plan writes, and ClickHouse parses it', () => {
    const parsed = parseSql(REPOSITORY, { file: 'ev.sql' });
    const schema = buildModel([{ file: 'ev.sql', statements: parsed.statements }]);
    const printed = (id: string) => {
      const object = schema.objects.find((o) => o.id === id);
      return object && printStatement(createStatement(object, { orReplace: false, ifNotExists: false })).replace(/\s+/g, ' ');
    };
    expect(printed('ev.logs_all')).toContain("ENGINE = Merge('ev', '^logs$')");
    expect(printed('ev.logs_regexp')).toContain("ENGINE = Merge(REGEXP('^ev$'), '^logs$')");
    expect(printed('ev.random')).toContain('ENGINE = GenerateRandom(2, 5)');
    expect(printed('ev.calls_qualified')).toContain('FROM `ev.raw_v0`(p = {p:UUID})');
    expect(printed('ev.calls_unqualified')).toContain('FROM raw_v0(p = {p:UUID})');
    for (const object of schema.objects) {
      const sql = printStatement(createStatement(object, { orReplace: false, ifNotExists: false }));
      expect(() => session.query(`SELECT formatQuerySingleLine('${sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}')`), sql).not.toThrow();
    }
  });
});
