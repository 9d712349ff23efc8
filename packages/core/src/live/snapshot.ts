import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import schema from '../../schema/snapshot.schema.json' with { type: 'json' };
import { parseSql } from '../syntax/parser.js';
import { targetError } from './failure.js';
import { type LiveAccessEntity, type LiveSchema, type ReadScope, SNAPSHOT_FORMAT, type Target } from './types.js';

// Formats (read_at's date-time) are documentation here: the engine writes them, and ajv-formats is not a dependency.
const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(schema);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The snapshot JSON of a live schema: keys in a fixed order, lists sorted, two-space indentation and
 * a final newline, so the same schema always gives the same bytes and snapshots diff well in git.
 */
export function renderSnapshot(live: LiveSchema): string {
  const snapshot: LiveSchema = {
    format: live.format,
    serverVersion: live.serverVersion,
    readAt: live.readAt,
    databases: [...live.databases]
      .sort((a, b) => byText(a.name, b.name))
      .map((d) => ({ name: d.name, engine: d.engine, ...(d.createQuery !== undefined ? { createQuery: d.createQuery } : {}) })),
    tables: [...live.tables]
      .sort((a, b) => byText(a.database, b.database) || byText(a.name, b.name))
      .map((t) => ({
        database: t.database,
        name: t.name,
        engine: t.engine,
        createQuery: t.createQuery,
        ...(t.totalRows !== undefined ? { totalRows: t.totalRows } : {}),
        ...(t.totalBytes !== undefined ? { totalBytes: t.totalBytes } : {}),
      })),
    functions: [...live.functions].sort((a, b) => byText(a.name, b.name)).map((f) => ({ name: f.name, createQuery: f.createQuery })),
    ...(live.namedCollections
      ? { namedCollections: [...live.namedCollections].sort((a, b) => byText(a.name, b.name)).map((c) => ({ name: c.name, createQuery: c.createQuery })) }
      : {}),
    accessEntities: sortEntities(live.accessEntities).map((e) => ({ kind: e.kind, name: e.name, createQuery: e.createQuery })),
    // Grant lines keep the server's order: a REVOKE of part of a grant must follow the GRANT it narrows.
    grants: [...live.grants],
    gaps: live.gaps.map((g) => ({ what: g.what, reason: g.reason })),
  };
  return `${JSON.stringify(renameKeys(snapshot, FILE_KEYS), null, 2)}\n`;
}

/**
 * The keys a snapshot file writes in snake_case, as every JSON document of ClickPlan does, where the
 * LiveSchema type (TypeScript) names them in camelCase. No other key has two words.
 */
const FILE_KEYS: Record<string, string> = {
  serverVersion: 'server_version',
  readAt: 'read_at',
  createQuery: 'create_query',
  totalRows: 'total_rows',
  totalBytes: 'total_bytes',
  accessEntities: 'access_entities',
  namedCollections: 'named_collections',
};
const SCHEMA_KEYS = Object.fromEntries(Object.entries(FILE_KEYS).map(([schema, file]) => [file, schema]));

/** A copy of a JSON value with object keys renamed, key order kept. */
function renameKeys(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [names[key] ?? key, renameKeys(child, names)]));
}

function sortEntities(entities: readonly LiveAccessEntity[]): LiveAccessEntity[] {
  return [...entities].sort((a, b) => byText(a.kind, b.kind) || byText(a.name, b.name));
}

/** Writes a live schema as a snapshot file (see docs/snapshot.md). */
export function writeSnapshot(live: LiveSchema, path: string): void {
  writeFileSync(path, renderSnapshot(live));
}

/**
 * Reads a snapshot file. A missing file, malformed JSON (with its line and column), a snapshot of
 * another format version or one that does not match the format's JSON Schema is a TargetError that
 * names the file and says what to do.
 */
export function readSnapshot(path: string): LiveSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw targetError({
      code: missing ? 'path-not-found' : 'snapshot-invalid',
      message: missing ? `The snapshot file ${path} does not exist.` : `The snapshot file ${path} cannot be read: ${(error as Error).message}`,
      help: 'Write one with `clickplan snapshot --target <server or embedded> > file.json`, or give the path of an existing one.',
    });
  }
  return parseSnapshot(text, path);
}

/** Parses snapshot text; `path` names it in errors. */
export function parseSnapshot(text: string, path: string): LiveSchema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = jsonErrorPosition(text, (error as Error).message);
    throw targetError({
      code: 'snapshot-invalid',
      message: `${path}:${where.line}:${where.column}: the snapshot is not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}.`,
      help: 'Fix the file at that line, or write it again with `clickplan snapshot`.',
    });
  }
  const format = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { format?: unknown }).format : undefined;
  if (format !== SNAPSHOT_FORMAT)
    throw targetError({
      code: 'snapshot-format-unsupported',
      message:
        format === undefined
          ? `${path} is not a ClickPlan snapshot: it has no "format" field (this ClickPlan reads snapshot format ${SNAPSHOT_FORMAT}).`
          : `${path} is a snapshot of format ${JSON.stringify(format)}; this ClickPlan reads snapshot format ${SNAPSHOT_FORMAT} only.`,
      help:
        typeof format === 'number' && format > SNAPSHOT_FORMAT
          ? 'Use the ClickPlan version that wrote it (or a newer one), or write the snapshot again with this version.'
          : 'Write the snapshot again with this ClickPlan version: `clickplan snapshot --target <server or embedded> > file.json`.',
    });
  if (!validate(value)) {
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e: ErrorObject) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
      );
    throw targetError({
      code: 'snapshot-invalid',
      message: `${path} does not match the snapshot format ${SNAPSHOT_FORMAT}: ${problems.join('; ')}.`,
      help: 'Write it again with `clickplan snapshot`; if it was edited by hand, compare it with packages/core/schema/snapshot.schema.json.',
    });
  }
  return renameKeys(value, SCHEMA_KEYS) as LiveSchema;
}

/** 1-based line and column of a JSON.parse error, from the offset V8 reports (the end of the text when it gives none). */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const match = /position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * A snapshot file as a target: it reads what the file holds, limited to the scope, and never changes.
 * The file is read and checked when the target is opened.
 */
export function openSnapshotTarget(path: string): Target {
  const live = readSnapshot(path);
  const readOnly = (what: string) =>
    targetError({
      code: 'target-read-only',
      message: `${path} is a snapshot file: snapshots cannot be changed or ${what}.`,
      help: 'Use a server (http(s)://...) or the embedded engine (embedded[:dir]) as the target to apply changes.',
    });
  return {
    kind: 'snapshot',
    description: `snapshot ${path}`,
    writable: false,
    readSchema: async (scope) => scopeSnapshot(live, scope),
    execute: async () => {
      throw readOnly('run statements');
    },
    query: async () => {
      throw readOnly('queried');
    },
    close: async () => {},
  };
}

/** The part of a snapshot a scope asks for, as a server would have answered it. */
export function scopeSnapshot(live: LiveSchema, scope: ReadScope): LiveSchema {
  const databases = new Set(scope.databases);
  const names = { user: new Set(scope.users ?? []), role: new Set(scope.roles ?? []) } as Record<string, Set<string>>;
  const accessEntities = live.accessEntities.filter((e) => names[e.kind]?.has(e.name));
  const grantees = new Set(accessEntities.map((e) => e.name));
  const grants = live.grants.filter((line) => {
    const statement = parseSql(line).statements[0];
    return statement?.kind === 'Grant' || statement?.kind === 'Revoke' ? statement.grantees.some((g) => grantees.has(g.name)) : false;
  });
  return {
    ...live,
    databases: live.databases.filter((d) => databases.has(d.name)),
    tables: live.tables.filter((t) => databases.has(t.database)),
    functions: scope.functions === false ? [] : live.functions,
    ...(live.namedCollections ? { namedCollections: live.namedCollections.filter((c) => scope.namedCollections?.includes(c.name)) } : {}),
    accessEntities,
    grants,
  };
}
