import type { Range } from '../diagnostics.js';

/**
 * The text with every character in `ranges` replaced by a space, line breaks kept: what is left
 * parses alone, and every offset, line and column of it is the same as in the file, so
 * diagnostics point at the real lines.
 */
export function blankRanges(text: string, ranges: readonly Range[]): string {
  if (!ranges.length) return text;
  let result = '';
  let position = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (end <= position) continue;
    const from = Math.max(start, position);
    result += text.slice(position, from) + text.slice(from, end).replace(/[^\r\n]/g, ' ');
    position = end;
  }
  return result + text.slice(position);
}

/** A line of a text: `start` at its first character, `end` before its line break. */
export interface Line {
  start: number;
  end: number;
  text: string;
}

/** The lines of a text with their offsets (`\n`, `\r\n` and `\r` end a line, as LineIndex counts them). */
export function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n|$/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ start, end: match.index, text: text.slice(start, match.index) });
    if (match.index === text.length) break;
    start = match.index + match[0].length;
  }
  return lines;
}
