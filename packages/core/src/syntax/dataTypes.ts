import type { DataType, DataTypeArgument, Identifier } from './ast.js';
import { parseExpression } from './expressions.js';
import { type Parser, trimList } from './parser.js';

/** A data type: `UInt64`, `Nullable(String)`, `DOUBLE PRECISION`, `Tuple(a String)`, `Enum8('a' = 1)`. */
export function parseDataType(p: Parser): DataType {
  p.enter();
  const start = p.tokenStart;
  const nameAt = p.index;
  let name = p.identifierName('a data type');
  // ClickHouse's type name parser takes no dotted name, quoted or not: `a.b` is no type.
  if (p.kindAt(nameAt) === 'QuotedIdentifier' && name.includes('.')) p.fail('Expected a data type: a type name has no `.`', undefined, nameAt);
  // Upper-cased from the lexer's word table when the name is one bare word, so no new string.
  const upper = p.kindAt(nameAt) === 'BareWord' ? p.wordAt(nameAt) : name.toUpperCase();
  if (INTEGER_TYPE_NAMES.has(upper)) {
    const sign = acceptSign(p);
    if (sign) name = `${upper} ${sign}`;
    else if (p.at('LParen')) {
      const type = parseIntegerWithDisplayWidth(p, name, upper, start);
      p.leave();
      return type;
    }
  } else {
    const suffix = acceptTypeNameSuffix(p, upper);
    if (suffix) name = `${upper} ${suffix}`;
  }
  let type: DataType;
  if (p.accept('LParen')) {
    const args: DataTypeArgument[] = [];
    const kind = argumentKind(name, upper);
    if (!p.at('RParen')) {
      args.push(parseDataTypeArgument(p, kind));
      // A trailing comma before `)` is accepted, as in ClickHouse.
      while (p.accept('Comma') && !p.at('RParen')) args.push(parseDataTypeArgument(p, kind));
    }
    p.expect('RParen');
    type = { kind: 'DataType', name, start, end: p.lastEnd, arguments: trimList(args) };
  } else type = { kind: 'DataType', name, start, end: p.lastEnd };
  p.leave();
  return type;
}

/** Integer type names that take MySQL's sign (`INT UNSIGNED`) and display width (`INT(11) UNSIGNED`). */
const INTEGER_TYPE_NAMES = new Set([
  'TINYINT',
  'SMALLINT',
  'MEDIUMINT',
  'INT',
  'INTEGER',
  'BIGINT',
  'INT1',
  ...[8, 16, 32, 64, 128, 256].flatMap((bits) => [`INT${bits}`, `UINT${bits}`]),
]);

function acceptSign(p: Parser): 'SIGNED' | 'UNSIGNED' | undefined {
  const word = p.word();
  if (word !== 'SIGNED' && word !== 'UNSIGNED') return undefined;
  p.next();
  return word;
}

/**
 * `INT(11)`, `INT() UNSIGNED`, at `(`. As ClickHouse does, the width is dropped (`INT(11)` is `INT`),
 * and a sign makes the upper-cased two-word name (`INT UNSIGNED`, stored as `UInt32`).
 */
function parseIntegerWithDisplayWidth(p: Parser, name: string, upper: string, start: number): DataType {
  p.expect('LParen');
  if (p.at('Number')) p.next();
  p.expect('RParen', '`)`: an integer type takes only a display width, such as `INT(11)`');
  const sign = acceptSign(p);
  return { kind: 'DataType', name: sign ? `${upper} ${sign}` : name, start, end: p.lastEnd };
}

/** The SQL-standard words that continue these type names, in the order ClickHouse tries them. */
const TYPE_NAME_SUFFIXES = new Map<string, readonly (readonly string[])[]>([
  ['NATIONAL', [['CHARACTER', 'LARGE', 'OBJECT'], ['CHARACTER', 'VARYING'], ['CHAR', 'VARYING'], ['CHARACTER'], ['CHAR']]],
  ...['BINARY', 'CHARACTER', 'CHAR', 'NCHAR'].map((first): [string, string[][]] => [first, [['LARGE', 'OBJECT'], ['VARYING']]]),
  ['DOUBLE', [['PRECISION']]],
]);

/** `DOUBLE PRECISION`, `CHARACTER LARGE OBJECT`, `NATIONAL CHAR VARYING`: the words after the first, when there are some. */
function acceptTypeNameSuffix(p: Parser, upper: string): string | undefined {
  const suffixes = TYPE_NAME_SUFFIXES.get(upper);
  const suffix = suffixes?.find((words) => p.acceptWordList(words));
  return suffix?.join(' ');
}

/**
 * What the arguments of a type may be besides types and literals. As in ClickHouse: named elements
 * in `Tuple` and `Nested` (spelt so), named paths, settings and SKIP in `JSON`; settings in `Object`
 * and `Dynamic`.
 */
type ArgumentKind = 'named' | 'json' | 'settings' | 'plain';

function argumentKind(name: string, upper: string): ArgumentKind {
  if (name === 'Tuple' || name === 'Nested') return 'named';
  if (upper === 'JSON') return 'json';
  return upper === 'OBJECT' || upper === 'DYNAMIC' ? 'settings' : 'plain';
}

function parseDataTypeArgument(p: Parser, kind: ArgumentKind): DataTypeArgument {
  const start = p.tokenStart;
  if (kind === 'json' && p.atWord('SKIP') && (p.atWord('REGEXP', 1) || p.atIdentifier(1))) {
    p.next();
    if (p.acceptWord('REGEXP')) return { kind: 'JsonSkip', regexp: true, path: p.stringLiteral(), start, end: p.lastEnd };
    return { kind: 'JsonSkip', regexp: false, path: parseDottedName(p), start, end: p.lastEnd };
  }
  // JSON takes only `path Type`, `SKIP path`, `SKIP REGEXP 're'` and `setting = value`: `JSON(500)` is an error.
  if (kind === 'json' && !p.atIdentifier()) return p.fail('Expected a JSON type argument: a path and its type, SKIP, or a setting');
  if (!p.atIdentifier()) return parseExpression(p);
  let lookahead = 1;
  if (kind === 'json') while (p.at('Dot', lookahead) && p.atIdentifier(lookahead + 1)) lookahead += 2;
  const after = p.kind(lookahead);
  if (kind === 'json' && after !== 'Equals' && after !== 'BareWord' && after !== 'QuotedIdentifier')
    return p.fail('Expected a type after the JSON path', undefined, p.index + lookahead);
  if (after === 'Equals' && (kind === 'json' || kind === 'settings')) return parseExpression(p);
  if ((kind === 'named' || kind === 'json') && (after === 'BareWord' || after === 'QuotedIdentifier')) {
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
