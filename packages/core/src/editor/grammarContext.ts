import type { Token } from '../syntax/tokens.js';

// Where the grammar is at the end of a run of tokens, for completion: inside which parentheses,
// whether a type, a setting or a key column comes next. Tokens, not the syntax tree: the statement
// being typed does not parse yet.

/** The upper-cased text of a bare word; empty for any other token. */
export type WordOf = (t: Token | undefined) => string;

const KEY_CLAUSES = new Set(['ORDER', 'PARTITION', 'PRIMARY', 'SAMPLE']);

/** Index of the `(` that encloses the end of `tokens`, or -1 at the top level. */
export function openParen(tokens: Token[]): number {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (tokens[i].kind === 'RParen') depth++;
    else if (tokens[i].kind === 'LParen') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Where a type goes: after `::`, after `AS` inside CAST(, inside a type constructor's parentheses,
 * after a column name in a CREATE's column list, and after ADD/MODIFY COLUMN name.
 */
export function isTypePosition(before: Token[], wordOf: WordOf, text: string): boolean {
  const last = before.at(-1);
  if (!last) return false;
  if (last.kind === 'DoubleColon') return true;
  const open = openParen(before);
  const opener = open > 0 ? before[open - 1] : undefined;
  const openerName = opener ? text.slice(opener.start, opener.end) : '';
  if (wordOf(last) === 'AS' && wordOf(opener) === 'CAST') return true;
  if ((last.kind === 'LParen' || last.kind === 'Comma') && TYPE_ARGUMENTS.has(openerName)) return true;
  if (last.kind !== 'BareWord' && last.kind !== 'QuotedIdentifier') return false;
  // A name just after `(` or `,`: a column of a CREATE's element list, or an element of Tuple(name T) / Nested(name T).
  const previous = before.at(-2);
  if (previous && (previous.kind === 'LParen' || previous.kind === 'Comma') && open >= 0) {
    if (openerName === 'Tuple' || openerName === 'Nested') return true;
    if (wordOf(before[0]) === 'CREATE' && isElementList(before, open, wordOf)) return !ELEMENT_KEYWORDS.has(wordOf(last));
  }
  // ADD COLUMN name, MODIFY COLUMN name, ADD COLUMN IF NOT EXISTS name, MODIFY COLUMN IF EXISTS name.
  const words = before.map(wordOf);
  const n = words.length;
  if (words[n - 2] === 'COLUMN' && ['ADD', 'MODIFY'].includes(words[n - 3])) return true;
  if (words[n - 2] === 'EXISTS' && words[n - 3] === 'NOT' && words[n - 4] === 'IF' && words[n - 5] === 'COLUMN' && words[n - 6] === 'ADD') return true;
  if (words[n - 2] === 'EXISTS' && words[n - 3] === 'IF' && words[n - 4] === 'COLUMN' && words[n - 5] === 'MODIFY') return true;
  return false;
}

/** Type constructors whose arguments are types. */
const TYPE_ARGUMENTS = new Set(['Nullable', 'LowCardinality', 'Array', 'Map', 'Variant', 'Tuple']);
/** Words that start an element of a column list that is not a column. */
export const ELEMENT_KEYWORDS = new Set(['INDEX', 'PROJECTION', 'CONSTRAINT', 'PRIMARY', 'STATISTICS']);

/** Whether the `(` at `open` starts a CREATE TABLE/VIEW column list: it follows the name (and UUID / ON CLUSTER / TO target). */
function isElementList(before: Token[], open: number, wordOf: WordOf): boolean {
  if (openParen(before.slice(0, open)) >= 0) return false;
  const words = before.slice(0, open).map(wordOf);
  return !words.includes('AS') && !words.includes('ENGINE') && !words.includes('SELECT') && (words.includes('TABLE') || words.includes('VIEW'));
}

/** `'SETTING'` after MODIFY SETTING, `'depth0'` for a statement's SETTINGS, `'nested'` inside parentheses; undefined elsewhere. */
export function settingsContext(before: Token[], wordOf: WordOf): 'SETTING' | 'depth0' | 'nested' | undefined {
  const last = before.at(-1);
  if (!last || (last.kind !== 'Comma' && !['SETTINGS', 'SETTING'].includes(wordOf(last)))) return undefined;
  const open = openParen(before);
  for (let i = before.length - 1; i > open; i--) {
    const w = wordOf(before[i]);
    if (w === 'SETTINGS') return open >= 0 ? 'nested' : 'depth0';
    if (w === 'SETTING') return 'SETTING';
    if (before[i].kind === 'RParen' || before[i].kind === 'LParen') return undefined;
    if (w && !['TRUE', 'FALSE', 'NULL'].includes(w) && before[i - 1]?.kind !== 'Equals' && before[i + 1]?.kind !== 'Equals') return undefined;
  }
  return undefined;
}

/** Inside ORDER BY / PARTITION BY / PRIMARY KEY / SAMPLE BY of the storage clauses. */
export function inKeyClause(before: Token[], wordOf: WordOf): boolean {
  for (let i = before.length - 1; i >= 1; i--) {
    const w = wordOf(before[i]);
    if (w === 'BY' || w === 'KEY') return KEY_CLAUSES.has(wordOf(before[i - 1]));
    if (['ENGINE', 'SETTINGS', 'TTL', 'AS', 'COMMENT', 'SELECT'].includes(w)) return false;
  }
  return false;
}
