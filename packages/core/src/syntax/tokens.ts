/** Token kinds, named after what ClickHouse's own lexer (src/Parsers/Lexer.h) calls them. */
export type TokenKind =
  | 'Whitespace'
  | 'Comment'
  | 'BareWord'
  | 'QuotedIdentifier'
  | 'String'
  | 'Heredoc'
  | 'Number'
  | 'LParen'
  | 'RParen'
  | 'LBracket'
  | 'RBracket'
  | 'LBrace'
  | 'RBrace'
  | 'Comma'
  | 'Semicolon'
  | 'VerticalDelimiter'
  | 'Dot'
  | 'Asterisk'
  | 'Plus'
  | 'Minus'
  | 'Slash'
  | 'Percent'
  | 'Arrow'
  | 'QuestionMark'
  | 'Colon'
  | 'DoubleColon'
  | 'Equals'
  | 'NotEquals'
  | 'Less'
  | 'Greater'
  | 'LessOrEquals'
  | 'GreaterOrEquals'
  | 'Spaceship'
  | 'Concat'
  | 'Caret'
  | 'At'
  | 'DoubleAt'
  | 'Pipe'
  | 'DollarSign'
  | 'Error'
  | 'EndOfInput';

/** A token: `start` inclusive, `end` exclusive, both UTF-16 offsets into the source text. */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Set on `Error` tokens: what is wrong with this piece of text. */
  error?: string;
}

/**
 * Tokens as parallel arrays, one entry per token: how the lexer hands a file to the parser, with no
 * object per token. A 4 MB schema has ~700,000 tokens; as objects they were a third of what a parse
 * kept alive and of its garbage-collection time (bench/README.md). `token(i)` makes a `Token` at the
 * edge: for `lexSql` and `parseSql(...).tokens`.
 *
 * Bare words are interned as they are lexed: `wordIds[i]` numbers the distinct texts, so the parser
 * compares upper-cased keywords and takes identifier names without slicing the source again.
 */
export class TokenList {
  /** Kind of each token. */
  readonly kinds: TokenKind[] = [];
  /** Start offset of each token; entries past `length` are unused capacity. */
  starts: Int32Array;
  /** End offset (exclusive) of each token. */
  ends: Int32Array;
  /** For a bare word, the index of its text in `words`; 0 (the empty word) for other tokens. */
  wordIds: Int32Array;
  /** What is wrong with each `Error` token, by token index. */
  readonly errors = new Map<number, string>();

  constructor(
    /** Distinct bare-word texts and their upper-cased forms; shared with lists copied from this one. */
    readonly words: WordTable = new WordTable(),
    capacity = 256,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.wordIds = new Int32Array(capacity);
  }

  get length(): number {
    return this.kinds.length;
  }

  push(kind: TokenKind, start: number, end: number, wordId = 0, error?: string): void {
    const i = this.kinds.length;
    if (i === this.starts.length) this.grow();
    this.kinds.push(kind);
    this.starts[i] = start;
    this.ends[i] = end;
    this.wordIds[i] = wordId;
    if (error !== undefined) this.errors.set(i, error);
  }

  /** Appends a copy of token `index` of `from`, a list that shares this list's word table. */
  pushFrom(from: TokenList, index: number): void {
    this.push(from.kinds[index], from.starts[index], from.ends[index], from.wordIds[index], from.errors.get(index));
  }

  /** Token `index` as an object. */
  token(index: number): Token {
    const token: Token = { kind: this.kinds[index], start: this.starts[index], end: this.ends[index] };
    const error = this.errors.get(index);
    if (error !== undefined) token.error = error;
    return token;
  }

  toArray(): Token[] {
    const tokens: Token[] = new Array(this.length);
    for (let i = 0; i < tokens.length; i++) tokens[i] = this.token(i);
    return tokens;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    for (const name of ['starts', 'ends', 'wordIds'] as const) {
      const grown = new Int32Array(capacity);
      grown.set(this[name]);
      this[name] = grown;
    }
  }
}

/**
 * Distinct bare-word texts, each once, with their upper-cased forms: keywords repeat thousands of
 * times in a file, and a name read from the table is shared instead of sliced anew for each use.
 */
export class WordTable {
  /** Each distinct text, by id; id 0 is the empty word that tokens other than bare words have. */
  readonly texts: string[] = [''];
  /** `texts[id]` upper-cased, as the grammar compares keywords. */
  readonly upper: string[] = [''];
  private readonly ids = new Map<string, number>();

  /** The id of `text`, added on first sight. */
  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
      this.upper.push(text.toUpperCase());
    }
    return id;
  }
}

export function isTrivia(token: Token): boolean {
  return token.kind === 'Whitespace' || token.kind === 'Comment';
}

/** Text of a token as printed in messages: `)` for punctuation, the keyword or name for words. */
export function describeToken(source: string, token: Token): string {
  if (token.kind === 'EndOfInput') return 'end of input';
  const text = source.slice(token.start, Math.min(token.end, token.start + 40));
  return `\`${text}\``;
}
