import { header, lines, type SemanticsEngine } from './generate.js';

// Asks chDB the result type of every function for a set of argument type signatures
// (`SELECT toTypeName(f(x, y))` over typed zero values), so the type inference of view columns
// (bind/types.ts) reads ClickHouse's own answers instead of rules typed by hand. Run by
// `npm run semantics:generate`; functionTypes.test.ts regenerates and compares.

/** Argument type signatures tried first for every ordinary function (the second and later arguments are constants). */
const SIGNATURES: string[][] = [
  [],
  ['UInt64'],
  ['Float64'],
  ['String'],
  ['DateTime'],
  ['UUID'],
  ['Array(UInt64)'],
  ['Map(String, UInt64)'],
  ['String', 'String'],
  ['String', 'UInt64'],
  ['UInt64', 'UInt64'],
  ['String', 'UInt64', 'UInt64'],
  ['UInt8', 'UInt64', 'UInt64'],
  ['UInt8', 'String', 'String'],
];

/** Argument type signatures tried first for every aggregate function. */
const AGGREGATE_SIGNATURES: string[][] = [
  [],
  ['UInt64'],
  ['Float64'],
  ['String'],
  ['DateTime'],
  ['Array(UInt64)'],
  ['UInt64', 'UInt64'],
  ['String', 'UInt64'],
  ['UInt64', 'DateTime'],
];

/** Numeric types tried in place of an accepted UInt64 or Float64 argument (sum's widening, abs, round...). */
export const NUMERIC_TYPES = ['UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int8', 'Int16', 'Int32', 'Int64', 'Float32', 'Float64', 'Decimal(18, 2)'];

/** Numeric types whose every pair is tried where a function took two numbers (arithmetic promotion). */
const NUMERIC_PAIR_TYPES = ['UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int8', 'Int16', 'Int32', 'Int64', 'Float32', 'Float64'];

/** Other types tried in place of an accepted argument type: the other members of its family. */
const RELATED_TYPES: Record<string, string[]> = {
  UInt64: NUMERIC_TYPES,
  Float64: NUMERIC_TYPES,
  DateTime: ['Date', 'Date32', 'DateTime', "DateTime('UTC')", 'DateTime64(3)'],
  String: ['FixedString(4)'],
  'Array(UInt64)': ['Array(String)', 'Array(Float64)', 'Array(Nullable(UInt64))'],
  'Map(String, UInt64)': ['Map(String, String)'],
};

/** Function categories (`system.functions.categories`) whose functions appear in view queries; the others (Geo, AI, Introspection...) are not probed. */
const CATEGORIES = [
  'Aggregate Functions',
  'Arithmetic',
  'Arrays',
  'Bit',
  'Comparison',
  'Conditional',
  'Dates and Times',
  'Encoding',
  'Hash',
  'IP Address',
  'JSON',
  'Logical',
  'Map',
  'Mathematical',
  'Null',
  'Other',
  'Rounding',
  'String',
  'String Replacement',
  'String Search',
  'String Splitting',
  'Tuple',
  'Type Conversion',
  'URL',
  'UUID',
];

/** Types whose pairwise least supertypes are generated. */
export const SUPERTYPE_TYPES = [
  ...NUMERIC_TYPES,
  'Decimal(38, 2)',
  'String',
  'FixedString(4)',
  'Date',
  'Date32',
  'DateTime',
  "DateTime('UTC')",
  'DateTime64(3)',
  'UUID',
  'Bool',
];

/** Types a Nullable(...) can wrap: the probe wraps such arguments to learn how the function treats NULL. */
const NULLABLE_INNER = /^(U?Int\d+|Float\d+|Decimal\(.*\)|String|Date|DateTime.*|UUID)$/;

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A column of a type: `materialize` so that functions see a column, not a constant. */
const column = (type: string) => `materialize(defaultValueOfTypeName(${quote(type)}))`;
/** A constant of a type: functions that need a constant argument (a scale, a time zone) accept it. */
const constant = (type: string) => `defaultValueOfTypeName(${quote(type)})`;
/** Another constant of a type, to see whether the result depends on the value (`toDecimal64(x, 2)`). */
const otherConstant = (type: string) => (type === 'String' ? "'UTC'" : /^(U?Int|Float|Decimal)/.test(type) ? `CAST(3, ${quote(type)})` : constant(type));

/** How a function's result follows a Nullable or LowCardinality argument. */
type Propagation = 'wraps' | 'keeps' | 'varies';

interface Probe {
  signature: string[];
  result: string;
}

/** The result type of `name` over `signature`, `arity` when the engine refuses that number of arguments, or undefined when it refuses the types. */
function probeType(engine: SemanticsEngine, name: string, signature: string[], aggregate: boolean, value = constant): string | undefined | 'arity' {
  const call = aggregate
    ? `SELECT toTypeName(\`${name}\`(${signature.map((_, i) => `a${i}`).join(', ')})) FROM (SELECT ${signature.map((t, i) => `${column(t)} AS a${i}`).join(', ') || '1 AS a'})`
    : `SELECT toTypeName(\`${name}\`(${signature.map((t, i) => (i === 0 ? column(t) : value(t))).join(', ')}))`;
  try {
    // Named tuples print over several lines (`Tuple(\n    item UInt64, ...)`); the stored form is one line.
    return engine.query(call, 'TSVRaw').trim().replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').replace(/,\s+/g, ', ');
  } catch (error) {
    return /Code: 42\b/.test((error as Error).message) ? 'arity' : undefined;
  }
}

function resultType(engine: SemanticsEngine, name: string, signature: string[], aggregate: boolean, value = constant): string | undefined {
  const result = probeType(engine, name, signature, aggregate, value);
  return result === 'arity' ? undefined : result;
}

function propagation(probes: { base: string; wrapped: string | undefined }[], wrap: (type: string) => string): Propagation | undefined {
  if (probes.length === 0) return undefined;
  if (probes.every((p) => p.wrapped === wrap(p.base) || (p.wrapped === p.base && p.base === wrap(p.base)))) return 'wraps';
  if (probes.every((p) => p.wrapped === p.base)) return 'keeps';
  return 'varies';
}

const nullable = (type: string) =>
  /^(Nullable|LowCardinality|Array|Map|Tuple|AggregateFunction)\(/.test(type) || type === 'Nothing' ? type : `Nullable(${type})`;
const lowCardinality = (type: string) => (/^(LowCardinality|Array|Map|Tuple|AggregateFunction)\(/.test(type) ? type : `LowCardinality(${type})`);

/**
 * One line per function: `name<TAB>flags<TAB>signature=result;...`, where a signature is its
 * argument types joined by `,` and `*` stands for every signature when all probes gave one result.
 */
export function functionTypesFile(engine: SemanticsEngine): string {
  const version = engine.query('SELECT version()', 'TSVRaw').trim();
  const functions = JSON.parse(
    engine.query(
      `SELECT name, is_aggregate FROM system.functions WHERE alias_to = '' AND categories IN (${CATEGORIES.map(quote).join(', ')}) AND name NOT IN ('arrayJoin', 'materialize', 'ignore', 'defaultValueOfTypeName') ORDER BY name`,
      'JSON',
    ),
  ).data as { name: string; is_aggregate: number }[];
  const entries: string[] = [];
  for (const { name, is_aggregate } of functions) {
    const aggregate = is_aggregate === 1;
    const probes: Probe[] = [];
    const tried = new Set<string>();
    // Argument counts the function refuses whatever the types (code 42): not tried again.
    const refusedArities = new Set<number>();
    const probe = (signature: string[]) => {
      const key = signature.join(',');
      if (tried.has(key) || refusedArities.has(signature.length)) return;
      tried.add(key);
      const result = probeType(engine, name, signature, aggregate);
      if (result === 'arity') refusedArities.add(signature.length);
      else if (result !== undefined) probes.push({ signature, result });
    };
    for (const signature of aggregate ? AGGREGATE_SIGNATURES : SIGNATURES) probe(signature);
    const baseProbes = [...probes];
    if (probes.length === 0) continue;
    // Each accepted signature again with the related types in one position at a time; all pairs of
    // numbers where two were accepted (arithmetic promotion).
    for (const { signature } of [...probes]) {
      if (signature.length === 2 && RELATED_TYPES[signature[0]] === NUMERIC_TYPES && RELATED_TYPES[signature[1]] === NUMERIC_TYPES) {
        for (const left of NUMERIC_PAIR_TYPES) for (const right of NUMERIC_PAIR_TYPES) probe([left, right]);
        continue;
      }
      signature.forEach((type, i) => {
        for (const related of RELATED_TYPES[type] ?? []) probe(signature.map((t, j) => (j === i ? related : t)));
      });
    }
    // How NULL and LowCardinality arguments change the result: every wrappable argument wrapped.
    const sample = probes.filter((p) => p.signature.some((t) => NULLABLE_INNER.test(t))).slice(0, 6);
    // Every wrappable argument Nullable, and only the first: `plus(Nullable(a), 1)` is the common case.
    const nulls = propagation(
      sample.flatMap((p) => {
        const all = {
          base: p.result,
          wrapped: resultType(
            engine,
            name,
            p.signature.map((t) => (NULLABLE_INNER.test(t) ? `Nullable(${t})` : t)),
            aggregate,
          ),
        };
        if (!NULLABLE_INNER.test(p.signature[0]) || p.signature.filter((t) => NULLABLE_INNER.test(t)).length < 2) return [all];
        const first = p.signature.map((t, i) => (i === 0 ? `Nullable(${t})` : t));
        return [all, { base: p.result, wrapped: resultType(engine, name, first, aggregate) }];
      }),
      nullable,
    );
    const strings = probes.filter((p) => p.signature.includes('String')).slice(0, 6);
    const lows = propagation(
      strings.map((p) => ({
        base: p.result,
        wrapped: resultType(
          engine,
          name,
          p.signature.map((t) => (t === 'String' ? 'LowCardinality(String)' : t)),
          aggregate,
        ),
      })),
      lowCardinality,
    );
    // A result that changes with a constant's value (a scale, a time zone, a type name) cannot be looked up by types.
    const valueDependent =
      !aggregate && baseProbes.some((p) => p.signature.length > 1 && resultType(engine, name, p.signature, false, otherConstant) !== p.result);
    const flags =
      [aggregate ? 'aggregate' : '', valueDependent ? 'value-dependent' : '', nulls ? `null-${nulls}` : '', lows ? `lc-${lows}` : '']
        .filter(Boolean)
        .join(' ') || '-';
    const results = new Set(probes.map((p) => p.result));
    // `*=T`: one result whatever the arguments; `$1`: the first argument's type; else each signature.
    const body =
      results.size === 1 && probes.length > 1
        ? `*=${probes[0].result}`
        : probes.length > 1 && probes.every((p) => p.result === p.signature[0])
          ? '$1'
          : probes.map((p) => `${p.signature.join(',')}=${p.result}`).join(';');
    entries.push(`${name}\t${flags}\t${body}`);
  }
  // Least supertypes of pairs (what if, multiIf, CASE, UNION and array literals give two types).
  const supertypes: string[] = [];
  for (const left of SUPERTYPE_TYPES)
    for (const right of SUPERTYPE_TYPES) {
      if (left === right) continue;
      const result = resultType(engine, 'if', ['UInt8', left, right], false, column);
      supertypes.push(`${left}\t${right}\t${result ?? '-'}`);
    }
  let text = header(version, 'system.functions, and toTypeName(f(args)) over typed zero values of each probed signature.');
  text += lines(
    'FUNCTION_RESULT_TYPES',
    'Result types, tab-separated: function, flags (`aggregate`; `null-wraps`/`null-keeps`/`null-varies`: the result with Nullable arguments is Nullable(result) / the result / neither; `lc-...` the same for LowCardinality(String) arguments), then `;`-separated `argument types=result` (`*=T`: every probed signature gave T). Ordinary functions get their first argument as a column and the others as constants.',
    entries,
  );
  text += '\n';
  text += lines(
    'SUPERTYPES',
    'Least supertypes of two different types (`if(c, a, b)` over columns), tab-separated: left, right, result (`-`: ClickHouse has none and refuses the expression).',
    supertypes,
  );
  return text;
}
