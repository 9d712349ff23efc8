/**
 * Token kinds, named after what ClickHouse's own lexer (src/Parsers/Lexer.h) calls them. A
 * `TokenList` stores a kind as its number here, one byte per token; `TokenKind` is its name.
 */
export enum TokenCode {
  Whitespace,
  Comment,
  BareWord,
  QuotedIdentifier,
  String,
  Heredoc,
  Number,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Semicolon,
  VerticalDelimiter,
  Dot,
  Asterisk,
  Plus,
  Minus,
  Slash,
  Percent,
  Arrow,
  QuestionMark,
  Colon,
  DoubleColon,
  Equals,
  NotEquals,
  Less,
  Greater,
  LessOrEquals,
  GreaterOrEquals,
  Spaceship,
  Concat,
  Caret,
  At,
  DoubleAt,
  Pipe,
  DollarSign,
  Error,
  EndOfInput,
}

export type TokenKind = keyof typeof TokenCode;

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
  /** Number of tokens. */
  length = 0;
  /** Kind of each token; entries past `length` are unused capacity. */
  codes: Uint8Array;
  /** Start offset of each token. */
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
    this.codes = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.wordIds = new Int32Array(capacity);
  }

  push(code: TokenCode, start: number, end: number, wordId = 0, error?: string): void {
    const i = this.length++;
    if (i === this.starts.length) this.grow();
    this.codes[i] = code;
    this.starts[i] = start;
    this.ends[i] = end;
    this.wordIds[i] = wordId;
    if (error !== undefined) this.errors.set(i, error);
  }

  /** Appends a copy of token `index` of `from`, a list that shares this list's word table. */
  pushFrom(from: TokenList, index: number): void {
    this.push(from.codes[index], from.starts[index], from.ends[index], from.wordIds[index], from.errors.get(index));
  }

  /** The name of token `index`'s kind. */
  kind(index: number): TokenKind {
    return TokenCode[this.codes[index]] as TokenKind;
  }

  /** Token `index` as an object. */
  token(index: number): Token {
    const token: Token = { kind: this.kind(index), start: this.starts[index], end: this.ends[index] };
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
    const codes = new Uint8Array(capacity);
    codes.set(this.codes);
    this.codes = codes;
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
 * Looking up a word reads it in place in the source (an open-addressing hash table of ids), so
 * only a word's first occurrence allocates.
 */
export class WordTable {
  /** Each distinct text, by id; id 0 is the empty word that tokens other than bare words have. */
  readonly texts: string[] = [''];
  /** `texts[id]` upper-cased, as the grammar compares keywords. */
  readonly upper: string[] = [''];
  /** Hash table of ids (0: free slot); its size is a power of two, at most half full. */
  private slots = new Int32Array(1024);
  /** Hash of each text, by id, to rehash without reading the texts again. */
  private readonly hashes: number[] = [0];

  /** The id of the word `source.slice(start, end)`, added on first sight. */
  idOf(source: string, start: number, end: number): number {
    const length = end - start;
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + source.charCodeAt(i)) | 0;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === 0) return this.add(source.slice(start, end), slot, hash);
      const text = this.texts[id];
      if (text.length === length && source.startsWith(text, start)) return id;
    }
  }

  private add(text: string, slot: number, hash: number): number {
    const id = this.texts.length;
    this.texts.push(text);
    this.upper.push(text.toUpperCase());
    this.hashes.push(hash);
    this.slots[slot] = id;
    if (2 * id > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 1; id < this.texts.length; id++) {
      let slot = this.hashes[id] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
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
