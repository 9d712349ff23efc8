import { describe, expect, it } from 'vitest';
import type { OtherStatement, Statement } from './ast.js';
import { clickhouseRejection, expectRejected } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// Every statement here is also given to ClickHouse (chDB): accepted cases must be accepted there,
// rejected cases rejected there on the same line. The expectations below are ours; the verdicts are ClickHouse's.

/**
 * A readable copy of a node: identifiers become their names, other nodes their source text,
 * and the node itself keeps its kind and gets its `text`. Ranges are thereby checked too.
 */
function shape(sql: string, node: object): Record<string, unknown> {
  const { start, end, ...fields } = node as { start: number; end: number };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = key === 'kind' ? value : shapeValue(sql, value);
  return { ...out, text: sql.slice(start, end) };
}

function shapeValue(sql: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => shapeValue(sql, v));
  if (value === null || typeof value !== 'object') return value;
  const node = value as { kind?: string; name?: string; start?: number; end?: number };
  if (node.kind === 'Identifier') return node.name;
  if (node.start !== undefined && node.end !== undefined) return sql.slice(node.start, node.end);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeValue(sql, v)]));
}

function parseOne(sql: string): Statement {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  expect(statements).toHaveLength(1);
  return statements[0];
}

/** The actions of one ALTER TABLE, shaped. */
function actions(sql: string): Record<string, unknown>[] {
  const statement = parseOne(sql);
  if (statement.kind !== 'AlterTable') throw new Error(`expected AlterTable, got ${statement.kind}`);
  return statement.actions.map((action) => shape(sql, action));
}

describe('ALTER TABLE header', () => {
  it('reads the table, ON CLUSTER, TEMPORARY, every command and query-level SETTINGS', () => {
    const sql = "ALTER TEMPORARY TABLE db.t ON CLUSTER '{cluster}' DROP COLUMN a, DELETE WHERE b = 1 SETTINGS mutations_sync = 2";
    expect(shape(sql, parseOne(sql))).toEqual({
      kind: 'AlterTable',
      temporary: true,
      table: 'db.t',
      onCluster: "'{cluster}'",
      actions: ['DROP COLUMN a', 'DELETE WHERE b = 1'],
      querySettings: ['mutations_sync = 2'],
      text: sql,
    });
  });

  it("reads ClickHouse's own formatting, with each command in parentheses", () => {
    expect(actions('ALTER TABLE t (ADD COLUMN `x` UInt8), (DROP COLUMN y)')).toEqual([
      { kind: 'AddColumn', ifNotExists: false, column: '`x` UInt8', text: 'ADD COLUMN `x` UInt8' },
      { kind: 'DropColumn', ifExists: false, column: ['y'], text: 'DROP COLUMN y' },
    ]);
  });

  it('rejects a missing command, mixed parentheses and an unknown command', () => {
    expectRejected('ALTER TABLE t', '', /Expected an ALTER command/);
    expectRejected('ALTER TABLE t (DROP COLUMN a), DROP COLUMN b', 'DROP', /Expected `\(` before the command/, 2);
    expectRejected('ALTER TABLE t\n  ADD COLUMN a UInt8,\n  ADDD COLUMN b UInt8', 'ADDD', /Expected an ALTER command/);
    expectRejected('ALTER TABLE db.t.x DROP COLUMN a', '.', /Expected an ALTER command/, 2);
    expectRejected('ALTER VIEW v MODIFY QUERY SELECT 1', 'VIEW', /Expected TABLE, DATABASE/);
  });
});

describe('column commands', () => {
  it('reads ADD COLUMN with IF NOT EXISTS, properties and a position', () => {
    expect(
      actions("ALTER TABLE t ADD COLUMN IF NOT EXISTS n.x Nullable(UInt8) DEFAULT 1 COMMENT 'c' CODEC(ZSTD(1)) AFTER n.y, ADD COLUMN z String FIRST"),
    ).toEqual([
      {
        kind: 'AddColumn',
        ifNotExists: true,
        column: "n.x Nullable(UInt8) DEFAULT 1 COMMENT 'c' CODEC(ZSTD(1))",
        position: { after: 'n.y' },
        text: "ADD COLUMN IF NOT EXISTS n.x Nullable(UInt8) DEFAULT 1 COMMENT 'c' CODEC(ZSTD(1)) AFTER n.y",
      },
      { kind: 'AddColumn', ifNotExists: false, column: 'z String', position: { first: true }, text: 'ADD COLUMN z String FIRST' },
    ]);
  });

  it('reads MODIFY COLUMN with a type, with properties only, and ALTER COLUMN ... TYPE', () => {
    expect(actions("ALTER TABLE t MODIFY COLUMN IF EXISTS a UInt64 AFTER b, MODIFY COLUMN c COMMENT 'x', ALTER COLUMN d TYPE String DEFAULT '' FIRST")).toEqual(
      [
        { kind: 'ModifyColumn', ifExists: true, column: 'a UInt64', position: { after: 'b' }, text: 'MODIFY COLUMN IF EXISTS a UInt64 AFTER b' },
        { kind: 'ModifyColumn', ifExists: false, column: "c COMMENT 'x'", text: "MODIFY COLUMN c COMMENT 'x'" },
        {
          kind: 'ModifyColumn',
          ifExists: false,
          column: "d TYPE String DEFAULT ''",
          position: { first: true },
          text: "ALTER COLUMN d TYPE String DEFAULT '' FIRST",
        },
      ],
    );
  });

  it('reads `MODIFY COLUMN x FIRST` as ClickHouse does: a column of type FIRST', () => {
    const sql = 'ALTER TABLE t MODIFY COLUMN x FIRST';
    const statement = parseOne(sql);
    expect(statement.kind === 'AlterTable' && statement.actions[0]).toMatchObject({ kind: 'ModifyColumn', column: { type: { name: 'FIRST' } } });
    expect(statement.kind === 'AlterTable' && statement.actions[0]).not.toHaveProperty('position');
  });

  it('reads REMOVE, MODIFY SETTING, RESET SETTING and ADD ENUM VALUES of a column', () => {
    expect(
      actions("ALTER TABLE t MODIFY COLUMN a REMOVE DEFAULT, MODIFY COLUMN IF EXISTS b REMOVE SETTINGS, MODIFY COLUMN e ADD ENUM VALUES ('z' = 3)"),
    ).toEqual([
      { kind: 'ModifyColumnRemove', ifExists: false, column: ['a'], property: 'DEFAULT', text: 'MODIFY COLUMN a REMOVE DEFAULT' },
      { kind: 'ModifyColumnRemove', ifExists: true, column: ['b'], property: 'SETTINGS', text: 'MODIFY COLUMN IF EXISTS b REMOVE SETTINGS' },
      { kind: 'ModifyColumnAddEnumValues', ifExists: false, column: ['e'], values: ["'z' = 3"], text: "MODIFY COLUMN e ADD ENUM VALUES ('z' = 3)" },
    ]);
    // A setting list takes every name after a comma, as ClickHouse's does: these commands come last.
    expect(actions('ALTER TABLE t MODIFY COLUMN c MODIFY SETTING max_compress_block_size = 1, min_compress_block_size = 2')).toEqual([
      {
        kind: 'ModifyColumnSettings',
        ifExists: false,
        column: ['c'],
        reset: false,
        settings: ['max_compress_block_size = 1', 'min_compress_block_size = 2'],
        text: 'MODIFY COLUMN c MODIFY SETTING max_compress_block_size = 1, min_compress_block_size = 2',
      },
    ]);
    expect(actions('ALTER TABLE t MODIFY COLUMN n.d RESET SETTING x, y')).toEqual([
      { kind: 'ModifyColumnSettings', ifExists: false, column: ['n', 'd'], reset: true, settings: ['x', 'y'], text: 'MODIFY COLUMN n.d RESET SETTING x, y' },
    ]);
  });

  it('reads DROP, RENAME, CLEAR, COMMENT and MATERIALIZE COLUMN', () => {
    expect(
      actions(
        "ALTER TABLE t DROP COLUMN IF EXISTS a, RENAME COLUMN IF EXISTS n.b TO n.c, CLEAR COLUMN d IN PARTITION 202401, COMMENT COLUMN IF EXISTS e 'why', MATERIALIZE COLUMN f IN PARTITION ID 'all'",
      ),
    ).toEqual([
      { kind: 'DropColumn', ifExists: true, column: ['a'], text: 'DROP COLUMN IF EXISTS a' },
      { kind: 'RenameColumn', ifExists: true, from: ['n', 'b'], to: ['n', 'c'], text: 'RENAME COLUMN IF EXISTS n.b TO n.c' },
      { kind: 'ClearColumn', ifExists: false, column: ['d'], partition: 'PARTITION 202401', text: 'CLEAR COLUMN d IN PARTITION 202401' },
      { kind: 'CommentColumn', ifExists: true, column: ['e'], comment: "'why'", text: "COMMENT COLUMN IF EXISTS e 'why'" },
      { kind: 'MaterializeColumn', column: ['f'], partition: "PARTITION ID 'all'", text: "MATERIALIZE COLUMN f IN PARTITION ID 'all'" },
    ]);
  });

  it('rejects what ClickHouse rejects in column commands', () => {
    expectRejected('ALTER TABLE t MODIFY COLUMN x AFTER y', 'y', /end of the statement/);
    expectRejected('ALTER TABLE t MODIFY COLUMN x', '', /Expected a column type, a property/);
    expectRejected('ALTER TABLE t MODIFY COLUMN x REMOVE TYPE', 'TYPE', /after REMOVE/);
    expectRejected('ALTER TABLE t RENAME COLUMN x y', 'y', /Expected `TO`/);
    expectRejected('ALTER TABLE t MATERIALIZE COLUMN IF EXISTS x', 'EXISTS', /end of the statement/);
    expectRejected('ALTER TABLE t COMMENT COLUMN x', '', /Expected a comment string/);
    expectRejected('ALTER TABLE t ADD COLUMN x UInt8 FIRST AFTER y', 'AFTER', /end of the statement/);
    expectRejected("ALTER TABLE t CLEAR COLUMN x IN PART 'p'", 'PART', /Expected `PARTITION`/);
    expectRejected('ALTER TABLE t ALTER COLUMN x UInt8', 'UInt8', /Expected `TYPE`/);
    expectRejected('ALTER TABLE t MODIFY COLUMN x SETTINGS (a = 1)', 'SETTINGS', /reads `SETTINGS` right after the column name as a type/);
    expectRejected('ALTER TABLE t MODIFY COLUMN x EPHEMERAL', '', /after EPHEMERAL/);
    expectRejected('ALTER TABLE t MODIFY COLUMN x MODIFY SETTING max_compress_block_size', '', /Expected `=` and a value/);
  });
});

describe('indexes, projections, constraints and statistics', () => {
  it('reads every index command', () => {
    expect(
      actions(
        'ALTER TABLE t ADD INDEX IF NOT EXISTS i (a, b) TYPE bloom_filter(0.01) GRANULARITY 4 AFTER j, DROP INDEX IF EXISTS j, MATERIALIZE INDEX i IN PARTITION ALL, CLEAR INDEX IF EXISTS i',
      ),
    ).toEqual([
      {
        kind: 'AddIndex',
        ifNotExists: true,
        index: 'i (a, b) TYPE bloom_filter(0.01) GRANULARITY 4',
        position: { after: 'j' },
        text: 'ADD INDEX IF NOT EXISTS i (a, b) TYPE bloom_filter(0.01) GRANULARITY 4 AFTER j',
      },
      { kind: 'DropIndex', ifExists: true, name: 'j', text: 'DROP INDEX IF EXISTS j' },
      { kind: 'MaterializeIndex', ifExists: false, name: 'i', partition: 'PARTITION ALL', text: 'MATERIALIZE INDEX i IN PARTITION ALL' },
      { kind: 'ClearIndex', ifExists: true, name: 'i', text: 'CLEAR INDEX IF EXISTS i' },
    ]);
  });

  it('reads every projection command', () => {
    expect(
      actions(
        'ALTER TABLE t ADD PROJECTION IF NOT EXISTS p (SELECT a, count() GROUP BY a) WITH SETTINGS (index_granularity = 1024) FIRST, DROP PROJECTION q, MATERIALIZE PROJECTION IF EXISTS p IN PARTITION 1, CLEAR PROJECTION p',
      ),
    ).toEqual([
      {
        kind: 'AddProjection',
        ifNotExists: true,
        projection: 'p (SELECT a, count() GROUP BY a) WITH SETTINGS (index_granularity = 1024)',
        position: { first: true },
        text: 'ADD PROJECTION IF NOT EXISTS p (SELECT a, count() GROUP BY a) WITH SETTINGS (index_granularity = 1024) FIRST',
      },
      { kind: 'DropProjection', ifExists: false, name: 'q', text: 'DROP PROJECTION q' },
      { kind: 'MaterializeProjection', ifExists: true, name: 'p', partition: 'PARTITION 1', text: 'MATERIALIZE PROJECTION IF EXISTS p IN PARTITION 1' },
      { kind: 'ClearProjection', ifExists: false, name: 'p', text: 'CLEAR PROJECTION p' },
    ]);
  });

  it('reads ADD, MODIFY and DROP CONSTRAINT', () => {
    expect(actions('ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS c CHECK a > 0, MODIFY CONSTRAINT c ASSUME a > 1, DROP CONSTRAINT IF EXISTS d')).toEqual([
      { kind: 'AddConstraint', ifNotExists: true, constraint: 'c CHECK a > 0', text: 'ADD CONSTRAINT IF NOT EXISTS c CHECK a > 0' },
      { kind: 'ModifyConstraint', ifExists: false, constraint: 'c ASSUME a > 1', text: 'MODIFY CONSTRAINT c ASSUME a > 1' },
      { kind: 'DropConstraint', ifExists: true, name: 'd', text: 'DROP CONSTRAINT IF EXISTS d' },
    ]);
  });

  it('reads every statistics command', () => {
    const common = { kind: 'Statistics', ifExists: false, ifNotExists: false, all: false, types: [] };
    // Column and type lists take every name after a comma, as ClickHouse's do: such commands come last.
    expect(
      actions('ALTER TABLE t CLEAR STATISTICS ALL, MATERIALIZE STATISTICS a IN PARTITION 1, ADD STATISTICS IF NOT EXISTS a, b TYPE tdigest, uniq'),
    ).toEqual([
      { ...common, verb: 'CLEAR', all: true, columns: [], text: 'CLEAR STATISTICS ALL' },
      { ...common, verb: 'MATERIALIZE', columns: ['a'], partition: 'PARTITION 1', text: 'MATERIALIZE STATISTICS a IN PARTITION 1' },
      {
        ...common,
        verb: 'ADD',
        ifNotExists: true,
        columns: ['a', 'b'],
        types: ['tdigest', 'uniq'],
        text: 'ADD STATISTICS IF NOT EXISTS a, b TYPE tdigest, uniq',
      },
    ]);
    expect(actions('ALTER TABLE t MODIFY STATISTICS a TYPE TDigest(1)')).toEqual([
      { ...common, verb: 'MODIFY', columns: ['a'], types: ['TDigest(1)'], text: 'MODIFY STATISTICS a TYPE TDigest(1)' },
    ]);
    expect(actions('ALTER TABLE t DROP STATISTICS IF EXISTS b')).toEqual([
      { ...common, verb: 'DROP', ifExists: true, columns: ['b'], text: 'DROP STATISTICS IF EXISTS b' },
    ]);
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('ALTER TABLE t ADD INDEX i a', '', /Expected `TYPE`/);
    expectRejected('ALTER TABLE t ADD CONSTRAINT c a > 1', 'a', /Expected `CHECK` or `ASSUME`/);
    expectRejected('ALTER TABLE t ADD STATISTICS a', '', /Expected `TYPE`/);
    expectRejected('ALTER TABLE t DROP STATISTICS a TYPE tdigest', 'TYPE', /end of the statement/);
    expectRejected('ALTER TABLE t MODIFY STATISTICS IF EXISTS a TYPE tdigest', 'EXISTS', /Expected `TYPE`/);
    expectRejected('ALTER TABLE t MATERIALIZE STATISTICS ALL IN PARTITION 1', 'IN', /end of the statement/);
  });
});

describe('table-level modifications', () => {
  it('reads keys, TTL, settings, query, refresh, SQL security and comment', () => {
    expect(
      actions(
        "ALTER TABLE t MODIFY ORDER BY (a, b), MODIFY SAMPLE BY intHash32(a), REMOVE SAMPLE BY, MODIFY TTL d + INTERVAL 1 DAY DELETE, d + INTERVAL 1 WEEK TO VOLUME 'cold', REMOVE TTL, MATERIALIZE TTL IN PARTITION 1, MODIFY COMMENT 'events', MODIFY SETTING merge_with_ttl_timeout = 3600, ttl_only_drop_parts",
      ),
    ).toEqual([
      { kind: 'ModifyOrderBy', expression: '(a, b)', text: 'MODIFY ORDER BY (a, b)' },
      { kind: 'ModifySampleBy', expression: 'intHash32(a)', text: 'MODIFY SAMPLE BY intHash32(a)' },
      { kind: 'RemoveSampleBy', text: 'REMOVE SAMPLE BY' },
      {
        kind: 'ModifyTtl',
        ttl: ['d + INTERVAL 1 DAY DELETE', "d + INTERVAL 1 WEEK TO VOLUME 'cold'"],
        text: "MODIFY TTL d + INTERVAL 1 DAY DELETE, d + INTERVAL 1 WEEK TO VOLUME 'cold'",
      },
      { kind: 'RemoveTtl', text: 'REMOVE TTL' },
      { kind: 'MaterializeTtl', partition: 'PARTITION 1', text: 'MATERIALIZE TTL IN PARTITION 1' },
      { kind: 'ModifyComment', comment: "'events'", text: "MODIFY COMMENT 'events'" },
      {
        kind: 'ModifySetting',
        settings: ['merge_with_ttl_timeout = 3600', 'ttl_only_drop_parts'],
        text: 'MODIFY SETTING merge_with_ttl_timeout = 3600, ttl_only_drop_parts',
      },
    ]);
    expect(actions('ALTER TABLE t RESET SETTING a, b')).toEqual([{ kind: 'ResetSetting', settings: ['a', 'b'], text: 'RESET SETTING a, b' }]);
  });

  it('reads MODIFY QUERY, MODIFY REFRESH and MODIFY SQL SECURITY / DEFINER', () => {
    expect(actions('ALTER TABLE mv MODIFY QUERY SELECT a FROM src UNION ALL SELECT b FROM src2')).toEqual([
      { kind: 'ModifyQuery', query: 'SELECT a FROM src UNION ALL SELECT b FROM src2', text: 'MODIFY QUERY SELECT a FROM src UNION ALL SELECT b FROM src2' },
    ]);
    expect(actions('ALTER TABLE mv MODIFY REFRESH EVERY 1 HOUR APPEND')).toEqual([
      { kind: 'ModifyRefresh', refresh: 'REFRESH EVERY 1 HOUR APPEND', text: 'MODIFY REFRESH EVERY 1 HOUR APPEND' },
    ]);
    expect(actions('ALTER TABLE v MODIFY SQL SECURITY INVOKER, MODIFY DEFINER = admin SQL SECURITY DEFINER')).toEqual([
      { kind: 'ModifySqlSecurity', sqlSecurity: 'SQL SECURITY INVOKER', text: 'MODIFY SQL SECURITY INVOKER' },
      { kind: 'ModifySqlSecurity', sqlSecurity: 'DEFINER = admin SQL SECURITY DEFINER', text: 'MODIFY DEFINER = admin SQL SECURITY DEFINER' },
    ]);
  });

  it('reads the commands kept by keyword', () => {
    expect(actions("ALTER TABLE t APPLY PATCHES IN PARTITION 1, REWRITE PARTS, EXECUTE optimize(1), UNLOCK SNAPSHOT 'snap' FROM S3('x')")).toEqual([
      { kind: 'OtherAction', keyword: 'APPLY PATCHES', partition: 'PARTITION 1', text: 'APPLY PATCHES IN PARTITION 1' },
      { kind: 'OtherAction', keyword: 'REWRITE PARTS', text: 'REWRITE PARTS' },
      { kind: 'OtherAction', keyword: 'EXECUTE', text: 'EXECUTE optimize(1)' },
      { kind: 'OtherAction', keyword: 'UNLOCK SNAPSHOT', text: "UNLOCK SNAPSHOT 'snap' FROM S3('x')" },
    ]);
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('ALTER TABLE t MODIFY ORDER BY a, b', 'b', /Expected an ALTER command/);
    expectRejected('ALTER TABLE t RESET SETTING a, DROP COLUMN x', 'COLUMN', /end of the statement/);
    expectRejected('ALTER TABLE t MODIFY TTL REMOVE', 'REMOVE', /write `REMOVE TTL` as its own command/);
    expectRejected('ALTER TABLE t MODIFY COMMENT x', 'x', /Expected a comment string/);
    expectRejected('ALTER TABLE t RESET SETTING a = 1', '=', /end of the statement/);
    expectRejected('ALTER TABLE t MODIFY ENGINE = MergeTree', 'MODIFY', /Expected an ALTER command/);
    expectRejected('ALTER TABLE t EXECUTE foo', '', /Expected `\(`/);
  });
});

describe('mutations', () => {
  it('reads UPDATE with IN PARTITION (the value stops before it) and DELETE', () => {
    expect(actions("ALTER TABLE t UPDATE a = a + 1, b = b IN (1, 2) IN PARTITION (2024, 1) WHERE c > 0, DELETE IN PARTITION ID 'x' WHERE d = 1")).toEqual([
      {
        kind: 'Update',
        assignments: [
          { column: ['a'], value: 'a + 1' },
          { column: ['b'], value: 'b IN (1, 2)' },
        ],
        partition: 'PARTITION (2024, 1)',
        where: 'c > 0',
        text: 'UPDATE a = a + 1, b = b IN (1, 2) IN PARTITION (2024, 1) WHERE c > 0',
      },
      { kind: 'Delete', partition: "PARTITION ID 'x'", where: 'd = 1', text: "DELETE IN PARTITION ID 'x' WHERE d = 1" },
    ]);
  });

  it('reads APPLY DELETED MASK', () => {
    expect(actions('ALTER TABLE t APPLY DELETED MASK, APPLY DELETED MASK IN PARTITION 1')).toEqual([
      { kind: 'ApplyDeletedMask', text: 'APPLY DELETED MASK' },
      { kind: 'ApplyDeletedMask', partition: 'PARTITION 1', text: 'APPLY DELETED MASK IN PARTITION 1' },
    ]);
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('ALTER TABLE t UPDATE a = 1', '', /Expected `WHERE`/);
    expectRejected('ALTER TABLE t UPDATE n.a = 1 WHERE 1', '.', /Expected `=` and the new value/);
    expectRejected('ALTER TABLE t\nDELETE\nWHERE (x AS y)', '(', /without an alias/);
    expectRejected('ALTER TABLE t DELETE', '', /Expected `WHERE`/);
  });
});

describe('partitions and parts', () => {
  it('reads drop, detach, forget and attach', () => {
    expect(
      actions(
        "ALTER TABLE t DROP PARTITION '2024-01', DROP PART 'all_1_1_0', DETACH PARTITION ALL, DETACH PART 'p', DROP DETACHED PARTITION ID 'x', DROP DETACHED PART 'q', FORGET PARTITION tuple(), ATTACH PARTITION 1, ATTACH PART 'r' FROM '/backup', ATTACH PARTITION 2 FROM db.src",
      ),
    ).toEqual([
      { kind: 'PartitionOperation', operation: 'DROP PARTITION', partition: "PARTITION '2024-01'", text: "DROP PARTITION '2024-01'" },
      { kind: 'PartitionOperation', operation: 'DROP PART', partition: "PART 'all_1_1_0'", text: "DROP PART 'all_1_1_0'" },
      { kind: 'PartitionOperation', operation: 'DETACH PARTITION', partition: 'PARTITION ALL', text: 'DETACH PARTITION ALL' },
      { kind: 'PartitionOperation', operation: 'DETACH PART', partition: "PART 'p'", text: "DETACH PART 'p'" },
      { kind: 'PartitionOperation', operation: 'DROP DETACHED PARTITION', partition: "PARTITION ID 'x'", text: "DROP DETACHED PARTITION ID 'x'" },
      { kind: 'PartitionOperation', operation: 'DROP DETACHED PART', partition: "PART 'q'", text: "DROP DETACHED PART 'q'" },
      { kind: 'PartitionOperation', operation: 'FORGET PARTITION', partition: 'PARTITION tuple()', text: 'FORGET PARTITION tuple()' },
      { kind: 'PartitionOperation', operation: 'ATTACH PARTITION', partition: 'PARTITION 1', text: 'ATTACH PARTITION 1' },
      { kind: 'PartitionOperation', operation: 'ATTACH PART', partition: "PART 'r'", fromPath: "'/backup'", text: "ATTACH PART 'r' FROM '/backup'" },
      { kind: 'PartitionOperation', operation: 'ATTACH PARTITION FROM', partition: 'PARTITION 2', fromTable: 'db.src', text: 'ATTACH PARTITION 2 FROM db.src' },
    ]);
  });

  it('reads replace, move, fetch, freeze and unfreeze', () => {
    expect(
      actions(
        "ALTER TABLE t REPLACE PARTITION 1 FROM src, MOVE PARTITION 2 TO TABLE db.dst, MOVE PARTITION 3 TO DISK 'ssd', MOVE PART 'p' TO VOLUME 'cold', FETCH PARTITION 4 FROM '/zk/t', FETCH PART 'q' FROM '/zk/t', FREEZE, FREEZE PARTITION 5 WITH NAME 'b1', UNFREEZE WITH NAME 'b1'",
      ),
    ).toEqual([
      { kind: 'PartitionOperation', operation: 'REPLACE PARTITION', partition: 'PARTITION 1', fromTable: 'src', text: 'REPLACE PARTITION 1 FROM src' },
      {
        kind: 'PartitionOperation',
        operation: 'MOVE PARTITION TO TABLE',
        partition: 'PARTITION 2',
        toTable: 'db.dst',
        text: 'MOVE PARTITION 2 TO TABLE db.dst',
      },
      {
        kind: 'PartitionOperation',
        operation: 'MOVE PARTITION TO DISK',
        partition: 'PARTITION 3',
        destination: "'ssd'",
        text: "MOVE PARTITION 3 TO DISK 'ssd'",
      },
      { kind: 'PartitionOperation', operation: 'MOVE PART TO VOLUME', partition: "PART 'p'", destination: "'cold'", text: "MOVE PART 'p' TO VOLUME 'cold'" },
      { kind: 'PartitionOperation', operation: 'FETCH PARTITION', partition: 'PARTITION 4', fromPath: "'/zk/t'", text: "FETCH PARTITION 4 FROM '/zk/t'" },
      { kind: 'PartitionOperation', operation: 'FETCH PART', partition: "PART 'q'", fromPath: "'/zk/t'", text: "FETCH PART 'q' FROM '/zk/t'" },
      { kind: 'PartitionOperation', operation: 'FREEZE', text: 'FREEZE' },
      { kind: 'PartitionOperation', operation: 'FREEZE PARTITION', partition: 'PARTITION 5', withName: "'b1'", text: "FREEZE PARTITION 5 WITH NAME 'b1'" },
      { kind: 'PartitionOperation', operation: 'UNFREEZE', withName: "'b1'", text: "UNFREEZE WITH NAME 'b1'" },
    ]);
  });

  it('takes the partition values ClickHouse takes: literals, tuples, casts of literals, parameters', () => {
    const sql =
      "ALTER TABLE t DROP PARTITION -1, DROP PARTITION (1, 'a'), DROP PARTITION '2020'::Date, DROP PARTITION CAST('x' AS String), DROP PARTITION {p:UInt32}, DROP PARTITION [1, [2]]";
    expect(actions(sql).map((a) => a.partition)).toEqual([
      'PARTITION -1',
      "PARTITION (1, 'a')",
      "PARTITION '2020'::Date",
      "PARTITION CAST('x' AS String)",
      'PARTITION {p:UInt32}',
      'PARTITION [1, [2]]',
    ]);
  });

  it('rejects partition expressions and operations that ClickHouse rejects', () => {
    expectRejected('ALTER TABLE t DROP PARTITION toYYYYMM(d)', 'toYYYYMM', /Expected a partition value/);
    expectRejected('ALTER TABLE t DROP PARTITION 1 + 1', '1', /Expected a partition value/);
    expectRejected('ALTER TABLE t DROP PARTITION x', 'x', /Expected a partition value/);
    expectRejected("ALTER TABLE t DROP PARTITION DATE '2020-01-01'", 'DATE', /Expected a partition value/);
    expectRejected('ALTER TABLE t DROP PART x', 'x', /Expected a part name string/);
    expectRejected("ALTER TABLE t FORGET PART 'a'", 'FORGET', /Expected an ALTER command/);
    expectRejected('ALTER TABLE t REPLACE PARTITION 1', '', /Expected `FROM`/);
    expectRejected("ALTER TABLE t MOVE PART 'a' TO TABLE x", 'TABLE', /Expected `TO DISK`/, 2);
    expectRejected("ALTER TABLE t MOVE PARTITION 1 TO SHARD '/x'", 'SHARD', /Expected `TO DISK`/);
    expectRejected('ALTER TABLE t UNFREEZE', '', /Expected `WITH`/);
    expectRejected('ALTER TABLE t FREEZE PARTITION 1 WITH NAME x', 'x', /Expected a backup name string/);
    expectRejected('ALTER TABLE t ATTACH PART ALL', 'ALL', /Expected a part name string/);
  });
});

describe('ALTER DATABASE', () => {
  it('reads settings and a comment, plain or parenthesized', () => {
    const sql = "ALTER DATABASE d ON CLUSTER c MODIFY COMMENT 'x', MODIFY SETTING a = 1, b";
    expect(shape(sql, parseOne(sql))).toEqual({ kind: 'AlterDatabase', name: 'd', onCluster: 'c', comment: "'x'", settings: ['a = 1', 'b'], text: sql });
    const formatted = "ALTER DATABASE d (MODIFY COMMENT 'x')";
    expect(shape(formatted, parseOne(formatted))).toEqual({ kind: 'AlterDatabase', name: 'd', comment: "'x'", text: formatted });
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected("ALTER DATABASE d MODIFY SETTING a = 1, MODIFY COMMENT 'x'", 'COMMENT', /end of the statement/);
    expectRejected("ALTER DATABASE db.d MODIFY COMMENT 'x'", '.', /Expected `MODIFY SETTING` or `MODIFY COMMENT`/);
    expectRejected('ALTER DATABASE d RESET SETTING a', 'RESET', /Expected `MODIFY SETTING` or `MODIFY COMMENT`/);
  });
});

describe('ALTER of access entities and named collections', () => {
  it('keeps them as Other statements, checked against the grammar', () => {
    const cases: [string, string][] = [
      ["ALTER USER IF EXISTS u ON CLUSTER c HOST NONE ADD HOST NAME 'h' DROP HOST LOCAL DEFAULT ROLE r", 'ALTER USER'],
      ['ALTER USER u RENAME TO v', 'ALTER USER'],
      ['ALTER USER u DROP SETTINGS a, ADD SETTINGS b = 1', 'ALTER USER'],
      ['ALTER ROLE r ADD SETTINGS a = 1', 'ALTER ROLE'],
      ['ALTER QUOTA q FOR INTERVAL 1 hour NO LIMITS', 'ALTER QUOTA'],
      ['ALTER POLICY p ON t USING NONE', 'ALTER ROW POLICY'],
      ["ALTER PROFILE p ADD PROFILE 'q' TO r", 'ALTER SETTINGS PROFILE'],
    ];
    for (const [sql, keyword] of cases) {
      const { alteration, ...statement } = parseOne(sql) as OtherStatement;
      expect(statement).toEqual({ kind: 'Other', keyword, start: 0, end: sql.length });
      // What an ALTER of an access entity sets, for the model and the embedded engine's catalog (issue 14).
      expect(alteration?.entity, sql).toBe(keyword.slice('ALTER '.length));
    }
  });

  it('reads ALTER NAMED COLLECTION: the keys it sets and deletes (issue 18: the plan writes it)', () => {
    const sql = "ALTER NAMED COLLECTION IF EXISTS n ON CLUSTER c SET a = 1, password = 'p' NOT OVERRIDABLE, h = 'x' OVERRIDABLE DELETE b, c";
    const statement = parseOne(sql);
    expect(shape(sql, statement)).toEqual({
      kind: 'AlterNamedCollection',
      ifExists: true,
      name: 'n',
      onCluster: 'c',
      set: [
        { key: 'a', value: '1' },
        { key: 'password', value: "'p'", overridable: false },
        { key: 'h', value: "'x'", overridable: true },
      ],
      delete: ['b', 'c'],
      text: sql,
    });
    // Both are optional to ClickHouse's parser too.
    for (const only of ["ALTER NAMED COLLECTION n SET a = 'x'", 'ALTER NAMED COLLECTION n DELETE a', 'ALTER NAMED COLLECTION n'])
      expect(parseOne(only).kind).toBe('AlterNamedCollection');
    expectRejected("ALTER NAMED COLLECTION n DELETE a SET b = 'x'", 'SET', /end of the statement/);
  });

  it('keeps the IDENTIFIED clause of ALTER USER, with its secrets', () => {
    const sql = "ALTER USER app IDENTIFIED WITH sha256_password BY 'hunter2' HOST ANY";
    const statement = parseOne(sql);
    expect(statement.kind === 'Other' && statement.identification).toEqual({
      kind: 'Identification',
      method: 'sha256_password',
      secrets: [{ kind: 'Literal', type: 'string', value: 'hunter2', start: 50, end: 59 }],
      start: 15,
      end: 59,
    });
    expect(sql.slice(50, 59)).toBe("'hunter2'");
  });

  it('rejects what ClickHouse rejects', () => {
    expectRejected('ALTER USER u', '', /Expected a change/);
    expectRejected('ALTER USER u, v RENAME TO w', 'RENAME', /Expected a change/);
    expectRejected('ALTER USER u ROLE r', 'ROLE', /Expected a change/);
    expectRejected('ALTER USER u ADD IDENTIFIED WITH no_password', 'no_password', /Expected an authentication method/);
    expectRejected('ALTER USER u ADD SETTINGS b = 1, DROP SETTINGS a', 'DROP', /wants every DROP before them/);
  });
});
