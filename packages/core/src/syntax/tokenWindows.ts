import type { Parser } from './parser.js';
import { TokenCode, TokenList } from './tokens.js';

// Token windows: a few ClickHouse rules stop or skip a sub-grammar at a token that our shared
// parsers would otherwise consume. A sub-parser over an edited token list runs the shared parser
// unchanged; offsets stay those of the source, so its nodes and errors are exact.

/** Index of the first token ahead, at bracket depth 0 in this statement, where `found` holds; none once `stop` holds. */
export function findAhead(p: Parser, found: (i: number) => boolean, stop: (i: number) => boolean = () => false): number | undefined {
  let depth = 0;
  for (let i = p.index; i < p.tokens.length; i++) {
    const kind = p.kindAt(i);
    if (kind === 'LParen' || kind === 'LBracket' || kind === 'LBrace') depth++;
    else if (kind === 'RParen' || kind === 'RBracket' || kind === 'RBrace') depth--;
    else if (kind === 'Semicolon' || kind === 'EndOfInput' || depth < 0) return undefined;
    else if (depth === 0 && stop(i)) return undefined;
    else if (depth === 0 && found(i)) return i;
  }
  return undefined;
}

type ParserConstructor = new (source: string, file: string, tokens: TokenList) => Parser;

/**
 * A parser over the same text and a window of its tokens: the rest of this statement, edited, from
 * the token before the current one (so `lastEnd` holds), which is at `offset` in `p`. Its errors
 * abort the statement like ours. Windowing keeps each use proportional to the statement, not to the file.
 */
function subParser(p: Parser, window: TokenList, offset: number): Parser {
  const last = window.length - 1;
  if (window.codes[last] !== TokenCode.EndOfInput) window.push(TokenCode.EndOfInput, window.ends[last], window.ends[last]);
  const sub = new (p.constructor as ParserConstructor)(p.source, p.file, window);
  sub.index = p.index - offset;
  return sub;
}

/** Index of the token before the current one, where a window starts. */
function windowStart(p: Parser): number {
  return Math.max(0, p.index - 1);
}

/**
 * Runs `parse` as if the statement ended at `stop`, then continues after what it consumed. The
 * stop token becomes a `;` over the same text, so an error there names it (`found \`IN\``).
 */
export function parseBefore<T>(p: Parser, stop: number, parse: (p: Parser) => T): T {
  const offset = windowStart(p);
  const window = new TokenList(p.tokens.words, stop - offset + 2);
  for (let i = offset; i < stop; i++) window.pushFrom(p.tokens, i);
  window.push(TokenCode.Semicolon, p.startAt(stop), p.endAt(stop));
  const sub = subParser(p, window, offset);
  const result = parse(sub);
  p.index = offset + sub.index;
  return result;
}

/** Runs `parse` as if the token at `skip` were not there (the `TYPE` of `ALTER COLUMN x TYPE T`). */
export function parseWithoutToken<T>(p: Parser, skip: number, parse: (p: Parser) => T): T {
  const offset = windowStart(p);
  let end = p.index;
  while (end < p.tokens.length - 1 && p.kindAt(end) !== 'Semicolon') end++;
  const window = new TokenList(p.tokens.words, end - offset + 2);
  for (let i = offset; i <= end; i++) if (i !== skip) window.pushFrom(p.tokens, i);
  const sub = subParser(p, window, offset);
  const result = parse(sub);
  const consumed = offset + sub.index;
  p.index = consumed >= skip ? consumed + 1 : consumed;
  return result;
}
