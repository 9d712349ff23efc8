import type { CreateDictionaryStatement, KeyValueFunction, Literal, SelectQuery } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';

// A dictionary's `SOURCE(CLICKHOUSE(QUERY 'SELECT ...'))` holds a query in a string. It is parsed
// here, in one place, so graph edges and rules read the same query.

/** The `QUERY '...'` string of a dictionary's ClickHouse source, if it has one. */
export function dictionaryQueryText(source: KeyValueFunction | undefined): Literal | undefined {
  if (source?.name.name.toUpperCase() !== 'CLICKHOUSE') return undefined;
  const value = source.arguments.find((a) => a.key.name.toUpperCase() === 'QUERY')?.value;
  return value?.kind === 'Literal' ? value : undefined;
}

/** Whether the dictionary's ClickHouse source is a `QUERY` (parsed or not) rather than a `TABLE`. */
export function hasDictionaryQuery(definition: CreateDictionaryStatement): boolean {
  return dictionaryQueryText(definition.source) !== undefined;
}

/** The query of a dictionary's `SOURCE(CLICKHOUSE(QUERY '...'))`, parsed; undefined without one or when it is not a SELECT. */
export function dictionaryQueryOf(definition: CreateDictionaryStatement): SelectQuery | undefined {
  const text = dictionaryQueryText(definition.source);
  if (!text) return undefined;
  const statement = parseSql(text.value).statements[0];
  return statement?.kind === 'SelectStatement' ? statement.query : undefined;
}
