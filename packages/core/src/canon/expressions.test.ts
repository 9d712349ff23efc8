import { describe, expect, it } from 'vitest';
import { parseSql } from '../syntax/parser.js';
import { canonicalQuery } from './expressions.js';

// A FROM name is a CTE or a table as the binder resolves it (bind/binder.ts), not by a list of CTE
// names of its own: a table is qualified with the context database, as ClickHouse stores it; a CTE
// is not.

function canonical(select: string): string {
  const [statement] = parseSql(`CREATE VIEW v AS ${select}`).statements;
  if (statement?.kind !== 'CreateView' || !statement.query) throw new Error(`not a view: ${select}`);
  return canonicalQuery(statement.query, { database: 'db' });
}

describe('canonicalQuery', () => {
  it('leaves a CTE unqualified and qualifies a table', () => {
    expect(canonical('WITH t AS (SELECT 1 AS n) SELECT n FROM t')).toContain('FROM t');
    expect(canonical('WITH t AS (SELECT 1 AS n) SELECT n FROM other')).toContain('FROM db.other');
    expect(canonical('WITH t AS (SELECT 1 AS n) SELECT n FROM x.t')).toContain('FROM x.t');
  });

  it("reads a table of the CTE's name inside the CTE's own query, as ClickHouse 26.7 does", () => {
    const text = canonical('WITH t AS (SELECT n FROM t) SELECT n FROM t');
    expect(text.match(/FROM [\w.]+/g)).toEqual(['FROM db.t', 'FROM t']);
  });

  it('sees a CTE from a subquery in an expression, and a later CTE from an earlier one', () => {
    expect(canonical('WITH c AS (SELECT 1 AS n) SELECT n FROM x.y WHERE n IN (SELECT n FROM c)').match(/FROM [\w.]+/g)).toEqual(['FROM x.y', 'FROM c']);
    expect(canonical('WITH a AS (SELECT n FROM b), b AS (SELECT 1 AS n) SELECT n FROM a').match(/FROM [\w.]+/g)).toEqual(['FROM b', 'FROM a']);
  });
});
