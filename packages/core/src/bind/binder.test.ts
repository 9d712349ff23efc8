import { describe, expect, it } from 'vitest';
import type { SelectQuery } from '../syntax/ast.js';
import { forEachDescendant } from '../syntax/nodes.js';
import { parseSql } from '../syntax/parser.js';
import { bindQuery, type Catalog, type NameSymbol } from './binder.js';
import { inferOutputColumns } from './types.js';

// Each case binds one query over known tables and lists every column reference as `name -> meaning`
// in source order. The ClickHouse facts behind the less obvious cases were checked on chDB 26.7:
// a CTE reads the table of its own name (`WITH t AS (SELECT x + 1 AS x FROM t)` gives 8 over a row
// 7), a CTE may read one defined after it, a SELECT alias wins over a column in WHERE, and a
// lambda parameter hides a column of the same name.

const TABLES: Record<string, string[]> = {
  'db.t': ['x', 'arr', 'k', 'n.a', 'n.b'],
  'db.u': ['k', 'y'],
};
const catalog: Catalog = { columnsOf: (id) => (TABLES[id] ? new Set(TABLES[id]) : undefined) };

function bound(sql: string): string[] {
  const statement = parseSql(sql).statements[0];
  if (statement?.kind !== 'SelectStatement') throw new Error(`not a query: ${sql}`);
  const query: SelectQuery = statement.query;
  const binding = bindQuery(query, { database: 'db', catalog });
  const lines: string[] = [];
  forEachDescendant(query, (node) => {
    if (node.kind === 'ColumnRef') {
      const symbol = binding.symbols.get(node);
      lines.push(`${node.parts.map((p) => p.name).join('.')} -> ${symbol ? meaning(symbol) : 'unbound'}`);
    }
    if (node.kind === 'Asterisk') {
      const star = binding.stars.get(node);
      const sources = star?.sources.map((s) => (s.kind === 'table' ? s.id : s.kind)).join(', ');
      lines.push(`* -> ${sources}${star?.except.length ? ` except ${star.except.join(', ')}` : ''}`);
    }
    return undefined;
  });
  return lines;
}

function meaning(symbol: NameSymbol): string {
  switch (symbol.kind) {
    case 'column':
      return `${symbol.known ? '' : '?'}[${symbol.tables.join(', ')}].${symbol.column}`;
    case 'source-column':
      return `${symbol.source.kind}.${symbol.column}`;
    case 'alias':
      return `alias ${symbol.declaration.kind === 'WithElement' ? symbol.declaration.name.name : symbol.declaration.alias.name}`;
    case 'lambda-parameter':
      return `parameter ${symbol.declaration.name}`;
    case 'table':
      return `table ${symbol.reference.database ?? ''}.${symbol.reference.name}`;
  }
}

describe('bindQuery', () => {
  it('tells lambda parameters, aliases and columns apart', () => {
    expect(bound('SELECT arrayMap(x -> x + 1, arr) AS plus, x, plus * 2 FROM t WHERE plus[1] > 0')).toEqual([
      'x -> parameter x',
      'arr -> [db.t].arr',
      'x -> [db.t].x',
      'plus -> alias plus',
      'plus -> alias plus',
    ]);
  });

  it('reads a column inside the expression of an alias of the same name', () => {
    expect(bound('SELECT lower(y) AS y FROM u WHERE y = 1')).toEqual(['y -> [db.u].y', 'y -> alias y']);
  });

  it('resolves qualifiers, USING and joined tables by their columns', () => {
    expect(bound('SELECT t.x, u.y, db.t.k, k, y, z FROM t AS a JOIN db.u USING (k)')).toEqual([
      't.x -> [db.t].x',
      'u.y -> [db.u].y',
      'db.t.k -> [db.t].k',
      'k -> [db.t, db.u].k',
      'y -> [db.u].y',
      'z -> ?[db.t, db.u].z',
      'k -> [db.t, db.u].k',
    ]);
  });

  it('expands * and t.* with EXCEPT, and binds REPLACE over the same sources', () => {
    expect(bound('SELECT * EXCEPT (k), u.* REPLACE (y + 1 AS y) FROM t JOIN u ON t.k = u.k')).toEqual([
      '* -> db.t, db.u except k',
      'k -> unbound',
      '* -> db.u',
      'y -> [db.u].y',
      't.k -> [db.t].k',
      'u.k -> [db.u].k',
    ]);
  });

  it('binds ARRAY JOIN aliases and Nested subcolumns', () => {
    expect(bound('SELECT e, n.a, arr FROM t ARRAY JOIN arr AS e, n')).toEqual([
      'e -> alias e',
      'n.a -> [db.t].n.a',
      'arr -> [db.t].arr',
      'arr -> [db.t].arr',
      'n -> [db.t].n',
    ]);
  });

  it('reads a CTE by its name, except inside itself, and a CTE defined later', () => {
    expect(bound('WITH t AS (SELECT x + 1 AS x FROM t), c AS (SELECT * FROM d), d AS (SELECT y FROM u) SELECT x FROM t')).toEqual([
      'x -> [db.t].x',
      '* -> cte',
      'y -> [db.u].y',
      'x -> cte.x',
    ]);
  });

  it('under WITH RECURSIVE, reads a UNION CTE by its name inside itself too (checked on chDB 26.7)', () => {
    const sql = `
      WITH RECURSIVE
        t AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM (SELECT * FROM t) WHERE x < 3),
        u AS (SELECT k FROM u)
      SELECT x FROM t`;
    expect(bound(sql)).toEqual(['x -> subquery.x', '* -> cte', 'x -> subquery.x', 'k -> [db.u].k', 'x -> cte.x']);
    const statement = parseSql(sql).statements[0];
    if (statement?.kind !== 'SelectStatement') throw new Error('not a query');
    // `u` is no UNION: it reads the table `u`, as it would without RECURSIVE.
    expect(bindQuery(statement.query, { database: 'db', catalog }).references.map((r) => r.name)).toEqual(['u']);
  });

  it('infers the columns of a query over a recursive CTE without following it forever', () => {
    // Found on the lint-precision corpus (payments-ledger): a view over WITH RECURSIVE overflowed the
    // stack. Its types are not claimed: ClickHouse widens them as it iterates (`depth` is UInt64 on chDB 26.7).
    const statement = parseSql(`
      WITH RECURSIVE tree AS (SELECT k, 0 AS depth FROM t UNION ALL SELECT t.k, tree.depth + 1 AS depth FROM t JOIN tree ON t.k = tree.k)
      SELECT k, depth FROM tree`).statements[0];
    if (statement?.kind !== 'SelectStatement') throw new Error('not a query');
    const typed = { ...catalog, typedColumnsOf: (id: string) => (id === 'db.t' ? [{ name: 'k', type: 'UInt8', inStar: true }] : undefined) };
    const columns = inferOutputColumns(statement.query, { database: 'db', catalog: typed, typeText: () => '', numberText: (text) => text });
    expect(columns.map((c) => `${c.name}: ${c.type ?? c.problem}`)).toEqual(['k: column `k` of CTE `tree`', 'depth: column `depth` of CTE `tree`']);
  });

  it('reads the columns of a CTE by the names its column list gives them (#15)', () => {
    // Two sources, so a column binds to the one that has it: `a` is only the CTE's, by its list.
    expect(bound('WITH c (a, b) AS (SELECT x, k FROM t) SELECT a, y, x FROM c, u')).toEqual([
      'x -> [db.t].x',
      'k -> [db.t].k',
      'a -> cte.a',
      'y -> [db.u].y',
      'x -> ?[db.u].x',
    ]);
  });

  it('binds a WITH expression without a name, and names nothing after it (#15)', () => {
    expect(bound('WITH 1 + 1, 2 AS two SELECT two, x FROM t')).toEqual(['two -> alias two', 'x -> [db.t].x']);
  });

  it('gives a subquery its own FROM and the outer WITH names', () => {
    expect(bound('WITH 2 AS two SELECT x FROM t WHERE k IN (SELECT k * two FROM u) AND x IN db.u')).toEqual([
      'x -> [db.t].x',
      'k -> [db.t].k',
      'k -> [db.u].k',
      'two -> alias two',
      'x -> [db.t].x',
      'db.u -> table db.u',
    ]);
  });

  it('lists the objects a query reads, without CTE names', () => {
    const statement = parseSql("WITH c AS (SELECT 1) SELECT dictGet('db.d', 'a', k) FROM c JOIN db.u USING (k) WHERE k IN (SELECT k FROM remote('h', db, t))")
      .statements[0];
    if (statement?.kind !== 'SelectStatement') throw new Error('not a query');
    const { references } = bindQuery(statement.query, { database: 'db', catalog });
    expect(references.map((r) => `${r.kind} ${r.database ?? ''}.${r.name}`)).toEqual(['table db.u', 'dictionary db.d', 'table-function db.t']);
  });
});
