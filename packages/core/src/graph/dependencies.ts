import { dictionaryQueryOf, dictionaryQueryText } from '../bind/dictionaryQuery.js';
import type { Range } from '../diagnostics.js';
import type { SchemaObject } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { ColumnDefinition, CreateDictionaryStatement, EngineClause, Expression, KeyValueFunction } from '../syntax/ast.js';
import { collectExpressionReferences, collectQueryReferences, nameOf, type TableReference } from './references.js';

/** Why one object needs another. */
export type EdgeKind =
  /** The table whose inserts fire a materialized view. */
  | 'trigger'
  /** Read by a view or MV query (joins, subqueries, IN), a table function, or a Dictionary engine. */
  | 'reads'
  /** An MV's TO target. */
  | 'writes-to'
  | 'distributed'
  | 'buffer'
  | 'merge'
  | 'dictionary-source'
  /** dictGet/dictHas in a query or a column DEFAULT/MATERIALIZED/ALIAS expression. */
  | 'dict-get'
  | 'join-get'
  /** `CREATE TABLE t AS other`: the structure is copied at creation. */
  | 'as-table'
  /** A refreshable MV's DEPENDS ON. */
  | 'depends-on'
  /** Everything in a database needs the database. */
  | 'database';

/** `from` needs `to`: `to` must exist first and changing it may break `from`. */
export interface Dependency {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Where `from`'s definition names `to`. */
  file: string;
  range: Range;
}

/**
 * Every dependency of an object, with names resolved against its database. Targets may be missing
 * from the schema: rules decide whether that matters.
 */
export function dependenciesOf(object: SchemaObject, allObjects: readonly SchemaObject[]): Dependency[] {
  // What a definition says never changes (an editor may only move it, below), so its dependencies
  // can be kept with it; only a Merge engine's depend on the other objects.
  const definition = object.definition;
  if (definition.kind === 'CreateTable' && definition.storage?.engine?.name.name === 'Merge') return computeDependencies(object, allObjects);
  const dependencyCache = sessionStore(DEPENDENCIES);
  let entries = dependencyCache.get(definition);
  if (!entries) dependencyCache.set(definition, (entries = []));
  let entry: (typeof entries)[number] | undefined;
  for (const e of entries) if (e.id === object.id && e.contextDatabase === object.contextDatabase) entry = e;
  if (!entry) {
    const dependencies = computeDependencies(object, allObjects);
    entries.push({ id: object.id, contextDatabase: object.contextDatabase, start: definition.start, dependencies });
    return dependencies;
  }
  // An editor moves a statement in place when an edit before it changes its offset
  // (syntax/incremental.ts); its dependencies, all inside it, move with it.
  if (entry.start !== definition.start) {
    const delta = definition.start - entry.start;
    entry.dependencies = entry.dependencies.map((d) => moved(d, delta));
    entry.start = definition.start;
  }
  return entry.dependencies;
}

/**
 * Dependencies by definition, then by the object's id and database context (a RENAME keeps the
 * definition), with where the definition started when they were found.
 */
const DEPENDENCIES = new SessionCache<object, { id: string; contextDatabase: string; start: number; dependencies: Dependency[] }[]>(
  'graph: dependencies by definition',
);

function moved(dependency: Dependency, delta: number): Dependency {
  return { ...dependency, range: { start: dependency.range.start + delta, end: dependency.range.end + delta } };
}

function computeDependencies(object: SchemaObject, allObjects: readonly SchemaObject[]): Dependency[] {
  const found: Dependency[] = [];
  const file = object.created.file;
  // Unqualified names mean the database in effect when the object was created (its USE), as ClickHouse resolves them.
  const database = object.contextDatabase;
  const add = (kind: EdgeKind, target: { database?: string; name: string }, range: Range) => {
    const to = `${target.database ?? database}.${target.name}`;
    if (to !== object.id) found.push({ from: object.id, to, kind, file, range: { start: range.start, end: range.end } });
  };
  const addReference = (kind: EdgeKind, reference: TableReference) => add(kind, reference, reference.range);
  const addExpression = (kind: EdgeKind, expression: Expression | undefined) => {
    if (!expression) return;
    for (const r of collectExpressionReferences(expression)) addReference(r.kind === 'dictionary' ? 'dict-get' : r.kind === 'join-get' ? 'join-get' : kind, r);
  };
  const definition = object.definition;
  if (object.database !== undefined)
    found.push({ from: object.id, to: object.database, kind: 'database', file, range: { start: definition.start, end: definition.start } });

  switch (definition.kind) {
    case 'CreateTable': {
      for (const element of definition.elements ?? []) if (element.kind === 'ColumnDefinition') addColumnReferences(element, addExpression);
      if (definition.asTable) add('as-table', qualifiedParts(definition.asTable), definition.asTable);
      if (definition.asTableFunction) addExpression('reads', definition.asTableFunction.call);
      if (definition.storage?.engine) addEngineReferences(definition.storage.engine, database, allObjects, add);
      if (definition.asSelect) {
        const refs = collectQueryReferences(definition.asSelect);
        for (const r of [...(refs.trigger ? [refs.trigger] : []), ...refs.reads]) addReference(kindOf(r), r);
      }
      break;
    }
    case 'CreateView': {
      if (definition.query) {
        const refs = collectQueryReferences(definition.query);
        // Only an insert-fired materialized view has a trigger; a plain view or a refreshable one (run on a schedule) just reads.
        const fired = definition.viewKind === 'MATERIALIZED' && !definition.refresh;
        if (refs.trigger) addReference(fired ? 'trigger' : 'reads', refs.trigger);
        for (const r of refs.reads) addReference(kindOf(r), r);
      }
      if (definition.to) add('writes-to', qualifiedParts(definition.to), definition.to);
      for (const d of definition.refresh?.dependsOn ?? []) add('depends-on', qualifiedParts(d), d);
      for (const element of definition.elements ?? []) if (element.kind === 'ColumnDefinition') addColumnReferences(element, addExpression);
      break;
    }
    case 'CreateDictionary': {
      const source = definition.source;
      if (source && source.name.name.toUpperCase() === 'CLICKHOUSE') addDictionarySource(definition, source, database, add);
      for (const attribute of definition.attributes) addExpression('dict-get', attribute.expression);
      break;
    }
  }
  return found;
}

function kindOf(reference: TableReference): EdgeKind {
  if (reference.kind === 'dictionary') return 'dict-get';
  if (reference.kind === 'join-get') return 'join-get';
  return 'reads';
}

function qualifiedParts(name: { database?: { name: string }; name: { name: string } }): { database?: string; name: string } {
  return name.database ? { database: name.database.name, name: name.name.name } : { name: name.name.name };
}

function addColumnReferences(column: ColumnDefinition, addExpression: (kind: EdgeKind, e: Expression | undefined) => void): void {
  addExpression('dict-get', column.defaultExpression);
}

/** Distributed(cluster, db, table), Buffer(db, table, ...), Merge(db, 'regexp'), Dictionary(name). */
function addEngineReferences(
  engine: EngineClause,
  database: string,
  allObjects: readonly SchemaObject[],
  add: (kind: EdgeKind, target: { database?: string; name: string }, range: Range) => void,
): void {
  const args = engine.arguments ?? [];
  const databaseArg = (e: Expression | undefined) => (e && e.kind === 'FunctionCall' && e.name.name === 'currentDatabase' ? database : e ? nameOf(e) : '');
  switch (engine.name.name) {
    case 'Distributed':
      if (args[1] && args[2]) add('distributed', { database: databaseArg(args[1]) || database, name: nameOf(args[2]) }, args[2]);
      break;
    case 'Buffer':
      if (args[0] && args[1] && nameOf(args[1])) add('buffer', { database: databaseArg(args[0]) || database, name: nameOf(args[1]) }, args[1]);
      break;
    case 'Merge': {
      // Merge reads every table of the database whose name matches the regular expression.
      const db = databaseArg(args[0]) || database;
      const pattern = args[1] && args[1].kind === 'Literal' ? safeRegExp(args[1].value) : undefined;
      if (!pattern) break;
      for (const other of allObjects) {
        if (
          other.database === db &&
          other.kind === 'table' &&
          pattern.test(other.name) &&
          other.definition.kind === 'CreateTable' &&
          other.definition.storage?.engine?.name.name !== 'Merge'
        ) {
          add('merge', { database: db, name: other.name }, args[1]);
        }
      }
      break;
    }
    case 'Dictionary':
      if (args[0]) add('reads', splitName(nameOf(args[0])), args[0]);
      break;
  }
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

function splitName(text: string): { database?: string; name: string } {
  const dot = text.indexOf('.');
  return dot < 0 ? { name: text } : { database: text.slice(0, dot), name: text.slice(dot + 1) };
}

/** SOURCE(CLICKHOUSE(DB 'd' TABLE 't')) or SOURCE(CLICKHOUSE(QUERY 'SELECT ...')) on the local server. */
function addDictionarySource(
  definition: CreateDictionaryStatement,
  source: KeyValueFunction,
  database: string,
  add: (kind: EdgeKind, target: { database?: string; name: string }, range: Range) => void,
): void {
  const value = (key: string) => source.arguments.find((a) => a.key.name.toUpperCase() === key)?.value;
  const host = value('HOST');
  // A source on another host is not part of this schema.
  if (host && host.kind === 'Literal' && !['localhost', '127.0.0.1', '::1'].includes(host.value)) return;
  const db = value('DB');
  const table = value('TABLE');
  if (table && table.kind === 'Literal') {
    const dbName = db && db.kind === 'Literal' && db.value ? db.value : database;
    add('dictionary-source', { database: dbName, ...splitName(table.value) }, table);
  }
  const query = dictionaryQueryText(source);
  const parsed = query && dictionaryQueryOf(definition);
  if (query && parsed) {
    const refs = collectQueryReferences(parsed);
    for (const r of [...(refs.trigger ? [refs.trigger] : []), ...refs.reads]) add('dictionary-source', { database: r.database, name: r.name }, query);
  }
}
