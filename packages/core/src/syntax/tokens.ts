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

export function isTrivia(token: Token): boolean {
  return token.kind === 'Whitespace' || token.kind === 'Comment';
}

/** Text of a token as printed in messages: `)` for punctuation, the keyword or name for words. */
export function describeToken(source: string, token: Token): string {
  if (token.kind === 'EndOfInput') return 'end of input';
  const text = source.slice(token.start, Math.min(token.end, token.start + 40));
  return `\`${text}\``;
}
