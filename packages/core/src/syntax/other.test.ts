import { describe, expect, it } from 'vitest';
import { LineIndex } from './lineIndex.js';
import { parseSql } from './parser.js';

/** The statements and diagnostics of `sql`, with ranges as 1-based line and columns. */
function parse(sql: string) {
  const { statements, diagnostics } = parseSql(sql);
  const lines = new LineIndex(sql);
  return {
    statements: statements.map((s) => ({ kind: s.kind, keyword: 'keyword' in s ? s.keyword : undefined, text: sql.slice(s.start, s.end) })),
    diagnostics: diagnostics.map((d) => {
      const start = lines.positionAt(d.range.start);
      const end = lines.positionAt(d.range.end);
      return { code: d.code, line: start.line + 1, column: start.column + 1, endLine: end.line + 1, endColumn: end.column + 1, message: d.message };
    }),
  };
}

describe('parseOtherStatement accepts what ClickHouse accepts', () => {
  it.each([
    ['SYSTEM FLUSH LOGS', 'SYSTEM FLUSH LOGS'],
    ['SYSTEM FLUSH LOGS ON CLUSTER main query_log, system.part_log', 'SYSTEM FLUSH LOGS'],
    ["SYSTEM FLUSH DISTRIBUTED analytics.events_all ON CLUSTER 'main' SETTINGS max_execution_time = 60", 'SYSTEM FLUSH DISTRIBUTED'],
    ["SYSTEM RELOAD DICTIONARY 'dicts.countries' ON CLUSTER main", 'SYSTEM RELOAD DICTIONARY'],
    ['SYSTEM RELOAD FUNCTION ON CLUSTER main linear_equation', 'SYSTEM RELOAD FUNCTION'],
    ['SYSTEM DROP MARK CACHE', 'SYSTEM DROP MARK CACHE'],
    ["SYSTEM CLEAR QUERY CACHE TAG 'dashboard' ON CLUSTER main", 'SYSTEM CLEAR QUERY CACHE'],
    ["SYSTEM DROP REPLICA 'r2' FROM SHARD 's1' FROM TABLE analytics.events_local", 'SYSTEM DROP REPLICA'],
    ["SYSTEM DROP DATABASE REPLICA 'r2' FROM DATABASE analytics WITH TABLES", 'SYSTEM DROP DATABASE REPLICA'],
    ['SYSTEM STOP MERGES ON CLUSTER main ON VOLUME tiered.hot', 'SYSTEM STOP MERGES'],
    ['SYSTEM START TTL MERGES ON CLUSTER main analytics.events', 'SYSTEM START TTL MERGES'],
    ['SYSTEM STOP DISTRIBUTED SENDS analytics.events_all ON CLUSTER main', 'SYSTEM STOP DISTRIBUTED SENDS'],
    ["SYSTEM SYNC REPLICA ON CLUSTER main analytics.events_local LIGHTWEIGHT FROM 'r1', 'r2'", 'SYSTEM SYNC REPLICA'],
    ['SYSTEM STOP LISTEN QUERIES ALL EXCEPT TCP, HTTP', 'SYSTEM STOP LISTEN'],
    ["SYSTEM TEST VIEW reports.v SET FAKE TIME '2024-01-01 00:00:00'", 'SYSTEM TEST VIEW'],
    // A bare STOP takes a table, so this stops everything on the table `merges_typo`.
    ['SYSTEM STOP merges_typo', 'SYSTEM STOP'],
    ['EXPLAIN SELECT 1', 'EXPLAIN'],
    ['EXPLAIN PLAN indexes = 1, actions = 1 SELECT * FROM analytics.events', 'EXPLAIN PLAN'],
    ['EXPLAIN AST (DROP TABLE analytics.events) FORMAT JSON', 'EXPLAIN AST'],
    ['EXPLAIN SYSTEM FLUSH LOGS', 'EXPLAIN'],
    ['EXPLAIN CREATE OR REPLACE TABLE t (a UInt8) ENGINE = Memory', 'EXPLAIN'],
    ["EXPLAIN TABLE OVERRIDE mysql('h', 'db', 't', 'u', 'p') PARTITION BY a", 'EXPLAIN TABLE OVERRIDE'],
    ["KILL QUERY ON CLUSTER main WHERE user = 'etl' SYNC FORMAT JSON", 'KILL QUERY'],
    ["CHECK TABLE analytics.events PARTITION ID '202401' SETTINGS check_query_single_value_result = 0", 'CHECK TABLE'],
    ['CHECK ALL TABLES', 'CHECK ALL TABLES'],
    ["SHOW TABLES FROM analytics NOT ILIKE '%_tmp' LIMIT 10", 'SHOW TABLES'],
    ['SHOW CREATE TEMPORARY t', 'SHOW CREATE TEMPORARY TABLE'],
    ['SHOW TABLE analytics.events', 'SHOW TABLE'],
    ['SHOW CREATE ROW POLICY p ON analytics.events', 'SHOW CREATE ROW POLICY'],
    ['SHOW EXTENDED FULL COLUMNS IN events FROM analytics WHERE 1', 'SHOW EXTENDED FULL COLUMNS'],
    ['SHOW GRANTS FOR alice WITH IMPLICIT FINAL', 'SHOW GRANTS'],
    ['DESCRIBE (SELECT 1 AS x) AS s', 'DESCRIBE'],
    ['DESC (SELECT 1) UNION ALL (SELECT 2)', 'DESC'],
    ["DESCRIBE FILESYSTEM CACHE 's3_cache'", 'DESCRIBE'],
    ['EXISTS TEMPORARY TABLE tmp', 'EXISTS TABLE'],
    ['EXISTS analytics.events', 'EXISTS'],
    ['WATCH monitoring.lv EVENTS LIMIT 1', 'WATCH'],
    ["BACKUP TABLE a.t PARTITIONS '1', '2', DATABASE b EXCEPT TABLES b.x TO Disk('d', 'f.zip') ASYNC", 'BACKUP'],
    ["RESTORE ALL FROM Disk('d', 'f.zip') SETTINGS allow_non_empty_tables = true", 'RESTORE'],
    ['MOVE ROW POLICY p ON analytics.events TO replicated', 'MOVE ROW POLICY'],
    ['START TRANSACTION', 'START TRANSACTION'],
    ['ROLLBACK', 'ROLLBACK'],
    ['SET ROLE ALL EXCEPT admin', 'SET ROLE'],
    ['SET DEFAULT ROLE NONE TO alice, CURRENT_USER', 'SET DEFAULT ROLE'],
    ['SET TRANSACTION SNAPSHOT 42', 'SET TRANSACTION SNAPSHOT'],
  ])('%s', (sql, keyword) => {
    expect(parse(sql)).toEqual({ statements: [{ kind: 'Other', keyword, text: sql }], diagnostics: [] });
  });

  it('reads `SET ROLE` alone as the setting `role`, as ClickHouse does', () => {
    expect(parse('SET ROLE')).toEqual({ statements: [{ kind: 'Other', keyword: 'SET', text: 'SET ROLE' }], diagnostics: [] });
  });
});

describe('parseOtherStatement rejects what ClickHouse rejects, on the same line', () => {
  it.each([
    ['SYSTEM ON CLUSTER main\n    FLUSH LOGS', 1, 8, 10, 'Expected a SYSTEM command such as FLUSH LOGS, RELOAD DICTIONARY or STOP MERGES, but found `ON`.'],
    ['SYSTEM FLUSH\n    EVERYTHING', 2, 5, 15, 'Expected ASYNC, DISTRIBUTED, LOGS, OBJECT after SYSTEM FLUSH, but found `EVERYTHING`.'],
    ['SYSTEM RELOAD DICTIONARY', 1, 25, 25, 'Expected a table name, but found end of input.'],
    ["SYSTEM START MERGES ON VOLUME\n    'tiered.hot'", 2, 5, 17, "Expected a storage policy name, but found `'tiered.hot'`."],
    ['SYSTEM SYNC REPLICA analytics.events_local\n    ON CLUSTER main', 2, 5, 7, 'Expected the end of the statement (`;`), but found `ON`.'],
    ['SYSTEM SUSPEND FOR 10\n    SECONDS', 2, 5, 12, 'Expected `SECOND`, but found `SECONDS`.'],
    ['EXPLAIN PLANS\n    SELECT 1', 2, 5, 11, 'Expected `=` and a value, but found `SELECT`.'],
    ['EXPLAIN DROP\n    TABLE t', 2, 5, 10, 'Expected SELECT, INSERT, CREATE TABLE or SYSTEM: EXPLAIN does not take DROP, but found `TABLE`.'],
    ['EXPLAIN CREATE\n    VIEW v AS SELECT 1', 2, 5, 9, 'Expected TABLE: EXPLAIN takes CREATE TABLE, not other CREATE statements, but found `VIEW`.'],
    ["KILL QUERY\n    query_id = 'x'", 2, 5, 13, 'Expected `WHERE`, but found `query_id`.'],
    ['KILL QUERY WHERE 1\n    SYNC TEST', 2, 10, 14, 'Expected the end of the statement (`;`), but found `TEST`.'],
    ['CHECK analytics.events', 1, 7, 16, 'Expected TABLE, DATABASE, ALL TABLES or GRANT, but found `analytics`.'],
    ['CHECK TABLE t\n    PART all_1_1_0', 2, 10, 19, 'Expected a part name string, but found `all_1_1_0`.'],
    ['SHOW TABLEZ', 1, 6, 12, 'Expected TABLES, DATABASES, CREATE, COLUMNS, SETTINGS, GRANTS or another SHOW command, but found `TABLEZ`.'],
    ['SHOW TABLES FROM analytics\n    LIKE events', 2, 10, 16, 'Expected a pattern string, but found `events`.'],
    ["SHOW DATABASES\n    WHERE name = 'a'", 2, 5, 10, 'Expected the end of the statement (`;`), but found `WHERE`.'],
    ['SHOW FULL\n    PROCESSLIST', 2, 5, 16, 'Expected TABLES, DATABASES, CREATE, COLUMNS, SETTINGS, GRANTS or another SHOW command, but found `PROCESSLIST`.'],
    ['DESCRIBE TABLE a,\n    b', 1, 17, 18, 'Expected the end of the statement (`;`), but found `,`.'],
    ["EXISTS TABLE\n    'analytics.events'", 2, 5, 23, "Expected a table name, but found `'analytics.events'`."],
    ["BACKUP TABLE t\n    FROM Disk('b', 'x.zip')", 2, 5, 9, 'Expected `TO`, but found `FROM`.'],
    ['COMMIT\n    TRANSACTION', 2, 5, 16, 'Expected the end of the statement (`;`), but found `TRANSACTION`.'],
    ['BEGIN', 1, 6, 6, 'Expected `TRANSACTION`, but found end of input.'],
    ['SET DEFAULT ROLE analyst', 1, 25, 25, 'Expected TO and the users whose default roles to set, but found end of input.'],
    ['MOVE\n    TABLE t TO s', 2, 5, 10, 'Expected USER, ROLE, SETTINGS PROFILE, ROW POLICY, QUOTA or MASKING POLICY, but found `TABLE`.'],
  ])('%s', (sql, line, column, endColumn, message) => {
    const { statements, diagnostics } = parse(sql);
    expect(statements).toEqual([{ kind: 'Invalid', keyword: sql.split(/\s/)[0], text: sql }]);
    expect(diagnostics).toEqual([{ code: 'syntax-error', line, column, endLine: line, endColumn, message }]);
  });
});
