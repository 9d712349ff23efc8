import type { CodecElement, DataType, DataTypeArgument, Expression } from '../syntax/ast.js';

// Aliases as chDB 26.7 resolves them (INT4, INT8 and STRING are not aliases: ClickHouse refuses them).
// ClickHouse stores types under their canonical names (DataTypeFactory aliases), numbers Enum
// values, completes Decimal and DateTime64 parameters, and sorts Variant members. Checked against
// chDB 26.7 in canon.test.ts.

/** Aliases, looked up upper-cased, to the name ClickHouse stores. Arguments of string aliases are dropped. */
const TYPE_ALIASES: Record<string, string> = {
  INT: 'Int32',
  INTEGER: 'Int32',
  MEDIUMINT: 'Int32',
  SIGNED: 'Int64',
  UNSIGNED: 'UInt64',
  TINYINT: 'Int8',
  INT1: 'Int8',
  BYTE: 'Int8',
  SMALLINT: 'Int16',
  YEAR: 'UInt16',
  BIGINT: 'Int64',
  'INT SIGNED': 'Int32',
  'INT UNSIGNED': 'UInt32',
  'INTEGER SIGNED': 'Int32',
  'INTEGER UNSIGNED': 'UInt32',
  'TINYINT SIGNED': 'Int8',
  'TINYINT UNSIGNED': 'UInt8',
  'SMALLINT SIGNED': 'Int16',
  'SMALLINT UNSIGNED': 'UInt16',
  'MEDIUMINT SIGNED': 'Int32',
  'MEDIUMINT UNSIGNED': 'UInt32',
  'BIGINT SIGNED': 'Int64',
  'BIGINT UNSIGNED': 'UInt64',
  BIT: 'UInt64',
  SET: 'UInt64',
  BOOL: 'Bool',
  BOOLEAN: 'Bool',
  FLOAT: 'Float32',
  REAL: 'Float32',
  SINGLE: 'Float32',
  DOUBLE: 'Float64',
  'DOUBLE PRECISION': 'Float64',
  TIMESTAMP: 'DateTime',
  DATETIME: 'DateTime',
  DATE: 'Date',
  DEC: 'Decimal',
  NUMERIC: 'Decimal',
  FIXED: 'Decimal',
  DECIMAL: 'Decimal',
  UUID: 'UUID',
  JSON: 'JSON',
  ENUM: 'Enum',
  TIME: 'Time',
  INET4: 'IPv4',
  INET6: 'IPv6',
};

const STRING_ALIASES = new Set([
  'CHAR',
  'CHARACTER',
  'VARCHAR',
  'VARCHAR2',
  'NCHAR',
  'NVARCHAR',
  'TEXT',
  'TINYTEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
  'BLOB',
  'TINYBLOB',
  'MEDIUMBLOB',
  'LONGBLOB',
  'CLOB',
  'BYTEA',
  'VARBINARY',
  'CHAR VARYING',
  'CHARACTER VARYING',
  'CHARACTER LARGE OBJECT',
  'CHAR LARGE OBJECT',
  'NATIONAL CHAR',
  'NATIONAL CHARACTER',
  'NATIONAL CHAR VARYING',
  'NATIONAL CHARACTER VARYING',
  'NATIONAL CHARACTER LARGE OBJECT',
  'NCHAR VARYING',
  'NCHAR LARGE OBJECT',
  'BINARY VARYING',
  'BINARY LARGE OBJECT',
]);

const DECIMAL_PRECISION: Record<string, number> = { Decimal32: 9, Decimal64: 18, Decimal128: 38, Decimal256: 76 };

/** Prints a literal or expression argument of a type (`'UTC'`, `3`, `'a' = 1`) the way the canonical form needs. */
export type ArgumentPrinter = (expression: Expression) => string;

/** The type as ClickHouse stores it, as text: `INT UNSIGNED` → `UInt32`, `Enum('a', 'b')` → `Enum8('a' = 1, 'b' = 2)`. */
export function canonicalType(type: DataType, printArgument: ArgumentPrinter): string {
  const upper = type.name.toUpperCase();
  if (STRING_ALIASES.has(upper)) return 'String';
  if (upper === 'BINARY') return `FixedString(${type.arguments?.[0] ? printArgument(type.arguments[0] as Expression) : '1'})`;
  const name = TYPE_ALIASES[upper] ?? type.name;
  const args = type.arguments ?? [];
  if (name === 'Decimal' || name in DECIMAL_PRECISION) {
    const numbers = args.map((a) => printTypeArgument(a, printArgument));
    if (name in DECIMAL_PRECISION) return `Decimal(${DECIMAL_PRECISION[name]}, ${numbers[0] ?? '0'})`;
    return `Decimal(${numbers[0] ?? '10'}, ${numbers[1] ?? '0'})`;
  }
  if (name === 'DateTime64' && args.length === 0) return 'DateTime64(3)';
  if (/^Enum(8|16)?$/.test(name)) return canonicalEnum(name, args, printArgument);
  if (args.length === 0) return name;
  let printed = args.map((a) => printTypeArgument(a, printArgument));
  if (name === 'Variant') printed = [...printed].sort();
  return `${name}(${printed.join(', ')})`;
}

function printTypeArgument(argument: DataTypeArgument, printArgument: ArgumentPrinter): string {
  switch (argument.kind) {
    case 'DataType':
      return canonicalType(argument, printArgument);
    case 'NamedDataType':
      return `${argument.name.map((n) => n.name).join('.')} ${canonicalType(argument.type, printArgument)}`;
    case 'JsonSkip':
      return argument.regexp
        ? `SKIP REGEXP ${printArgument(argument.path as Expression)}`
        : `SKIP ${(argument.path as { name: string }[]).map((n) => n.name).join('.')}`;
    default:
      return printArgument(argument);
  }
}

/** Numbers unnumbered values from 1 (after the last explicit one) and sizes a bare `Enum` by its range. */
function canonicalEnum(name: string, args: DataTypeArgument[], printArgument: ArgumentPrinter): string {
  let next = 1;
  const values: { label: string; value: number }[] = [];
  for (const arg of args) {
    if (arg.kind === 'BinaryExpression' && arg.operator === '=') {
      const value = Number(literalText(arg.right));
      values.push({ label: printArgument(arg.left), value });
      next = value + 1;
    } else {
      values.push({ label: printArgument(arg as Expression), value: next++ });
    }
  }
  const fits8 = values.every((v) => v.value >= -128 && v.value <= 127);
  const size = name === 'Enum' ? (fits8 ? 'Enum8' : 'Enum16') : name;
  return `${size}(${values.map((v) => `${v.label} = ${v.value}`).join(', ')})`;
}

function literalText(expression: Expression): string {
  if (expression.kind === 'Literal') return expression.value;
  if (expression.kind === 'UnaryExpression' && expression.operator === '-' && expression.operand.kind === 'Literal') return `-${expression.operand.value}`;
  return 'NaN';
}

/** Byte width of a column's values, which `Delta` and `Gorilla` take as their default parameter. */
export function valueWidth(canonical: string): number {
  const inner = canonical.match(/^(?:Nullable|LowCardinality|Array)\((.*)\)$/);
  if (inner) return valueWidth(inner[1]);
  if (/^(U?Int8|Bool|Enum8)/.test(canonical)) return 1;
  if (/^(U?Int16|Date$|Enum16)/.test(canonical)) return 2;
  if (/^(U?Int32|Float32|DateTime$|DateTime\(|Date32|IPv4)/.test(canonical)) return 4;
  if (/^(U?Int64|Float64|DateTime64)/.test(canonical)) return 8;
  if (/^(U?Int128|UUID|IPv6)/.test(canonical)) return 16;
  if (/^U?Int256/.test(canonical)) return 32;
  const decimal = canonical.match(/^Decimal\((\d+)/);
  if (decimal) {
    const precision = Number(decimal[1]);
    return precision <= 9 ? 4 : precision <= 18 ? 8 : precision <= 38 ? 16 : 32;
  }
  return 1;
}

const CODEC_NAMES = [
  'NONE',
  'LZ4',
  'LZ4HC',
  'ZSTD',
  'ZSTD_QAT',
  'DEFLATE_QPL',
  'Delta',
  'DoubleDelta',
  'Gorilla',
  'T64',
  'FPC',
  'GCD',
  'AES_128_GCM_SIV',
  'AES_256_GCM_SIV',
];
const CODEC_BY_UPPER = new Map(CODEC_NAMES.map((n) => [n.toUpperCase(), n]));

/** A codec chain with ClickHouse's defaults filled in: `Delta` → `Delta(8)` on Int64, `ZSTD` → `ZSTD(1)`, `LZ4HC` → `LZ4HC(0)`. */
export function canonicalCodecs(codecs: CodecElement[], columnType: string, printArgument: ArgumentPrinter): string {
  const width = valueWidth(columnType);
  return codecs
    .map((codec) => {
      const name = CODEC_BY_UPPER.get(codec.name.toUpperCase()) ?? codec.name;
      const args = (codec.arguments ?? []).map(printArgument);
      if (args.length === 0) {
        if (name === 'Delta' || name === 'Gorilla') args.push(String(width));
        else if (name === 'ZSTD') args.push('1');
        else if (name === 'LZ4HC') args.push('0');
        else if (name === 'FPC') args.push('12');
      }
      return args.length > 0 ? `${name}(${args.join(', ')})` : name;
    })
    .join(', ');
}
