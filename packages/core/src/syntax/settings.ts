import type { Expression, SettingAssignment } from './ast.js';
import { parseExpression, parseQueryParameter } from './expressions.js';
import { parseLiteralValue } from './literals.js';
import type { Parser } from './parser.js';

/**
 * `name = value, ...` as in `SETTINGS`. A value may be a map literal (`{'k': 'v'}`), which ClickHouse
 * allows only here. With `valueRequired: false`, bare names too (`SETTINGS flag`, `RESET SETTING a, b`).
 */
export function parseSettingList(
  p: Parser,
  options: { valueRequired: boolean; allowFunctions?: boolean; allowNames?: boolean } = { valueRequired: true },
): SettingAssignment[] {
  const items: SettingAssignment[] = [];
  do {
    const name = p.identifier('a setting name');
    const item: SettingAssignment = { kind: 'SettingAssignment', name, start: name.start, end: name.end };
    if (options.valueRequired || p.at('Equals')) {
      p.expect('Equals', '`=` and a value');
      if (options.allowFunctions && p.atIdentifier() && p.at('LParen', 1)) item.value = parseSettingFunction(p);
      else if (name.name.startsWith('param_')) item.value = parseParameterValue(p);
      // In a function's settings a value may be a bare name: `disk(type = cache, ...)`.
      else if (options.allowNames && p.atIdentifier()) {
        const value = p.identifier();
        item.value = { kind: 'ColumnRef', parts: [value], start: value.start, end: value.end };
      } else item.value = parseSettingValue(p);
      item.end = item.value.end;
    }
    items.push(item);
  } while (p.accept('Comma'));
  return items;
}

/** A setting's value: a literal, `DEFAULT`, a query parameter or a map; ClickHouse refuses expressions here. */
function parseSettingValue(p: Parser): Expression {
  if (p.at('LBrace')) {
    const isParameter = p.atIdentifier(1) && p.at('Colon', 2);
    return isParameter ? parseQueryParameter(p) : parseMapLiteral(p);
  }
  if (p.atWord('DEFAULT')) {
    const name = p.identifier();
    return { kind: 'ColumnRef', parts: [name], start: name.start, end: name.end };
  }
  return parseLiteralValue(p);
}

/**
 * A query parameter's value (`SET param_x = ...`), which ClickHouse keeps as text: a literal, a name
 * (`SET param_db = system`), or arrays, tuples and maps of them (`[(1, 'a')]`), but no expression.
 */
function parseParameterValue(p: Parser, names = true): Expression {
  // Only the value itself may be a name: `[a]` and `{'k': a}` are errors.
  if (p.at('LBrace')) return parseMapLiteral(p, (q) => parseParameterValue(q, false));
  if (names && p.atIdentifier() && !isLiteralWord(p.word())) {
    const parts = [p.identifier()];
    while (p.at('Dot') && p.atIdentifier(1) && p.accept('Dot')) parts.push(p.identifier());
    return { kind: 'ColumnRef', parts, start: parts[0].start, end: p.lastEnd };
  }
  if (!p.at('LBracket') && !p.at('LParen')) return parseLiteralValue(p);
  const isArray = p.at('LBracket');
  const start = p.startAt(p.next());
  const elements: Expression[] = [];
  const close = isArray ? 'RBracket' : 'RParen';
  if (!p.at(close)) {
    do elements.push(parseParameterValue(p, false));
    while (p.accept('Comma'));
  }
  p.expect(close);
  if (isArray) return { kind: 'ArrayExpression', elements, start, end: p.lastEnd };
  return elements.length === 1 ? elements[0] : { kind: 'TupleExpression', elements, start, end: p.lastEnd };
}

/** Words that are literals, not names: `NULL`, `true`, `inf`... */
function isLiteralWord(word: string): boolean {
  return word === 'NULL' || word === 'TRUE' || word === 'FALSE' || word === 'INF' || word === 'NAN' || word === 'INFINITY';
}

/** `disk(type = 'local', path = '/x/')`: a function of settings, which table SETTINGS accept as a value. */
function parseSettingFunction(p: Parser): Expression {
  const name = p.identifier();
  p.expect('LParen');
  const args: Expression[] = [];
  if (!p.at('RParen')) {
    for (const item of parseSettingList(p, { valueRequired: true, allowFunctions: true, allowNames: true })) {
      const key: Expression = { kind: 'ColumnRef', parts: [item.name], start: item.name.start, end: item.name.end };
      args.push({ kind: 'BinaryExpression', operator: '=', left: key, right: item.value as Expression, start: item.start, end: item.end });
    }
  }
  p.expect('RParen');
  return { kind: 'FunctionCall', name, arguments: args, distinct: false, start: name.start, end: p.lastEnd };
}

/** `{'key': value, ...}`, as a setting value. */
function parseMapLiteral(p: Parser, parseValue: (p: Parser) => Expression = parseExpression): Expression {
  const open = p.startAt(p.expect('LBrace'));
  const entries: { key: Expression; value: Expression }[] = [];
  if (!p.at('RBrace')) {
    do {
      const key = parseValue(p);
      p.expect('Colon');
      entries.push({ key, value: parseValue(p) });
    } while (p.accept('Comma'));
  }
  p.expect('RBrace');
  return { kind: 'MapExpression', entries, start: open, end: p.lastEnd };
}
