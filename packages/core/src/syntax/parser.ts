import type { Diagnostic } from '../diagnostics.js';
import type { Identifier, Literal, QualifiedName, Statement } from './ast.js';
import { lexTokenList } from './lexer.js';
import { parseStatementAt } from './statements.js';
import { describeToken, type Token, TokenCode, type TokenKind, type TokenList } from './tokens.js';
import { unquote } from './unquote.js';

/** Thrown inside the parser to abandon a statement; caught per statement, never escapes `parseSql`. */
class ParseAbort {
  constructor(readonly diagnostic: Diagnostic) {}
}

/** Whether `error` is the parser abandoning a statement (for the few places that try one reading, then another). */
export function isParseAbort(error: unknown): boolean {
  return error instanceof ParseAbort;
}

/**
 * Deepest nesting of expressions, types and queries. ClickHouse's max_parser_depth (1000 parser
 * calls) allows about 200 nested parentheses and 500 nested arrays or types; this stays above that and
 * well below the call stack's limit.
 */
const MAX_DEPTH = 800;

/** Words that may start a statement: where parsing resumes after an error when one begins a line. */
const RECOVERY_KEYWORDS = new Set([
  'CREATE',
  'ALTER',
  'DROP',
  'INSERT',
  'RENAME',
  'ATTACH',
  'DETACH',
  'TRUNCATE',
  'GRANT',
  'REVOKE',
  'USE',
  'OPTIMIZE',
  'SYSTEM',
  'EXCHANGE',
  'UNDROP',
  'REPLACE',
]);

const PUNCTUATION: Partial<Record<TokenKind, string>> = {
  LParen: '(',
  RParen: ')',
  LBracket: '[',
  RBracket: ']',
  LBrace: '{',
  RBrace: '}',
  Comma: ',',
  Semicolon: ';',
  Dot: '.',
  Equals: '=',
  Colon: ':',
  Arrow: '->',
  Asterisk: '*',
};

/**
 * Parser state and the small vocabulary every `parseX` function is written in. Statement and
 * expression grammars live in their own modules and receive the parser as `p`. Tokens are read
 * by index (`kindAt`, `startAt`, ...), from the lexer's arrays: the parser makes no token objects.
 */
export class Parser {
  /** Index of the current token in `tokens`. */
  index = 0;
  /** Nesting of expressions, types and queries in the current statement; capped at MAX_DEPTH. */
  depth = 0;
  /** Index of the last token, `EndOfInput`: lookahead past the end stops there. */
  private last: number;

  constructor(
    public source: string,
    public file: string,
    /** Significant tokens (no trivia), ending with `EndOfInput`. */
    public tokens: TokenList,
  ) {
    this.last = tokens.length - 1;
  }

  /** Starts over on another text; `parseSql` reuses one parser. */
  reset(source: string, file: string, tokens: TokenList): void {
    this.source = source;
    this.file = file;
    this.tokens = tokens;
    this.last = tokens.length - 1;
    this.index = 0;
    this.depth = 0;
  }

  /** Enters one level of nesting; past MAX_DEPTH the statement fails, as ClickHouse's max_parser_depth makes it. */
  enter(): void {
    if (++this.depth > MAX_DEPTH)
      this.fail(`Expected less nesting: more than ${MAX_DEPTH} levels`, 'Split the expression; ClickHouse refuses deep nesting too (max_parser_depth).');
  }

  leave(): void {
    this.depth--;
  }

  /** Index of the token that starts at `offset` (binary search: tokens are sorted). */
  indexAt(offset: number): number {
    const starts = this.tokens.starts;
    let low = 0;
    let high = this.last;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Kind of the token at `offset` from the current one. */
  kind(offset = 0): TokenKind {
    return this.kindAt(this.index + offset);
  }

  /** Kind of the token at `index`; `EndOfInput` past the end. */
  kindAt(index: number): TokenKind {
    return this.tokens.kind(Math.min(index, this.last));
  }

  startAt(index: number): number {
    return this.tokens.starts[Math.min(index, this.last)];
  }

  endAt(index: number): number {
    return this.tokens.ends[Math.min(index, this.last)];
  }

  /** Source text of the token at `index`. */
  textAt(index: number): string {
    return this.source.slice(this.startAt(index), this.endAt(index));
  }

  /** Start offset of the current token. */
  get tokenStart(): number {
    return this.tokens.starts[this.index];
  }

  /** End offset of the current token. */
  get tokenEnd(): number {
    return this.tokens.ends[this.index];
  }

  /** Upper-cased word at `offset` from the current token, or '' when it is not a bare word. */
  word(offset = 0): string {
    return this.wordAt(this.index + offset);
  }

  /** Upper-cased words of the tokens from `from` to `to` (exclusive). */
  wordsBetween(from: number, to: number): string[] {
    const words: string[] = [];
    for (let i = from; i < to; i++) words.push(this.wordAt(i));
    return words;
  }

  /** Upper-cased word of the token at `index`, or '' when it is not a bare word. */
  wordAt(index: number): string {
    return this.tokens.words.upper[this.tokens.wordIds[Math.min(index, this.last)]];
  }

  /** End offset of the last consumed token. */
  get lastEnd(): number {
    return this.index > 0 ? this.tokens.ends[this.index - 1] : 0;
  }

  at(kind: TokenKind, offset = 0): boolean {
    return this.kindAt(this.index + offset) === kind;
  }

  atWord(word: string, offset = 0): boolean {
    return this.word(offset) === word;
  }

  /**
   * True when the next tokens are exactly these words. Words are parameters, not a rest array:
   * the grammar asks this at almost every token, and an array per question was megabytes of garbage.
   */
  atWords(a: string, b?: string, c?: string, d?: string, e?: string): boolean {
    return (
      this.word() === a &&
      (b === undefined || this.word(1) === b) &&
      (c === undefined || this.word(2) === c) &&
      (d === undefined || this.word(3) === d) &&
      (e === undefined || this.word(4) === e)
    );
  }

  /** `atWords` for words held in an array. */
  atWordList(words: readonly string[]): boolean {
    for (let i = 0; i < words.length; i++) if (this.word(i) !== words[i]) return false;
    return true;
  }

  /** True when the token at `offset` can be a name: a bare word or a quoted identifier. */
  atIdentifier(offset = 0): boolean {
    const kind = this.kindAt(this.index + offset);
    return kind === 'BareWord' || kind === 'QuotedIdentifier';
  }

  /** True when the token at `offset` starts a name: an identifier, or a query parameter standing for one (`{t:Identifier}`). */
  atName(offset = 0): boolean {
    return this.atIdentifier(offset) || (this.at('LBrace', offset) && this.at('BareWord', offset + 1) && this.at('Colon', offset + 2));
  }

  atEndOfStatement(): boolean {
    const kind = this.tokens.kind(this.index);
    return kind === 'Semicolon' || kind === 'EndOfInput';
  }

  /** Consumes the current token (never `EndOfInput`) and returns its index. */
  next(): number {
    const index = this.index;
    if (index < this.last) this.index++;
    return index;
  }

  accept(kind: TokenKind): boolean {
    if (this.tokens.kind(this.index) !== kind) return false;
    this.next();
    return true;
  }

  acceptWord(word: string): boolean {
    if (this.word() !== word) return false;
    this.index++;
    return true;
  }

  /** Consumes the words only when all of them are next. */
  acceptWords(a: string, b?: string, c?: string, d?: string, e?: string): boolean {
    if (!this.atWords(a, b, c, d, e)) return false;
    this.index += e !== undefined ? 5 : d !== undefined ? 4 : c !== undefined ? 3 : b !== undefined ? 2 : 1;
    return true;
  }

  /** `acceptWords` for words held in an array. */
  acceptWordList(words: readonly string[]): boolean {
    if (!this.atWordList(words)) return false;
    this.index += words.length;
    return true;
  }

  /** Consumes a token of `kind` and returns its index, or fails. */
  expect(kind: TokenKind, what?: string): number {
    if (this.tokens.kind(this.index) === kind) return this.next();
    return this.fail(`Expected ${what ?? `\`${PUNCTUATION[kind] ?? kind}\``}`);
  }

  expectWord(a: string, b?: string, c?: string, d?: string, e?: string): void {
    if (!this.acceptWords(a, b, c, d, e)) this.fail(`Expected \`${[a, b, c, d, e].filter((word) => word !== undefined).join(' ')}\``);
  }

  /** Abandons the current statement with a syntax error at the token at `at` (the current one by default). */
  fail(expected: string, help?: string, at: number = this.index): never {
    const token = this.tokens.token(Math.min(at, this.last));
    const found = describeToken(this.source, token);
    const message = token.error ?? `${expected}, but found ${found}.`;
    throw new ParseAbort({
      code: 'syntax-error',
      severity: 'error',
      file: this.file,
      range: { start: token.start, end: Math.max(token.end, token.start) },
      message,
      help: help ?? (token.kind === 'EndOfInput' ? 'Complete the statement; it ends too early.' : 'Fix the statement here; ClickHouse rejects it as written.'),
    });
  }

  // ------------------------------------------------------------- names and literals

  identifier(what = 'a name'): Identifier {
    const start = this.tokenStart;
    const quoted = this.at('QuotedIdentifier');
    const name = this.identifierName(what);
    return { kind: 'Identifier', name, quoted, start, end: this.lastEnd };
  }

  /** The name `identifier` reads, without the node: for names kept only as text (a data type's). */
  identifierName(what = 'a name'): string {
    const at = this.index;
    const kind = this.kindAt(at);
    if (kind === 'BareWord') {
      this.index++;
      return this.tokens.words.texts[this.tokens.wordIds[at]];
    }
    if (kind === 'QuotedIdentifier') {
      if (this.endAt(at) - this.startAt(at) === 2) return this.fail(`Expected ${what}; an empty quoted name is not one`);
      this.index++;
      return unquote(this.textAt(at));
    }
    // `{db:Identifier}`: a query parameter standing for a name.
    if (kind === 'LBrace' && this.at('BareWord', 1) && this.at('Colon', 2)) {
      while (!this.at('RBrace') && !this.atEndOfStatement()) this.index++;
      this.expect('RBrace');
      return this.source.slice(this.startAt(at), this.lastEnd);
    }
    return this.fail(`Expected ${what}`);
  }

  /** `[db.]name`; either part may be a query parameter (`{db:Identifier}.{t:Identifier}`). */
  qualifiedName(what = 'a table name'): QualifiedName {
    const first = this.identifier(what);
    if (this.at('Dot') && this.atName(1)) {
      this.index++;
      const name = this.identifier(what);
      return { kind: 'QualifiedName', database: first, name, start: first.start, end: name.end };
    }
    return { kind: 'QualifiedName', name: first, start: first.start, end: first.end };
  }

  /** A name that may also be written as a string literal (`ON CLUSTER 'c'`, `TO DISK 'd'`). */
  identifierOrString(what: string): Identifier | Literal {
    if (this.at('String') || this.at('Heredoc')) return this.stringLiteral();
    return this.identifier(what);
  }

  stringLiteral(what = 'a string literal'): Literal {
    // ClickHouse takes a heredoc (`$$text$$`) wherever it takes a string.
    if (!this.at('String') && !this.at('Heredoc')) return this.fail(`Expected ${what}`);
    const at = this.next();
    return { kind: 'Literal', type: 'string', value: unquote(this.textAt(at)), start: this.startAt(at), end: this.endAt(at) };
  }

  numberLiteral(what = 'a number'): Literal {
    if (!this.at('Number')) return this.fail(`Expected ${what}`);
    const at = this.next();
    return { kind: 'Literal', type: 'number', value: this.textAt(at), start: this.startAt(at), end: this.endAt(at) };
  }

  /** `ON CLUSTER name` when present. */
  onCluster(): Identifier | Literal | undefined {
    if (!this.acceptWords('ON', 'CLUSTER')) return undefined;
    return this.identifierOrString('a cluster name');
  }

  /** `IF NOT EXISTS` when present. */
  ifNotExists(): boolean {
    return this.acceptWords('IF', 'NOT', 'EXISTS');
  }

  ifExists(): boolean {
    return this.acceptWords('IF', 'EXISTS');
  }

  // ------------------------------------------------------------- statements

  /** Parses one statement starting at the current token; on a syntax error returns an Invalid node. */
  parseStatement(diagnostics: Diagnostic[]): Statement {
    const startIndex = this.index;
    const start = this.tokenStart;
    this.depth = 0;
    try {
      const statement = parseStatementAt(this);
      // `a PARALLEL WITH b` runs both at once; each is a statement of its own here, as if `;` joined them.
      if (this.acceptWords('PARALLEL', 'WITH')) {
        if (this.atEndOfStatement()) this.fail('Expected a statement after PARALLEL WITH');
      } else if (!this.atEndOfStatement()) this.fail('Expected the end of the statement (`;`)');
      return statement;
    } catch (caught) {
      // A stack overflow on input nested beyond what MAX_DEPTH foresaw is still the input's fault, not a crash.
      const error = caught instanceof RangeError ? this.nestingAbort() : caught;
      if (!(error instanceof ParseAbort)) throw error;
      this.recover(startIndex);
      // A lexical error (an unclosed string...) is reported as it is; ClickHouse checks brackets only after that.
      const lexical = this.tokens.codes.subarray(startIndex, this.index + 1).includes(TokenCode.Error);
      diagnostics.push((!lexical && this.unmatchedBracket(startIndex, this.index)) || error.diagnostic);
      return { kind: 'Invalid', keyword: this.wordAt(startIndex) || this.textAt(startIndex), start, end: Math.max(start, this.lastEnd) };
    }
  }

  /**
   * Like ClickHouse, once a statement failed, an unmatched `(`/`[` or `)`/`]` in it is reported
   * instead of the error where parsing stopped: that is where the mistake is.
   */
  private unmatchedBracket(from: number, to: number): Diagnostic | undefined {
    /** Indexes of the brackets open at `i`. */
    const open: number[] = [];
    let culprit: number | undefined;
    for (let i = from; i < to && culprit === undefined; i++) {
      const kind = this.kindAt(i);
      if (kind === 'LParen' || kind === 'LBracket') open.push(i);
      else if (kind === 'RParen' || kind === 'RBracket') {
        const expected = kind === 'RParen' ? 'LParen' : 'LBracket';
        if (open.length > 0 && this.kindAt(open[open.length - 1]) === expected) open.pop();
        else culprit = i;
      }
    }
    // ClickHouse names the outermost bracket left open, or a stray closer when nothing is open.
    if (open.length > 0) culprit = open[0];
    if (culprit === undefined) return undefined;
    const text = this.textAt(culprit);
    const isOpening = this.kindAt(culprit) === 'LParen' || this.kindAt(culprit) === 'LBracket';
    const partner = { '(': ')', '[': ']', ')': '(', ']': '[' }[text];
    return {
      code: 'syntax-error',
      severity: 'error',
      file: this.file,
      range: { start: this.startAt(culprit), end: this.endAt(culprit) },
      message: isOpening ? `This \`${text}\` is never closed.` : `This \`${text}\` has no matching \`${partner}\`.`,
      help: isOpening ? `Add the missing \`${partner}\` where the expression ends.` : `Remove it, or add the missing \`${partner}\` before it.`,
    };
  }

  private nestingAbort(): ParseAbort {
    try {
      return this.fail('Expected less nesting', 'Split the expression; ClickHouse refuses deep nesting too (max_parser_depth).');
    } catch (abort) {
      return abort as ParseAbort;
    }
  }

  /** Skips to the next `;`, or to a statement keyword that starts a line, after the failed statement's first token. */
  private recover(startIndex: number): void {
    if (this.index <= startIndex) this.index = startIndex + 1;
    while (!this.atEndOfStatement()) {
      if (RECOVERY_KEYWORDS.has(this.word()) && this.startsLine(this.index)) return;
      this.index++;
    }
  }

  private startsLine(index: number): boolean {
    if (index === 0) return true;
    const between = this.source.slice(this.endAt(index - 1), this.startAt(index));
    return between.includes('\n') || between.includes('\r');
  }
}

/**
 * `list` in an array of exactly its length. An array grown by `push` keeps room for 17 elements,
 * ~120 bytes more than a list of two needs; the tree of a large schema holds tens of thousands of
 * lists, and the garbage collector copies every byte of the tree while the parse runs.
 */
export function trimList<T>(list: T[]): T[] {
  return list.length > 1 ? list.slice() : list;
}

export interface ParseResult {
  statements: Statement[];
  diagnostics: Diagnostic[];
  /** Significant tokens and comments in order (whitespace left out); `lexSql(text)` gives the lossless view. Built on first access. */
  readonly tokens: Token[];
  /** The comments alone (where suppression comments are). */
  comments: Token[];
}

export interface ParseOptions {
  /** File name put on diagnostics. */
  file?: string;
}

/** The tokens of an empty text, which the shared parser holds between parses. */
const NO_TOKENS = lexTokenList('');

/**
 * The parser `parseSql` reuses, as the TypeScript compiler reuses its scanner and parser. Keeping
 * one alive matters to V8: optimized code holds the hidden classes (maps) of the objects it reads
 * weakly, and once no Parser, TokenList or WordTable was left (after a full GC between two
 * parses) their maps died and V8 threw away the optimized code of every parseX function, so each
 * parse ran cold: ~1.6x the CPU time in bench/parse.bench.ts. Between parses it holds
 * `NO_TOKENS`, so it keeps no file alive.
 */
const sharedParser = new Parser('', '', NO_TOKENS);
/** Whether `sharedParser` is parsing: a parse inside a parse (a callback that parses) gets a parser of its own. */
let sharedParserBusy = false;

/** Runs `parse` with the shared parser on `tokens` (lexed from `text`); the parser holds nothing of them afterwards. */
export function usingParser<T>(text: string, file: string, tokens: TokenList, parse: (parser: Parser) => T): T {
  if (sharedParserBusy) return parse(new Parser(text, file, tokens));
  sharedParserBusy = true;
  sharedParser.reset(text, file, tokens);
  try {
    return parse(sharedParser);
  } finally {
    sharedParser.reset('', '', NO_TOKENS);
    sharedParserBusy = false;
  }
}

/**
 * The statement loop: `;` separates statements, and a statement with a syntax error ends at the next
 * `;` or at a statement keyword that starts a line. Parses from the parser's current token to the end
 * of its tokens, or until `stop(offset)`, asked at the first token of each statement, returns true.
 * `errors[i]` is the syntax error of `statements[i]` (a statement has one at most). Returns the
 * offset it stopped at, or -1 at the end of the tokens.
 */
export function parseStatementList(parser: Parser, statements: Statement[], errors: (Diagnostic | undefined)[], stop?: (offset: number) => boolean): number {
  const found: Diagnostic[] = [];
  while (!parser.at('EndOfInput')) {
    if (parser.accept('Semicolon')) continue;
    if (stop?.(parser.tokenStart)) return parser.tokenStart;
    statements.push(parser.parseStatement(found));
    errors.push(found.pop());
  }
  return -1;
}

/**
 * Parses a SQL file into statements. Never throws on input: syntax errors are diagnostics, and
 * parsing resumes at the next statement. `;` inside strings, comments and heredocs never splits.
 */
export function parseSql(text: string, options: ParseOptions = {}): ParseResult {
  // The parser reads neither whitespace nor comments; comments are kept aside (suppressions live in them).
  const comments: Token[] = [];
  const tokens = lexTokenList(text, { whitespace: false, comments });
  const statements: Statement[] = [];
  const errors: (Diagnostic | undefined)[] = [];
  usingParser(text, options.file ?? '<input>', tokens, (parser) => parseStatementList(parser, statements, errors));
  const diagnostics = errors.filter((e) => e !== undefined);
  let merged: Token[] | undefined;
  return {
    statements,
    diagnostics,
    comments,
    get tokens() {
      merged ??= mergeByStart(tokens.toArray(), comments);
      return merged;
    },
  };
}

/** Two token lists sorted by offset, merged into one. */
function mergeByStart(a: Token[], b: Token[]): Token[] {
  if (b.length === 0) return a;
  const out: Token[] = [];
  let j = 0;
  for (const token of a) {
    while (j < b.length && b[j].start < token.start) out.push(b[j++]);
    out.push(token);
  }
  while (j < b.length) out.push(b[j++]);
  return out;
}
