import { basename } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { type Document, isMap, isNode, isScalar } from 'yaml';
import schema from '../../schema/clickplan.schema.json' with { type: 'json' };
import type { Diagnostic, Range } from '../diagnostics.js';
import { docsPageUrl } from '../docs.js';

// The JSON Schema is the one source of truth for keys and values: editors complete clickplan.yaml
// from it, and ClickPlan validates with it, then turns each schema error into a diagnostic at the
// YAML key or value it is about, in words a person can act on.

/** The JSON Schema of clickplan.yaml, as shipped in packages/core/schema/. */
export const CONFIG_SCHEMA = schema;

let validator: ValidateFunction | undefined;

/**
 * A strict Ajv for the configuration schema. `patternErrorMessage` is the keyword VS Code's YAML and
 * JSON support shows for a failed pattern; it is declared so strict mode accepts it.
 */
export function createConfigAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv;
}

/** One diagnostic per offending key or value, in file order. */
export function schemaDiagnostics(data: unknown, document: Document, file: string): Diagnostic[] {
  validator ??= createConfigAjv().compile(schema);
  if (validator(data)) return [];
  const byPosition = new Map<number, Diagnostic>();
  for (const error of validator.errors ?? []) {
    // `if`/`then`/`else` (a rule's entry: a severity or a mapping) reports the branch's own error too.
    if (error.keyword === 'if') continue;
    const diagnostic = describeError(error, document, file);
    // At most one error per position: a bad value fails both `type` and its enum, say.
    if (!byPosition.has(diagnostic.range.start)) byPosition.set(diagnostic.range.start, diagnostic);
  }
  return [...byPosition.values()].sort((a, b) => a.range.start - b.range.start);
}

function describeError(error: ErrorObject, document: Document, file: string): Diagnostic {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const name = path.join('.');
  const parentSchema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; patternErrorMessage?: string };
  const diagnostic = (range: Range, message: string, help: string): Diagnostic => ({ code: 'config-invalid', severity: 'error', file, range, message, help });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(parentSchema.properties ?? {});
      const where = name ? ` in \`${name}\`` : '';
      const suggestion = closestName(key, allowed);
      const help = /password/i.test(key)
        ? 'Remove it: ClickPlan reads the password only from CLICKHOUSE_PASSWORD, never from a file in the repository.'
        : suggestion
          ? `Rename it to \`${suggestion}\`.`
          : `Remove it; ${docsPageUrl('config.md#keys')} describes every key.`;
      return diagnostic(findKey(document, path, key), `Unknown key \`${key}\`${where}; expected one of ${allowed.join(', ')}.`, help);
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? closestName(error.data, allowed) : undefined;
      return diagnostic(
        findValue(document, path),
        `${show(error.data)} is not a valid value for \`${name}\`; expected one of ${allowed.join(', ')}.`,
        suggestion ? `Change it to \`${suggestion}\`.` : `Use one of ${allowed.join(', ')}.`,
      );
    }
    case 'type': {
      const subject = name ? `\`${name}\`` : basename(file);
      return diagnostic(
        findValue(document, path),
        `${subject} must be ${typeName(String(error.params.type))}, not ${typeName(typeOf(error.data))}.`,
        `Write it as ${keyDocs(name)} shows.`,
      );
    }
    case 'pattern':
      return diagnostic(
        findValue(document, path),
        `${show(error.data)} is not a valid \`${name}\`. ${parentSchema.patternErrorMessage ?? `It must match ${String(error.params.pattern)}.`}`,
        `Write \`${name}\` as ${keyDocs(name)} describes.`,
      );
    case 'minLength':
      return diagnostic(findValue(document, path), `\`${name}\` is empty.`, 'Give it a value, or remove the key to use the default.');
    default:
      return diagnostic(findValue(document, path), `\`${name || file}\` ${error.message ?? 'is invalid'}.`, `Write it as ${keyDocs(name)} shows.`);
  }
}

/** The docs of a key (`tenants.database` → config.md#tenantsdatabase, GitHub's anchor of its heading); the whole page for the file. */
function keyDocs(name: string): string {
  return docsPageUrl(name ? `config.md#${name.toLowerCase().replace(/[^a-z0-9-]/g, '')}` : 'config.md');
}

/** The range of a key in the mapping at `path` (the whole file when there is no such key). */
export function findKey(document: Document, path: string[], key: string): Range {
  const parent = path.length ? document.getIn(path, true) : document.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
    if (isNode(pair?.key) && pair.key.range) return { start: pair.key.range[0], end: pair.key.range[1] };
  }
  return rangeOf(parent);
}

/** The range of the value at `path`; its key's when the value is empty. */
export function findValue(document: Document, path: string[]): Range {
  if (!path.length) return rangeOf(document.contents);
  const node = document.getIn(path, true);
  if (isNode(node) && node.range && node.range[1] > node.range[0]) return { start: node.range[0], end: node.range[1] };
  return findKey(document, path.slice(0, -1), path[path.length - 1]);
}

function rangeOf(node: unknown): Range {
  return isNode(node) && node.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 };
}

/** A value as a message quotes it; a password in a URL is never repeated, not even in an error about it. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${text.replace(/^(\w+:\/\/[^/?#@:]*):[^/?#@]*@/, '$1:***@')}\``;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeName(type: string): string {
  return { object: 'a mapping of keys', string: 'a string', array: 'a list', number: 'a number', boolean: 'true or false', null: 'empty' }[type] ?? type;
}

/** The candidate a misspelt name most likely meant: a prefix of it, or at most a third of its letters away. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = candidates.find((c) => lower.length >= 3 && c.startsWith(lower));
  if (prefixed) return prefixed;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}
