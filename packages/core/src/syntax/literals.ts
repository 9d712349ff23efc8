import type { Expression, Literal, QueryParameter } from './ast.js';
import { parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { unquote } from './unquote.js';

/** A string literal, quoted or as a heredoc (`$$text$$`): ClickHouse accepts both wherever it wants a string. */
export function parseString(p: Parser, what = 'a string literal'): Literal {
  if (!isStringToken(p)) return p.fail(`Expected ${what}`);
  const at = p.next();
  return { kind: 'Literal', type: 'string', value: unquote(p.textAt(at)), start: p.startAt(at), end: p.endAt(at) };
}

/** A string or a query parameter (`{name:String}`): ClickHouse's `ParserStringAndSubstitution`. */
export function parseStringOrParameter(p: Parser, what = 'a string literal'): Literal | QueryParameter {
  if (!p.at('LBrace')) return parseString(p, what);
  const open = p.index;
  const parameter = parseExpression(p);
  if (parameter.kind !== 'QueryParameter') return p.fail(`Expected ${what} or a query parameter such as \`{name:String}\``, undefined, open);
  return parameter;
}

export function isStringToken(p: Parser, offset = 0): boolean {
  const kind = p.kind(offset);
  return kind === 'String' || kind === 'Heredoc';
}

/** A literal (`'s'`, `1`, `-1.5`, `NULL`, `true`) or, with allowName, a bare name. */
export function parseLiteralValue(p: Parser, options: { allowName: boolean } = { allowName: false }): Expression {
  const kind = p.kind();
  const start = p.tokenStart;
  if (kind === 'String' || kind === 'Heredoc') return p.stringLiteral();
  if (kind === 'Number') return p.numberLiteral();
  if ((kind === 'Minus' || kind === 'Plus') && p.at('Number', 1)) {
    p.next();
    const number = p.numberLiteral();
    return { ...number, value: kind === 'Minus' ? `-${number.value}` : number.value, start };
  }
  const signed = kind === 'Minus' || kind === 'Plus';
  const word = p.word(signed ? 1 : 0);
  if (word === 'INF' || word === 'NAN' || word === 'INFINITY') {
    if (signed) p.next();
    // The sign of nan means nothing; ClickHouse prints `-nan` as `nan`.
    const value = word === 'NAN' ? 'nan' : kind === 'Minus' ? '-inf' : 'inf';
    return { kind: 'Literal', type: 'number', value, start, end: p.endAt(p.next()) };
  }
  if (word === 'NULL' || word === 'TRUE' || word === 'FALSE') {
    return {
      kind: 'Literal',
      type: word === 'NULL' ? 'null' : 'boolean',
      value: word === 'NULL' ? 'NULL' : word.toLowerCase(),
      start,
      end: p.endAt(p.next()),
    };
  }
  if (options.allowName && p.atIdentifier()) {
    const name = p.identifier();
    return { kind: 'ColumnRef', parts: [name], start: name.start, end: name.end };
  }
  return p.fail('Expected a literal value');
}
