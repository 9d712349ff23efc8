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
      // A query parameter's value is any literal, arrays included: `SET param_ids = [1, 2]`.
      else if (p.at('LBracket') && name.name.startsWith('param_')) item.value = parseExpression(p);
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
function parseMapLiteral(p: Parser): Expression {
  const open = p.startAt(p.expect('LBrace'));
  const entries: { key: Expression; value: Expression }[] = [];
  if (!p.at('RBrace')) {
    do {
      const key = parseExpression(p);
      p.expect('Colon');
      entries.push({ key, value: parseExpression(p) });
    } while (p.accept('Comma'));
  }
  p.expect('RBrace');
  return { kind: 'MapExpression', entries, start: open, end: p.lastEnd };
}
