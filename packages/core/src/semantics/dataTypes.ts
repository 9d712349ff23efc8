// A column type as a tree, read from the canonical text ClickHouse stores (`Array(Nullable(UInt32))`,
// `Enum8('a' = 1)`, `DateTime64(3, 'UTC')`, `Tuple(a UInt8)`): the one place that splits type text.

/** A data type: its family and its arguments. */
export interface DataType {
  name: string;
  args: TypeArgument[];
}

/** An argument of a type: a nested type, a literal (`3`, `'UTC'`), an Enum entry or a named Tuple element. */
export type TypeArgument =
  | { kind: 'type'; type: DataType }
  | { kind: 'literal'; text: string }
  | { kind: 'enum'; label: string; value: number }
  | { kind: 'named'; name: string; type: DataType };

/** Reads a canonical type text into a tree; unknown shapes become literals, so it never throws. */
export function parseDataType(text: string): DataType {
  const trimmed = text.trim();
  const open = trimmed.indexOf('(');
  if (open < 0 || !trimmed.endsWith(')')) return { name: trimmed, args: [] };
  return { name: trimmed.slice(0, open).trim(), args: splitArguments(trimmed.slice(open + 1, -1)).map(parseArgument) };
}

/** The canonical text of a type tree (the inverse of parseDataType). */
export function printDataType(type: DataType): string {
  if (type.args.length === 0) return type.name;
  return `${type.name}(${type.args.map(printArgument).join(', ')})`;
}

function printArgument(argument: TypeArgument): string {
  switch (argument.kind) {
    case 'type':
      return printDataType(argument.type);
    case 'literal':
      return argument.text;
    case 'enum':
      return `${quote(argument.label)} = ${argument.value}`;
    case 'named':
      return `${argument.name} ${printDataType(argument.type)}`;
  }
}

function parseArgument(text: string): TypeArgument {
  const entry = /^'((?:[^'\\]|\\.)*)'\s*=\s*(-?\d+)$/.exec(text);
  if (entry) return { kind: 'enum', label: entry[1].replace(/\\(.)/g, '$1'), value: Number(entry[2]) };
  if (/^(-?\d|')/.test(text)) return { kind: 'literal', text };
  // `a UInt8` in a Tuple: a name, a space, then a type (a type name itself holds no space before `(`).
  const named = /^(`[^`]*`|[A-Za-z_]\w*)\s+([A-Z]\w*(\(.*\))?)$/s.exec(text);
  if (named) return { kind: 'named', name: named[1], type: parseDataType(named[2]) };
  return { kind: 'type', type: parseDataType(text) };
}

/** Top-level comma-separated arguments, ignoring commas inside brackets and quotes. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
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
  args.push(text.slice(start).trim());
  return args.filter((a) => a !== '');
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The nested type of a one-argument wrapper (`Array`, `Nullable`, `LowCardinality`), if any. */
export function innerType(type: DataType): DataType | undefined {
  const first = type.args[0];
  return first?.kind === 'type' ? first.type : undefined;
}

/** The type without `LowCardinality(...)`, which changes how values are stored, not which values. */
export function withoutLowCardinality(type: DataType): DataType {
  const inner = type.name === 'LowCardinality' ? innerType(type) : undefined;
  return inner ? withoutLowCardinality(inner) : type;
}

/** `Nullable(T)`, also under `LowCardinality(...)`. */
export function isNullable(type: DataType): boolean {
  return withoutLowCardinality(type).name === 'Nullable';
}

/** Labels and numbers of an `Enum8`/`Enum16`, or undefined for other types. */
export function enumValues(type: DataType): Map<string, number> | undefined {
  if (type.name !== 'Enum8' && type.name !== 'Enum16') return undefined;
  return new Map(type.args.flatMap((a) => (a.kind === 'enum' ? [[a.label, a.value] as const] : [])));
}

/** The Enum inside `Nullable(...)`, `Array(...)` or `LowCardinality(...)`, or the type itself. */
export function nestedEnum(type: DataType): DataType | undefined {
  if (enumValues(type)) return type;
  const inner = ['Nullable', 'Array', 'LowCardinality'].includes(type.name) ? innerType(type) : undefined;
  return inner && nestedEnum(inner);
}
