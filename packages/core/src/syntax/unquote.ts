const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  a: '\x07',
  v: '\v',
  e: '\x1b',
};

/** `x'4142'` is 'AB' and `b'01000001'` is 'A': whole bytes, left-padded as ClickHouse pads them. */
function decodeBase(base: 16 | 2, digits: string): string {
  const width = base === 16 ? 2 : 8;
  const padded = digits.padStart(Math.ceil(digits.length / width) * width, '0');
  let out = '';
  for (let i = 0; i < padded.length; i += width) out += String.fromCharCode(Number.parseInt(padded.slice(i, i + width), base));
  return out;
}

/**
 * The value of a quoted token (`'str'`, `` `id` ``, `"id"`, `$tag$...$tag$`), with ClickHouse's
 * escapes applied: backslash escapes (`\n`, `\xHH`, `\'`...) and a doubled quote for one quote.
 * An unknown escape keeps the backslash, as ClickHouse does (`'\u0041'` stays six characters, `'\?'` two).
 */
export function unquote(text: string): string {
  const quote = text[0];
  // Unicode quotes (‘string’, “name”) take no escapes, as in ClickHouse.
  if (quote === '\u2018' || quote === '\u201c') return text.slice(1, -1);
  const base = quote === 'x' || quote === 'X' ? 16 : quote === 'b' || quote === 'B' ? 2 : undefined;
  if (base && text[1] === "'") return decodeBase(base, text.slice(2, -1));
  if (quote === '$') {
    const tagEnd = text.indexOf('$', 1);
    return text.slice(tagEnd + 1, text.length - (tagEnd + 1));
  }
  const body = text.slice(1, -1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const e = body[++i];
      if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      // `\N` reads as nothing (the NULL marker of the TSV escaping ClickHouse shares with literals).
      else if (e === 'N') continue;
      else if (e === '\\' || e === "'" || e === '"' || e === '`') out += e;
      else out += `\\${e}`;
    } else if (c === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else out += c;
  }
  return out;
}
