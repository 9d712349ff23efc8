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

/** Unicode spaces that ClickHouse skips too, so queries pasted from word processors still parse. */
function isUnicodeWhitespace(c: number): boolean {
  return (
    c === 0x00a0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

export interface LexOptions {
  /**
   * Whether whitespace becomes tokens (the default, so that tokens give back the text). The parser
   * turns it off: it never looks at whitespace, and not allocating it halves the garbage.
   */
  whitespace?: boolean;
  /** When given, comments go here instead of into the returned tokens (the parser never reads them). */
  comments?: Token[];
}

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
  const keepWhitespace = options.whitespace !== false;
  const commentSink = options.comments;
  // About one significant token per 6 characters of DDL: room for one per 4 rarely needs to grow.
  const tokens = new TokenList(undefined, (text.length >> 2) + 16);
  /** Where the next token starts. */
  let pos = 0;
  /** Kind of the last token that was not trivia; decides whether `.5` is a number or `t.5` a tuple access. */
  let lastSignificant: TokenCode | undefined;
  const end = text.length;

  function push(kind: TokenCode, tokenEnd: number, error?: string): void {
    if (kind === TokenCode.Whitespace && !keepWhitespace) {
      pos = tokenEnd;
      return;
    }
    if (kind === TokenCode.Comment && commentSink) {
      commentSink.push({ kind: 'Comment', start: pos, end: tokenEnd });
      pos = tokenEnd;
      return;
    }
    tokens.push(kind, pos, tokenEnd, kind === TokenCode.BareWord ? tokens.words.idOf(text, pos, tokenEnd) : 0, error);
    if (kind !== TokenCode.Whitespace && kind !== TokenCode.Comment) lastSignificant = kind;
    pos = tokenEnd;
  }

  /** End of a quoted run starting at `pos` (the opening quote). Backslash escapes; a doubled quote is one quote. */
  function scanQuoted(quote: number): number {
    let i = pos + 1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Char.Backslash) i += 2;
      else if (c === quote) {
        if (text.charCodeAt(i + 1) === quote) i += 2;
        else return i + 1;
      } else i++;
    }
    return -1;
  }

  function scanLineEnd(from: number): number {
    let i = from;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Char.LineFeed || c === Char.CarriageReturn) break;
      i++;
    }
    return i;
  }

  function scanWord(from: number): number {
    let i = from;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (!isWordChar(c) && c !== Char.Dollar) break;
      i++;
    }
    return i;
  }

  /** Digits of one class, with `_` allowed only between two digits (`1_000`, not `1__0` or `1_`). */
  function scanDigits(from: number, isClassDigit: (c: number) => boolean): number {
    let i = from;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isClassDigit(c)) i++;
      else if (c === Char.Underscore && i > from && isClassDigit(text.charCodeAt(i + 1))) i++;
      else break;
    }
    return i;
  }

  function lexNumber(): void {
    let i = pos;
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1) | 0x20;
    if (c0 === Char.Digit0 && c1 === Char.LowerX && isHexDigit(text.charCodeAt(i + 2))) {
      i = scanDigits(i + 2, isHexDigit);
      if (text.charCodeAt(i) === Char.Dot) i = scanDigits(i + 1, isHexDigit);
      if ((text.charCodeAt(i) | 0x20) === Char.LowerP) i = Math.abs(scanExponent(i));
    } else if (c0 === Char.Digit0 && c1 === Char.LowerB && isDigit(text.charCodeAt(i + 2))) {
      // ClickHouse takes `0b` plus any digits as one number and then refuses `0B11` or `0b102`.
      const digitsEnd = scanDigits(i + 2, isDigit);
      const digits = text.slice(i + 2, digitsEnd);
      if (text.charCodeAt(i + 1) !== Char.LowerB || /[2-9]/.test(digits)) {
        push(TokenCode.Error, digitsEnd, 'This binary number is malformed: write `0b` followed by 0s and 1s.');
        return;
      }
      i = digitsEnd;
    } else if (lastSignificant === TokenCode.Dot && isDigit(c0)) {
      // `x.1.2` is two tuple accesses: after a `.` a number has no fraction or exponent.
      i = scanDigits(i, isDigit);
    } else {
      i = scanDigits(i, isDigit);
      if (text.charCodeAt(i) === Char.Dot) i = scanDigits(i + 1, isDigit);
      if ((text.charCodeAt(i) | 0x20) === Char.LowerE) i = scanExponent(i);
    }
    if (i < 0) {
      push(TokenCode.Error, -i, 'This number is malformed: an exponent needs digits, as in `1e3`.');
      return;
    }
    // ClickHouse reads `1a` or `0x1Fg` as an identifier, but `0.1e` or `1.5x` as a broken number.
    if (i < end && isWordChar(text.charCodeAt(i))) {
      const wordEnd = scanWord(i);
      if (/[.+-]/.test(text.slice(pos, i))) push(TokenCode.Error, wordEnd, 'This number is malformed.');
      else push(TokenCode.BareWord, wordEnd);
      return;
    }
    push(TokenCode.Number, i);
  }

  /**
   * After `e`/`p` at `at`: an optional sign and digits. Without digits, ClickHouse still takes the
   * letter (and sign) into the number and then refuses it (`1e`, `1e+`), unless a word follows (`1ex` is a name).
   */
  function scanExponent(at: number): number {
    let i = at + 1;
    const sign = text.charCodeAt(i);
    if (sign === Char.Plus || sign === Char.Minus) i++;
    if (isDigit(text.charCodeAt(i))) return scanDigits(i, isDigit);
    if (i === at + 1 && isWordChar(text.charCodeAt(i))) return at;
    return -i;
  }

  /**
   * Where each `$…$` segment (from a `$` to the next one) stands, built on the first `$`: a closing
   * tag is always such a segment, so finding one is a lookup instead of a scan of the rest of the text.
   */
  let segments: Map<string, number[]> | undefined;
  function closingTagAfter(tag: string, after: number): number {
    if (!segments) {
      segments = new Map();
      for (let i = text.indexOf('$'); i !== -1; ) {
        const next = text.indexOf('$', i + 1);
        if (next === -1) break;
        const segment = text.slice(i, next + 1);
        const list = segments.get(segment);
        if (list) list.push(i);
        else segments.set(segment, [i]);
        i = next;
      }
    }
    const positions = segments.get(tag);
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

  function lexDollar(): void {
    // `$tag$ ... $tag$`: the tag is whatever stands between the first two dollars, as in ClickHouse.
    const tagEnd = text.indexOf('$', pos + 1);
    if (tagEnd !== -1) {
      const tag = text.slice(pos, tagEnd + 1);
      const close = closingTagAfter(tag, tagEnd + 1);
      if (close !== -1) {
        push(TokenCode.Heredoc, close + tag.length);
        return;
      }
    }
    const next = text.charCodeAt(pos + 1);
    if (pos + 1 >= end || !isWordChar(next)) push(TokenCode.DollarSign, pos + 1);
    else push(TokenCode.BareWord, scanWord(pos + 1));
  }

  function lexComment(): boolean {
    const c = text.charCodeAt(pos);
    const next = text.charCodeAt(pos + 1);
    if ((c === Char.Minus && next === Char.Minus) || (c === Char.Hash && (next === Char.Space || next === Char.Bang))) {
      push(TokenCode.Comment, scanLineEnd(pos + 2));
      return true;
    }
    if (c === Char.Slash && next === Char.Asterisk) {
      // Block comments nest, as in ClickHouse.
      let depth = 1;
      let i = pos + 2;
      while (i < end && depth > 0) {
        const a = text.charCodeAt(i);
        const b = text.charCodeAt(i + 1);
        if (a === Char.Slash && b === Char.Asterisk) {
          depth++;
          i += 2;
        } else if (a === Char.Asterisk && b === Char.Slash) {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) push(TokenCode.Error, end, 'This comment is not closed: add `*/`.');
      else push(TokenCode.Comment, i);
      return true;
    }
    return false;
  }

  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (isAsciiWhitespace(c)) {
      let i = pos + 1;
      while (i < end && isAsciiWhitespace(text.charCodeAt(i))) i++;
      push(TokenCode.Whitespace, i);
      continue;
    }
    if (isWordChar(c) && !isDigit(c)) {
      // x'4142' and b'0100' are strings written in hex or binary.
      if ((c | 0x20) === Char.LowerX || (c | 0x20) === Char.LowerB) {
        if (text.charCodeAt(pos + 1) === Char.SingleQuote) {
          pos++;
          const close = scanQuoted(Char.SingleQuote);
          pos--;
          if (close !== -1) {
            push(TokenCode.String, close);
            continue;
          }
        }
      }
      push(TokenCode.BareWord, scanWord(pos + 1));
      continue;
    }
    if (isDigit(c)) {
      lexNumber();
      continue;
    }
    switch (c) {
      case Char.SingleQuote:
      case Char.DoubleQuote:
      case Char.Backquote: {
        const close = scanQuoted(c);
        const kind = c === Char.SingleQuote ? TokenCode.String : TokenCode.QuotedIdentifier;
        if (close === -1) {
          const what = c === Char.SingleQuote ? 'string' : 'quoted identifier';
          push(TokenCode.Error, end, `This ${what} is not closed: add the closing ${String.fromCharCode(c)}.`);
        } else push(kind, close);
        continue;
      }
      case Char.Dollar:
        lexDollar();
        continue;
      case Char.Dot: {
        // `.5` is a number unless it follows something that `.` can access a member of.
        const afterValue =
          lastSignificant === TokenCode.RParen ||
          lastSignificant === TokenCode.RBracket ||
          lastSignificant === TokenCode.BareWord ||
          lastSignificant === TokenCode.QuotedIdentifier ||
          lastSignificant === TokenCode.Number;
        if (!afterValue && isDigit(text.charCodeAt(pos + 1))) lexNumber();
        else push(TokenCode.Dot, pos + 1);
        continue;
      }
      case Char.Minus:
        if (lexComment()) continue;
        push(text.charCodeAt(pos + 1) === Char.Greater ? TokenCode.Arrow : TokenCode.Minus, text.charCodeAt(pos + 1) === Char.Greater ? pos + 2 : pos + 1);
        continue;
      case Char.Slash:
        if (lexComment()) continue;
        push(TokenCode.Slash, pos + 1);
        continue;
      case Char.Hash:
        if (lexComment()) continue;
        push(TokenCode.Error, pos + 1, 'A `#` starts a comment only when a space or `!` follows it.');
        continue;
      case Char.Less: {
        const n1 = text.charCodeAt(pos + 1);
        if (n1 === Char.Equals && text.charCodeAt(pos + 2) === Char.Greater) push(TokenCode.Spaceship, pos + 3);
        else if (n1 === Char.Equals) push(TokenCode.LessOrEquals, pos + 2);
        else if (n1 === Char.Greater) push(TokenCode.NotEquals, pos + 2);
        else push(TokenCode.Less, pos + 1);
        continue;
      }
      case Char.Greater:
        if (text.charCodeAt(pos + 1) === Char.Equals) push(TokenCode.GreaterOrEquals, pos + 2);
        else push(TokenCode.Greater, pos + 1);
        continue;
      case Char.Equals:
        push(TokenCode.Equals, text.charCodeAt(pos + 1) === Char.Equals ? pos + 2 : pos + 1);
        continue;
      case Char.Bang:
        if (text.charCodeAt(pos + 1) === Char.Equals) push(TokenCode.NotEquals, pos + 2);
        else push(TokenCode.Error, pos + 1, 'A lone `!` is not an operator: use `NOT` or `!=`.');
        continue;
      case Char.Pipe:
        if (text.charCodeAt(pos + 1) === Char.Pipe) push(TokenCode.Concat, pos + 2);
        else push(TokenCode.Pipe, pos + 1);
        continue;
      case Char.Colon:
        if (text.charCodeAt(pos + 1) === Char.Colon) push(TokenCode.DoubleColon, pos + 2);
        else push(TokenCode.Colon, pos + 1);
        continue;
      case Char.At:
        if (text.charCodeAt(pos + 1) === Char.At) push(TokenCode.DoubleAt, pos + 2);
        else push(TokenCode.At, pos + 1);
        continue;
      case Char.Backslash:
        if (text.charCodeAt(pos + 1) === 71 || text.charCodeAt(pos + 1) === 103) push(TokenCode.VerticalDelimiter, pos + 2);
        else push(TokenCode.Error, pos + 1, 'A `\\` is only valid inside strings and quoted identifiers.');
        continue;
      case Char.LParen:
        push(TokenCode.LParen, pos + 1);
        continue;
      case Char.RParen:
        push(TokenCode.RParen, pos + 1);
        continue;
      case Char.LBracket:
        push(TokenCode.LBracket, pos + 1);
        continue;
      case Char.RBracket:
        push(TokenCode.RBracket, pos + 1);
        continue;
      case Char.LBrace:
        push(TokenCode.LBrace, pos + 1);
        continue;
      case Char.RBrace:
        push(TokenCode.RBrace, pos + 1);
        continue;
      case Char.Comma:
        push(TokenCode.Comma, pos + 1);
        continue;
      case Char.Semicolon:
        push(TokenCode.Semicolon, pos + 1);
        continue;
      case Char.Asterisk:
        push(TokenCode.Asterisk, pos + 1);
        continue;
      case Char.Plus:
        push(TokenCode.Plus, pos + 1);
        continue;
      case Char.Percent:
        push(TokenCode.Percent, pos + 1);
        continue;
      case Char.Question:
        push(TokenCode.QuestionMark, pos + 1);
        continue;
      case Char.Caret:
        push(TokenCode.Caret, pos + 1);
        continue;
    }
    if (isUnicodeWhitespace(c)) {
      let i = pos + 1;
      while (i < end && (isUnicodeWhitespace(text.charCodeAt(i)) || isAsciiWhitespace(text.charCodeAt(i)))) i++;
      push(TokenCode.Whitespace, i);
      continue;
    }
    // One whole code point, so a surrogate pair is never split.
    const width = c >= 0xd800 && c <= 0xdbff && pos + 1 < end ? 2 : 1;
    push(
      TokenCode.Error,
      pos + width,
      `${JSON.stringify(String.fromCodePoint(text.codePointAt(pos) ?? c))} cannot start a token: quote identifiers that use it, e.g. \`name\`.`,
    );
  }
  tokens.push(TokenCode.EndOfInput, end, end);
  return tokens;
}
