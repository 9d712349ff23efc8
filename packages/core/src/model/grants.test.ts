import { describe, expect, it } from 'vitest';
import type { GrantStatement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { effectiveGrants, showGrantsLines, UnsupportedGrantError } from './grants.js';
import { buildModel } from './replay.js';

// Partial revokes as ClickHouse's rights tree keeps them. Expected lines are ClickHouse's own:
// tests/queries/0_stateless/01074_partial_revokes.{sql,reference} of the ClickHouse repository
// (26.x), where `table` prints quoted because it is a keyword.

function showGrants(...statements: string[]): string[] {
  const replayed = effectiveGrants(
    statements.map((sql) => {
      const [statement] = parseSql(sql).statements;
      if (statement?.kind !== 'Grant' && statement?.kind !== 'Revoke') throw new Error(`not a GRANT or REVOKE: ${sql}`);
      return { statement: statement as GrantStatement, database: 'default' };
    }),
  );
  return showGrantsLines(replayed, 'u');
}

describe('partial revokes (ClickHouse test 01074_partial_revokes)', () => {
  it.each([
    ['simple 1', ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u'], ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u']],
    ['simple 2', ['GRANT SELECT ON db.* TO u', 'REVOKE SELECT ON db.table FROM u'], ['GRANT SELECT ON db.* TO u', 'REVOKE SELECT ON db.`table` FROM u']],
    [
      'simple 3',
      ['GRANT SELECT ON db.table TO u', 'REVOKE SELECT(col1) ON db.table FROM u'],
      ['GRANT SELECT ON db.`table` TO u', 'REVOKE SELECT(col1) ON db.`table` FROM u'],
    ],
    [
      'complex 1',
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT(col1, col2) ON db.table FROM u'],
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT(col1, col2) ON db.`table` FROM u'],
    ],
    [
      'complex 2',
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u', 'GRANT SELECT ON db.table TO u', 'REVOKE SELECT(col1) ON db.table FROM u'],
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u', 'GRANT SELECT ON db.`table` TO u', 'REVOKE SELECT(col1) ON db.`table` FROM u'],
    ],
    ['cleanup', ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u', 'REVOKE SELECT ON *.* FROM u'], []],
    [
      'revoke 1',
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.table FROM u', 'REVOKE SELECT ON db.* FROM u'],
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u'],
    ],
    ['revoke 2', ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.table FROM u', 'GRANT SELECT ON db.* TO u'], ['GRANT SELECT ON *.* TO u']],
    [
      'grant option 1',
      ['GRANT SELECT ON *.* TO u WITH GRANT OPTION', 'REVOKE GRANT OPTION FOR SELECT(col1) ON db.table FROM u'],
      ['GRANT SELECT ON *.* TO u WITH GRANT OPTION', 'REVOKE GRANT OPTION FOR SELECT(col1) ON db.`table` FROM u'],
    ],
    [
      'grant option 2',
      ['GRANT SELECT ON *.* TO u WITH GRANT OPTION', 'REVOKE SELECT(col1) ON db.table FROM u'],
      ['GRANT SELECT ON *.* TO u WITH GRANT OPTION', 'REVOKE SELECT(col1) ON db.`table` FROM u'],
    ],
    ['grant option 3', ['GRANT SELECT ON *.* TO u', 'REVOKE GRANT OPTION FOR SELECT(col1) ON db.table FROM u'], ['GRANT SELECT ON *.* TO u']],
    [
      'grant option 4',
      ['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.table FROM u', 'GRANT SELECT ON db.* TO u WITH GRANT OPTION'],
      ['GRANT SELECT ON *.* TO u', 'GRANT SELECT ON db.* TO u WITH GRANT OPTION'],
    ],
  ])('%s', (_name, statements, expected) => {
    expect(showGrants(...statements)).toEqual(expected);
  });

  it('keeps a revoke of one privilege under a group granted above it, and of what a group revoke takes', () => {
    expect(showGrants('GRANT ALL ON *.* TO u', 'REVOKE SELECT(c) ON db.t FROM u')).toEqual(['GRANT ALL ON *.* TO u', 'REVOKE SELECT(c) ON db.t FROM u']);
    expect(showGrants('GRANT SELECT ON *.* TO u', 'REVOKE ALL ON db.* FROM u')).toEqual(['GRANT SELECT ON *.* TO u', 'REVOKE SELECT ON db.* FROM u']);
  });

  it('refuses what no GRANT and REVOKE lines of the privileges written can show', () => {
    expect(() => showGrants('GRANT ALL ON db.* TO u', 'REVOKE DROP ON db.* FROM u')).toThrow(UnsupportedGrantError);
  });

  it("warns at the repository's statement whose grants the plan cannot compare", () => {
    const sql = 'GRANT ALL ON db.* TO u;\nREVOKE DROP TABLE ON db.* FROM u;\n';
    const { diagnostics } = buildModel([{ file: 'access.sql', statements: parseSql(sql).statements }]);
    expect(diagnostics.map((d) => ({ code: d.code, severity: d.severity, at: sql.slice(d.range.start, d.range.end), message: d.message }))).toEqual([
      {
        code: 'plan-unsupported',
        severity: 'warning',
        at: 'REVOKE DROP TABLE ON db.* FROM u',
        message:
          'REVOKE DROP TABLE takes part of `ALL` granted on db.*: ClickHouse then shows the rest of the group as a list of its privileges, which the plan does not compare and the embedded engine does not run.',
      },
    ]);
  });
});
