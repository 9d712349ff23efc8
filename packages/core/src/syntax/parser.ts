import type { Diagnostic } from '../diagnostics.js';
import type { Identifier, Literal, QualifiedName, Statement } from './ast.js';
import { lexSql } from './lexer.js';
import { parseStatementAt } from './statements.js';
import { describeToken, isTrivia, type Token, type TokenKind } from './tokens.js';
import { unquote } from './unquote.js';

/** Thrown inside the parser to abandon a statement; caught per statement, never escapes `parseSql`. */
class ParseAbort {
  constructor(readonly diagnostic: Diagnostic) {}
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
 * expression grammars live in their own modules and receive the parser as `p`.
 */
export class Parser {
  /** Significant tokens (no trivia), ending with `EndOfInput`. */
  readonly tokens: Token[];
  /** Upper-cased text of bare-word tokens ('' for other kinds), filled on first look by `wordAt`. */
  private readonly words: (string | undefined)[];
  /** One upper-cased string per distinct word, shared: keywords repeat thousands of times in a file. */
  private readonly upperCase = new Map<string, string>();
  /** Index of the current token in `tokens`. */
  index = 0;
  /** Nesting of expressions, types and queries in the current statement; capped at MAX_DEPTH. */
  depth = 0;

  constructor(
    readonly source: string,
    readonly file: string,
    allTokens: Token[],
  ) {
    this.tokens = allTokens.some(isTrivia) ? allTokens.filter((t) => !isTrivia(t)) : allTokens;
    this.words = new Array(this.tokens.length);
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
    let low = 0;
    let high = this.tokens.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tokens[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  get token(): Token {
    return this.tokens[this.index];
  }

  peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  /** Upper-cased word at `offset` from the current token, or '' when it is not a bare word. */
  word(offset = 0): string {
    return this.wordAt(Math.min(this.index + offset, this.tokens.length - 1));
  }

  /** Upper-cased words of the tokens from `from` to `to` (exclusive). */
  wordsBetween(from: number, to: number): string[] {
    const words: string[] = [];
    for (let i = from; i < to; i++) words.push(this.wordAt(i));
    return words;
  }

  /** Upper-cased word of the token at `index`, or '' when it is not a bare word. */
  wordAt(index: number): string {
    const cached = this.words[index];
    if (cached !== undefined) return cached;
    const token = this.tokens[index];
    let word = '';
    if (token && token.kind === 'BareWord') {
      const text = this.source.slice(token.start, token.end);
      word = this.upperCase.get(text) ?? text.toUpperCase();
      this.upperCase.set(text, word);
    }
    this.words[index] = word;
    return word;
  }

  /** End offset of the last consumed token. */
  get lastEnd(): number {
    return this.index > 0 ? this.tokens[this.index - 1].end : 0;
  }

  text(token: Token): string {
    return this.source.slice(token.start, token.end);
  }

  at(kind: TokenKind, offset = 0): boolean {
    return this.peek(offset).kind === kind;
  }

  atWord(word: string, offset = 0): boolean {
    return this.word(offset) === word;
  }

  /** True when the next tokens are exactly these words. */
  atWords(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) if (this.word(i) !== words[i]) return false;
    return true;
  }

  atEndOfStatement(): boolean {
    const kind = this.token.kind;
    return kind === 'Semicolon' || kind === 'EndOfInput';
  }

  next(): Token {
    const token = this.token;
    if (token.kind !== 'EndOfInput') this.index++;
    return token;
  }

  accept(kind: TokenKind): Token | undefined {
    return this.token.kind === kind ? this.next() : undefined;
  }

  acceptWord(word: string): boolean {
    if (this.word() !== word) return false;
    this.index++;
    return true;
  }

  /** Consumes the words only when all of them are next. */
  acceptWords(...words: string[]): boolean {
    if (!this.atWords(...words)) return false;
    this.index += words.length;
    return true;
  }

  expect(kind: TokenKind, what = `\`${PUNCTUATION[kind] ?? kind}\``): Token {
    if (this.token.kind === kind) return this.next();
    return this.fail(`Expected ${what}`);
  }

  expectWord(...words: string[]): void {
    if (!this.acceptWords(...words)) this.fail(`Expected \`${words.join(' ')}\``);
  }

  /** Abandons the current statement with a syntax error at the current token. */
  fail(expected: string, help?: string, token: Token = this.token): never {
    const found = describeToken(this.source, token);
    const lexError = token.kind === 'Error' ? token.error : undefined;
    const message = lexError ?? `${expected}, but found ${found}.`;
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

  isIdentifierToken(token: Token = this.token): boolean {
    return token.kind === 'BareWord' || token.kind === 'QuotedIdentifier';
  }

  identifier(what = 'a name'): Identifier {
    const token = this.token;
    // `{db:Identifier}`: a query parameter standing for a name.
    if (token.kind === 'LBrace' && this.peek().kind === 'BareWord' && this.peek(2).kind === 'Colon') {
      while (!this.at('RBrace') && !this.atEndOfStatement()) this.index++;
      const close = this.expect('RBrace');
      return { kind: 'Identifier', name: this.source.slice(token.start, close.end), quoted: false, start: token.start, end: close.end };
    }
    if (token.kind === 'QuotedIdentifier' && token.end - token.start === 2) return this.fail(`Expected ${what}; an empty quoted name is not one`);
    if (token.kind === 'BareWord') {
      this.index++;
      return { kind: 'Identifier', name: this.text(token), quoted: false, start: token.start, end: token.end };
    }
    if (token.kind === 'QuotedIdentifier') {
      this.index++;
      return { kind: 'Identifier', name: unquote(this.text(token)), quoted: true, start: token.start, end: token.end };
    }
    return this.fail(`Expected ${what}`);
  }

  /** `[db.]name`. */
  qualifiedName(what = 'a table name'): QualifiedName {
    const first = this.identifier(what);
    if (this.at('Dot') && this.isIdentifierToken(this.peek())) {
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
    const token = this.token;
    // ClickHouse takes a heredoc (`$$text$$`) wherever it takes a string.
    if (token.kind !== 'String' && token.kind !== 'Heredoc') return this.fail(`Expected ${what}`);
    this.index++;
    return { kind: 'Literal', type: 'string', value: unquote(this.text(token)), start: token.start, end: token.end };
  }

  numberLiteral(what = 'a number'): Literal {
    const token = this.token;
    if (token.kind !== 'Number') return this.fail(`Expected ${what}`);
    this.index++;
    return { kind: 'Literal', type: 'number', value: this.text(token), start: token.start, end: token.end };
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
    const start = this.token.start;
    this.depth = 0;
    try {
      const statement = parseStatementAt(this);
      if (!this.atEndOfStatement()) this.fail('Expected the end of the statement (`;`)');
      return statement;
    } catch (caught) {
      // A stack overflow on input nested beyond what MAX_DEPTH foresaw is still the input's fault, not a crash.
      const error = caught instanceof RangeError ? this.nestingAbort() : caught;
      if (!(error instanceof ParseAbort)) throw error;
      this.recover(startIndex);
      // A lexical error (an unclosed string...) is reported as it is; ClickHouse checks brackets only after that.
      const lexical = this.tokens.slice(startIndex, this.index + 1).some((t) => t.kind === 'Error');
      diagnostics.push((!lexical && this.unmatchedBracket(startIndex, this.index)) || error.diagnostic);
      return { kind: 'Invalid', keyword: this.wordAt(startIndex) || this.text(this.tokens[startIndex]), start, end: Math.max(start, this.lastEnd) };
    }
  }

  /**
   * Like ClickHouse, once a statement failed, an unmatched `(`/`[` or `)`/`]` in it is reported
   * instead of the error where parsing stopped: that is where the mistake is.
   */
  private unmatchedBracket(from: number, to: number): Diagnostic | undefined {
    const open: Token[] = [];
    let culprit: Token | undefined;
    for (let i = from; i < to && !culprit; i++) {
      const token = this.tokens[i];
      if (token.kind === 'LParen' || token.kind === 'LBracket') open.push(token);
      else if (token.kind === 'RParen' || token.kind === 'RBracket') {
        const expected = token.kind === 'RParen' ? 'LParen' : 'LBracket';
        if (open.length > 0 && open[open.length - 1].kind === expected) open.pop();
        else culprit = token;
      }
    }
    // ClickHouse names the outermost bracket left open, or a stray closer when nothing is open.
    if (open.length > 0) culprit = open[0];
    if (!culprit) return undefined;
    const text = this.text(culprit);
    const isOpening = culprit.kind === 'LParen' || culprit.kind === 'LBracket';
    const partner = { '(': ')', '[': ']', ')': '(', ']': '[' }[text];
    return {
      code: 'syntax-error',
      severity: 'error',
      file: this.file,
      range: { start: culprit.start, end: culprit.end },
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
    const previous = this.tokens[index - 1];
    if (!previous) return true;
    const between = this.source.slice(previous.end, this.tokens[index].start);
    return between.includes('\n') || between.includes('\r');
  }
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

/**
 * Parses a SQL file into statements. Never throws on input: syntax errors are diagnostics, and
 * parsing resumes at the next statement. `;` inside strings, comments and heredocs never splits.
 */
export function parseSql(text: string, options: ParseOptions = {}): ParseResult {
  // The parser reads neither whitespace nor comments; comments are kept aside (suppressions live in them).
  const comments: Token[] = [];
  const tokens = lexSql(text, { whitespace: false, comments });
  const parser = new Parser(text, options.file ?? '<input>', tokens);
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  while (parser.token.kind !== 'EndOfInput') {
    if (parser.accept('Semicolon')) continue;
    statements.push(parser.parseStatement(diagnostics));
  }
  let merged: Token[] | undefined;
  return {
    statements,
    diagnostics,
    comments,
    get tokens() {
      merged ??= mergeByStart(tokens, comments);
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
