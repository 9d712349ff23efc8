import type { Parser } from './parser.js';
import type { Token } from './tokens.js';

// Token windows: a few ClickHouse rules stop or skip a sub-grammar at a token that our shared
// parsers would otherwise consume. A sub-parser over an edited token list runs the shared parser
// unchanged; offsets stay those of the source, so its nodes and errors are exact.

/** Index of the first token ahead, at bracket depth 0 in this statement, where `found` holds; none once `stop` holds. */
export function findAhead(p: Parser, found: (i: number) => boolean, stop: (i: number) => boolean = () => false): number | undefined {
  let depth = 0;
  for (let i = p.index; i < p.tokens.length; i++) {
    const kind = p.tokens[i].kind;
    if (kind === 'LParen' || kind === 'LBracket' || kind === 'LBrace') depth++;
    else if (kind === 'RParen' || kind === 'RBracket' || kind === 'RBrace') depth--;
    else if (kind === 'Semicolon' || kind === 'EndOfInput' || depth < 0) return undefined;
    else if (depth === 0 && stop(i)) return undefined;
    else if (depth === 0 && found(i)) return i;
  }
  return undefined;
}

type ParserConstructor = new (source: string, file: string, tokens: Token[]) => Parser;

/**
 * A parser over the same text and a different token list: the rest of this statement (and the token
 * before the current one, so `lastEnd` holds), edited. Its errors abort the statement like ours.
 * Windowing keeps each use proportional to the statement, not to the file.
 */
function subParser(p: Parser, edit: (window: Token[], offset: number) => Token[]): { sub: Parser; offset: number } {
  const offset = Math.max(0, p.index - 1);
  let end = p.index;
  while (end < p.tokens.length - 1 && p.tokens[end].kind !== 'Semicolon') end++;
  const window = edit(p.tokens.slice(offset, end + 1), offset);
  const last = window[window.length - 1];
  if (last.kind !== 'EndOfInput') window.push({ kind: 'EndOfInput', start: last.end, end: last.end });
  const sub = new (p.constructor as ParserConstructor)(p.source, p.file, window);
  sub.index = p.index - offset;
  return { sub, offset };
}

/**
 * Runs `parse` as if the statement ended at `stop`, then continues after what it consumed. The
 * stop token becomes a `;` over the same text, so an error there names it (`found \`IN\``).
 */
export function parseBefore<T>(p: Parser, stop: number, parse: (p: Parser) => T): T {
  const at = p.tokens[stop];
  const { sub, offset } = subParser(p, (window, from) => [...window.slice(0, stop - from), { kind: 'Semicolon', start: at.start, end: at.end }]);
  const result = parse(sub);
  p.index = offset + sub.index;
  return result;
}

/** Runs `parse` as if the token at `skip` were not there (the `TYPE` of `ALTER COLUMN x TYPE T`). */
export function parseWithoutToken<T>(p: Parser, skip: number, parse: (p: Parser) => T): T {
  const { sub, offset } = subParser(p, (window, from) => [...window.slice(0, skip - from), ...window.slice(skip - from + 1)]);
  const result = parse(sub);
  const consumed = offset + sub.index;
  p.index = consumed >= skip ? consumed + 1 : consumed;
  return result;
}
