import { type DataType, innerType, parseDataType, printDataType, withoutLowCardinality } from './dataTypes.js';

// Which values a CAST from one type to another changes or loses: what MODIFY COLUMN does to stored
// values when it rewrites them (column-type-narrowing.test.ts checks the effects with chDB).

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

/** The text of a literal argument (`3` in `DateTime64(3)`), or undefined. */
function literalArgument(type: DataType, index: number): string | undefined {
  const argument = type.args[index];
  return argument?.kind === 'literal' ? argument.text : undefined;
}

/**
 * How a conversion from `from` to `to` (canonical texts) can change values, or undefined when every
 * value survives. `LowCardinality` is looked through; `Array` and `Nullable` are compared element by
 * element. Enum to Enum is enum-value-removed's.
 */
export function narrowingOf(from: string, to: string): Narrowing | undefined {
  return narrowing(parseDataType(from), parseDataType(to));
}

function narrowing(from: DataType, to: DataType): Narrowing | undefined {
  const a = withoutLowCardinality(from);
  const b = withoutLowCardinality(to);
  const innerA = innerType(a);
  const innerB = innerType(b);
  if (innerA && innerB && a.name === b.name && (a.name === 'Array' || a.name === 'Nullable')) return narrowing(innerA, innerB);
  // Dropping Nullable needs a DEFAULT (ClickHouse refuses it otherwise): what NULLs become is then the author's choice.
  if (innerA && a.name === 'Nullable' && b.name !== 'Nullable') return narrowing(innerA, to);
  if (innerB && b.name === 'Nullable') return narrowing(from, innerB);
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
    if (b.name === 'Decimal')
      return {
        effect: `values are rounded to ${literalArgument(b, 1) ?? '0'} decimal places, and values too large for ${printDataType(to)} fail the mutation`,
      };
  }
  if (a.name === 'Decimal' && b.name === 'Decimal') {
    const [precision, scale] = [0, 1].map((i) => Number(literalArgument(a, i)));
    const [newPrecision, newScale] = [0, 1].map((i) => Number(literalArgument(b, i)));
    if (newScale < scale) return { effect: `digits after the ${newScale}th decimal place are truncated` };
    if (newPrecision - newScale < precision - scale) return { effect: `values with more than ${newPrecision - newScale} integer digits fail the mutation` };
    return undefined;
  }
  if (a.name === 'Decimal' && toRange) return { effect: 'fractions are truncated' };
  if (a.name === 'DateTime64' || a.name === 'DateTime') {
    if (b.name === 'Date' || b.name === 'Date32') return { effect: 'the time of day is dropped' };
    const precision = a.name === 'DateTime64' ? Number(literalArgument(a, 0) ?? '3') : 0;
    const newPrecision = b.name === 'DateTime64' ? Number(literalArgument(b, 0) ?? '3') : b.name === 'DateTime' ? 0 : undefined;
    if (newPrecision !== undefined && newPrecision < precision) return { effect: 'sub-second precision is dropped' };
    return undefined;
  }
  if (a.name === 'Date32' && b.name === 'Date') return { effect: 'dates outside 1970-2149 are clamped' };
  if (STRING_LIKE.has(a.name)) {
    if (b.name === 'String') return undefined;
    if (b.name === 'FixedString') {
      if (a.name === 'FixedString' && Number(literalArgument(b, 0)) >= Number(literalArgument(a, 0))) return undefined;
      return { effect: `values longer than ${literalArgument(b, 0)} bytes make the mutation fail` };
    }
    if (b.name === 'Enum8' || b.name === 'Enum16') return { effect: `values that are not labels of the ${b.name} make the mutation fail` };
    return { effect: `values that do not parse as ${printDataType(to)} make the mutation fail` };
  }
  return undefined;
}
