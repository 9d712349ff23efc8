import { type Token, TokenCode, TokenList } from './tokens.js';

// Lexical rules follow ClickHouse's src/Parsers/Lexer.cpp, checked against chDB 26.7
// (see lexer.test.ts). Bare words are ASCII only: ClickHouse rejects `héllo` unquoted.

enum Char {
  Tab = 9,
  LineFeed = 10,
  VerticalTab = 11,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  SingleQuote = 39,
  LParen = 40,
  RParen = 41,
  Asterisk = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit1 = 49,
  Digit9 = 57,
  Colon = 58,
  Semicolon = 59,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Question = 63,
  At = 64,
  UpperA = 65,
  UpperF = 70,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  Backquote = 96,
  LowerA = 97,
  LowerB = 98,
  LowerE = 101,
  LowerF = 102,
  LowerP = 112,
  LowerX = 120,
  LowerZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
}

function isDigit(c: number): boolean {
  return c >= Char.Digit0 && c <= Char.Digit9;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= Char.UpperA && c <= Char.UpperF) || (c >= Char.LowerA && c <= Char.LowerF);
}

/** `[A-Za-z0-9_]`: what ClickHouse calls isWordCharASCII. */
export function isWordChar(c: number): boolean {
  return (c >= Char.LowerA && c <= Char.LowerZ) || (c >= Char.UpperA && c <= Char.UpperZ) || isDigit(c) || c === Char.Underscore;
}

function isAsciiWhitespace(c: number): boolean {
  return c === Char.Space || (c >= Char.Tab && c <= Char.CarriageReturn);
}

/**
 * Unicode spaces that ClickHouse skips too, so queries pasted from word processors still parse: exactly
 * the list of its `skipWhitespacesUTF8` (U+0085, U+00A0, U+180E, U+2000..U+200D, U+2028, U+2029, U+202F,
 * U+205F, U+2060, U+3000, U+FEFF; not U+1680).
 */
function isUnicodeWhitespace(c: number): boolean {
  if (c < 0x2000) return c === 0x0085 || c === 0x00a0 || c === 0x180e;
  return c <= 0x200d || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff;
}

/** Unicode quotes ClickHouse reads as ASCII ones, for SQL pasted from word processors. */
enum UnicodeChar {
  /** ‘ opens a string that the next ’ closes, with no escapes. */
  LeftSingleQuote = 0x2018,
  /** “ opens a quoted identifier that the next ” closes, with no escapes. */
  LeftDoubleQuote = 0x201c,
  /** − is a minus sign (never a comment or an arrow, as `--` and `->` are). */
  Minus = 0x2212,
}

export interface LexOptions {
  /**
   * Whether whitespace becomes tokens (the default, so that tokens give back the text). The parser
   * turns it off: it never looks at whitespace, and not allocating it halves the garbage.
   */
  whitespace?: boolean;
  /** When given, comments go here instead of into the returned tokens (the parser never reads them). */
  comments?: Token[];
  /**
   * Where to start, instead of the beginning: the first character of a token. The parser lexes from
   * the start of a statement, where nothing before it changes how a token reads (see `reparseFile`).
   */
  from?: number;
  /**
   * Where to stop, instead of the end of the text: the tokens that start before it, then
   * `STOP_LOOKAHEAD` more significant tokens so that the parser's lookahead reads real tokens there.
   * `EndOfInput` follows the last one.
   */
  stopAt?: number;
}

/** Significant tokens lexed past `LexOptions.stopAt`: more than the parser ever looks ahead (5). */
export const STOP_LOOKAHEAD = 16;

/**
 * Splits SQL text into tokens. Lossless: whitespace and comments are tokens, and the texts of all
 * tokens joined give back `text`. Never throws: unreadable text becomes an `Error` token.
 * The last token is always a zero-width `EndOfInput`.
 */
export function lexSql(text: string, options: LexOptions = {}): Token[] {
  return lexTokenList(text, options).toArray();
}

/** `lexSql` into a `TokenList`, the arrays the parser reads; no object per token. */
export function lexTokenList(text: string, options: LexOptions = {}): TokenList {
  return sharedLexer.lex(text, options);
}

/** What the shared lexer holds between calls. */
const NO_TOKENS = new TokenList(undefined, 1);

/**
 * The lexer's state while it reads one text: a few named fields, as in the TypeScript compiler's
 * scanner. `lexTokenList` reuses one instance (see `sharedLexer`).
 */
class Lexer {
  /** The text being read. */
  private text = '';
  /** Length of `text`. */
  private end = 0;
  /** Where the next token starts. */
  private pos = 0;
  /** Kind of the last token that was not trivia; decides whether `.5` is a number or `t.5` a tuple access. */
  private lastSignificant: TokenCode | undefined = undefined;
  /**
   * Where each `$…$` segment (from a `$` to the next one) stands, built on the first `$`: a closing
   * tag is always such a segment, so finding one is a lookup instead of a scan of the rest of the text.
   */
  private segments: Map<string, number[]> | undefined = undefined;
  /** Where tokens go. */
  private tokens = NO_TOKENS;
  /** Whether whitespace becomes tokens (`LexOptions.whitespace`). */
  private keepWhitespace = true;
  /** Where comments go instead of `tokens`, when given (`LexOptions.comments`). */
  private commentSink: Token[] | undefined = undefined;

  /** The tokens of `text`, ending with `EndOfInput`. */
  lex(text: string, options: LexOptions): TokenList {
    this.text = text;
    this.end = text.length;
    this.pos = options.from ?? 0;
    this.lastSignificant = undefined;
    this.segments = undefined;
    const stopAt = Math.min(options.stopAt ?? this.end, this.end);
    // About one significant token per 6 characters of DDL: room for one per 4 rarely needs to grow.
    const tokens = new TokenList(undefined, ((stopAt - this.pos) >> 2) + STOP_LOOKAHEAD + 16);
    this.tokens = tokens;
    this.keepWhitespace = options.whitespace !== false;
    this.commentSink = options.comments;
    while (this.pos < stopAt) this.lexToken();
    const lookahead = tokens.length + STOP_LOOKAHEAD;
    while (this.pos < this.end && stopAt < this.end && tokens.length < lookahead) this.lexToken();
    tokens.push(TokenCode.EndOfInput, this.pos, this.pos);
    // Hold nothing of this text between calls.
    this.text = '';
    this.segments = undefined;
    this.tokens = NO_TOKENS;
    this.commentSink = undefined;
    return tokens;
  }

  /** Reads one token at `pos`. */
  private lexToken(): void {
    const c = this.text.charCodeAt(this.pos);
    if (isAsciiWhitespace(c)) {
      let i = this.pos + 1;
      while (i < this.end && isAsciiWhitespace(this.text.charCodeAt(i))) i++;
      this.push(TokenCode.Whitespace, i);
      return;
    }
    if (isWordChar(c) && !isDigit(c)) {
      // x'4142' and b'0100' are strings written in hex or binary.
      if ((c | 0x20) === Char.LowerX || (c | 0x20) === Char.LowerB) {
        if (this.text.charCodeAt(this.pos + 1) === Char.SingleQuote) {
          // As ClickHouse's lexer: only hex digits (x) or 0 and 1 (b) up to the closing quote.
          const isHex = (c | 0x20) === Char.LowerX;
          let i = this.pos + 2;
          while (i < this.end && (isHex ? isHexDigit(this.text.charCodeAt(i)) : (this.text.charCodeAt(i) | 1) === Char.Digit1)) i++;
          if (this.text.charCodeAt(i) === Char.SingleQuote) {
            this.push(TokenCode.String, i + 1);
            return;
          }
          this.pos++;
          const close = this.scanQuoted(Char.SingleQuote);
          this.pos--;
          if (close !== -1) {
            const digits = isHex ? 'hex digits' : '0s and 1s';
            this.push(
              TokenCode.Error,
              close,
              `This ${isHex ? 'hex' : 'binary'} string holds other characters than ${digits}: write only ${digits}, or drop the ${String.fromCharCode(c)} to make it a plain string.`,
            );
            return;
          }
        }
      }
      this.push(TokenCode.BareWord, this.scanWord(this.pos + 1));
      return;
    }
    if (isDigit(c)) {
      this.lexNumber();
      return;
    }
    switch (c) {
      case Char.SingleQuote:
      case Char.DoubleQuote:
      case Char.Backquote: {
        const close = this.scanQuoted(c);
        const kind = c === Char.SingleQuote ? TokenCode.String : TokenCode.QuotedIdentifier;
        if (close === -1) {
          const what = c === Char.SingleQuote ? 'string' : 'quoted identifier';
          this.push(TokenCode.Error, this.end, `This ${what} is not closed: add the closing ${String.fromCharCode(c)}.`);
        } else this.push(kind, close);
        return;
      }
      case Char.Dollar:
        this.lexDollar();
        return;
      case Char.Dot: {
        // `.5` is a number unless it follows something that `.` can access a member of.
        const afterValue =
          this.lastSignificant === TokenCode.RParen ||
          this.lastSignificant === TokenCode.RBracket ||
          this.lastSignificant === TokenCode.BareWord ||
          this.lastSignificant === TokenCode.QuotedIdentifier ||
          this.lastSignificant === TokenCode.Number;
        if (!afterValue && isDigit(this.text.charCodeAt(this.pos + 1))) this.lexNumber();
        else this.push(TokenCode.Dot, this.pos + 1);
        return;
      }
      case Char.Minus:
        if (this.lexComment()) return;
        this.push(
          this.text.charCodeAt(this.pos + 1) === Char.Greater ? TokenCode.Arrow : TokenCode.Minus,
          this.text.charCodeAt(this.pos + 1) === Char.Greater ? this.pos + 2 : this.pos + 1,
        );
        return;
      case Char.Slash:
        if (this.lexComment()) return;
        this.push(TokenCode.Slash, this.pos + 1);
        return;
      case Char.Hash:
        if (this.lexComment()) return;
        this.push(TokenCode.Error, this.pos + 1, 'A `#` starts a comment only when a space or `!` follows it.');
        return;
      case Char.Less: {
        const n1 = this.text.charCodeAt(this.pos + 1);
        if (n1 === Char.Equals && this.text.charCodeAt(this.pos + 2) === Char.Greater) this.push(TokenCode.Spaceship, this.pos + 3);
        else if (n1 === Char.Equals) this.push(TokenCode.LessOrEquals, this.pos + 2);
        else if (n1 === Char.Greater) this.push(TokenCode.NotEquals, this.pos + 2);
        else this.push(TokenCode.Less, this.pos + 1);
        return;
      }
      case Char.Greater:
        if (this.text.charCodeAt(this.pos + 1) === Char.Equals) this.push(TokenCode.GreaterOrEquals, this.pos + 2);
        else this.push(TokenCode.Greater, this.pos + 1);
        return;
      case Char.Equals:
        this.push(TokenCode.Equals, this.text.charCodeAt(this.pos + 1) === Char.Equals ? this.pos + 2 : this.pos + 1);
        return;
      case Char.Bang:
        if (this.text.charCodeAt(this.pos + 1) === Char.Equals) this.push(TokenCode.NotEquals, this.pos + 2);
        else this.push(TokenCode.Error, this.pos + 1, 'A lone `!` is not an operator: use `NOT` or `!=`.');
        return;
      case Char.Pipe:
        if (this.text.charCodeAt(this.pos + 1) === Char.Pipe) this.push(TokenCode.Concat, this.pos + 2);
        else this.push(TokenCode.Pipe, this.pos + 1);
        return;
      case Char.Colon:
        if (this.text.charCodeAt(this.pos + 1) === Char.Colon) this.push(TokenCode.DoubleColon, this.pos + 2);
        else this.push(TokenCode.Colon, this.pos + 1);
        return;
      case Char.At:
        if (this.text.charCodeAt(this.pos + 1) === Char.At) this.push(TokenCode.DoubleAt, this.pos + 2);
        else this.push(TokenCode.At, this.pos + 1);
        return;
      case Char.Backslash:
        if (this.text.charCodeAt(this.pos + 1) === 71 || this.text.charCodeAt(this.pos + 1) === 103) this.push(TokenCode.VerticalDelimiter, this.pos + 2);
        else this.push(TokenCode.Error, this.pos + 1, 'A `\\` is only valid inside strings and quoted identifiers.');
        return;
      case Char.LParen:
        this.push(TokenCode.LParen, this.pos + 1);
        return;
      case Char.RParen:
        this.push(TokenCode.RParen, this.pos + 1);
        return;
      case Char.LBracket:
        this.push(TokenCode.LBracket, this.pos + 1);
        return;
      case Char.RBracket:
        this.push(TokenCode.RBracket, this.pos + 1);
        return;
      case Char.LBrace:
        this.push(TokenCode.LBrace, this.pos + 1);
        return;
      case Char.RBrace:
        this.push(TokenCode.RBrace, this.pos + 1);
        return;
      case Char.Comma:
        this.push(TokenCode.Comma, this.pos + 1);
        return;
      case Char.Semicolon:
        this.push(TokenCode.Semicolon, this.pos + 1);
        return;
      case Char.Asterisk:
        this.push(TokenCode.Asterisk, this.pos + 1);
        return;
      case Char.Plus:
        this.push(TokenCode.Plus, this.pos + 1);
        return;
      case Char.Percent:
        this.push(TokenCode.Percent, this.pos + 1);
        return;
      case Char.Question:
        this.push(TokenCode.QuestionMark, this.pos + 1);
        return;
      case Char.Caret:
        this.push(TokenCode.Caret, this.pos + 1);
        return;
    }
    if (c === UnicodeChar.LeftSingleQuote || c === UnicodeChar.LeftDoubleQuote) {
      const single = c === UnicodeChar.LeftSingleQuote;
      const closing = single ? '’' : '”';
      const close = this.text.indexOf(closing, this.pos + 1);
      if (close === -1) this.push(TokenCode.Error, this.end, `This ${single ? 'string' : 'quoted identifier'} is not closed: add the closing ${closing}.`);
      else this.push(single ? TokenCode.String : TokenCode.QuotedIdentifier, close + 1);
      return;
    }
    if (c === UnicodeChar.Minus) {
      this.push(TokenCode.Minus, this.pos + 1);
      return;
    }
    if (isUnicodeWhitespace(c)) {
      let i = this.pos + 1;
      while (i < this.end && (isUnicodeWhitespace(this.text.charCodeAt(i)) || isAsciiWhitespace(this.text.charCodeAt(i)))) i++;
      this.push(TokenCode.Whitespace, i);
      return;
    }
    // One whole code point, so a surrogate pair is never split.
    const width = c >= 0xd800 && c <= 0xdbff && this.pos + 1 < this.end ? 2 : 1;
    this.push(
      TokenCode.Error,
      this.pos + width,
      `${JSON.stringify(String.fromCodePoint(this.text.codePointAt(this.pos) ?? c))} cannot start a token: quote identifiers that use it, e.g. \`name\`.`,
    );
  }

  /** Ends the current token at `tokenEnd`: keeps it (whitespace and comments as the options say) and moves on. */
  private push(kind: TokenCode, tokenEnd: number, error?: string): void {
    if (kind === TokenCode.Whitespace && !this.keepWhitespace) {
      this.pos = tokenEnd;
      return;
    }
    if (kind === TokenCode.Comment && this.commentSink) {
      this.commentSink.push({ kind: 'Comment', start: this.pos, end: tokenEnd });
      this.pos = tokenEnd;
      return;
    }
    this.tokens.push(kind, this.pos, tokenEnd, kind === TokenCode.BareWord ? this.tokens.words.idOf(this.text, this.pos, tokenEnd) : 0, error);
    if (kind !== TokenCode.Whitespace && kind !== TokenCode.Comment) this.lastSignificant = kind;
    this.pos = tokenEnd;
  }

  /** End of a quoted run starting at `pos` (the opening quote). Backslash escapes; a doubled quote is one quote. */
  private scanQuoted(quote: number): number {
    let i = this.pos + 1;
    while (i < this.end) {
      const c = this.text.charCodeAt(i);
      if (c === Char.Backslash) i += 2;
      else if (c === quote) {
        if (this.text.charCodeAt(i + 1) === quote) i += 2;
        else return i + 1;
      } else i++;
    }
    return -1;
  }

  private scanLineEnd(from: number): number {
    let i = from;
    while (i < this.end) {
      const c = this.text.charCodeAt(i);
      if (c === Char.LineFeed || c === Char.CarriageReturn) break;
      i++;
    }
    return i;
  }

  private scanWord(from: number): number {
    let i = from;
    while (i < this.end) {
      const c = this.text.charCodeAt(i);
      if (!isWordChar(c) && c !== Char.Dollar) break;
      i++;
    }
    return i;
  }

  /** Digits of one class, with `_` allowed only between two digits (`1_000`, not `1__0` or `1_`). */
  private scanDigits(from: number, isClassDigit: (c: number) => boolean): number {
    let i = from;
    while (i < this.end) {
      const c = this.text.charCodeAt(i);
      if (isClassDigit(c)) i++;
      else if (c === Char.Underscore && i > from && isClassDigit(this.text.charCodeAt(i + 1))) i++;
      else break;
    }
    return i;
  }

  private lexNumber(): void {
    let i = this.pos;
    const c0 = this.text.charCodeAt(i);
    const c1 = this.text.charCodeAt(i + 1) | 0x20;
    if (c0 === Char.Digit0 && c1 === Char.LowerX && isHexDigit(this.text.charCodeAt(i + 2))) {
      i = this.scanDigits(i + 2, isHexDigit);
      if (this.text.charCodeAt(i) === Char.Dot) i = this.scanDigits(i + 1, isHexDigit);
      if ((this.text.charCodeAt(i) | 0x20) === Char.LowerP) i = Math.abs(this.scanExponent(i));
    } else if (c0 === Char.Digit0 && c1 === Char.LowerB && isDigit(this.text.charCodeAt(i + 2))) {
      // ClickHouse takes `0b` plus any digits as one number and then refuses `0B11` or `0b102`.
      const digitsEnd = this.scanDigits(i + 2, isDigit);
      const digits = this.text.slice(i + 2, digitsEnd);
      if (this.text.charCodeAt(i + 1) !== Char.LowerB || /[2-9]/.test(digits)) {
        this.push(TokenCode.Error, digitsEnd, 'This binary number is malformed: write `0b` followed by 0s and 1s.');
        return;
      }
      i = digitsEnd;
    } else if (this.lastSignificant === TokenCode.Dot && isDigit(c0)) {
      // `x.1.2` is two tuple accesses: after a `.` a number has no fraction or exponent.
      i = this.scanDigits(i, isDigit);
    } else {
      i = this.scanDigits(i, isDigit);
      if (this.text.charCodeAt(i) === Char.Dot) i = this.scanDigits(i + 1, isDigit);
      if ((this.text.charCodeAt(i) | 0x20) === Char.LowerE) i = this.scanExponent(i);
    }
    if (i < 0) {
      this.push(TokenCode.Error, -i, 'This number is malformed: an exponent needs digits, as in `1e3`.');
      return;
    }
    // ClickHouse reads `1a` or `0x1Fg` as an identifier, but `0.1e` or `1.5x` as a broken number.
    if (i < this.end && isWordChar(this.text.charCodeAt(i))) {
      const wordEnd = this.scanWord(i);
      if (/[.+-]/.test(this.text.slice(this.pos, i))) this.push(TokenCode.Error, wordEnd, 'This number is malformed.');
      else this.push(TokenCode.BareWord, wordEnd);
      return;
    }
    this.push(TokenCode.Number, i);
  }

  /**
   * After `e`/`p` at `at`: an optional sign and digits. Without digits, ClickHouse still takes the
   * letter (and sign) into the number and then refuses it (`1e`, `1e+`), unless a word follows (`1ex` is a name).
   */
  private scanExponent(at: number): number {
    let i = at + 1;
    const sign = this.text.charCodeAt(i);
    if (sign === Char.Plus || sign === Char.Minus) i++;
    if (isDigit(this.text.charCodeAt(i))) return this.scanDigits(i, isDigit);
    if (i === at + 1 && isWordChar(this.text.charCodeAt(i))) return at;
    return -i;
  }

  /** Position of the closing `$tag$` of a heredoc at or after `after`, or -1. */
  private closingTagAfter(tag: string, after: number): number {
    if (!this.segments) {
      this.segments = new Map();
      for (let i = this.text.indexOf('$'); i !== -1; ) {
        const next = this.text.indexOf('$', i + 1);
        if (next === -1) break;
        const segment = this.text.slice(i, next + 1);
        const list = this.segments.get(segment);
        if (list) list.push(i);
        else this.segments.set(segment, [i]);
        i = next;
      }
    }
    const positions = this.segments.get(tag);
    if (!positions) return -1;
    let low = 0;
    let high = positions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (positions[mid] < after) low = mid + 1;
      else high = mid;
    }
    return low < positions.length ? positions[low] : -1;
  }

  private lexDollar(): void {
    // `$tag$ ... $tag$`: the tag is whatever stands between the first two dollars, as in ClickHouse.
    const tagEnd = this.text.indexOf('$', this.pos + 1);
    if (tagEnd !== -1) {
      const tag = this.text.slice(this.pos, tagEnd + 1);
      const close = this.closingTagAfter(tag, tagEnd + 1);
      if (close !== -1) {
        this.push(TokenCode.Heredoc, close + tag.length);
        return;
      }
    }
    const next = this.text.charCodeAt(this.pos + 1);
    if (this.pos + 1 >= this.end || !isWordChar(next)) this.push(TokenCode.DollarSign, this.pos + 1);
    else this.push(TokenCode.BareWord, this.scanWord(this.pos + 1));
  }

  private lexComment(): boolean {
    const c = this.text.charCodeAt(this.pos);
    const next = this.text.charCodeAt(this.pos + 1);
    // `--`, `//` (as in ClickHouse), and `# ` or `#!`: to the end of the line.
    const lineComment = (c === Char.Minus && next === Char.Minus) || (c === Char.Slash && next === Char.Slash);
    if (lineComment || (c === Char.Hash && (next === Char.Space || next === Char.Bang))) {
      this.push(TokenCode.Comment, this.scanLineEnd(this.pos + 2));
      return true;
    }
    if (c === Char.Slash && next === Char.Asterisk) {
      // Block comments nest, as in ClickHouse.
      let depth = 1;
      let i = this.pos + 2;
      while (i < this.end && depth > 0) {
        const a = this.text.charCodeAt(i);
        const b = this.text.charCodeAt(i + 1);
        if (a === Char.Slash && b === Char.Asterisk) {
          depth++;
          i += 2;
        } else if (a === Char.Asterisk && b === Char.Slash) {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) this.push(TokenCode.Error, this.end, 'This comment is not closed: add `*/`.');
      else this.push(TokenCode.Comment, i);
      return true;
    }
    return false;
  }
}

/**
 * The one lexer `lexTokenList` reuses, as the TypeScript compiler reuses its scanner. Its methods'
 * optimized code holds the lexer's hidden class weakly: with no lexer left alive between two calls
 * (after a full GC), V8 would throw that code away and lex the next file cold.
 */
const sharedLexer = new Lexer();
