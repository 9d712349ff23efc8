export type { Diagnostic, Range, Severity } from './diagnostics.js';
export type * from './syntax/ast.js';
export { lexSql } from './syntax/lexer.js';
export { LineIndex, type Position } from './syntax/lineIndex.js';
export { type ParseOptions, type ParseResult, parseSql } from './syntax/parser.js';
export { isTrivia, type Token, type TokenKind } from './syntax/tokens.js';
