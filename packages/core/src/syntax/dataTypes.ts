import type { DataType, DataTypeArgument, Identifier } from './ast.js';
import { parseExpression } from './expressions.js';
import { type Parser, trimList } from './parser.js';

/** Words that continue a multi-word SQL type name: `DOUBLE PRECISION`, `INT UNSIGNED`, `CHARACTER LARGE OBJECT`. */
const TYPE_NAME_CONTINUATIONS = new Set(['PRECISION', 'VARYING', 'LARGE', 'OBJECT', 'CHARACTER', 'CHAR', 'SIGNED', 'UNSIGNED']);

/** A data type: `UInt64`, `Nullable(String)`, `DOUBLE PRECISION`, `Tuple(a String)`, `Enum8('a' = 1)`. */
export function parseDataType(p: Parser): DataType {
  p.enter();
  const start = p.tokenStart;
  const nameAt = p.index;
  let name = p.identifierName('a data type');
  // ClickHouse's type name parser takes no dotted name, quoted or not: `a.b` is no type.
  if (p.kindAt(nameAt) === 'QuotedIdentifier' && name.includes('.')) p.fail('Expected a data type: a type name has no `.`', undefined, nameAt);
  // Upper-cased from the lexer's word table when the name is one bare word, so no new string.
  let upper = p.kindAt(nameAt) === 'BareWord' ? p.wordAt(nameAt) : undefined;
  while (TYPE_NAME_CONTINUATIONS.has(p.word()) && !p.at('Comma', 0)) {
    name += ` ${p.textAt(p.next())}`;
    upper = undefined;
  }
  let type: DataType;
  if (p.accept('LParen')) {
    const args: DataTypeArgument[] = [];
    const allowsSettings = SETTING_ARGUMENT_TYPES.has(upper ?? name.toUpperCase());
    if (!p.at('RParen')) {
      args.push(parseDataTypeArgument(p, allowsSettings));
      // A trailing comma before `)` is accepted, as in ClickHouse.
      while (p.accept('Comma') && !p.at('RParen')) args.push(parseDataTypeArgument(p, allowsSettings));
    }
    p.expect('RParen');
    type = { kind: 'DataType', name, start, end: p.lastEnd, arguments: trimList(args) };
  } else type = { kind: 'DataType', name, start, end: p.lastEnd };
  p.leave();
  return type;
}

/** Types whose arguments may be settings (`JSON(max_dynamic_paths = 10)`); elsewhere `a = 1` is not a type argument. */
const SETTING_ARGUMENT_TYPES = new Set(['JSON', 'OBJECT', 'DYNAMIC']);

function parseDataTypeArgument(p: Parser, allowsSettings: boolean): DataTypeArgument {
  const start = p.tokenStart;
  if (p.atWord('SKIP') && (p.atWord('REGEXP', 1) || p.atIdentifier(1))) {
    p.next();
    if (p.acceptWord('REGEXP')) return { kind: 'JsonSkip', regexp: true, path: p.stringLiteral(), start, end: p.lastEnd };
    return { kind: 'JsonSkip', regexp: false, path: parseDottedName(p), start, end: p.lastEnd };
  }
  if (!p.atIdentifier()) return parseExpression(p);
  let lookahead = 1;
  while (p.at('Dot', lookahead) && p.atIdentifier(lookahead + 1)) lookahead += 2;
  const after = p.kind(lookahead);
  if (after === 'Equals' && allowsSettings) return parseExpression(p);
  if (after === 'BareWord' || after === 'QuotedIdentifier') {
    const name = parseDottedName(p);
    const type = parseDataType(p);
    return { kind: 'NamedDataType', name, type, start, end: type.end };
  }
  return parseDataType(p);
}

function parseDottedName(p: Parser): Identifier[] {
  const parts = [p.identifier()];
  while (p.at('Dot') && p.atIdentifier(1)) {
    p.next();
    parts.push(p.identifier());
  }
  return parts;
}
