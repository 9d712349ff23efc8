import { canonicalExpression } from '../canon/expressions.js';
import { canonicalType } from '../canon/types.js';
import { identifiersIn } from '../model/alterTable.js';
import type { ColumnDefinition, CreateTableStatement, Expression } from '../syntax/ast.js';

// Column types as the rules about MODIFY COLUMN compare them: the canonical text ClickHouse stores
// (`INT UNSIGNED` → `UInt32`, `Enum('a')` → `Enum8('a' = 1)`), split into a name and arguments.

/** A type as `Name(arg, arg)`; arguments are canonical texts (nested types, numbers, quoted strings, `'a' = 1`). */
export interface TypeNode {
  name: string;
  args: string[];
}

/** The canonical type of a column definition with its `NULL` modifier applied, or undefined when it has no type. */
export function columnTypeText(column: ColumnDefinition): string | undefined {
  if (!column.type) return undefined;
  const text = canonicalType(column.type, printTypeArgument);
  return column.nullable === true ? `Nullable(${text})` : text;
}

function printTypeArgument(expression: Expression): string {
  if (expression.kind === 'Literal' && expression.type === 'string') return quote(expression.value);
  return canonicalExpression(expression, { database: '', ctes: new Set() });
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Splits `Name(a, b(c, d), 'x, y')` into its name and top-level arguments. */
export function parseTypeText(text: string): TypeNode {
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')')) return { name: text.trim(), args: [] };
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = open + 1;
  for (let i = open + 1; i < text.length - 1; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start, text.length - 1).trim());
  return { name: text.slice(0, open).trim(), args: args.filter((a) => a !== '') };
}

/** `Nullable(T)`, also under `LowCardinality(...)`. */
export function isNullableType(text: string): boolean {
  const type = parseTypeText(text);
  return type.name === 'Nullable' || (type.name === 'LowCardinality' && isNullableType(type.args[0] ?? ''));
}

/** Labels and numbers of an `Enum8`/`Enum16` type in canonical form, or undefined for other types. */
export function enumValues(type: TypeNode): Map<string, number> | undefined {
  if (type.name !== 'Enum8' && type.name !== 'Enum16') return undefined;
  const values = new Map<string, number>();
  for (const arg of type.args) {
    const match = /^'((?:[^'\\]|\\.)*)'\s*=\s*(-?\d+)$/.exec(arg);
    if (match) values.set(match[1].replace(/\\(.)/g, '$1'), Number(match[2]));
  }
  return values;
}

/** `DateTime('UTC')` and `DateTime` store the same numbers: the time zone only changes how they print. */
function withoutTimeZone(type: TypeNode): string {
  if (type.name === 'DateTime') return 'DateTime';
  if (type.name === 'DateTime64') return `DateTime64(${type.args[0] ?? '3'})`;
  return `${type.name}(${type.args.join(', ')})`;
}

/** Pairs of types whose values are stored alike, so ClickHouse changes only metadata (AlterCommands.cpp, isMetadataOnlyConversion). */
const SAME_REPRESENTATION = new Set([
  'Enum8>Int8',
  'Enum16>Int16',
  'DateTime>UInt32',
  'UInt32>DateTime',
  'Date>UInt16',
  'UInt16>Date',
  'Bool>UInt8',
  'UInt8>Bool',
]);

/**
 * True when ClickHouse can change a column from `from` to `to` without rewriting its data: equal
 * types, another time zone, Enum values only added, or one of the pairs stored alike, also inside
 * `Array(...)` and `Nullable(...)`. Mirrors `isMetadataOnlyConversion` in ClickHouse's
 * AlterCommands.cpp; checked against chDB with `allow_non_metadata_alters = 0` in column-type-rewrite.test.ts.
 */
export function isMetadataOnlyChange(from: string, to: string): boolean {
  let a = parseTypeText(from);
  let b = parseTypeText(to);
  for (;;) {
    if (withoutTimeZone(a) === withoutTimeZone(b)) return true;
    const oldValues = enumValues(a);
    const newValues = enumValues(b);
    if (oldValues && newValues && a.name === b.name) return [...oldValues].every(([label, value]) => newValues.get(label) === value);
    if (SAME_REPRESENTATION.has(`${a.name}>${b.name}`)) return true;
    if ((a.name === 'Array' && b.name === 'Array') || (a.name === 'Nullable' && b.name === 'Nullable')) {
      a = parseTypeText(a.args[0] ?? '');
      b = parseTypeText(b.args[0] ?? '');
      continue;
    }
    return false;
  }
}

/** Why converting values from one type to another can change or lose some of them. */
export interface Narrowing {
  /** What happens to the values that do not fit, as a clause: "values outside the range of UInt32 wrap around". */
  effect: string;
}

const INTEGER = /^(U?)Int(8|16|32|64|128|256)$/;

/** The range of an integer type as [min, max]. */
function integerRange(name: string): [bigint, bigint] | undefined {
  const match = INTEGER.exec(name);
  if (!match) return undefined;
  const bits = BigInt(match[2]);
  return match[1] === 'U' ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
}

const FLOAT = /^Float(32|64)$/;
const STRING_LIKE = new Set(['String', 'FixedString']);

/**
 * How a conversion from `from` to `to` can change values, or undefined when every value survives.
 * Wrappers that do not change values (`LowCardinality`) are looked through; `Array` and `Nullable`
 * are compared element by element. Enum changes are left to enum-value-removed.
 */
export function narrowingOf(from: string, to: string): Narrowing | undefined {
  const a = unwrapLowCardinality(parseTypeText(from));
  const b = unwrapLowCardinality(parseTypeText(to));
  if ((a.name === 'Array' && b.name === 'Array') || (a.name === 'Nullable' && b.name === 'Nullable')) return narrowingOf(a.args[0] ?? '', b.args[0] ?? '');
  // Dropping Nullable needs a DEFAULT (ClickHouse refuses it otherwise): what NULLs become is then the author's choice.
  if (a.name === 'Nullable' && b.name !== 'Nullable') return narrowingOf(a.args[0] ?? '', to);
  if (b.name === 'Nullable') return narrowingOf(from, b.args[0] ?? '');
  const fromRange = integerRange(a.name);
  const toRange = integerRange(b.name);
  if (fromRange && (b.name === 'Enum8' || b.name === 'Enum16')) return { effect: `values that are not numbers of the ${b.name} make the mutation fail` };
  if (fromRange && toRange) {
    if (toRange[0] <= fromRange[0] && toRange[1] >= fromRange[1]) return undefined;
    return { effect: `values outside the range of ${b.name} wrap around silently` };
  }
  if (FLOAT.test(a.name)) {
    if (b.name === 'Float32' && a.name === 'Float64') return { effect: 'values are rounded to single precision' };
    if (toRange) return { effect: 'fractions are truncated and values outside the range of the integer type wrap around' };
    if (b.name === 'Decimal') return { effect: `values are rounded to ${b.args[1] ?? '0'} decimal places, and values too large for ${to} fail the mutation` };
  }
  if (a.name === 'Decimal' && b.name === 'Decimal') {
    const [precision, scale] = a.args.map(Number);
    const [newPrecision, newScale] = b.args.map(Number);
    if (newScale < scale) return { effect: `digits after the ${newScale}th decimal place are truncated` };
    if (newPrecision - newScale < precision - scale) return { effect: `values with more than ${newPrecision - newScale} integer digits fail the mutation` };
    return undefined;
  }
  if (a.name === 'Decimal' && toRange) return { effect: 'fractions are truncated' };
  if (a.name === 'DateTime64' || a.name === 'DateTime') {
    if (b.name === 'Date' || b.name === 'Date32') return { effect: 'the time of day is dropped' };
    const precision = a.name === 'DateTime64' ? Number(a.args[0] ?? '3') : 0;
    const newPrecision = b.name === 'DateTime64' ? Number(b.args[0] ?? '3') : b.name === 'DateTime' ? 0 : undefined;
    if (newPrecision !== undefined && newPrecision < precision) return { effect: 'sub-second precision is dropped' };
    return undefined;
  }
  if (a.name === 'Date32' && b.name === 'Date') return { effect: 'dates outside 1970-2149 are clamped' };
  if (STRING_LIKE.has(a.name)) {
    if (b.name === 'String') return undefined;
    if (b.name === 'FixedString') {
      if (a.name === 'FixedString' && Number(b.args[0]) >= Number(a.args[0])) return undefined;
      return { effect: `values longer than ${b.args[0]} bytes make the mutation fail` };
    }
    if (b.name === 'Enum8' || b.name === 'Enum16') return { effect: `values that are not labels of the ${b.name} make the mutation fail` };
    return { effect: `values that do not parse as ${to} make the mutation fail` };
  }
  return undefined;
}

function unwrapLowCardinality(type: TypeNode): TypeNode {
  return type.name === 'LowCardinality' ? unwrapLowCardinality(parseTypeText(type.args[0] ?? '')) : type;
}

/**
 * Columns in the partition, sorting, primary or sampling key. ClickHouse refuses to change their
 * type (code 524) unless the change is metadata-only or only adds or removes LowCardinality.
 */
export function keyColumnsOf(definition: CreateTableStatement): Set<string> {
  const storage = definition.storage;
  const keys = [storage?.partitionBy, storage?.orderBy, storage?.primaryKey, storage?.sampleBy];
  for (const element of definition.elements ?? []) if (element.kind === 'PrimaryKeyElement') keys.push(element.expression);
  return new Set(keys.flatMap((k) => identifiersIn(k)));
}

/** True when ClickHouse refuses this type change of a key column (code 524, "not safe ... representation of primary key"). */
export function isRefusedForKey(from: string, to: string): boolean {
  return !isMetadataOnlyChange(from, to) && withoutLowCardinality(from) !== withoutLowCardinality(to);
}

function withoutLowCardinality(text: string): string {
  const type = parseTypeText(text);
  if (type.name === 'LowCardinality') return withoutLowCardinality(type.args[0] ?? '');
  return type.args.length > 0 ? `${type.name}(${type.args.map(withoutLowCardinality).join(', ')})` : type.name;
}
