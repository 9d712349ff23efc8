import { inferOutputColumns, type OutputColumn, type TypeCatalog, type TypedColumn } from '../bind/types.js';
import { storedColumns } from '../model/nested.js';
import type { SchemaObject } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { ColumnDefinition, CreateViewStatement, DataType, Expression, SelectQuery } from '../syntax/ast.js';
import { forEachChild, type SyntaxNode } from '../syntax/nodes.js';
import { quoteString } from '../syntax/printer.js';
import { type CanonContext, canonicalExpression, canonicalNumber } from './expressions.js';
import { canonicalType } from './types.js';

// The column list ClickHouse derives for a view, and for a materialized view without TO (its inner
// table), when the view is created: the server stores it, a query of the view returns those types,
// and it keeps them when a source column's type changes later. The repository does not write it,
// so it is inferred from the query and the sources as they were at CREATE (model: derivedFrom),
// dictionaries included (dictGet).
// It enters the canonical form only when every column is inferable, on both sides alike (a live
// view's stored list counts only when its query is inferable over the live sources): a list that
// cannot be inferred is left out, as before, so it never makes a false difference.

/** A view's derived columns: each with its name and type, or why it is not inferable. */
export interface DerivedColumns {
  /** What the server stores (the written or stored list when there is one), or the inferred columns. */
  columns: OutputColumn[];
  /** Every column's name and type is known. */
  complete: boolean;
}

const derivedCache = new SessionCache<SchemaObject, DerivedColumns | undefined>('derived columns');

/**
 * Whether ClickHouse derives and stores a column list for this object: a view, or a materialized view
 * without TO; not a parameterized view (`{p:T}` in its query), which the server stores without one.
 */
export function hasDerivedColumns(object: SchemaObject): boolean {
  const definition = object.definition;
  if (definition.kind !== 'CreateView' || definition.to || !definition.query) return false;
  return (definition.viewKind === 'VIEW' || definition.viewKind === 'MATERIALIZED') && !hasQueryParameter(definition.query);
}

function hasQueryParameter(node: SyntaxNode): boolean {
  if (node.kind === 'QueryParameter') return true;
  let found = false;
  forEachChild(node, (child) => {
    found ||= hasQueryParameter(child);
  });
  return found;
}

/** The derived column list of a view or an MV without TO, undefined for other objects. */
export function derivedColumns(object: SchemaObject): DerivedColumns | undefined {
  if (!hasDerivedColumns(object)) return undefined;
  const store = sessionStore(derivedCache);
  if (store.has(object)) return store.get(object);
  const result = computeDerivedColumns(object, new Set());
  store.set(object, result);
  return result;
}

function computeDerivedColumns(object: SchemaObject, visiting: Set<SchemaObject>): DerivedColumns | undefined {
  const definition = object.definition as CreateViewStatement;
  if (!definition.query) return undefined;
  const context: CanonContext = { database: object.contextDatabase };
  const sources = object.derivedFrom?.sources ?? new Map<string, SchemaObject>();
  visiting.add(object);
  // `gone`: the sources dropped or renamed away since CREATE. The stored list was derived with them;
  // whether the current query infers is decided without them, as on a live server.
  const gone = object.derivedFrom?.sourcesGone ?? new Set<string>();
  const catalogOf = (withGone: boolean): TypeCatalog => {
    const sourceOf = (id: string) => (withGone || !gone.has(id) ? sources.get(id) : undefined);
    const typedColumns = (id: string): readonly TypedColumn[] | undefined => {
      const source = sourceOf(id);
      if (!source || visiting.has(source)) return undefined;
      if (source.definition.kind === 'CreateTable') return tableColumns(source.definition.elements, context);
      if (hasDerivedColumns(source)) {
        const derived = computeDerivedColumns(source, visiting);
        if (!derived?.complete) return undefined;
        return derived.columns.map((c) => ({ name: c.name as string, type: c.type as string, inStar: true }));
      }
      return undefined;
    };
    return {
      columnsOf: (id) => {
        const columns = typedColumns(id);
        return columns ? new Set(columns.map((c) => c.name)) : undefined;
      },
      typedColumnsOf: typedColumns,
      dictionaryAttributeType: (id, name) => {
        const source = sourceOf(id)?.definition;
        const attribute = source?.kind === 'CreateDictionary' ? source.attributes.find((a) => a.name.name === name) : undefined;
        return attribute && typeText(attribute.type, context);
      },
    };
  };
  // `CREATE VIEW v (a, b) AS SELECT ...` names the query's columns, in order.
  const aliases = definition.columnAliases;
  const rename = (columns: OutputColumn[]): OutputColumn[] =>
    aliases ? columns.map((column, i) => (aliases[i] ? { ...column, name: aliases[i].name } : column)) : columns;
  const infer = (query: SelectQuery, catalog: TypeCatalog) =>
    rename(inferOutputColumns(query, { database: object.contextDatabase, catalog, typeText: (type) => typeText(type, context), numberText: canonicalNumber }));
  const isComplete = (columns: OutputColumn[]) => columns.length > 0 && columns.every((c) => !c.problem && c.name !== undefined && c.type !== undefined);
  // The list is derived from the query at CREATE (MODIFY QUERY keeps it); both that query and the
  // current one must be inferable, so that a live view (which shows only its current query) decides alike.
  const atCreate = catalogOf(true);
  const current = infer(definition.query, gone.size ? catalogOf(false) : atCreate);
  const derivedQuery = object.derivedFrom?.query;
  const inferred = derivedQuery && derivedQuery !== definition.query ? infer(derivedQuery, atCreate) : gone.size ? infer(definition.query, atCreate) : current;
  visiting.delete(object);
  const complete = isComplete(current) && isComplete(inferred);
  const written = tableColumns(definition.elements, context);
  // A written list (the repository's, or the one the server stored) is what the view has; it counts
  // only when the query is inferable, so that both sides decide alike.
  if (written && written.length > 0) return { columns: written.map((c) => ({ name: c.name, type: c.type })), complete };
  return { columns: complete ? inferred : current, complete };
}

/** A type as ClickHouse prints it (`Enum8('a' = 1)`, `DateTime('UTC')`): the canonical type with strings in single quotes. */
function typeText(type: DataType, context: CanonContext): string {
  return canonicalType(type, (e: Expression) => (e.kind === 'Literal' && e.type === 'string' ? quoteString(e.value) : canonicalExpression(e, context)));
}

/** A table's columns with their stored types (Nested flattened), or undefined when it lists none. */
function tableColumns(elements: CreateViewStatement['elements'], context: CanonContext): TypedColumn[] | undefined {
  const definitions = (elements ?? []).filter((e): e is ColumnDefinition => e.kind === 'ColumnDefinition');
  if (definitions.length === 0) return undefined;
  const columns: TypedColumn[] = [];
  for (const column of definitions.flatMap(storedColumns)) {
    if (!column.type) return undefined;
    let type = typeText(column.type, context);
    if (column.nullable === true) type = `Nullable(${type})`;
    columns.push({ name: column.name.map((n) => n.name).join('.'), type, inStar: column.defaultKind === undefined || column.defaultKind === 'DEFAULT' });
  }
  return columns;
}

/** The canonical part for a view's derived column list, when every column is inferable. */
export function derivedColumnParts(object: SchemaObject): { key: string; text: string }[] {
  const derived = derivedColumns(object);
  if (!derived?.complete) return [];
  return [{ key: 'columns', text: `COLUMNS (${derived.columns.map((c) => `${c.name} ${c.type}`).join(', ')})` }];
}

/** A derived column whose name or type is not inferable, and why. */
export interface UninferableColumn {
  /** `db.view`. */
  object: string;
  /** The column's name, or its position (`#3`) when the name is not known either. */
  column: string;
  reason: string;
}

/** How much of the views' derived columns the type inference covers. */
export interface TypeInferenceCoverage {
  /** Views and MVs without TO, and how many of them are compared with their column list. */
  views: number;
  completeViews: number;
  /** Their inferred output columns, and how many of those have a known name and type. */
  columns: number;
  inferred: number;
  notInferable: UninferableColumn[];
}

/** The coverage of the type inference over the views of a schema (what `inspect` reports). */
export function typeInferenceCoverage(objects: readonly SchemaObject[]): TypeInferenceCoverage {
  const coverage: TypeInferenceCoverage = { views: 0, completeViews: 0, columns: 0, inferred: 0, notInferable: [] };
  for (const object of objects) {
    const derived = derivedColumns(object);
    if (!derived) continue;
    coverage.views++;
    if (derived.complete) coverage.completeViews++;
    const inferred = derived.complete ? derived.columns : inferredColumns(object);
    inferred.forEach((column, index) => {
      coverage.columns++;
      if (!column.problem && column.name !== undefined && column.type !== undefined) coverage.inferred++;
      else coverage.notInferable.push({ object: object.id, column: column.name ?? `#${index + 1}`, reason: column.problem ?? 'unknown' });
    });
  }
  return coverage;
}

/** The inferred columns of a view, also when it has a written list (whose columns say nothing of the inference). */
function inferredColumns(object: SchemaObject): OutputColumn[] {
  const definition = object.definition as CreateViewStatement;
  if (!definition.elements?.length) return derivedColumns(object)?.columns ?? [];
  const withoutList: SchemaObject = { ...object, definition: { ...definition, elements: undefined } };
  return computeDerivedColumns(withoutList, new Set())?.columns ?? [];
}
