import { FUNCTION_RESULT_TYPES, SUPERTYPES } from './functionTypes.generated.js';
import { entriesOf } from './lines.js';

// The result type of a function call, looked up in what chDB answered for each probed argument
// signature (functionTypes.generate.ts). Nullable and LowCardinality arguments are unwrapped, looked
// up, and the result wrapped again as the function was seen to do. Anything the probes did not
// cover is unknown: the caller then says the column is not inferable, never guesses.

type Propagation = 'wraps' | 'keeps' | 'varies';

interface FunctionTypes {
  aggregate: boolean;
  valueDependent: boolean;
  nulls?: Propagation;
  lowCardinality?: Propagation;
  /** `*=T`: every probe gave T. */
  always?: string;
  /** `$1`: every probe gave the first argument's type. */
  firstArgument: boolean;
  bySignature: Map<string, string>;
}

function readFunctionTypes(): Map<string, FunctionTypes> {
  const table = new Map<string, FunctionTypes>();
  for (const [name, flagText, body] of entriesOf(FUNCTION_RESULT_TYPES, '\t')) {
    const flags = new Set(flagText.split(' '));
    const propagationOf = (prefix: string) => (['wraps', 'keeps', 'varies'] as const).find((p) => flags.has(`${prefix}-${p}`));
    const entry: FunctionTypes = {
      aggregate: flags.has('aggregate'),
      valueDependent: flags.has('value-dependent'),
      firstArgument: body === '$1',
      bySignature: new Map(),
    };
    const nulls = propagationOf('null');
    if (nulls) entry.nulls = nulls;
    const lowCardinality = propagationOf('lc');
    if (lowCardinality) entry.lowCardinality = lowCardinality;
    if (body.startsWith('*=')) entry.always = body.slice(2);
    else if (!entry.firstArgument)
      for (const probe of body.split(';')) {
        const at = probe.indexOf('=');
        entry.bySignature.set(probe.slice(0, at), probe.slice(at + 1));
      }
    table.set(name, entry);
  }
  return table;
}

const functionTypes = readFunctionTypes();
const supertypes = new Map(entriesOf(SUPERTYPES, '\t').map(([left, right, result]) => [`${left}\t${right}`, result]));

/** Whether the generated table knows the function (by its stored name). */
export function isAggregateFunctionName(name: string): boolean | undefined {
  return functionTypes.get(name)?.aggregate;
}

const unwrap = (type: string, wrapper: string): string | undefined =>
  type.startsWith(`${wrapper}(`) && type.endsWith(')') ? type.slice(wrapper.length + 1, -1) : undefined;

/** `Nullable(T)` as ClickHouse prints it; types that cannot be inside Nullable stay as they are. */
export function nullableOf(type: string): string {
  if (/^(Nullable|LowCardinality|Array|Map|Tuple|AggregateFunction|SimpleAggregateFunction|Variant|Dynamic|JSON|Object)\b/.test(type) || type === 'Nothing')
    return type;
  return `Nullable(${type})`;
}

/**
 * The result type of `name(arguments)` for argument types as ClickHouse prints them, from the probes;
 * undefined when the probes do not say. `name` is the stored name (aliases resolved).
 */
export function functionResultType(name: string, argumentTypes: readonly string[]): string | undefined {
  const entry = functionTypes.get(name);
  if (!entry || entry.valueDependent) return undefined;
  // NULL arguments (Nullable(Nothing)) make many functions return Nullable(Nothing): not probed.
  if (argumentTypes.some((t) => t === 'Nullable(Nothing)' || t === 'Nothing')) return undefined;
  let types = [...argumentTypes];
  // LowCardinality(String) arguments: looked up as String, the result wrapped back when the function does.
  const lowCardinality = types.some((t) => t.startsWith('LowCardinality('));
  if (lowCardinality) {
    if (entry.lowCardinality !== 'wraps' && entry.lowCardinality !== 'keeps') return undefined;
    types = types.map((t) => unwrap(t, 'LowCardinality') ?? t);
  }
  const nullable = types.some((t) => t.startsWith('Nullable('));
  if (nullable) {
    if (entry.nulls !== 'wraps' && entry.nulls !== 'keeps') return undefined;
    types = types.map((t) => unwrap(t, 'Nullable') ?? t);
  }
  // `*` and `$1` summarize the probes; a composite argument (an array, a map...) may not have been one of
  // them (`Array(UInt32) / UInt16` is an Array(Float64)): only an exact probe answers for it.
  const composite = types.some((t) => /^(Array|Map|Tuple|Nested|Variant|Dynamic|JSON|Object|AggregateFunction|SimpleAggregateFunction)\b/.test(t));
  const summarized = composite ? undefined : (entry.always ?? (entry.firstArgument ? types[0] : undefined));
  const base = summarized ?? entry.bySignature.get(types.join(','));
  if (base === undefined) return undefined;
  let result = nullable && entry.nulls === 'wraps' ? nullableOf(base) : base;
  if (lowCardinality && entry.lowCardinality === 'wraps' && !/^(LowCardinality|Array|Map|Tuple|AggregateFunction)\(/.test(result))
    result = `LowCardinality(${result})`;
  return result;
}

/**
 * The least supertype of some types, as `if`, `multiIf`, CASE, UNION and array literals compute it,
 * or undefined when the generated pairs do not say. Nullable members make the result Nullable.
 */
export function leastSupertype(types: readonly string[]): string | undefined {
  if (types.length === 0) return undefined;
  if (types.every((t) => t === types[0])) return types[0];
  // LowCardinality members: how ClickHouse combines them was not probed.
  if (types.some((t) => t.startsWith('LowCardinality('))) return undefined;
  let nullable = false;
  const bases: string[] = [];
  for (const type of types) {
    if (type === 'Nullable(Nothing)') nullable = true;
    else if (type.startsWith('Nullable(')) {
      nullable = true;
      bases.push(unwrap(type, 'Nullable') as string);
    } else bases.push(type);
  }
  if (bases.length === 0) return 'Nullable(Nothing)';
  let result: string | undefined = bases[0];
  for (const next of bases.slice(1)) {
    if (result === undefined || result === next) continue;
    const pair = supertypes.get(`${result}\t${next}`);
    result = pair === undefined || pair === '-' ? undefined : pair;
  }
  if (result === undefined) return undefined;
  return nullable ? nullableOf(result) : result;
}
