import type { Literal, QueryParameter } from './ast.js';
import { parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { unquote } from './unquote.js';

/** A string literal, quoted or as a heredoc (`$$text$$`): ClickHouse accepts both wherever it wants a string. */
export function parseString(p: Parser, what = 'a string literal'): Literal {
  const token = p.token;
  if (token.kind !== 'String' && token.kind !== 'Heredoc') return p.fail(`Expected ${what}`);
  p.next();
  return { kind: 'Literal', type: 'string', value: unquote(p.text(token)), start: token.start, end: token.end };
}

/** A string or a query parameter (`{name:String}`): ClickHouse's `ParserStringAndSubstitution`. */
export function parseStringOrParameter(p: Parser, what = 'a string literal'): Literal | QueryParameter {
  if (!p.at('LBrace')) return parseString(p, what);
  const open = p.token;
  const parameter = parseExpression(p);
  if (parameter.kind !== 'QueryParameter') return p.fail(`Expected ${what} or a query parameter such as \`{name:String}\``, undefined, open);
  return parameter;
}

export function isStringToken(p: Parser, offset = 0): boolean {
  const kind = p.peek(offset).kind;
  return kind === 'String' || kind === 'Heredoc';
}
