import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import type { Diagnostic, Range } from '../diagnostics.js';

/**
 * One element of a server configuration, as ClickHouse sees it after reading XML or YAML: a name,
 * attributes, child elements and a text value. `file` and `range` (the element's name) say where it
 * was written, so findings point into the right file after config.d/ merges.
 */
export interface ConfigNode {
  name: string;
  attributes: Record<string, string>;
  children: ConfigNode[];
  /** The text value, trimmed ('' for an element with children only). */
  text: string;
  file: string;
  /** The element's name in its start tag (XML) or its key (YAML). */
  range: Range;
  /** Where the text value is written, when there is one. */
  valueRange?: Range;
}

/** The child elements named `name`. */
export function childrenNamed(node: ConfigNode | undefined, name: string): ConfigNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The last child named `name`: ClickHouse reads a repeated single-valued key as the last one. */
export function child(node: ConfigNode | undefined, ...path: string[]): ConfigNode | undefined {
  let at = node;
  for (const name of path) at = at?.children.filter((c) => c.name === name).at(-1);
  return at;
}

/**
 * Reads a YAML configuration file the way ClickHouse turns it into XML: a mapping key is an element,
 * `@name` is an attribute, a sequence repeats its key once per item, a scalar is the text. The root
 * `clickhouse:` key is optional (ClickHouse inserts it).
 */
export function readYamlConfig(text: string, file: string): { root?: ConfigNode; diagnostics: Diagnostic[] } {
  const document = parseDocument(text, { prettyErrors: false, keepSourceTokens: false });
  if (document.errors.length) {
    const diagnostics = document.errors.map(
      (error): Diagnostic => ({
        code: 'server-config-invalid',
        severity: 'error',
        file,
        range: { start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]) },
        message: `The server configuration is not valid YAML: ${error.message.replace(/\.$/, '')}.`,
        help: 'Fix the file; ClickHouse refuses to start with it as it is.',
      }),
    );
    return { diagnostics };
  }
  const root: ConfigNode = { name: 'clickhouse', attributes: {}, children: [], text: '', file, range: { start: 0, end: 0 } };
  const contents = document.contents;
  if (isMap(contents) && contents.items.length === 1 && isScalar(contents.items[0]?.key) && contents.items[0].key.value === 'clickhouse') {
    const [pair] = contents.items;
    root.range = rangeOf(pair?.key as Node);
    fillFromYaml(root, pair?.value as Node | null, file);
  } else fillFromYaml(root, contents as Node | null, file);
  return { root, diagnostics: [] };
}

function fillFromYaml(node: ConfigNode, value: Node | null | undefined, file: string): void {
  if (!value) return;
  if (isScalar(value)) {
    node.text = value.value === null ? '' : String(value.value).trim();
    node.valueRange = rangeOf(value);
    return;
  }
  if (!isMap(value)) return;
  for (const pair of value.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const keyRange = rangeOf(pair.key);
    if (key.startsWith('@')) {
      node.attributes[key.slice(1)] = isScalar(pair.value) ? String(pair.value.value) : '';
      continue;
    }
    const items = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value as Node | null];
    for (const item of items) {
      const element: ConfigNode = { name: key, attributes: {}, children: [], text: '', file, range: keyRange };
      fillFromYaml(element, item, file);
      node.children.push(element);
    }
  }
}

function rangeOf(node: Node): Range {
  const [start, end] = node.range ?? [0, 0];
  return { start, end };
}

/**
 * Merges a config.d/ (or users.d/) file into the configuration, as ClickHouse does: an element present
 * in both is merged child by child; `replace="replace"` (any value) keeps only the patch's element;
 * `remove="remove"` deletes it; an element only in the patch is added. A leaf's text is the patch's.
 * Elements are matched by name, each original element at most once, in order.
 */
export function mergeConfig(base: ConfigNode, patch: ConfigNode): ConfigNode {
  const children = [...base.children];
  const used = new Set<ConfigNode>();
  for (const incoming of patch.children) {
    const index = children.findIndex((c) => c.name === incoming.name && !used.has(c));
    if ('remove' in incoming.attributes) {
      if (index !== -1) children.splice(index, 1);
      continue;
    }
    if (index === -1) {
      children.push(incoming);
      used.add(incoming);
      continue;
    }
    const merged = 'replace' in incoming.attributes ? incoming : mergeConfig(children[index] as ConfigNode, incoming);
    children[index] = merged;
    used.add(merged);
  }
  // The patch's text replaces the value, and the value is then written where the patch is; an
  // empty patch element keeps the value (ClickHouse copies text nodes only when there are some).
  return {
    ...base,
    attributes: { ...base.attributes, ...patch.attributes },
    children,
    ...(patch.text ? { text: patch.text, valueRange: patch.valueRange, file: patch.file, range: patch.range } : {}),
  };
}
