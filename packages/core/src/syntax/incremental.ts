import type { Diagnostic } from '../diagnostics.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Statement } from './ast.js';
import { lexTokenList } from './lexer.js';
import { forEachDescendant, type SyntaxNode } from './nodes.js';
import { parseStatementList, usingParser } from './parser.js';
import { type Token, TokenCode } from './tokens.js';

const DOLLAR = 36;

// An editor parses a file again after every keystroke, and a 5,000-line migration takes ~4 ms to
// parse. Most of its statements did not change: `reparseFile` parses only around the edit and keeps
// the rest. Why the result is exactly what `parseSql` gives:
// - A statement's parse reads the tokens from its first one to the `;` or the statement keyword
//   that ends it (and looks a few tokens past that; past a `;` no grammar rule matches).
// - A token is lexed from its first character forward. What came before matters only for `.5`
//   after a value (`t.5`); at the start of a statement the token before is a `;`, or the statement
//   starts with a keyword, so lexing from there reads every token as a lexer from the top would.
//   One token reads further than it ends: a `$` whose heredoc found no closing tag would be a
//   heredoc if a later edit added one, so an edit after such a `$` parses the file from the top.
// - So parsing restarts at the start of the statement before the edit, and stops at a statement
//   boundary that is the start of an old statement lying wholly after the edit: from there on, the
//   text is the old text, and the old statements are kept, moved by the change in length.

/** A file's parse that `reparseFile` can update. */
export interface FileParse {
  file: string;
  text: string;
  statements: Statement[];
  /** `errors[i]` is the syntax error of `statements[i]`, when it has one (one at most). */
  errors: (Diagnostic | undefined)[];
  /** The comments, in order (where suppressions are). */
  comments: Token[];
  /** Where a token starts with a `$` that opens no heredoc: how it reads depends on all the text after it. */
  dollars: number[];
}

/** Parses a whole file, as `parseSql` does. */
export function parseFile(text: string, file: string): FileParse {
  const { statements, errors, comments, dollars } = parseRange(text, file, 0, text.length, () => false);
  return { file, text, statements, errors, comments, dollars };
}

/**
 * The parse of `text`, an edit of `previous.text`: equal to `parseFile(text, previous.file)`, with
 * the statements the edit did not reach taken from `previous`. Those after the edit are moved in
 * place (their offsets change), so `previous` must not be used afterwards.
 */
export function reparseFile(previous: FileParse, text: string): FileParse {
  const old = previous.text;
  if (text === old) return previous;
  const { statements } = previous;
  // The edit replaced old[prefix, editEnd) with text[prefix, editEnd + delta).
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const editEnd = old.length - suffix;
  const delta = text.length - old.length;
  // Parsing restarts at the statement before the first one the edit may reach: the `;` that ends it
  // may stand after the edit's start (`... ENGINE = Log /* edited */;`). It starts at the top when
  // the edit is before the first statement (in a comment there), or after a `$` that opens no heredoc.
  let first = 0;
  while (first < statements.length && statements[first].end < prefix) first++;
  if (first > 0 && previous.dollars[0] < statements[first - 1].start) first = 0;
  const restart = Math.max(0, first - 1);
  const from = first === 0 ? 0 : statements[restart].start;
  // Old statements from `join` on lie wholly after the edit: the new parse may meet one of them.
  let join = first;
  while (join < statements.length && statements[join].start < editEnd) join++;
  // Parse up to the first of them; when the parse does not meet it there (an edit that opened a
  // string or removed a `;` runs on), parse further, doubling the distance each time.
  for (let reach = join, step = 1; ; reach += step, step *= 2) {
    const stopAt = reach < statements.length ? statements[reach].start + delta : text.length;
    let meet = join;
    const atOldStatement = (offset: number): boolean => {
      while (meet < statements.length && statements[meet].start + delta < offset) meet++;
      return meet < statements.length && statements[meet].start + delta === offset;
    };
    const parsed = parseRange(text, previous.file, from, stopAt, atOldStatement);
    const met = parsed.stopped !== -1 && parsed.stopped <= stopAt;
    if (!met && stopAt < text.length) continue;
    const kept = met ? meet : statements.length;
    const keptStart = kept < statements.length ? statements[kept].start : old.length;
    const moved = statements.slice(kept);
    if (delta !== 0) for (const statement of moved) move(statement, delta);
    return {
      file: previous.file,
      text,
      statements: [...statements.slice(0, restart), ...parsed.statements, ...moved],
      errors: [...previous.errors.slice(0, restart), ...parsed.errors, ...previous.errors.slice(kept).map((e) => e && shiftDiagnostic(e, delta))],
      comments: [
        ...previous.comments.filter((c) => c.start < from),
        ...parsed.comments.filter((c) => c.start < keptStart + delta),
        ...previous.comments.filter((c) => c.start >= keptStart).map((c) => ({ ...c, start: c.start + delta, end: c.end + delta })),
      ],
      dollars: [
        ...previous.dollars.filter((d) => d < from),
        ...parsed.dollars.filter((d) => d < keptStart + delta),
        ...previous.dollars.filter((d) => d >= keptStart).map((d) => d + delta),
      ],
    };
  }
}

/** Block size for comparing texts: equal strings compare natively, ~40x faster than a loop over characters. */
const BLOCK = 4096;

/** The length of the longest common prefix of two texts. */
function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let length = 0;
  while (length + BLOCK <= limit && a.substring(length, length + BLOCK) === b.substring(length, length + BLOCK)) length += BLOCK;
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}

/** The length of the longest common suffix of two texts, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let length = 0;
  while (length + BLOCK <= limit && a.substring(a.length - length - BLOCK, a.length - length) === b.substring(b.length - length - BLOCK, b.length - length))
    length += BLOCK;
  while (length < limit && a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length)) length++;
  return length;
}

/**
 * Parses the statements that start in `text[from, stopAt)`. Stops at a statement boundary where
 * `stop(offset)` holds, or at the first boundary past `stopAt` (the tokens lexed past `stopAt` are
 * lookahead only). `stopped` is that offset, or -1 at the end of the tokens.
 */
function parseRange(text: string, file: string, from: number, stopAt: number, stop: (offset: number) => boolean) {
  const comments: Token[] = [];
  const tokens = lexTokenList(text, { whitespace: false, comments, from, stopAt });
  const statements: Statement[] = [];
  const errors: (Diagnostic | undefined)[] = [];
  const stopped = usingParser(text, file, tokens, (parser) => parseStatementList(parser, statements, errors, (offset) => offset > stopAt || stop(offset)));
  const dollars: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const code = tokens.codes[i];
    if ((code === TokenCode.DollarSign || code === TokenCode.BareWord) && text.charCodeAt(tokens.starts[i]) === DOLLAR) dollars.push(tokens.starts[i]);
  }
  return { statements, errors, comments, dollars, stopped };
}

/** The nodes of a statement that have offsets, found when it first moves: typing moves the same statements again and again. */
const RANGED_NODES = new SessionCache<Statement, { start: number; end: number }[]>('syntax: nodes with offsets by statement');

/** Adds `delta` to every offset in a statement, in place. */
function move(statement: Statement, delta: number): void {
  const rangedNodes = sessionStore(RANGED_NODES);
  let nodes = rangedNodes.get(statement);
  if (!nodes) rangedNodes.set(statement, (nodes = rangedNodesOf(statement)));
  for (const node of nodes) {
    node.start += delta;
    node.end += delta;
  }
}

/**
 * The objects with offsets in a syntax tree: its nodes (the typed walk) and the parts with offsets
 * that are not nodes. The parser builds trees: no node is reachable twice, or it would move twice
 * (syntax/incremental.test.ts checks this, and that nothing with offsets is missed).
 */
export function rangedNodesOf(root: SyntaxNode): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  forEachDescendant(root, (node) => {
    found.push(node, ...rangedPartsOf(node));
    return undefined;
  });
  return found;
}

/** The parts of a node that have offsets but are no nodes: a dictionary's LIFETIME and RANGE, an access entity's clauses. */
function rangedPartsOf(node: SyntaxNode): { start: number; end: number }[] {
  switch (node.kind) {
    case 'CreateDictionary':
      return [node.lifetime, node.range].filter((part) => part !== undefined);
    case 'CreateAccessEntity':
      return node.clauses;
    default:
      return [];
  }
}

function shiftDiagnostic(diagnostic: Diagnostic, delta: number): Diagnostic {
  return { ...diagnostic, range: { start: diagnostic.range.start + delta, end: diagnostic.range.end + delta } };
}
