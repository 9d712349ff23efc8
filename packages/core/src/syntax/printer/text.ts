import type { Identifier, Literal, QualifiedName } from '../ast.js';
import { AFTER_SELECT_LIST } from '../select.js';

// Quoting and layout shared by every printer module.

/** A name ClickHouse reads as one identifier without quotes. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words that change meaning when a name is written bare, in some position the printer writes names:
 * literals and prefix operators at the start of an expression (`NULL`, `NOT`, `CASE`...), modifiers
 * at the start of a select list or argument list (`ALL`, `DISTINCT`, `TOP`), words that end a
 * select list (`SELECT a, from` is read as a trailing comma before FROM) or start a query inside
 * parentheses (`(select, 1)`), table elements (`INDEX`, `PROJECTION`...), the inner keywords of
 * CASE, TRIM and POSITION, and words ClickHouse reads as syntax right after another keyword
 * (`DISTINCT on`, `INSERT INTO function`, `GROUP BY cube`). Other keywords (`date`, `type`, `key`, `default`...) read back as names wherever
 * the printer puts one, so they stay bare; the keyword test checks every ClickHouse keyword.
 */
const AMBIGUOUS_WORDS = new Set([
  'NULL',
  'TRUE',
  'FALSE',
  'INF',
  'NAN',
  'INFINITY',
  'CASE',
  'INTERVAL',
  'NOT',
  'ALL',
  'DISTINCT',
  'TOP',
  'RECURSIVE',
  'SELECT',
  'WITH',
  ...AFTER_SELECT_LIST,
  'OFFSET',
  'VALUES',
  'TABLE',
  'INDEX',
  'PROJECTION',
  'CONSTRAINT',
  'PRIMARY',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'BOTH',
  'LEADING',
  'TRAILING',
  'IN',
  'ON',
  'FUNCTION',
  'CUBE',
  'ROLLUP',
]);

/** `\b`, `\n`... for the control characters that have a short escape; others become `\xHH`. */
const NAMED_ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Escapes backslashes, the quote character and control characters; other characters (unicode too) stay as they are. */
function escapeQuoted(value: string, quote: string): string {
  let out = '';
  for (const c of value) {
    if (c === '\\' || c === quote) out += `\\${c}`;
    else if (c in NAMED_ESCAPES) out += NAMED_ESCAPES[c];
    else if (c < ' ' || c === '\x7f') out += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

/** A string literal: `'it\'s'`, with backslash escapes as ClickHouse reads them back. */
export function quoteString(value: string): string {
  return `'${escapeQuoted(value, "'")}'`;
}

/**
 * A name as ClickHouse reads it back: bare when it is a plain identifier that no position mistakes
 * for a keyword, else in backquotes with backquotes and backslashes escaped (`` `a\`b` ``).
 */
export function quoteIdentifier(name: string): string {
  if (PLAIN_NAME.test(name) && !AMBIGUOUS_WORDS.has(name.toUpperCase())) return name;
  return `\`${escapeQuoted(name, '`')}\``;
}

/** A name in a position where keywords are not read (function, setting, engine, codec names): quoted only when not plain. */
export function quoteName(name: string): string {
  return PLAIN_NAME.test(name) ? name : quoteIdentifier(name);
}

/**
 * `{name:Type}` standing for a name (the parser keeps it as an identifier): printed as written. A
 * name merely shaped like `{x}` (no type; say a table a server stores under that name, or one built
 * by the planner) is no parameter, and ClickHouse rejects it bare: it is quoted (issue 13, defect 10).
 */
function isParameterName(identifier: Identifier): boolean {
  return !identifier.quoted && /^\{\s*[A-Za-z_][A-Za-z0-9_]*\s*:[^{}]+\}$/.test(identifier.name);
}

export function printIdentifier(identifier: Identifier): string {
  return isParameterName(identifier) ? identifier.name : quoteIdentifier(identifier.name);
}

/** Dotted parts: `n.a`, `db.t.c`. */
export function printParts(parts: Identifier[]): string {
  return parts.map(printIdentifier).join('.');
}

/**
 * A name the parser joined from dotted parts into one identifier (`DROP INDEX db.i`, `AFTER n.a`):
 * unquoted parts are split again, so that `n.a` is not printed as the single name `` `n.a` ``.
 */
export function printCompoundName(identifier: Identifier): string {
  if (identifier.quoted || isParameterName(identifier)) return printIdentifier(identifier);
  return identifier.name.split('.').map(quoteIdentifier).join('.');
}

export function printQualifiedName(name: QualifiedName): string {
  return name.database ? `${printIdentifier(name.database)}.${printIdentifier(name.name)}` : printIdentifier(name.name);
}

/** A cluster (or disk...) written as a name or a string: `ON CLUSTER main`, `ON CLUSTER '{cluster}'`. */
export function printNameOrString(value: Identifier | Literal): string {
  return value.kind === 'Literal' ? quoteString(value.value) : printIdentifier(value);
}

/** ` ON CLUSTER c` when set, else ''. */
export function printOnCluster(cluster: Identifier | Literal | undefined): string {
  return cluster ? ` ON CLUSTER ${printNameOrString(cluster)}` : '';
}

/** Each line of `text` indented by four spaces. Printed SQL has no newline inside a literal or a quoted name. */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
}

/** `(a)` for one line, else the lines indented between a `(` line and a `)` line. */
export function block(text: string): string {
  return text.includes('\n') ? `(\n${indent(text)}\n)` : `(${text})`;
}

/** Items one per line, indented, between a `(` line and a `)` line: the column list of CREATE TABLE. */
export function elementBlock(items: string[]): string {
  return `(\n${items.map(indent).join(',\n')}\n)`;
}

/** The printer cannot write this: the syntax tree lacks what it needs, or the statement has no SQL form here. */
export function unprintable(what: string, why: string): never {
  throw new Error(`Cannot print ${what}: ${why}`);
}
