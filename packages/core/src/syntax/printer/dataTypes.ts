import type { CodecElement, DataType, DataTypeArgument } from '../ast.js';
import { expression, printList, TOP } from './expressions.js';
import { printParts, quoteIdentifier, quoteName, quoteString } from './text.js';

// Data types and codecs.

/** Words of a type name as written (`DOUBLE PRECISION`); any other name needs quotes. */
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*$/;

/** `UInt64`, `Nullable(String)`, `Tuple(a String, b UInt8)`, `Enum8('a' = 1)`, `JSON(max_dynamic_paths = 8, SKIP a.b)`. */
export function printDataType(type: DataType): string {
  const name = TYPE_NAME.test(type.name) ? type.name : quoteIdentifier(type.name);
  return type.arguments ? `${name}(${type.arguments.map(printDataTypeArgument).join(', ')})` : name;
}

function printDataTypeArgument(argument: DataTypeArgument): string {
  switch (argument.kind) {
    case 'DataType':
      return printDataType(argument);
    case 'NamedDataType':
      return `${printParts(argument.name)} ${printDataType(argument.type)}`;
    case 'JsonSkip':
      return Array.isArray(argument.path) ? `SKIP ${printParts(argument.path)}` : `SKIP REGEXP ${quoteString(argument.path.value)}`;
    default:
      return expression(argument, TOP);
  }
}

/** `CODEC(Delta(4), ZSTD(1))`. */
export function printCodec(codecs: CodecElement[]): string {
  return `CODEC(${codecs.map((c) => (c.arguments ? `${quoteName(c.name)}(${printList(c.arguments)})` : quoteName(c.name))).join(', ')})`;
}
