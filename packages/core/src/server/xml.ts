import type { Diagnostic, Range } from '../diagnostics.js';
import type { ConfigNode } from './tree.js';

// A reader for ClickHouse's XML configuration files. They use a small part of XML: elements,
// attributes, text, comments, CDATA, the five named entities and character references, and an
// optional `<?xml ...?>` declaration. Nothing in the repository's dependencies reads XML with source
// offsets (needed for file:line:column findings), so this reader keeps them; it never throws, and
// reports the first malformed construct as a `server-config-invalid` diagnostic.

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The root element of an XML file, or the diagnostic that says why there is none. */
export function readXmlConfig(text: string, file: string): { root?: ConfigNode; diagnostics: Diagnostic[] } {
  // Position of the next character to read.
  let at = 0;
  // Open elements, innermost last.
  const open: ConfigNode[] = [];
  let root: ConfigNode | undefined;
  const fail = (message: string, range: Range = { start: at, end: Math.min(text.length, at + 1) }) => ({
    diagnostics: [invalid(file, range, message)],
  });

  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const textEnd = lt === -1 ? text.length : lt;
    if (textEnd > at) {
      const raw = text.slice(at, textEnd);
      const parent = open.at(-1);
      if (parent) {
        const decoded = decodeEntities(raw);
        if (decoded === undefined) return fail('an `&` starts no known entity; write `&amp;` for a literal ampersand', { start: at, end: textEnd });
        appendText(parent, decoded, { start: at, end: textEnd });
      } else if (raw.trim()) return fail('text outside the root element', { start: at + raw.search(/\S/), end: textEnd });
      at = textEnd;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) return fail('a comment is never closed with `-->`');
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      const parent = open.at(-1);
      if (end === -1 || !parent) return fail(end === -1 ? 'a CDATA section is never closed with `]]>`' : 'CDATA outside the root element');
      appendText(parent, text.slice(at + 9, end), { start: at + 9, end });
      at = end + 3;
    } else if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end === -1) return fail('a processing instruction is never closed with `?>`');
      at = end + 2;
    } else if (text.startsWith('<!', at)) {
      const end = text.indexOf('>', at);
      if (end === -1) return fail('a declaration is never closed with `>`');
      at = end + 1;
    } else if (text.startsWith('</', at)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(at));
      if (!match) return fail('a closing tag is malformed');
      const element = open.pop();
      if (!element || element.name !== match[1])
        return fail(element ? `\`</${match[1]}>\` closes \`<${element.name}>\`` : `\`</${match[1]}>\` closes nothing`, {
          start: at,
          end: at + match[0].length,
        });
      at += match[0].length;
    } else {
      const tag = readStartTag(text, at, file);
      if ('diagnostic' in tag) return { diagnostics: [tag.diagnostic] };
      const parent = open.at(-1);
      if (parent) parent.children.push(tag.node);
      else if (root) return fail('a second root element', tag.node.range);
      else root = tag.node;
      if (!tag.selfClosing) open.push(tag.node);
      at = tag.end;
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) return fail(`\`<${unclosed.name}>\` is never closed`, unclosed.range);
  if (!root) return fail('the file has no root element', { start: 0, end: 0 });
  return { root, diagnostics: [] };
}

function readStartTag(text: string, start: number, file: string): { node: ConfigNode; selfClosing: boolean; end: number } | { diagnostic: Diagnostic } {
  const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(start));
  if (!name) return { diagnostic: invalid(file, { start, end: start + 1 }, 'a `<` starts no element; write `&lt;` for a literal `<`') };
  const node: ConfigNode = { name: name[1], attributes: {}, children: [], text: '', file, range: { start: start + 1, end: start + name[0].length } };
  const attribute = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
  let at = start + name[0].length;
  for (;;) {
    attribute.lastIndex = at;
    const match = attribute.exec(text);
    if (!match) break;
    const value = decodeEntities(match[2] ?? match[3] ?? '');
    if (value === undefined) return { diagnostic: invalid(file, { start: at, end: attribute.lastIndex }, 'an `&` starts no known entity') };
    node.attributes[match[1]] = value;
    at = attribute.lastIndex;
  }
  const close = /^\s*(\/?)>/.exec(text.slice(at));
  if (!close) return { diagnostic: invalid(file, { start: at, end: Math.min(text.length, at + 1) }, `the tag \`<${node.name}>\` is malformed`) };
  return { node, selfClosing: close[1] === '/', end: at + close[0].length };
}

/** Text content: the element's text (trimmed, as ClickHouse reads values) and where it stands. */
function appendText(node: ConfigNode, value: string, range: Range): void {
  if (!value.trim()) return;
  node.text = (node.text + value).trim();
  const leading = value.length - value.trimStart().length;
  const trailing = value.length - value.trimEnd().length;
  node.valueRange = { start: node.valueRange?.start ?? range.start + leading, end: range.end - trailing };
}

function decodeEntities(raw: string): string | undefined {
  const known = /&(?:#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
  if (raw.replace(known, '').includes('&')) return undefined;
  return raw.replace(known, (entity) => {
    if (entity.startsWith('&#x')) return String.fromCodePoint(Number.parseInt(entity.slice(3, -1), 16));
    if (entity.startsWith('&#')) return String.fromCodePoint(Number.parseInt(entity.slice(2, -1), 10));
    return NAMED_ENTITIES[entity.slice(1, -1)] as string;
  });
}

function invalid(file: string, range: Range, why: string): Diagnostic {
  return {
    code: 'server-config-invalid',
    severity: 'error',
    file,
    range,
    message: `The server configuration is not valid XML: ${why}.`,
    help: 'Fix the file; ClickHouse refuses to start with it as it is.',
  };
}
