import { AGGREGATE_COMBINATORS, AGGREGATE_FUNCTION_VERSIONS, CASE_INSENSITIVE_FUNCTIONS, FUNCTION_ALIASES } from './functions.generated.js';
import { entriesOf } from './lines.js';

// Function names as ClickHouse stores them: an alias (`trim`, `substr`, `UCASE`) is stored under the
// function it names (`trimBoth`, `substring`, `upper`), and a case-insensitive name in its own
// spelling (`SUM` → `sum`).

/**
 * Lower-cased alias or case-insensitive name → the name ClickHouse stores. ClickHouse has no two
 * functions whose names differ only in case (checked by the test), so lower-casing loses nothing.
 */
const storedNames = new Map([
  ...entriesOf(CASE_INSENSITIVE_FUNCTIONS).map(([name]): [string, string] => [name.toLowerCase(), name]),
  ...entriesOf(FUNCTION_ALIASES).map(([alias, target]): [string, string] => [alias.toLowerCase(), target]),
]);

const combinators = entriesOf(AGGREGATE_COMBINATORS).map(([name]) => name);

/**
 * Lower-cased name → the spelling a SELECT column's name uses: the parser resolves case-insensitive
 * aliases (`substr` → `substring`, `ucase` → `upper`) and spells case-insensitive functions its
 * own way (`SUM` → `sum`), while a case-sensitive alias stays as written (`median`); checked on chDB.
 */
const columnNameSpellings = new Map([
  ...entriesOf(CASE_INSENSITIVE_FUNCTIONS).map(([name]): [string, string] => [name.toLowerCase(), name]),
  ...entriesOf(FUNCTION_ALIASES)
    .filter(([, , flag]) => flag === 'ci')
    .map(([alias, target]): [string, string] => [alias.toLowerCase(), target]),
]);

/** A function's name as a SELECT column's name spells it (`SUMIF` → `sumIf`, `substr` → `substring`, `median` as written). */
export function columnNameFunction(name: string): string {
  const direct = columnNameSpellings.get(name.toLowerCase());
  if (direct) return direct;
  const lower = name.toLowerCase();
  const combinator = combinators.find((c) => lower.length > c.length && lower.endsWith(c.toLowerCase()));
  if (!combinator) return name;
  const base = name.slice(0, -combinator.length);
  const spelled = columnNameSpellings.get(base.toLowerCase());
  return spelled ? spelled + combinator : name;
}

/** The name ClickHouse stores for a function name as written: the aliased function for an alias, else the name. */
export function canonicalFunctionName(name: string): string {
  return storedNames.get(name.toLowerCase()) ?? name;
}

const versions = new Map(
  entriesOf(AGGREGATE_FUNCTION_VERSIONS).map(([name, version, flag]) => [name, { version, unversionedWithMap: flag === 'unversioned-with-map' }]),
);

/**
 * The state version ClickHouse writes first in `AggregateFunction(...)` for a function (with its
 * combinators, `sumMapStateIf`) and argument types, or undefined when it writes none.
 */
export function aggregateStateVersion(name: string, firstArgumentType: string | undefined): string | undefined {
  let base = name;
  for (;;) {
    const entry = versions.get(base);
    if (entry) return entry.unversionedWithMap && firstArgumentType?.startsWith('Map(') ? undefined : entry.version;
    const combinator = combinators.find((c) => base.length > c.length && base.endsWith(c));
    if (!combinator) return undefined;
    base = base.slice(0, -combinator.length);
  }
}

/**
 * ClickHouse writes a state version into a stored `AggregateFunction(...)` whenever it is not 0, so a
 * stored type without one (`AggregateFunction(sumMap, ...)`, from an old server or written with
 * version 0) has version 0, while the same text in a repository means the current default version.
 * Makes that 0 explicit in stored DDL (`create_table_query`) so both read the same.
 */
export function withExplicitStoredAggregateVersions(storedDdl: string): string {
  return storedDdl.replace(/(?<!Simple)AggregateFunction\((`?)([A-Za-z_]\w*)\1/g, (match, _quote: string, name: string, offset: number) => {
    let rest = storedDdl.slice(offset + match.length);
    if (rest.startsWith('(')) rest = rest.slice(balancedLength(rest));
    const firstArgumentType = rest.startsWith(', ') ? rest.slice(2) : undefined;
    return aggregateStateVersion(name, firstArgumentType) === undefined ? match : match.replace('AggregateFunction(', 'AggregateFunction(0, ');
  });
}

/** Length of the parenthesized group at the start of `text` (quotes are not special: aggregate parameters are numbers and arrays). */
function balancedLength(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}
