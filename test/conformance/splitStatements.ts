/**
 * Splits a ClickHouse test file into statements the way `clickhouse-client` runs a multi-statement
 * file: a `;` outside strings, quoted names, comments and heredocs ends a statement, and the comments
 * that follow it on the same line (where the test hints `-- { serverError ... }` and
 * `-- { clientError ... }` live) belong to the statement before them. Written apart from our lexer
 * on purpose: the runner must not judge our parser with our own tokens.
 */

export interface SplitStatement {
  /** The statement's text, trimmed, without its `;` and without the trailing hint comment. */
  sql: string;
  /** 1-based line where `sql` starts in the file. */
  line: number;
  /** The test hint after the statement, e.g. `serverError UNKNOWN_TABLE`, when there is one. */
  hint?: string;
}

/** Returns the statements of `text`; a piece that holds only whitespace and comments is no statement. */
export function splitStatements(text: string): SplitStatement[] {
  const statements: SplitStatement[] = [];
  /** Start of the current statement's text. */
  let start = 0;
  /** Whether the current piece has a token that is not a comment. */
  let significant = false;
  let i = 0;
  const push = (end: number, hintText: string): void => {
    if (significant) {
      const raw = text.slice(start, end);
      const leading = raw.length - raw.trimStart().length;
      // Like clickhouse-client's TestHint, a hint in any `--` comment of the statement counts.
      const hint = /--[^\n]*?\{\s*((?:server|client)Error\s+[^}]*?)\s*\}/.exec(raw + hintText)?.[1];
      statements.push({ sql: raw.trim(), line: lineAt(text, start + leading), ...(hint ? { hint } : {}) });
    }
    significant = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ';') {
      const end = i;
      // Trailing comments on the same line belong to this statement (test hints).
      let j = i + 1;
      let trailing = '';
      for (;;) {
        while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
        if (text.startsWith('--', j) || (text[j] === '#' && (text[j + 1] === ' ' || text[j + 1] === '!'))) {
          const lineEnd = text.indexOf('\n', j);
          const stop = lineEnd === -1 ? text.length : lineEnd;
          trailing += text.slice(j, stop);
          j = stop;
          break;
        }
        if (text.startsWith('/*', j)) {
          const stop = skipBlockComment(text, j);
          trailing += text.slice(j, stop);
          j = stop;
          continue;
        }
        break;
      }
      push(end, trailing);
      start = j;
      i = j;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      i = skipTo(text, '\n', i);
      continue;
    }
    if (c === '#' && (text[i + 1] === ' ' || text[i + 1] === '!')) {
      i = skipTo(text, '\n', i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    significant = true;
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(text, i, c);
      continue;
    }
    if (c === '$') {
      const heredoc = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 256));
      if (heredoc) {
        const close = text.indexOf(heredoc[0], i + heredoc[0].length);
        i = close === -1 ? text.length : close + heredoc[0].length;
        continue;
      }
    }
    i++;
  }
  push(text.length, '');
  return statements;
}

/** Offset just past the next `stop` character (or the end). */
function skipTo(text: string, stop: string, from: number): number {
  const at = text.indexOf(stop, from);
  return at === -1 ? text.length : at;
}

/** Offset past a block comment starting at `from`; ClickHouse's comments nest. */
function skipBlockComment(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** Offset past a quoted string or name: a backslash escapes, a doubled quote is one quote. */
function skipQuoted(text: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
