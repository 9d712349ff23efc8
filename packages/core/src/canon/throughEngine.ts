import type { Diagnostic } from '../diagnostics.js';
import { buildModel, type ParsedFile } from '../model/replay.js';
import { objectKey, type SchemaObject } from '../model/schema.js';
import { withExplicitStoredAggregateVersions } from '../semantics/functions.js';
import { parseSql } from '../syntax/parser.js';
import { canonicalForm, hashObject } from './canonical.js';

/** A ClickHouse engine that runs one statement and returns its result as text (chDB's Session, a server client). */
export interface SqlEngine {
  query(sql: string, format?: string): string;
}

/** What the server stored for one object, and whether the pure canonical form agrees with it. */
export interface EngineCanonical {
  object: SchemaObject;
  /** The DDL the server stores (`create_table_query`, `SHOW CREATE DATABASE`, `system.functions.create_query`). */
  stored: string;
  /** The object modelled from the stored DDL: its hash is the engine-checked hash. */
  storedObject: SchemaObject;
  agrees: boolean;
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The DDL an engine stores for an object that exists in it. */
export function storedDefinition(engine: SqlEngine, object: SchemaObject): string {
  if (object.kind === 'database') return engine.query(`SHOW CREATE DATABASE ${quoteName(object.name)}`, 'TSVRaw').trim();
  if (object.kind === 'function') return engine.query(`SELECT create_query FROM system.functions WHERE name = ${quote(object.name)}`, 'TSVRaw').trim();
  return withExplicitStoredAggregateVersions(
    engine
      .query(`SELECT create_table_query FROM system.tables WHERE database = ${quote(object.database ?? '')} AND name = ${quote(object.name)}`, 'TSVRaw')
      .trim(),
  );
}

function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * Canonicalization through the engine: each object (already created in `engine`, e.g. by replaying
 * the repository into a throwaway chDB) is read back as the server stores it and modelled again.
 * Comparing its hash with the pure one checks the pure canonical form against the real engine.
 */
export function canonicalizeThroughEngine(engine: SqlEngine, objects: readonly SchemaObject[]): { results: EngineCanonical[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const read: { object: SchemaObject; stored: string; file: ParsedFile }[] = [];
  for (const object of objects) {
    if (!['database', 'table', 'view', 'materialized-view', 'dictionary', 'function'].includes(object.kind)) continue;
    const stored = storedDefinition(engine, object);
    const name = `<${object.id} as stored>`;
    const parsed = parseSql(stored, { file: name });
    if (parsed.diagnostics.length > 0 || parsed.statements.length === 0) {
      diagnostics.push({
        code: 'canonical-unreadable',
        severity: 'warning',
        file: object.created.file,
        range: object.created.range,
        message: `The DDL the server stores for \`${object.id}\` could not be read back: ${parsed.diagnostics[0]?.message ?? 'no object in it'}`,
        help: 'Report it: ClickPlan should read everything ClickHouse prints.',
      });
      continue;
    }
    read.push({ object, stored, file: { file: name, statements: parsed.statements, defaultDatabase: object.database ?? 'default', declarative: true } });
  }
  // Modelled together, as the live schema is: a view's stored column list counts only when it is
  // inferable over its stored sources (canon/derivedColumns.ts).
  const storedSchema = buildModel(read.map((r) => r.file));
  const storedObjects = new Map(storedSchema.objects.map((o) => [objectKey(o.kind, o.id), o]));
  const results: EngineCanonical[] = [];
  for (const { object, stored } of read) {
    const storedObject = storedObjects.get(objectKey(object.kind, object.id));
    if (!storedObject) continue;
    results.push({ object, stored, storedObject, agrees: hashObject(storedObject) === hashObject(object) });
  }
  return { results, diagnostics };
}

/** One line per disagreement, for test failures and bug reports. */
export function describeDisagreement(result: EngineCanonical): string {
  const flat = (text: string) => text.replace(/\n/g, ' | ');
  return `${result.object.id}\n  server: ${result.stored}\n  ours:   ${flat(canonicalForm(result.object))}\n  theirs: ${flat(canonicalForm(result.storedObject))}`;
}
