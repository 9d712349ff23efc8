import type {
  ColumnTransformer,
  DataType,
  Expression,
  FunctionCall,
  Identifier,
  IntervalExpression,
  Literal,
  QueryParameter,
  WindowFrameBound,
  WindowSpec,
} from './ast.js';
import { parseDataType } from './dataTypes.js';
import { INTERVAL_UNITS, isKeyword } from './keywords.js';
import { isParseAbort, type Parser, trimList } from './parser.js';
import { AFTER_SELECT_LIST, isSubqueryStart, parseOrderByList, parseSelectQuery, parseSubquery } from './select.js';
import type { TokenKind } from './tokens.js';
import { unquote } from './unquote.js';

// Binding powers follow ClickHouse's operator table (src/Parsers/ExpressionListParsers.cpp):
// ?: 2, OR 3, AND 4, NOT 5, BETWEEN 6, IS NULL 8, comparisons 9, + - || 11, * / % 12, unary - 13,
// and . [] :: 14. The printer parenthesizes by the same table.
export enum Power {
  Lowest = 0,
  Ternary = 2,
  Or = 3,
  And = 4,
  Not = 5,
  Between = 6,
  IsNull = 8,
  Comparison = 9,
  Additive = 11,
  Multiplicative = 12,
  Unary = 13,
  /** `.1`, `[i]`, `::T` after an operand; function calls and literals are as tight. */
  Postfix = 14,
}

/** An expression without an alias. */
export function parseExpression(p: Parser): Expression {
  return parseBinary(p, Power.Lowest);
}

export interface AliasOptions {
  /** Allow `expr name` without `AS` (select lists and table expressions). */
  implicit: boolean;
}

/** The two `AliasOptions`, made once: an options literal per call was garbage at every expression. */
export const EXPLICIT_ALIAS: AliasOptions = { implicit: false };
export const IMPLICIT_ALIAS: AliasOptions = { implicit: true };

/** An expression with an optional `AS alias` (and, where allowed, an alias without `AS`). */
export function parseAliasedExpression(p: Parser, options: AliasOptions = EXPLICIT_ALIAS): Expression {
  const expression = parseExpression(p);
  return parseAliasSuffix(p, expression, options);
}

function parseAliasSuffix(p: Parser, expression: Expression, options: AliasOptions): Expression {
  if (expression.kind === 'Asterisk' && p.atWord('AS')) p.fail('Expected no alias: `*` cannot have one', 'Remove the alias, or list the columns.', p.index + 1);
  if (p.acceptWord('AS')) {
    const alias = p.identifier('an alias after AS');
    return { kind: 'AliasExpression', expression, alias, explicit: true, start: expression.start, end: alias.end };
  }
  // `SELECT FROM t`: a keyword read as a column takes no alias, so the error lands on `t` as in ClickHouse.
  // A quoted alias is taken, except after a clause keyword: `SELECT DIV \`MOD\``, but not `SELECT FROM \`t\``.
  const isKeywordColumn =
    expression.kind === 'ColumnRef' &&
    expression.parts.length === 1 &&
    !expression.parts[0].quoted &&
    isKeyword(expression.parts[0].name) &&
    (!p.at('QuotedIdentifier') || AFTER_SELECT_LIST.has(expression.parts[0].name.toUpperCase()));
  if (options.implicit && !isKeywordColumn && canStartImplicitAlias(p)) {
    const alias = p.identifier();
    return { kind: 'AliasExpression', expression, alias, explicit: false, start: expression.start, end: alias.end };
  }
  return expression;
}

export function canStartImplicitAlias(p: Parser): boolean {
  const kind = p.kind();
  if (kind === 'QuotedIdentifier') return true;
  // `PARALLEL WITH` joins statements, so ClickHouse takes `parallel` as no implicit alias (it may still be a column).
  return kind === 'BareWord' && !isKeyword(p.word()) && p.word() !== 'PARALLEL';
}

/** Comma-separated expressions, each with an optional explicit alias. */
export function parseExpressionList(p: Parser, options: AliasOptions = EXPLICIT_ALIAS): Expression[] {
  const list = [parseAliasedExpression(p, options)];
  while (p.accept('Comma')) list.push(parseAliasedExpression(p, options));
  return trimList(list);
}

/** `( expr, ... )` with possibly zero elements. */
export function parseArgumentList(p: Parser): Expression[] {
  p.expect('LParen');
  const list: Expression[] = [];
  if (!p.at('RParen')) {
    list.push(parseAliasedExpression(p));
    while (p.accept('Comma')) list.push(parseAliasedExpression(p));
  }
  p.expect('RParen');
  return trimList(list);
}

interface InfixOperator {
  power: Power;
  /** Number of tokens the operator spans. */
  width: number;
  operator: string;
}

function infix(power: Power, operator: string, width = 1): InfixOperator {
  return { power, width, operator };
}

// Each operator is made once: `infixOperator` runs after every operand.
const PUNCTUATION_OPERATORS: Partial<Record<TokenKind, InfixOperator>> = {
  Equals: infix(Power.Comparison, '='),
  NotEquals: infix(Power.Comparison, '!='),
  Less: infix(Power.Comparison, '<'),
  Greater: infix(Power.Comparison, '>'),
  LessOrEquals: infix(Power.Comparison, '<='),
  GreaterOrEquals: infix(Power.Comparison, '>='),
  Spaceship: infix(Power.Comparison, '<=>'),
  Plus: infix(Power.Additive, '+'),
  Minus: infix(Power.Additive, '-'),
  Concat: infix(Power.Additive, '||'),
  Asterisk: infix(Power.Multiplicative, '*'),
  Slash: infix(Power.Multiplicative, '/'),
  Percent: infix(Power.Multiplicative, '%'),
  QuestionMark: infix(Power.Ternary, '?'),
};

const WORD_OPERATORS = {
  OR: infix(Power.Or, 'OR'),
  AND: infix(Power.And, 'AND'),
  BETWEEN: infix(Power.Between, 'BETWEEN'),
  IS_NULL: infix(Power.IsNull, 'IS'),
  IS: infix(Power.Comparison, 'IS'),
  LIKE: infix(Power.Comparison, 'LIKE'),
  ILIKE: infix(Power.Comparison, 'ILIKE'),
  REGEXP: infix(Power.Comparison, 'REGEXP'),
  IN: infix(Power.Comparison, 'IN'),
  DIV: infix(Power.Multiplicative, 'DIV'),
  MOD: infix(Power.Multiplicative, 'MOD'),
  NOT_LIKE: infix(Power.Comparison, 'NOT LIKE', 2),
  NOT_ILIKE: infix(Power.Comparison, 'NOT ILIKE', 2),
  NOT_IN: infix(Power.Comparison, 'NOT IN', 2),
  NOT_BETWEEN: infix(Power.Between, 'NOT BETWEEN', 2),
  GLOBAL_IN: infix(Power.Comparison, 'GLOBAL IN', 2),
  GLOBAL_NOT_IN: infix(Power.Comparison, 'GLOBAL NOT IN', 3),
};

/** The binary or postfix operator at the current token, if any. */
function infixOperator(p: Parser): InfixOperator | undefined {
  const kind = p.kind();
  if (kind !== 'BareWord') return PUNCTUATION_OPERATORS[kind];
  switch (p.word()) {
    case 'OR':
      return WORD_OPERATORS.OR;
    case 'AND':
      return WORD_OPERATORS.AND;
    case 'BETWEEN':
      return WORD_OPERATORS.BETWEEN;
    case 'IS':
      return p.word(1) === 'NULL' || (p.word(1) === 'NOT' && p.word(2) === 'NULL') ? WORD_OPERATORS.IS_NULL : WORD_OPERATORS.IS;
    case 'LIKE':
      return WORD_OPERATORS.LIKE;
    case 'ILIKE':
      return WORD_OPERATORS.ILIKE;
    case 'REGEXP':
      return WORD_OPERATORS.REGEXP;
    case 'IN':
      return WORD_OPERATORS.IN;
    case 'DIV':
      return WORD_OPERATORS.DIV;
    case 'MOD':
      return WORD_OPERATORS.MOD;
    case 'NOT':
      switch (p.word(1)) {
        case 'LIKE':
          return WORD_OPERATORS.NOT_LIKE;
        case 'ILIKE':
          return WORD_OPERATORS.NOT_ILIKE;
        case 'IN':
          return WORD_OPERATORS.NOT_IN;
        case 'BETWEEN':
          return WORD_OPERATORS.NOT_BETWEEN;
      }
      return undefined;
    case 'GLOBAL':
      if (p.word(1) === 'IN') return WORD_OPERATORS.GLOBAL_IN;
      if (p.word(1) === 'NOT' && p.word(2) === 'IN') return WORD_OPERATORS.GLOBAL_NOT_IN;
      return undefined;
  }
  return undefined;
}

function parseBinary(p: Parser, minPower: number): Expression {
  p.enter();
  let left = parseUnary(p);
  for (;;) {
    const op = infixOperator(p);
    if (!op || op.power < minPower) {
      p.leave();
      return left;
    }
    p.index += op.width;
    const start = left.start;
    switch (op.operator) {
      case '?': {
        const whenTrue = parseBinary(p, Power.Lowest);
        p.expect('Colon', '`:` of the `? :` operator');
        const whenFalse = parseBinary(p, Power.Ternary);
        left = { kind: 'TernaryExpression', condition: left, whenTrue, whenFalse, start, end: whenFalse.end };
        break;
      }
      case 'BETWEEN':
      case 'NOT BETWEEN': {
        const low = parseBinary(p, Power.Between + 1);
        p.expectWord('AND');
        const high = parseBinary(p, Power.Between + 1);
        left = { kind: 'BetweenExpression', negated: op.operator !== 'BETWEEN', operand: left, low, high, start, end: high.end };
        break;
      }
      case 'IS': {
        const negated = p.acceptWord('NOT');
        if (p.acceptWord('NULL')) {
          left = { kind: 'IsNullExpression', negated, operand: left, start, end: p.lastEnd };
          // `x IS NULL :: Int32` casts the test, as ClickHouse reads it.
          while (p.accept('DoubleColon')) {
            const type = parseDataType(p);
            left = { kind: 'CastExpression', syntax: '::', expression: left, type, start, end: type.end };
          }
        } else if (p.acceptWords('DISTINCT', 'FROM')) {
          const right = parseBinary(p, Power.Comparison + 1);
          left = { kind: 'BinaryExpression', operator: negated ? '<=>' : 'IS DISTINCT FROM', left, right, start, end: right.end };
        } else p.fail('Expected `NULL` or `DISTINCT FROM` after `IS`');
        break;
      }
      default: {
        const right = parseBinary(p, op.power + 1);
        const operator = op.operator === '==' ? '=' : op.operator;
        let escapeChar: Expression | undefined;
        if ((operator.endsWith('LIKE') || operator.endsWith('ILIKE')) && p.acceptWord('ESCAPE')) escapeChar = parsePrimary(p);
        left = { kind: 'BinaryExpression', operator: operator as never, left, right, start, end: (escapeChar ?? right).end };
        if (escapeChar) left.escape = escapeChar;
      }
    }
  }
}

function parseUnary(p: Parser): Expression {
  const start = p.tokenStart;
  if (p.word() === 'NOT' && !p.at('LParen', 1) && !p.at('Comma', 1) && !p.at('RParen', 1)) {
    p.next();
    const operand = parseBinary(p, Power.Not);
    return { kind: 'UnaryExpression', operator: 'NOT', operand, start, end: operand.end };
  }
  if (p.at('Plus') && (p.at('Number', 1) || ['INF', 'NAN', 'INFINITY'].includes(p.word(1)))) {
    p.next();
    return parsePostfix(p, parsePrimary(p));
  }
  // A unary plus does nothing: ClickHouse reads `+x` as `x` (and keeps no trace of it).
  if (p.at('Plus')) {
    p.next();
    return parseBinary(p, Power.Unary);
  }
  if (p.at('Minus')) {
    p.next();
    // `-1` is a negative literal, as ClickHouse reads it (`-1::Int8` casts the literal `-1`).
    if (p.at('Number')) {
      const number = p.next();
      return parsePostfix(p, { kind: 'Literal', type: 'number', value: `-${p.textAt(number)}`, start, end: p.endAt(number) });
    }
    const operand = parseBinary(p, Power.Unary);
    return { kind: 'UnaryExpression', operator: '-', operand, start, end: operand.end };
  }
  return parsePostfix(p, parsePrimary(p));
}

/** `.1`, `.name`, `[i]` and `::Type` after an operand. */
function parsePostfix(p: Parser, operand: Expression): Expression {
  let node = operand;
  for (;;) {
    if (p.at('Dot')) {
      const after = p.kind(1);
      if (after === 'Number') {
        p.next();
        const element = p.numberLiteral();
        node = { kind: 'TupleElement', tuple: node, element, start: node.start, end: element.end };
        continue;
      }
      // `t.-1`: an element counted from the end (ClickHouse 25.x reads it as tupleElement(t, -1)).
      if (after === 'Minus' && p.at('Number', 2)) {
        const minus = p.startAt(p.index + 1);
        p.index += 2;
        const number = p.next();
        const element: Literal = { kind: 'Literal', type: 'number', value: `-${p.textAt(number)}`, start: minus, end: p.endAt(number) };
        node = { kind: 'TupleElement', tuple: node, element, start: node.start, end: element.end };
        continue;
      }
      if (p.atIdentifier(1)) {
        p.next();
        const name = p.identifier();
        node = { kind: 'TupleElement', tuple: node, element: name, start: node.start, end: name.end };
        continue;
      }
      // JSON paths: `doc.^sub` (a sub-object) and `doc.a.:UInt64` (a typed path).
      if (after === 'Caret' || after === 'Colon') {
        p.next();
        const markerStart = p.tokenStart;
        const marker = p.textAt(p.next());
        const part = after === 'Caret' ? p.identifier().name : parseDataType(p).name;
        const element: Identifier = { kind: 'Identifier', name: `${marker}${part}`, quoted: false, start: markerStart, end: p.lastEnd };
        node = { kind: 'TupleElement', tuple: node, element, start: node.start, end: p.lastEnd };
        continue;
      }
      return node;
    }
    if (p.at('LBracket') && p.at('RBracket', 1) && isJsonPath(node)) {
      // `json.a[].b`: the array of objects at a JSON path, which ClickHouse reads as the typed path
      // `json.a.:`Array(JSON)`.b` (one `Array(...)` per `[]`).
      const markerStart = p.tokenStart;
      let depth = 0;
      while (p.at('LBracket') && p.at('RBracket', 1)) {
        p.index += 2;
        depth++;
      }
      const element: Identifier = {
        kind: 'Identifier',
        name: `:${'Array('.repeat(depth)}JSON${')'.repeat(depth)}`,
        quoted: false,
        start: markerStart,
        end: p.lastEnd,
      };
      node = { kind: 'TupleElement', tuple: node, element, start: node.start, end: p.lastEnd };
      continue;
    }
    if (p.at('LBracket')) {
      p.next();
      const index = parseExpression(p);
      p.expect('RBracket');
      node = { kind: 'ArrayElement', array: node, index, start: node.start, end: p.lastEnd };
      continue;
    }
    if (p.atWords('AT', 'TIME', 'ZONE')) {
      p.index += 3;
      const zone = parseBinary(p, Power.Unary);
      const name: Identifier = { kind: 'Identifier', name: 'toTimeZone', quoted: false, start: node.start, end: node.start };
      node = { kind: 'FunctionCall', name, arguments: [node, zone], distinct: false, syntax: 'at-time-zone', start: node.start, end: zone.end };
      continue;
    }
    if (p.at('DoubleColon')) {
      p.next();
      const type = parseDataType(p);
      node = { kind: 'CastExpression', syntax: '::', expression: node, type, start: node.start, end: type.end };
      continue;
    }
    return node;
  }
}

function literal(p: Parser, type: Literal['type'], value: string): Literal {
  const at = p.next();
  return { kind: 'Literal', type, value, start: p.startAt(at), end: p.endAt(at) };
}

function parsePrimary(p: Parser): Expression {
  const start = p.tokenStart;
  switch (p.kind()) {
    case 'Number': {
      const text = p.textAt(p.index);
      // ClickHouse refuses a float literal that overflows Float64 (1e309), not one that underflows.
      if (/[eE]/.test(text) && !/^0[xX]/.test(text) && !Number.isFinite(Number(text.replace(/_/g, ''))))
        p.fail('Expected a number within the range of Float64', undefined, p.index + 1);
      return literal(p, 'number', text);
    }
    case 'DoubleAt': {
      // `@@version` is globalVariable('version').
      const at = p.next();
      const variable = p.identifier('a variable name');
      const name: Identifier = { kind: 'Identifier', name: 'globalVariable', quoted: false, start, end: p.endAt(at) };
      const value: Literal = { kind: 'Literal', type: 'string', value: variable.name, start: variable.start, end: variable.end };
      return { kind: 'FunctionCall', name, arguments: [value], distinct: false, start, end: variable.end };
    }
    case 'String':
    case 'Heredoc':
      return literal(p, 'string', unquote(p.textAt(p.index)));
    case 'LParen':
      return parseParenthesized(p);
    case 'LBracket': {
      p.next();
      const elements: Expression[] = [];
      if (!p.at('RBracket')) {
        elements.push(parseAliasedExpression(p));
        while (p.accept('Comma')) elements.push(parseAliasedExpression(p));
      }
      p.expect('RBracket');
      return { kind: 'ArrayExpression', elements: trimList(elements), start, end: p.lastEnd };
    }
    case 'LBrace':
      return parseQueryParameter(p);
    case 'Asterisk': {
      p.next();
      const transformers = parseColumnTransformers(p);
      return { kind: 'Asterisk', qualifier: [], transformers, start, end: p.lastEnd };
    }
    case 'BareWord':
    case 'QuotedIdentifier':
      return parseWordExpression(p);
    default:
      return p.fail('Expected an expression');
  }
}

/** `(expr)`, a tuple, a subquery, or the parameters of a lambda. */
function parseParenthesized(p: Parser): Expression {
  const start = p.startAt(p.next());
  if (isSubqueryStart(p)) {
    const save = p.index;
    const depth = p.depth;
    const query = parseSubquery(p);
    // `((SELECT 1) + 1)` and `((SELECT 1) AS x)`: the inner parentheses held an operand, not the query.
    if (!p.at('RParen') && p.kindAt(save) === 'LParen') {
      p.index = save;
      p.depth = depth;
    } else {
      p.expect('RParen');
      return { kind: 'SubqueryExpression', query, start, end: p.lastEnd };
    }
  }
  const elements: Expression[] = [];
  let trailingComma = false;
  if (!p.at('RParen')) {
    elements.push(parseAliasedExpression(p));
    while (p.accept('Comma')) {
      if (p.at('RParen')) {
        trailingComma = true;
        break;
      }
      elements.push(parseAliasedExpression(p));
    }
  }
  p.expect('RParen');
  const end = p.lastEnd;
  if (p.at('Arrow')) {
    const parameters = elements.map((e) => lambdaParameter(p, e));
    p.next();
    const body = parseExpression(p);
    return { kind: 'LambdaExpression', parameters, body, start, end: body.end };
  }
  if (elements.length === 1 && !trailingComma) return elements[0];
  return { kind: 'TupleExpression', elements: trimList(elements), start, end };
}

function lambdaParameter(p: Parser, expression: Expression): Identifier {
  if (expression.kind === 'ColumnRef' && expression.parts.length === 1) return expression.parts[0];
  return p.fail('Expected a lambda parameter name', 'Write lambda parameters as plain names: `(x, y) -> x + y`.', p.indexAt(expression.start));
}

/** `{name:Type}`: a query parameter. (ClickHouse has no `{k: v}` map literal; `map(k, v)` is the function.) */
export function parseQueryParameter(p: Parser): QueryParameter {
  const start = p.startAt(p.next());
  if (!p.atIdentifier() || !p.at('Colon', 1)) return p.fail('Expected a query parameter name such as `{name:Type}`');
  const name = p.identifier().name;
  p.next();
  const type = parseDataType(p);
  p.expect('RBrace');
  return { kind: 'QueryParameter', name, type, start, end: p.lastEnd };
}

function parseColumnTransformers(p: Parser): ColumnTransformer[] {
  const transformers: ColumnTransformer[] = [];
  for (;;) {
    const start = p.tokenStart;
    const word = p.word();
    if (word !== 'EXCEPT' && word !== 'REPLACE' && word !== 'APPLY') return transformers;
    // `SELECT * EXCEPT SELECT ...` is a set operation, not a transformer.
    if (word === 'EXCEPT' && (p.atWord('SELECT', 1) || p.atWord('DISTINCT', 1) || p.atWord('ALL', 1))) return transformers;
    p.next();
    const strict = p.acceptWord('STRICT');
    let items: Expression[];
    if (p.at('LParen')) {
      if (word === 'APPLY') {
        p.next();
        items = [parseExpression(p)];
        p.expect('RParen');
      } else items = parseArgumentList(p);
    } else if (word === 'APPLY' && p.at('Arrow', 1)) items = [parseExpression(p)];
    else if (word === 'APPLY') items = [{ kind: 'ColumnRef', parts: [p.identifier('a function name')], start: p.lastEnd, end: p.lastEnd }];
    else if (word === 'EXCEPT') items = [parseExpression(p)];
    else {
      // `REPLACE expr AS name`: one replacement without parentheses, as ClickHouse accepts.
      const replacement = parseAliasedExpression(p);
      if (replacement.kind !== 'AliasExpression') return p.fail('Expected `AS` and the name of the column to replace');
      items = [replacement];
    }
    transformers.push({ kind: 'ColumnTransformer', transformer: word, strict, items, start, end: p.lastEnd });
  }
}

/** An expression that starts with a word: a keyword form, a function call, a column or a lambda. */
function parseWordExpression(p: Parser): Expression {
  const start = p.tokenStart;
  const isBareWord = p.at('BareWord');
  const word = p.word();
  const nextKind = p.kind(1);
  if (isBareWord && nextKind !== 'LParen' && nextKind !== 'Dot' && nextKind !== 'Arrow') {
    switch (word) {
      case 'NULL':
        return literal(p, 'null', 'NULL');
      case 'TRUE':
        return literal(p, 'boolean', 'true');
      case 'FALSE':
        return literal(p, 'boolean', 'false');
      case 'INF':
      case 'NAN':
      case 'INFINITY':
        return literal(p, 'number', word === 'INFINITY' ? 'inf' : word.toLowerCase());
      case 'CASE':
        return parseCase(p);
      case 'INTERVAL': {
        const interval = tryParseInterval(p);
        if (interval) return interval;
        break;
      }
      case 'DATE':
      case 'TIMESTAMP':
        if (p.at('String', 1)) {
          const name = p.identifier();
          const value = p.stringLiteral();
          return { kind: 'FunctionCall', name, arguments: [value], distinct: false, syntax: 'typed-literal', start, end: value.end };
        }
    }
  }
  if (isBareWord && nextKind === 'LParen') {
    // `INTERVAL (n * 2) HOUR` is an interval and `INTERVAL(x)` a call: as in ClickHouse, a unit after the value decides.
    if (word === 'INTERVAL') {
      const interval = tryParseInterval(p, { orCall: true });
      if (interval) return interval;
    }
    if (word === 'CAST' || word === 'TRY_CAST') return parseCastOrCall(p);
    if (word === 'EXISTS' && isSubqueryAhead(p)) {
      p.next();
      p.next();
      const query = parseSelectQuery(p);
      p.expect('RParen');
      return { kind: 'ExistsExpression', query, start, end: p.lastEnd };
    }
    if (word === 'COLUMNS') return parseColumnsMatcher(p, []);
    if ((word === 'ANY' || word === 'ALL' || word === 'SOME') && isSubqueryAhead(p)) {
      // `x = ANY (SELECT ...)`: a comparison with every row of the subquery.
      const name = p.identifier();
      const open = p.startAt(p.next());
      const query = parseSelectQuery(p);
      p.expect('RParen');
      const subquery: Expression = { kind: 'SubqueryExpression', query, start: open, end: p.lastEnd };
      return { kind: 'FunctionCall', name, arguments: [subquery], distinct: false, start, end: p.lastEnd };
    }
  }
  const parts = [p.identifier()];
  if (p.at('Arrow') && parts.length === 1) {
    p.next();
    const body = parseExpression(p);
    return { kind: 'LambdaExpression', parameters: parts, body, start, end: body.end };
  }
  if (p.at('LParen')) return parseFunctionCall(p, parts[0]);
  while (p.at('Dot')) {
    if (p.at('Asterisk', 1)) {
      p.next();
      p.next();
      const transformers = parseColumnTransformers(p);
      return { kind: 'Asterisk', qualifier: parts, transformers, start, end: p.lastEnd };
    }
    if (!p.atIdentifier(1)) break;
    if (p.word(1) === 'COLUMNS' && p.at('LParen', 2)) {
      p.next();
      return parseColumnsMatcher(p, parts);
    }
    p.next();
    parts.push(p.identifier());
  }
  return { kind: 'ColumnRef', parts, start, end: parts[parts.length - 1].end };
}

/** A dotted name, or a path below one: what `[]` may follow (`arr[]` alone is no JSON path). */
function isJsonPath(node: Expression): boolean {
  if (node.kind === 'ColumnRef') return node.parts.length > 1;
  return node.kind === 'TupleElement' && node.element.kind === 'Identifier' && isJsonPath(node.tuple);
}

function isSubqueryAhead(p: Parser): boolean {
  return p.word(2) === 'SELECT' || p.word(2) === 'WITH';
}

function parseColumnsMatcher(p: Parser, qualifier: Identifier[]): Expression {
  const start = qualifier[0]?.start ?? p.tokenStart;
  p.next();
  const args = parseArgumentList(p);
  const transformers = parseColumnTransformers(p);
  return { kind: 'ColumnsMatcher', qualifier, arguments: args, transformers, start, end: p.lastEnd };
}

function parseCastOrCall(p: Parser): Expression {
  const start = p.tokenStart;
  const name = p.identifier();
  const save = p.index;
  p.next();
  let expression = parseExpression(p);
  const isTryCast = name.name.toUpperCase() === 'TRY_CAST';
  let type = parseCastType(p);
  // CAST (not TRY_CAST) takes an alias on its operand: `CAST(x AS a AS String)`, `CAST(x a AS String)`.
  if (!type && !isTryCast && (p.atWord('AS') || canStartImplicitAlias(p))) {
    expression = parseAliasSuffix(p, expression, IMPLICIT_ALIAS);
    type = parseCastType(p);
  }
  if (type) {
    if (isTryCast) {
      return {
        kind: 'FunctionCall',
        name,
        arguments: [expression, { kind: 'Literal', type: 'string', value: '', start: type.start, end: type.end }],
        distinct: false,
        start,
        end: p.lastEnd,
      };
    }
    return { kind: 'CastExpression', syntax: 'CAST', expression, type, start, end: p.lastEnd };
  }
  p.index = save;
  if (isTryCast) return parseFunctionCall(p, name);
  // `CAST(x, 'T')` takes exactly two arguments.
  p.expect('LParen');
  const args = [parseAliasedExpression(p, IMPLICIT_ALIAS)];
  p.expect('Comma', '`AS` or `,`');
  args.push(parseAliasedExpression(p, IMPLICIT_ALIAS));
  p.expect('RParen');
  return { kind: 'FunctionCall', name, arguments: args, distinct: false, start, end: p.lastEnd };
}

/**
 * `AS type)` at the end of a CAST, or undefined (moving nothing) when the tokens are not that: as in
 * ClickHouse, `CAST(x AS a AS String)` then reads `AS a` as an alias.
 */
function parseCastType(p: Parser): DataType | undefined {
  if (!p.atWord('AS')) return undefined;
  const save = p.index;
  const depth = p.depth;
  try {
    p.next();
    const type = parseDataType(p);
    if (p.accept('RParen')) return type;
  } catch (error) {
    if (!isParseAbort(error)) throw error;
  }
  p.index = save;
  p.depth = depth;
  return undefined;
}

/** `name(args)`, with SQL-standard forms, parametric aggregates, `FILTER`, nulls handling and `OVER`; right after the name. */
function parseFunctionCall(p: Parser, name: Identifier): FunctionCall {
  const upper = name.quoted ? '' : p.wordAt(p.index - 1);
  const special = SPECIAL_CALLS.has(upper) ? parseSpecialCall(p, name, upper) : undefined;
  if (special) return special;
  p.expect('LParen');
  let distinct = false;
  // `f(DISTINCT)` and `repeat(DISTINCT, 5)` pass the column `DISTINCT`, as for ALL.
  if (p.atWord('DISTINCT') && !p.at('RParen', 1) && !p.at('Comma', 1)) {
    p.next();
    distinct = true;
  } else if (p.atWord('ALL') && !p.at('RParen', 1) && !p.at('Comma', 1)) p.next();
  const args: Expression[] = [];
  const aliases = IMPLICIT_ALIAS_CALLS.has(upper) ? IMPLICIT_ALIAS : EXPLICIT_ALIAS;
  if (!p.at('RParen')) {
    args.push(parseAliasedExpression(p, aliases));
    while (p.accept('Comma')) {
      // ClickHouse takes a trailing comma after a `::` cast (`f(x::UInt8,)`), its type parser reading the comma.
      if (p.at('RParen') && isDoubleColonCast(args[args.length - 1])) break;
      args.push(parseAliasedExpression(p, aliases));
    }
  }
  p.expect('RParen');
  const call: FunctionCall = { kind: 'FunctionCall', name, arguments: trimList(args), distinct, start: name.start, end: p.lastEnd };
  if (p.at('LParen')) {
    // `quantile(0.9)(x)`: the first list holds the parameters.
    call.parameters = call.arguments;
    p.next();
    call.distinct = p.acceptWord('DISTINCT');
    if (p.at('RParen')) p.fail('Expected the arguments of the parametric function');
    const callArguments: Expression[] = [];
    if (!p.at('RParen')) {
      callArguments.push(parseAliasedExpression(p));
      while (p.accept('Comma')) callArguments.push(parseAliasedExpression(p));
    }
    p.expect('RParen');
    call.arguments = trimList(callArguments);
  }
  if (p.acceptWords('IGNORE', 'NULLS')) call.nullsAction = 'IGNORE NULLS';
  else if (p.acceptWords('RESPECT', 'NULLS')) call.nullsAction = 'RESPECT NULLS';
  if (p.atWord('FILTER') && p.at('LParen', 1)) {
    p.next();
    p.next();
    p.expectWord('WHERE');
    call.filter = parseExpression(p);
    p.expect('RParen');
  }
  if (p.acceptWord('OVER')) {
    if (p.at('LParen')) call.over = parseWindowSpec(p);
    else call.over = p.identifier('a window name');
  }
  call.end = p.lastEnd;
  return call;
}

function isDoubleColonCast(expression: Expression): boolean {
  return expression.kind === 'CastExpression' && expression.syntax === '::';
}

/** Functions that have an SQL-standard form besides the call. */
const SPECIAL_CALLS = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'POSITION']);

/**
 * Functions whose arguments take an alias without AS (`substring(s x, 2 y)`): the ones ClickHouse's
 * expression parser reads in layers of their own (ExpressionListParsers.cpp), besides CAST.
 */
const IMPLICIT_ALIAS_CALLS = new Set([
  ...SPECIAL_CALLS,
  'LTRIM',
  'RTRIM',
  ...['DATEADD', 'DATE_ADD', 'TIMESTAMPADD', 'TIMESTAMP_ADD', 'DATESUB', 'DATE_SUB', 'TIMESTAMPSUB', 'TIMESTAMP_SUB'],
  ...['DATEDIFF', 'DATE_DIFF', 'TIMESTAMPDIFF', 'TIMESTAMP_DIFF'],
]);

/** `EXTRACT(DAY FROM d)`, `SUBSTRING(s FROM 1 FOR 2)`, `TRIM(BOTH 'x' FROM s)`, `POSITION(a IN b)`; each operand may have an alias. */
function parseSpecialCall(p: Parser, name: Identifier, upper: string): FunctionCall | undefined {
  const finish = (args: Expression[], syntax: FunctionCall['syntax'], modifier?: string): FunctionCall => {
    p.expect('RParen');
    const call: FunctionCall = { kind: 'FunctionCall', name, arguments: args, distinct: false, syntax, start: name.start, end: p.lastEnd };
    if (modifier) call.modifier = modifier;
    return call;
  };
  const operand = (): Expression => parseAliasSuffix(p, parseExpression(p), IMPLICIT_ALIAS);
  if (upper === 'EXTRACT' && INTERVAL_UNITS.has(p.word(1)) && p.atWord('FROM', 2)) {
    p.next();
    const unit = p.word();
    p.next();
    p.next();
    return finish([operand()], 'extract', unit);
  }
  if (upper === 'TRIM' && (p.atWord('BOTH', 1) || p.atWord('LEADING', 1) || p.atWord('TRAILING', 1))) {
    p.next();
    const side = p.word();
    p.next();
    const chars = operand();
    p.expectWord('FROM');
    return finish([chars, operand()], 'trim', side);
  }
  if (upper === 'SUBSTRING' || upper === 'POSITION' || upper === 'TRIM') {
    // Decide by scanning: the SQL form has FROM/IN at the top level of the parentheses.
    const save = p.index;
    p.next();
    const first = parseAliasSuffix(p, parseBinary(p, Power.Comparison + 1), IMPLICIT_ALIAS);
    if (upper === 'SUBSTRING' && p.acceptWord('FROM')) {
      // FOR ends the operand: it is no alias there.
      const from = parseExpression(p);
      const args = [first, p.atWord('FOR') ? from : parseAliasSuffix(p, from, IMPLICIT_ALIAS)];
      if (p.acceptWord('FOR')) args.push(operand());
      return finish(args, 'substring');
    }
    if (upper === 'POSITION' && p.acceptWord('IN')) return finish([first, operand()], 'position');
    if (upper === 'TRIM' && p.acceptWord('FROM')) return finish([first, operand()], 'trim', 'BOTH');
    p.index = save;
  }
  return undefined;
}

export function parseWindowSpec(p: Parser): WindowSpec {
  const open = p.expect('LParen');
  const spec: WindowSpec = { kind: 'WindowSpec', partitionBy: [], orderBy: [], start: p.startAt(open), end: p.endAt(open) };
  if (p.atIdentifier() && !['PARTITION', 'ORDER', 'ROWS', 'RANGE', 'GROUPS'].includes(p.word())) spec.baseWindow = p.identifier();
  if (p.acceptWords('PARTITION', 'BY')) spec.partitionBy = parseExpressionList(p);
  if (p.acceptWords('ORDER', 'BY')) spec.orderBy = parseOrderByList(p);
  const unit = p.word();
  if (unit === 'ROWS' || unit === 'RANGE' || unit === 'GROUPS') {
    p.next();
    if (p.acceptWord('BETWEEN')) {
      const from = parseFrameBound(p);
      p.expectWord('AND');
      spec.frame = { unit, from, to: parseFrameBound(p) };
    } else spec.frame = { unit, from: parseFrameBound(p) };
  }
  p.expect('RParen');
  spec.end = p.lastEnd;
  return spec;
}

function parseFrameBound(p: Parser): WindowFrameBound {
  const start = p.tokenStart;
  if (p.acceptWords('UNBOUNDED', 'PRECEDING')) return { kind: 'WindowFrameBound', bound: 'UNBOUNDED PRECEDING', start, end: p.lastEnd };
  if (p.acceptWords('UNBOUNDED', 'FOLLOWING')) return { kind: 'WindowFrameBound', bound: 'UNBOUNDED FOLLOWING', start, end: p.lastEnd };
  if (p.acceptWords('CURRENT', 'ROW')) return { kind: 'WindowFrameBound', bound: 'CURRENT ROW', start, end: p.lastEnd };
  const offset = parseBinary(p, Power.Additive);
  if (p.acceptWord('PRECEDING')) return { kind: 'WindowFrameBound', bound: 'PRECEDING', offset, start, end: p.lastEnd };
  p.expectWord('FOLLOWING');
  return { kind: 'WindowFrameBound', bound: 'FOLLOWING', offset, start, end: p.lastEnd };
}

function parseCase(p: Parser): Expression {
  const start = p.startAt(p.next());
  const operand = p.atWord('WHEN') ? undefined : parseExpression(p);
  const branches: { when: Expression; then: Expression }[] = [];
  // Each part may take an alias (`THEN 1 AS one`), which the rest of the query can use.
  while (p.acceptWord('WHEN')) {
    const when = parseAliasedExpression(p);
    p.expectWord('THEN');
    branches.push({ when, then: parseAliasedExpression(p) });
  }
  if (branches.length === 0) p.fail('Expected `WHEN` in CASE');
  const elseValue = p.acceptWord('ELSE') ? parseAliasedExpression(p) : undefined;
  p.expectWord('END');
  const node: Expression = { kind: 'CaseExpression', branches, start, end: p.lastEnd };
  if (operand) node.operand = operand;
  if (elseValue) node.else = elseValue;
  return node;
}

/** `INTERVAL 1 DAY`, `INTERVAL '1 day'`, `INTERVAL (n * 2) HOUR`. */
export function parseInterval(p: Parser): IntervalExpression {
  const interval = tryParseInterval(p);
  return interval ?? p.fail('Expected an interval unit such as `DAY` or `HOUR`', undefined, p.index + 2);
}

/**
 * `INTERVAL expr unit` (the value is a whole expression: `INTERVAL number * 20 - 100 DAY`) or
 * `INTERVAL 'string'`. Anything else is no interval, and as in ClickHouse `interval` is then a name
 * (`now() + interval AS res`): returns undefined with the parser where it was.
 */
function tryParseInterval(p: Parser, options: { orCall?: boolean } = {}): IntervalExpression | undefined {
  const save = p.index;
  const depth = p.depth;
  const start = p.startAt(p.next());
  const attempt = (power: Power): Expression | undefined => {
    try {
      return parseBinary(p, power);
    } catch (error) {
      if (!isParseAbort(error)) throw error;
      p.depth = depth;
      return undefined;
    }
  };
  if (canStartExpression(p)) {
    let value = attempt(Power.Lowest);
    // `INTERVAL '2' AS n MINUTE`: the value may take an alias before its unit.
    if (value && p.atWord('AS') && p.atIdentifier(1) && INTERVAL_UNITS.has(p.word(2))) value = parseAliasSuffix(p, value, EXPLICIT_ALIAS);
    if (value && INTERVAL_UNITS.has(p.word())) {
      const unit = p.word();
      p.next();
      return { kind: 'IntervalExpression', value, unit, start, end: p.lastEnd };
    }
    // A value and no unit: a syntax error where the unit should be, unless the value was a name
    // (`INTERVAL x` is the column `interval` aliased `x`) or this may be the call `INTERVAL(x)`.
    const isString = p.kindAt(save + 1) === 'String';
    if (value && value.kind !== 'ColumnRef' && !options.orCall && !isString) p.fail('Expected an interval unit such as `DAY` or `HOUR`');
    p.index = save + 1;
    if (isString) {
      const text = p.stringLiteral();
      return { kind: 'IntervalExpression', value: text, start, end: text.end };
    }
  }
  p.index = save;
  return undefined;
}

/** Whether the current token can start an operand (so `interval, y` and `f(interval)` are names). */
function canStartExpression(p: Parser): boolean {
  const kind = p.kind();
  return (
    kind !== 'Comma' && kind !== 'RParen' && kind !== 'Semicolon' && kind !== 'EndOfInput' && kind !== 'RBracket' && kind !== 'Plus' && kind !== 'Asterisk'
  );
}
