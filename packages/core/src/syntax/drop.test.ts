import { describe, expect, it } from 'vitest';
import type { DropStatement } from './ast.js';
import { clickhouseRejection, expectSameVerdicts } from './clickhouseOracle.js';
import { parseSql } from './parser.js';

// DROP, DETACH and UNDROP. Every statement here is also judged by ClickHouse (chDB).

function drop(sql: string) {
  const { statements, diagnostics } = parseSql(sql);
  expect(diagnostics).toEqual([]);
  expect(clickhouseRejection(sql)).toBeUndefined();
  const statement = statements[0] as DropStatement;
  const text = (node: { start: number; end: number }): string => sql.slice(node.start, node.end);
  return {
    objectKind: statement.objectKind,
    names: statement.names.map((n) => n.name.name),
    on: statement.on?.map(text),
    policies: statement.policies?.map((group) => `${group.names.map((n) => n.name).join(', ')} ON ${group.on.map(text).join(', ')}`),
    onCluster: statement.onCluster && text(statement.onCluster),
  };
}

describe('DROP of access entities (#15)', () => {
  it('names users and roles with hosts and as strings, as CREATE USER does', () => {
    expect(drop("DROP USER IF EXISTS u1@'%', 'u2@%.myhost.com', u3@'192.168.%.%', 'u4@::1'")).toEqual({
      objectKind: 'USER',
      names: ['u1', 'u2@%.myhost.com', 'u3@192.168.%.%', 'u4@::1'],
      on: undefined,
      policies: undefined,
      onCluster: undefined,
    });
    expect(drop("DROP ROLE r1@'%', 'r2' FROM local_directory ON CLUSTER c")).toMatchObject({ objectKind: 'ROLE', names: ['r1', 'r2'], onCluster: 'c' });
    expect(drop("DROP SETTINGS PROFILE 'p', q")).toMatchObject({ objectKind: 'SETTINGS PROFILE', names: ['p', 'q'] });
    expect(drop("DROP QUOTA ' spaces'")).toMatchObject({ objectKind: 'QUOTA', names: [' spaces'] });
  });

  it('keeps each row policy with its tables', () => {
    expect(drop('DROP ROW POLICY IF EXISTS 02911_rowpolicy ON default.* ON CLUSTER test_shard_localhost')).toMatchObject({
      names: ['02911_rowpolicy'],
      policies: ['02911_rowpolicy ON default.*'],
      onCluster: 'test_shard_localhost',
    });
    expect(drop('DROP POLICY p4 ON db.table, p5 ON db2.table2')).toMatchObject({
      names: ['p4', 'p5'],
      on: ['db.table', 'db2.table2'],
      policies: ['p4 ON db.table', 'p5 ON db2.table2'],
    });
    expect(drop('DROP POLICY p1, p2 ON CLUSTER c ON t1')).toMatchObject({ policies: ['p1, p2 ON t1'], onCluster: 'c' });
  });

  it('takes each clause only where ClickHouse does', () => {
    expectSameVerdicts([
      "DROP USER 'a'@'b'",
      'DROP USER u SYNC',
      'DROP USER u FROM local_directory ON CLUSTER c',
      'DROP USER u ON CLUSTER c FROM local_directory ON CLUSTER c',
      'DROP POLICY p4, p5 ON db.table, db2.table2',
      'DROP POLICY p1 ON t1, t2',
      "DROP ROLE r1@'%', 'r2' ON CLUSTER c FROM local_directory",
      'DROP POLICY p ON t ON CLUSTER c FROM local_directory',
      'DROP POLICY p ON t FROM local_directory',
      'DROP TABLE t FROM x',
      'DROP TABLE t SYNC',
      'DROP FUNCTION f SYNC',
      'DROP NAMED COLLECTION n SYNC',
      'DETACH USER u',
      'DETACH DICTIONARY d PERMANENTLY SYNC',
      'UNDROP USER u',
      'UNDROP VIEW v',
      'UNDROP TABLE t',
    ]);
  });
});
