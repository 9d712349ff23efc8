import type {
  ArrayJoinClause,
  Expression,
  FromClause,
  FunctionCall,
  Identifier,
  JoinClause,
  OrderByElement,
  SelectQuery,
  SelectSettings,
  SelectStatement,
  TableExpression,
  TableFunction,
  WithElement,
} from './ast.js';
import {
  canStartImplicitAlias,
  IMPLICIT_ALIAS,
  parseAliasedExpression,
  parseArgumentList,
  parseExpression,
  parseExpressionList,
  parseWindowSpec,
} from './expressions.js';
import { isKeyword } from './keywords.js';
import { type Parser, trimList } from './parser.js';
import { parseSettingList } from './settings.js';
import type { TokenKind } from './tokens.js';

/** True at `SELECT`, `WITH`, or `(` that opens a query. */
export function isSelectStart(p: Parser, offset = 0): boolean {
  const word = p.word(offset);
  if (word === 'SELECT' || word === 'WITH') return true;
  return p.at('LParen', offset) && isSelectStart(p, offset + 1);
}

const SET_OPERATORS = new Set(['UNION', 'INTERSECT', 'EXCEPT']);

/** The kinds of EXPLAIN, longest first where one starts another. */
export const EXPLAIN_KINDS = ['AST', 'SYNTAX', 'QUERY TREE', 'PIPELINE', 'PLAN', 'ESTIMATE', 'TABLE OVERRIDE', 'CURRENT TRANSACTION', 'ANALYZE', 'WHATIF'];

/** True where a subquery starts: a query, or `EXPLAIN`, whose output ClickHouse reads as a table. */
export function isSubqueryStart(p: Parser, offset = 0): boolean {
  if (isSelectStart(p, offset)) return true;
  if (!p.atWord('EXPLAIN', offset)) return false;
  // `(explain, 1)` is a tuple of the column `explain`: EXPLAIN needs a kind, a setting or a query next.
  const next = offset + 1;
  return EXPLAIN_KINDS.some((kind) => p.atWord(kind.split(' ')[0], next)) || isSelectStart(p, next) || (p.atIdentifier(next) && p.at('Equals', next + 1));
}

/**
 * The query inside parentheses. `EXPLAIN [kind] [name = value, ...] query` there is read as ClickHouse
 * reads it, `SELECT * FROM viewExplain('EXPLAIN kind', 'name = value, ...', (query))` (ParserSubquery
 * rewrites it so; PLAN, the default kind, is left out), which is also how the server stores it.
 */
export function parseSubquery(p: Parser): SelectQuery {
  if (!p.atWord('EXPLAIN')) return parseSelectQuery(p);
  const start = p.tokenStart;
  p.next();
  let kind = 'EXPLAIN';
  for (const candidate of EXPLAIN_KINDS) {
    const words = candidate.split(' ');
    if (!p.atWords(words[0], words[1])) continue;
    for (const _ of words) p.next();
    if (candidate !== 'PLAN') kind += ` ${candidate}`;
    break;
  }
  const settings: string[] = [];
  if (kind !== 'EXPLAIN CURRENT TRANSACTION') {
    while (p.atIdentifier() && p.at('Equals', 1)) {
      const name = p.identifierName('a setting name');
      p.next();
      const value = parseExpression(p);
      settings.push(`${name} = ${p.source.slice(value.start, value.end)}`);
      if (!p.accept('Comma')) break;
    }
  }
  const end = (): number => p.lastEnd;
  const text = (value: string, at: number): Expression => ({ kind: 'Literal', type: 'string', value, start: at, end: at });
  const call: FunctionCall = {
    kind: 'FunctionCall',
    name: { kind: 'Identifier', name: 'viewExplain', quoted: false, start, end: start },
    arguments: [text(kind, start), text(settings.join(', '), start)],
    distinct: false,
    start,
    end: start,
  };
  if (kind !== 'EXPLAIN CURRENT TRANSACTION') {
    if (!isSelectStart(p)) p.fail('Expected a SELECT query: EXPLAIN inside a subquery explains only queries');
    const queryStart = p.tokenStart;
    const query = parseSelectQuery(p);
    call.arguments.push({ kind: 'SubqueryExpression', query, start: queryStart, end: end() });
  }
  call.end = end();
  const source: TableFunction = { kind: 'TableFunction', call, start, end: end() };
  const table: TableExpression = { kind: 'TableExpression', source, final: false, start, end: end() };
  const select: SelectStatement = {
    kind: 'Select',
    with: [],
    distinct: false,
    columns: [{ kind: 'Asterisk', qualifier: [], transformers: [], start, end: start }],
    from: { kind: 'FromClause', table, joins: [], start, end: end() },
    window: [],
    start,
    end: end(),
  };
  return { kind: 'SelectQuery', with: [], selects: [select], operators: [], start, end: end() };
}

export interface SelectQueryOptions {
  /**
   * The query of `INSERT ... SELECT`: its FORMAT belongs to the INSERT (ParserInsertQuery), so no
   * SETTINGS follow it, only the inserted data.
   */
  insert: boolean;
}

/** The `SelectQueryOptions` of a query that is not inserted, made once. */
const NOT_INSERTED: SelectQueryOptions = { insert: false };

/** A full query: selects joined by UNION/INTERSECT/EXCEPT, with trailing FORMAT/SETTINGS. */
export function parseSelectQuery(p: Parser, options: SelectQueryOptions = NOT_INSERTED): SelectQuery {
  p.enter();
  const start = p.tokenStart;
  const query: SelectQuery = { kind: 'SelectQuery', with: [], selects: [], operators: [], start, end: start };
  query.selects.push(parseSelectOperand(p));
  while (SET_OPERATORS.has(p.word())) {
    let operator = p.word();
    p.next();
    if (p.atWord('ALL') || p.atWord('DISTINCT')) {
      operator += ` ${p.word()}`;
      p.next();
    }
    query.operators.push(operator);
    query.selects.push(parseSelectOperand(p));
  }
  if (p.acceptWords('INTO', 'OUTFILE')) parseIntoOutfile(p);
  // FORMAT and SETTINGS in either order (ParserQueryWithOutput): `... SETTINGS x = 1 FORMAT TSV` after
  // a union too, where the SETTINGS cannot belong to the last SELECT.
  if (p.acceptWord('FORMAT')) {
    query.format = p.identifier('a format name');
    if (!options.insert && p.acceptWord('SETTINGS')) query.settings = settingsNode(p);
  } else if (p.acceptWord('SETTINGS')) {
    query.settings = settingsNode(p);
    if (p.acceptWord('FORMAT')) query.format = p.identifier('a format name');
  }
  query.end = p.lastEnd;
  p.leave();
  return query;
}

/** `INTO OUTFILE 'file' [AND STDOUT] [APPEND | TRUNCATE] [COMPRESSION 'type' [LEVEL n]]`: where a client writes the result; not modelled. */
export function parseIntoOutfile(p: Parser): void {
  p.stringLiteral('a file name');
  p.acceptWords('AND', 'STDOUT');
  if (!p.acceptWord('APPEND')) p.acceptWord('TRUNCATE');
  if (p.acceptWord('COMPRESSION')) {
    p.stringLiteral('a compression method');
    if (p.acceptWord('LEVEL')) p.numberLiteral('a compression level');
  }
}

function settingsNode(p: Parser): SelectSettings {
  const start = p.lastEnd;
  const items = parseSettingList(p, { valueRequired: false });
  return { kind: 'Settings', items, start: items[0]?.start ?? start, end: p.lastEnd };
}

function parseSelectOperand(p: Parser): SelectStatement | SelectQuery {
  if (p.at('LParen')) {
    p.next();
    const inner = parseSelectQuery(p);
    p.expect('RParen');
    return inner;
  }
  return parseSelect(p);
}

export function parseWith(p: Parser): WithElement[] {
  const elements: WithElement[] = [];
  do {
    const start = p.tokenStart;
    // `name [(columns)] AS (SELECT ...)` is a CTE; anything else is `expr [AS name]`.
    const columnsEnd = p.atIdentifier() && p.at('LParen', 1) ? nameListEnd(p, 1) : -1;
    const asAt = columnsEnd > 0 ? columnsEnd - p.index : 1;
    if (p.atIdentifier() && p.atWord('AS', asAt) && p.at('LParen', asAt + 1) && isSubqueryStart(p, asAt + 2)) {
      const name = p.identifier();
      const columns = columnsEnd > 0 ? parseNameList(p) : undefined;
      p.next();
      const open = p.startAt(p.next());
      const query = parseSubquery(p);
      p.expect('RParen');
      const element: WithElement = {
        kind: 'WithElement',
        form: 'subquery',
        name,
        value: { kind: 'SubqueryExpression', query, start: open, end: p.lastEnd },
        start,
        end: p.lastEnd,
      };
      if (columns) element.columns = columns;
      elements.push(element);
    } else {
      const value = parseExpression(p);
      if (p.acceptWord('AS')) {
        const name = p.identifier('a name for the WITH expression');
        elements.push({ kind: 'WithElement', form: 'expression', name, value, start, end: name.end });
      } else elements.push({ kind: 'WithElement', form: 'expression', value, start, end: value.end });
    }
    // ClickHouse accepts a trailing comma before SELECT.
  } while (p.accept('Comma') && !p.atWord('SELECT'));
  return elements;
}

/**
 * The index just past a parenthesized list of plain names (`(a, b)`) that starts `offset` tokens
 * ahead, or -1 when none starts there. Looks ahead without moving.
 */
export function nameListEnd(p: Parser, offset: number): number {
  if (!p.at('LParen', offset)) return -1;
  let at = offset + 1;
  for (;;) {
    if (!p.atIdentifier(at)) return -1;
    at++;
    if (p.at('RParen', at)) return p.index + at + 1;
    if (!p.at('Comma', at)) return -1;
    at++;
  }
}

/** `(a, b, ...)`: names, at the parenthesis. */
export function parseNameList(p: Parser): Identifier[] {
  p.expect('LParen');
  const names = [p.identifier()];
  while (p.accept('Comma')) names.push(p.identifier());
  p.expect('RParen');
  return trimList(names);
}

function parseSelect(p: Parser): SelectStatement {
  const start = p.tokenStart;
  const select: SelectStatement = { kind: 'Select', with: [], distinct: false, columns: [], window: [], start, end: start };
  if (p.acceptWord('WITH')) {
    if (p.acceptWord('RECURSIVE')) select.withRecursive = true;
    select.with = parseWith(p);
  }
  p.expectWord('SELECT');
  if (p.acceptWord('DISTINCT')) {
    select.distinct = true;
    if (p.acceptWord('ON')) {
      p.expect('LParen');
      select.distinctOn = parseExpressionList(p);
      p.expect('RParen');
    }
  } else p.acceptWord('ALL');
  if (p.acceptWord('TOP')) {
    // ClickHouse takes a number or a parenthesized expression: in `TOP 10 * FROM t`, `*` is the select list.
    const count = p.at('LParen') ? parseExpression(p) : p.numberLiteral('a number of rows');
    select.top = { count, withTies: p.acceptWords('WITH', 'TIES') };
  }
  select.columns = parseSelectList(p);
  if (p.acceptWord('FROM')) select.from = parseFrom(p);
  if (p.acceptWord('PREWHERE')) select.prewhere = parseAliasedExpression(p);
  if (p.acceptWord('WHERE')) select.where = parseAliasedExpression(p);
  if (p.acceptWords('GROUP', 'BY')) select.groupBy = parseGroupBy(p);
  // `SELECT 1 AS n WITH ROLLUP`: the modifiers without GROUP BY, as ClickHouse allows them.
  else if (p.atWords('WITH', 'ROLLUP') || p.atWords('WITH', 'CUBE')) {
    p.next();
    select.groupBy = { all: false, expressions: [], withTotals: false, modifier: p.word() as 'ROLLUP' | 'CUBE' };
    p.next();
  }
  if (p.acceptWords('WITH', 'TOTALS')) {
    select.groupBy ??= { all: false, expressions: [], withTotals: false };
    select.groupBy.withTotals = true;
  }
  if (p.acceptWord('HAVING')) select.having = parseAliasedExpression(p);
  if (p.acceptWord('WINDOW')) {
    do {
      const name = p.identifier('a window name');
      p.expectWord('AS');
      select.window.push({ name, spec: parseWindowSpec(p) });
    } while (p.accept('Comma'));
  }
  if (p.acceptWord('QUALIFY')) select.qualify = parseExpression(p);
  if (p.acceptWords('ORDER', 'BY')) {
    if (p.atWord('ALL') && !isOrderByColumnAll(p)) {
      p.next();
      select.orderBy = { all: true, elements: [] };
      if (p.acceptWord('DESC') || p.acceptWord('DESCENDING')) select.orderBy.allDescending = true;
      else if (!p.acceptWord('ASC')) p.acceptWord('ASCENDING');
      if (p.acceptWords('NULLS', 'FIRST')) select.orderBy.allNulls = 'FIRST';
      else if (p.acceptWords('NULLS', 'LAST')) select.orderBy.allNulls = 'LAST';
    } else select.orderBy = { all: false, elements: parseOrderByList(p) };
    if (p.acceptWord('INTERPOLATE')) {
      const interpolate: { column: Identifier; value?: Expression }[] = [];
      if (p.accept('LParen') && !p.accept('RParen')) {
        do {
          const column = p.identifier('a column to interpolate');
          interpolate.push(p.acceptWord('AS') ? { column, value: parseExpression(p) } : { column });
        } while (p.accept('Comma'));
        p.expect('RParen');
      }
      select.orderBy.interpolate = interpolate;
    }
  }
  const limitStart = p.index;
  parseLimits(p, select);
  if (select.limit?.withTies && !select.orderBy)
    p.fail('Expected ORDER BY before LIMIT ... WITH TIES: ClickHouse cannot use WITH TIES without ORDER BY', undefined, limitStart);
  if (select.offset && select.limit && !select.orderBy)
    p.fail('Expected ORDER BY before OFFSET ... FETCH: ClickHouse cannot use FETCH without ORDER BY', undefined, limitStart);
  if (p.atWord('SETTINGS') && !p.atWord('FORMAT', 1)) {
    p.next();
    select.settings = settingsNode(p);
  }
  select.end = p.lastEnd;
  return select;
}

/** Words that end a select list: ClickHouse accepts a trailing comma before them (`SELECT a, b, FROM t`). */
export const AFTER_SELECT_LIST: ReadonlySet<string> = new Set([
  'FROM',
  'WHERE',
  'PREWHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'SETTINGS',
  'FORMAT',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WINDOW',
  'QUALIFY',
  'INTO',
]);

function parseSelectList(p: Parser): Expression[] {
  const columns = [parseAliasedExpression(p, IMPLICIT_ALIAS)];
  while (p.accept('Comma')) {
    if ((AFTER_SELECT_LIST.has(p.word()) && !isKeywordColumn(p)) || p.at('RParen') || p.atEndOfStatement()) break;
    columns.push(parseAliasedExpression(p, IMPLICIT_ALIAS));
  }
  return trimList(columns);
}

/**
 * After a comma, a clause keyword ends the list (a trailing comma), unless what follows makes it a
 * column named like the keyword: `SELECT a, settings FROM t`, `Settings['x']`, `a, except, b`, or
 * a call of the function `format(...)` (the FORMAT clause never takes a parenthesis).
 */
/** Operators after which a clause keyword is a column: `SELECT a, from + 1` (only binary ones that no clause starts with). */
const OPERATORS_AFTER_KEYWORD_COLUMN: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'Plus',
  'Minus',
  'Slash',
  'Percent',
  'Equals',
  'NotEquals',
  'Less',
  'Greater',
  'LessOrEquals',
  'GreaterOrEquals',
  'Concat',
]);

function isKeywordColumn(p: Parser): boolean {
  const next = p.kind(1);
  return (
    next === 'Comma' ||
    OPERATORS_AFTER_KEYWORD_COLUMN.has(next) ||
    p.atWord('IN', 1) ||
    (next === 'LParen' && p.atWord('FORMAT')) ||
    next === 'LBracket' ||
    next === 'Dot' ||
    (AFTER_SELECT_LIST.has(p.word(1)) && !p.atWord('ORDER') && !p.atWord('GROUP'))
  );
}

/** At `ALL` after ORDER BY: the column `all` when an element follows it (`ORDER BY all DESC, a`). */
function isOrderByColumnAll(p: Parser): boolean {
  let at = 1;
  if (['ASC', 'ASCENDING', 'DESC', 'DESCENDING'].includes(p.word(at))) at++;
  if (p.atWord('NULLS', at)) at += 2;
  return p.at('Comma', at);
}

function parseLimits(p: Parser, select: SelectStatement): void {
  // LIMIT n BY ... may come first, then LIMIT n [OFFSET m]; `LIMIT a, b` means offset a, count b.
  for (let round = 0; round < 2 && p.atWord('LIMIT'); round++) {
    p.next();
    let count = parseExpression(p);
    let offset: Expression | undefined;
    if (p.accept('Comma')) {
      offset = count;
      count = parseExpression(p);
    } else if (p.acceptWord('OFFSET')) offset = parseExpression(p);
    if (p.acceptWord('BY')) {
      if (select.limitBy) p.fail('Expected only one `LIMIT ... BY`');
      select.limitBy = { limit: count, by: parseExpressionList(p) };
      if (offset) select.limitBy.offset = offset;
      continue;
    }
    select.limit = { count, withTies: p.acceptWords('WITH', 'TIES') };
    if (offset) select.limit.offset = offset;
    break;
  }
  // `ORDER BY x FETCH FIRST n ROWS ONLY` without OFFSET: LIMIT n, as ClickHouse reads it.
  if (!select.limit && select.orderBy && p.atWord('FETCH') && (p.atWord('FIRST', 1) || p.atWord('NEXT', 1))) {
    p.index += 2;
    const count = parseExpression(p);
    if (!p.acceptWord('ROWS')) p.expectWord('ROW');
    const withTies = p.acceptWords('WITH', 'TIES');
    if (!withTies) p.expectWord('ONLY');
    select.limit = { count, withTies };
    return;
  }
  if (p.acceptWord('OFFSET')) {
    select.offset = parseExpression(p);
    if (!p.acceptWord('ROWS')) p.acceptWord('ROW');
    if (p.acceptWord('FETCH')) {
      if (!p.acceptWord('FIRST')) p.expectWord('NEXT');
      const count = parseExpression(p);
      if (!p.acceptWord('ROWS')) p.expectWord('ROW');
      const withTies = p.acceptWords('WITH', 'TIES');
      if (!withTies) p.expectWord('ONLY');
      select.limit = { count, withTies };
    }
  }
}

function parseGroupBy(p: Parser): NonNullable<SelectStatement['groupBy']> {
  const groupBy: NonNullable<SelectStatement['groupBy']> = { all: false, expressions: [], withTotals: false };
  // `GROUP BY ALL WITH ROLLUP` takes the modifiers too.
  if (p.acceptWord('ALL')) groupBy.all = true;
  else if (p.atWords('GROUPING', 'SETS')) {
    p.next();
    p.next();
    p.expect('LParen');
    groupBy.groupingSets = [];
    do {
      if (p.accept('LParen')) {
        groupBy.groupingSets.push(p.at('RParen') ? [] : parseExpressionList(p));
        p.expect('RParen');
      } else groupBy.groupingSets.push([parseExpression(p)]);
    } while (p.accept('Comma'));
    p.expect('RParen');
  } else {
    const word = p.word();
    if ((word === 'ROLLUP' || word === 'CUBE') && p.at('LParen', 1)) {
      p.next();
      p.next();
      groupBy.expressions = parseExpressionList(p);
      p.expect('RParen');
      groupBy.modifier = word;
    } else groupBy.expressions = parseExpressionList(p);
  }
  if (p.acceptWords('WITH', 'ROLLUP')) groupBy.modifier = 'ROLLUP';
  else if (p.acceptWords('WITH', 'CUBE')) groupBy.modifier = 'CUBE';
  return groupBy;
}

export function parseOrderByList(p: Parser): OrderByElement[] {
  const elements: OrderByElement[] = [];
  do {
    const expression = parseAliasedExpression(p);
    const element: OrderByElement = { kind: 'OrderByElement', expression, start: expression.start, end: expression.end };
    const word = p.word();
    if (word === 'ASC' || word === 'ASCENDING') element.direction = 'ASC';
    else if (word === 'DESC' || word === 'DESCENDING') element.direction = 'DESC';
    if (element.direction) p.next();
    if (p.acceptWord('NULLS')) {
      if (p.acceptWord('FIRST')) element.nulls = 'FIRST';
      else {
        p.expectWord('LAST');
        element.nulls = 'LAST';
      }
    }
    if (p.acceptWord('COLLATE')) element.collate = p.stringLiteral('a collation name');
    if (p.acceptWords('WITH', 'FILL')) {
      element.withFill = {};
      if (p.acceptWord('FROM')) element.withFill.from = parseExpression(p);
      if (p.acceptWord('TO')) element.withFill.to = parseExpression(p);
      if (p.acceptWord('STEP')) element.withFill.step = parseExpression(p);
      if (p.acceptWord('STALENESS')) element.withFill.staleness = parseExpression(p);
    }
    element.end = p.lastEnd;
    elements.push(element);
  } while (p.accept('Comma'));
  return elements;
}

const JOIN_WORDS = new Set([
  'GLOBAL',
  'LOCAL',
  'ANY',
  'ALL',
  'ASOF',
  'SEMI',
  'ANTI',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'OUTER',
  'PASTE',
  'NATURAL',
  'ARRAY',
  'JOIN',
]);

function parseFrom(p: Parser): FromClause {
  const start = p.tokenStart;
  const table = parseTableExpression(p);
  const joins: (JoinClause | ArrayJoinClause)[] = [];
  for (;;) {
    const clauseStart = p.tokenStart;
    if (p.accept('Comma')) {
      const joined = parseTableExpression(p);
      joins.push({ kind: 'JoinClause', joinType: ',', table: joined, start: clauseStart, end: p.lastEnd });
      continue;
    }
    if (!JOIN_WORDS.has(p.word())) break;
    if (p.atWords('ARRAY', 'JOIN') || p.atWords('LEFT', 'ARRAY', 'JOIN')) {
      const left = p.acceptWord('LEFT');
      p.next();
      p.next();
      // ClickHouse takes `ARRAY JOIN` with nothing after it at the end of a query.
      const expressions = p.atEndOfStatement() ? [] : parseExpressionList(p, IMPLICIT_ALIAS);
      joins.push({ kind: 'ArrayJoinClause', left, expressions, start: clauseStart, end: p.lastEnd });
      continue;
    }
    const modifiers: string[] = [];
    while (JOIN_WORDS.has(p.word()) && p.word() !== 'JOIN') {
      modifiers.push(p.word());
      p.next();
    }
    p.expectWord('JOIN');
    const joined = parseTableExpression(p);
    const join: JoinClause = { kind: 'JoinClause', joinType: modifiers.join(' '), table: joined, start: clauseStart, end: p.lastEnd };
    // A NATURAL JOIN takes neither ON nor USING: ClickHouse's statement ends before them.
    if (modifiers.includes('NATURAL')) {
      if (modifiers.includes('CROSS') || modifiers.includes('PASTE'))
        p.fail('Expected no CROSS or PASTE with NATURAL: ClickHouse joins NATURAL JOIN on the columns both tables have', undefined, p.indexAt(clauseStart));
      join.end = p.lastEnd;
      joins.push(join);
      continue;
    }
    if (p.acceptWord('ON')) join.on = parseExpression(p);
    else if (p.acceptWord('USING')) {
      if (p.accept('LParen')) {
        join.using = parseExpressionList(p);
        p.expect('RParen');
      } else join.using = parseExpressionList(p);
    } else if (!modifiers.includes('CROSS') && !modifiers.includes('PASTE') && !modifiers.includes('NATURAL')) {
      p.fail('Expected `ON` or `USING` after the joined table');
    }
    join.end = p.lastEnd;
    joins.push(join);
  }
  return { kind: 'FromClause', table, joins, start, end: p.lastEnd };
}

/** A table, a table function or a subquery, with alias, FINAL and SAMPLE. */
export function parseTableExpression(p: Parser): TableExpression {
  const start = p.tokenStart;
  let source: TableExpression['source'];
  if (p.at('LParen')) {
    p.next();
    const query = parseSubquery(p);
    p.expect('RParen');
    source = { kind: 'SubqueryExpression', query, start, end: p.lastEnd };
  } else if (p.atIdentifier() && p.at('LParen', 1)) {
    source = parseTableFunction(p);
  } else {
    const name = p.qualifiedName();
    // `db.view(param = value)`: a parameterized view, called like a table function.
    if (name.database && p.at('LParen')) {
      const call: FunctionCall = { kind: 'FunctionCall', name: name.name, arguments: parseArgumentList(p), distinct: false, start: name.start, end: p.lastEnd };
      source = { kind: 'TableFunction', database: name.database, call, start: name.start, end: p.lastEnd };
    } else source = name;
  }
  const table: TableExpression = { kind: 'TableExpression', source, final: false, start, end: p.lastEnd };
  // A table named like a keyword (`FROM FROM t`) takes no alias without AS, as in ClickHouse.
  // (FINAL and SAMPLE are the exception: `FROM FINAL t` is the table FINAL aliased t.)
  const isKeywordName =
    source.kind === 'QualifiedName' &&
    !source.database &&
    !source.name.quoted &&
    isKeyword(source.name.name) &&
    !['FINAL', 'SAMPLE'].includes(source.name.name.toUpperCase());
  if (p.acceptWord('AS')) table.alias = p.identifier('an alias');
  else if (!isKeywordName && canStartImplicitAlias(p) && !JOIN_WORDS.has(p.word())) table.alias = p.identifier();
  // `numbers(10) AS n(x)`: names for the source's columns.
  if (table.alias && p.at('LParen') && p.atIdentifier(1)) {
    p.next();
    table.columnAliases = [p.identifier()];
    while (p.accept('Comma')) table.columnAliases.push(p.identifier());
    p.expect('RParen');
  }
  if (p.acceptWord('FINAL')) table.final = true;
  if (p.acceptWord('SAMPLE')) {
    const ratio = parseExpression(p);
    table.sample = { ratio };
    if (p.acceptWord('OFFSET')) table.sample.offset = parseExpression(p);
  }
  table.end = p.lastEnd;
  return table;
}

export function parseTableFunction(p: Parser): TableFunction {
  const start = p.tokenStart;
  if (!p.atIdentifier() || !p.at('LParen', 1)) return p.fail('Expected a table function call');
  const call = parseTableFunctionCall(p);
  return { kind: 'TableFunction', call, start, end: call.end };
}

/**
 * Whether the call whose `(` is `offset` tokens ahead ends its arguments with `SETTINGS name = ...`:
 * a table function given to another (`mysql(mysql(..., SETTINGS x = 1), ...)`), read as one.
 */
function hasSettingsArgument(p: Parser, offset: number): boolean {
  let depth = 0;
  for (let at = offset; ; at++) {
    const kind = p.kind(at);
    if (kind === 'LParen' || kind === 'LBracket') depth++;
    else if (kind === 'RParen' || kind === 'RBracket') {
      if (--depth === 0) return false;
    } else if (kind === 'EndOfInput' || kind === 'Semicolon') return false;
    else if (p.atWord('SETTINGS', at) && p.atIdentifier(at + 1) && p.at('Equals', at + 2)) {
      const before = p.kind(at - 1);
      if (before === 'LParen' || before === 'Comma') return true;
    }
  }
}

/** `view` and `viewIfPermitted` take a query as their argument, written without parentheses. */
export const VIEW_FUNCTIONS = new Set(['VIEW', 'VIEWIFPERMITTED']);

/**
 * A table function's call. Its arguments may end with `SETTINGS name = value, ...`; `view(SELECT ...)`
 * and `viewIfPermitted(SELECT ... ELSE null('x Int8'))` take a query, here and as an argument of
 * another table function (`remote('h', view(SELECT ...), key)`), as ClickHouse's table function
 * parser reads them; in an expression, `view(SELECT 1)` is a syntax error.
 */
function parseTableFunctionCall(p: Parser): FunctionCall {
  const start = p.tokenStart;
  const name = p.identifier('a table function name');
  const upper = name.quoted ? '' : name.name.toUpperCase();
  p.expect('LParen');
  const call: FunctionCall = { kind: 'FunctionCall', name, arguments: [], distinct: false, start, end: start };
  if (VIEW_FUNCTIONS.has(upper) && isSelectStart(p)) {
    const queryStart = p.tokenStart;
    const parenthesized = p.at('LParen');
    const query = parseSelectQuery(p);
    // ClickHouse reads `view((SELECT 1))` as the start of a union, which must go on.
    if (parenthesized && query.selects.length === 1) p.fail('Expected UNION, EXCEPT or INTERSECT after the parenthesized query');
    call.arguments.push({ kind: 'SubqueryExpression', query, start: queryStart, end: p.lastEnd });
    if (upper === 'VIEWIFPERMITTED') {
      p.expectWord('ELSE');
      call.arguments.push(parseTableFunctionCall(p));
    }
  } else if (!p.at('RParen')) {
    do {
      if (p.atWord('SETTINGS') && p.atIdentifier(1) && p.at('Equals', 2)) {
        p.next();
        call.settings = parseSettingList(p);
        break;
      }
      const isNestedView = p.atIdentifier() && VIEW_FUNCTIONS.has(p.word()) && p.at('LParen', 1) && p.atWord('SELECT', 2);
      const isNestedTableFunction = isNestedView || (p.atIdentifier() && p.at('LParen', 1) && hasSettingsArgument(p, 1));
      call.arguments.push(isNestedTableFunction ? parseTableFunctionCall(p) : parseAliasedExpression(p));
    } while (p.accept('Comma'));
  }
  p.expect('RParen');
  call.arguments = trimList(call.arguments);
  call.end = p.lastEnd;
  return call;
}
