import { REFUSED_CASTS } from './columnChanges.generated.js';
import { type DataType, enumValues, innerType, isNullable, parseDataType, printDataType, withoutLowCardinality } from './dataTypes.js';
import { entriesOf } from './lines.js';

// What ClickHouse does with `ALTER TABLE ... MODIFY COLUMN c <new type>`: change only metadata,
// rewrite the column in every part (a mutation), or refuse the ALTER. The plan and every rule about
// type changes ask this module; columnChanges.test.ts checks it against chDB over every pair of the
// probe types in columnChanges.generated.ts.

/** ClickHouse's verdict on a column type change. */
export type TypeChangeVerdict =
  | { kind: 'metadata-only' }
  | { kind: 'rewrite' }
  /** `code` is ClickHouse's error code: 524 key column, 36 Nullable without DEFAULT, 70 Enum renumbered, others: no CAST between the types. */
  | { kind: 'refused'; code: number };

export interface TypeChangeOptions {
  /** The column is in the sorting, primary, partition or sampling key. */
  key?: boolean;
  /** The column has a DEFAULT (before or after): ClickHouse then accepts dropping Nullable. */
  hasDefault?: boolean;
}

/**
 * Family pairs with no CAST between them, as `from>to` → error code (probed: REFUSED_CASTS). Families
 * the probes do not cover are assumed to convert.
 */
const refusedCasts = new Map(
  entriesOf(REFUSED_CASTS, '\t').flatMap(([from, code, targets]) => targets.split(' ').map((to) => [`${from}>${to}`, Number(code)] as const)),
);

/** What ClickHouse does when a column of type `from` (canonical text) is modified to type `to`. */
export function typeChangeVerdict(from: string, to: string, options: TypeChangeOptions = {}, facts = { casts: refusedCasts }): TypeChangeVerdict {
  const a = parseDataType(from);
  const b = parseDataType(to);
  if (options.key) {
    // MergeTreeData::checkAlterIsPossible: a key column keeps its binary representation, except that
    // LowCardinality may come or go (code 524 "ALTER of key column ... is not safe").
    if (isMetadataOnly(a, b)) return { kind: 'metadata-only' };
    if (printDataType(withoutLowCardinalityDeep(a)) === printDataType(withoutLowCardinalityDeep(b))) return { kind: 'rewrite' };
    return { kind: 'refused', code: 524 };
  }
  // Without a DEFAULT, NULLs would have no value in the new type (code 36, BAD_ARGUMENTS).
  if (isNullable(a) && !isNullable(b) && !options.hasDefault) return { kind: 'refused', code: 36 };
  if (isEnumRenumbered(a, b)) return { kind: 'refused', code: 70 };
  if (isMetadataOnly(a, b)) return { kind: 'metadata-only' };
  const code = facts.casts.get(`${castFamily(a)}>${castFamily(b)}`);
  return code === undefined ? { kind: 'rewrite' } : { kind: 'refused', code };
}

/** True when the change needs no rewrite of the data (`isMetadataOnlyConversion` in ClickHouse's AlterCommands.cpp). */
export function isMetadataOnlyChange(from: string, to: string): boolean {
  return isMetadataOnly(parseDataType(from), parseDataType(to));
}

/** Pairs of families whose values are stored alike, so ClickHouse changes only metadata. */
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

function isMetadataOnly(a: DataType, b: DataType): boolean {
  if (withoutTimeZone(a) === withoutTimeZone(b)) return true;
  const oldValues = enumValues(a);
  const newValues = enumValues(b);
  // The numbers are what is stored: labels may change as long as every old number stays, and no label gets another number.
  if (oldValues && newValues)
    return a.name === b.name && !isEnumRenumbered(a, b) && [...oldValues.values()].every((value) => [...newValues.values()].includes(value));
  if (SAME_REPRESENTATION.has(`${a.name}>${b.name}`)) return true;
  const innerA = innerType(a);
  const innerB = innerType(b);
  if (innerA && innerB && a.name === b.name && (a.name === 'Array' || a.name === 'Nullable')) return isMetadataOnly(innerA, innerB);
  return false;
}

/** `DateTime('UTC')` and `DateTime` store the same numbers: the time zone only changes how they print. */
function withoutTimeZone(type: DataType): string {
  if (type.name === 'DateTime') return 'DateTime';
  if (type.name === 'DateTime64') return `DateTime64(${type.args[0]?.kind === 'literal' ? type.args[0].text : '3'})`;
  return printDataType(type);
}

/** An Enum label that keeps its name and changes its number: ClickHouse refuses the conversion (code 70). */
function isEnumRenumbered(a: DataType, b: DataType): boolean {
  const oldValues = enumValues(a);
  const newValues = enumValues(b);
  return !!oldValues && !!newValues && [...oldValues].some(([label, value]) => newValues.has(label) && newValues.get(label) !== value);
}

/** The family that decides which CASTs exist: `Array(Nullable(UInt8))` is `Array(UInt8)`, `LowCardinality(String)` is `String`. */
export function castFamily(type: DataType): string {
  const inner = innerType(type);
  if (inner && (type.name === 'Nullable' || type.name === 'LowCardinality')) return castFamily(inner);
  if (inner && type.name === 'Array') return `Array(${castFamily(inner)})`;
  return type.name;
}

function withoutLowCardinalityDeep(type: DataType): DataType {
  const bare = withoutLowCardinality(type);
  return { name: bare.name, args: bare.args.map((a) => (a.kind === 'type' ? { kind: 'type', type: withoutLowCardinalityDeep(a.type) } : a)) };
}
