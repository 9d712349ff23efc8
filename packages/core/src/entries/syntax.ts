// `@clickplan/core/syntax`: Lexer, parser (with error recovery), syntax tree types and printer.
export type * from '../syntax/ast.js';
export { lexSql } from '../syntax/lexer.js';
export { LineIndex, type Position } from '../syntax/lineIndex.js';
export { type ParseOptions, type ParseResult, parseSql } from '../syntax/parser.js';
export { printStatement } from '../syntax/printer.js';
export { findSecrets, HIDDEN, hideSecrets, maskSql, redactSecrets, type Secret, secretValues } from '../syntax/secrets.js';
export { isTrivia, type Token, type TokenKind } from '../syntax/tokens.js';
