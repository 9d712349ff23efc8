import { aggregateStateVersion, canonicalFunctionName } from '../semantics/functions.js';
import { DEFAULT_TYPE_PARAMETERS } from '../semantics/typeParameters.js';
import { canonicalCodecName, dataTypeFamily } from '../semantics/types.js';
import type { CodecElement, DataType, DataTypeArgument, Expression } from '../syntax/ast.js';

// ClickHouse stores types under their canonical names (aliases and spellings from
// `system.data_type_families`, generated in semantics/), drops the arguments of families that ignore
// them (`INT(11)`), numbers Enum values, completes Decimal and DateTime64 parameters, turns
// `DateTime(6)` into `DateTime64(6)`, drops default JSON/Dynamic parameters and sorts Variant members
// and JSON paths. Checked against chDB 26.7 in types.test.ts and canonical.test.ts.

const DECIMAL_PRECISION: Record<string, number> = { Decimal32: 9, Decimal64: 18, Decimal128: 38, Decimal256: 76 };

/** Prints a literal or expression argument of a type (`'UTC'`, `3`, `'a' = 1`) the way the canonical form needs. */
export type ArgumentPrinter = (expression: Expression) => string;

/** The type as ClickHouse stores it, as text: `INT UNSIGNED` → `UInt32`, `Enum('a', 'b')` → `Enum8('a' = 1, 'b' = 2)`. */
export function canonicalType(type: DataType, printArgument: ArgumentPrinter): string {
  const family = dataTypeFamily(type.name);
  // The stored bare form names the family too: `DateTime32` is stored as `DateTime`.
  const name = family?.bare ? family.bare.replace(/\(.*$/, '') : (family?.name ?? type.name);
  const args = family?.dropsArguments ? [] : (type.arguments ?? []);
  if (name === 'Decimal' || name in DECIMAL_PRECISION) {
    const numbers = args.map((a) => printTypeArgument(a, printArgument));
    if (name in DECIMAL_PRECISION) return `Decimal(${DECIMAL_PRECISION[name]}, ${numbers[0] ?? '0'})`;
    return `Decimal(${numbers[0] ?? '10'}, ${numbers[1] ?? '0'})`;
  }
  if (args.length === 0) return family?.bare ?? name;
  if ((name === 'DateTime' || name === 'Time') && isNumberLiteral(args[0])) {
    // `DateTime(6)` is `DateTime64(6)`; a precision of 0 is the plain type.
    const [precision, ...rest] = args.map((a) => printTypeArgument(a, printArgument));
    const wide = precision === '0' ? name : `${name}64`;
    const printed = wide === name ? rest : [precision, ...rest];
    return printed.length ? `${wide}(${printed.join(', ')})` : wide;
  }
  if (/^Enum(8|16)?$/.test(name)) return canonicalEnum(name, args, printArgument);
  if (name === 'JSON' || name === 'Dynamic') return canonicalObjectType(name, args, printArgument);
  if (name === 'AggregateFunction' || name === 'SimpleAggregateFunction') return canonicalAggregateType(name, args, printArgument);
  let printed = args.map((a) => printTypeArgument(a, printArgument));
  if (name === 'Variant') printed = [...printed].sort();
  return `${name}(${printed.join(', ')})`;
}

/**
 * A skipping index type (`minmax`, `set(0)`, `text(tokenizer = 'ngrams')`) as written: index types are
 * not data types (`text` and `set` would read as the type aliases TEXT and SET).
 */
export function canonicalIndexType(type: DataType, printArgument: ArgumentPrinter): string {
  const args = (type.arguments ?? []).map((a) =>
    a.kind === 'BinaryExpression' && a.operator === '=' && a.left.kind === 'ColumnRef'
      ? `${a.left.parts.map((p) => p.name).join('.')} = ${printArgument(a.right)}`
      : printTypeArgument(a, printArgument),
  );
  return args.length ? `${type.name}(${args.join(', ')})` : type.name;
}

function isNumberLiteral(argument: DataTypeArgument): boolean {
  return argument.kind === 'Literal' && argument.type === 'number';
}

/**
 * `JSON(...)` and `Dynamic(...)`: parameters equal to their default are dropped, the rest sorted by
 * name; then typed paths, SKIP paths and SKIP REGEXP patterns, each sorted (ClickHouse sorts them).
 */
function canonicalObjectType(name: string, args: DataTypeArgument[], printArgument: ArgumentPrinter): string {
  const defaults = DEFAULT_TYPE_PARAMETERS[name] ?? {};
  const parameters: string[] = [];
  const paths: string[] = [];
  const skips: string[] = [];
  const skipPatterns: string[] = [];
  for (const arg of args) {
    if (arg.kind === 'BinaryExpression' && arg.operator === '=' && arg.left.kind === 'ColumnRef') {
      const parameter = arg.left.parts.map((p) => p.name).join('.');
      const value = printArgument(arg.right);
      if (defaults[parameter] !== value) parameters.push(`${parameter} = ${value}`);
    } else if (arg.kind === 'JsonSkip') (arg.regexp ? skipPatterns : skips).push(printTypeArgument(arg, printArgument));
    else paths.push(printTypeArgument(arg, printArgument));
  }
  const printed = [...parameters.sort(), ...paths.sort(), ...skips.sort(), ...skipPatterns.sort()];
  return printed.length ? `${name}(${printed.join(', ')})` : name;
}

/**
 * `AggregateFunction([version, ]f, types...)`: the function under its stored name (`median` →
 * `quantile`), and the state version of versioned functions (`sumMap` → `1, sumMap`), written or the
 * current default. Stored DDL has its implicit version 0 made explicit by the live reader.
 */
function canonicalAggregateType(name: string, args: DataTypeArgument[], printArgument: ArgumentPrinter): string {
  let rest = args;
  let version: string | undefined;
  if (rest[0] && isNumberLiteral(rest[0])) {
    version = printArgument(rest[0] as Expression);
    rest = rest.slice(1);
  }
  const [fn, ...types] = rest;
  if (!fn) return `${name}(${args.map((a) => printTypeArgument(a, printArgument)).join(', ')})`;
  const printedTypes = types.map((a) => printTypeArgument(a, printArgument));
  let printedFunction: string;
  let functionName: string | undefined;
  if (fn.kind === 'DataType') {
    functionName = canonicalFunctionName(fn.name);
    printedFunction = fn.arguments?.length ? `${functionName}(${fn.arguments.map((a) => printTypeArgument(a, printArgument)).join(', ')})` : functionName;
  } else printedFunction = printTypeArgument(fn, printArgument);
  if (name === 'AggregateFunction' && functionName) {
    const current = aggregateStateVersion(functionName, printedTypes[0]);
    version ??= current;
    // An unversioned function is stored without the 0 written for it.
    if (current === undefined && version === '0') version = undefined;
  }
  return `${name}(${[...(version === undefined ? [] : [version]), printedFunction, ...printedTypes].join(', ')})`;
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

/** A codec chain with ClickHouse's defaults filled in: `Delta` → `Delta(8)` on Int64, `ZSTD` → `ZSTD(1)`, `LZ4HC` → `LZ4HC(0)`. */
export function canonicalCodecs(codecs: CodecElement[], columnType: string, printArgument: ArgumentPrinter): string {
  const width = valueWidth(columnType);
  return codecs
    .map((codec) => {
      const name = canonicalCodecName(codec.name);
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
