import type { ColumnDefinition, CreateTableStatement, Expression } from '../syntax/ast.js';
import { identifiersIn } from './alterTable.js';

// Which columns a table's keys read: ClickHouse refuses or rewrites changes to them differently.

/**
 * Columns in the partition, sorting, primary or sampling key, including a PRIMARY KEY written in the
 * column list (`PRIMARY KEY (a)`) or on a column (`a UInt64 PRIMARY KEY`).
 */
export function keyColumnsOf(definition: CreateTableStatement): Set<string> {
  const storage = definition.storage;
  const keys = [storage?.partitionBy, storage?.orderBy, storage?.primaryKey, storage?.sampleBy];
  const columns = new Set<string>();
  for (const element of definition.elements ?? []) {
    if (element.kind === 'PrimaryKeyElement') keys.push(element.expression);
    if (element.kind === 'ColumnDefinition' && element.primaryKey) columns.add(columnNameOf(element));
  }
  for (const key of keys) if (key) for (const column of identifiersIn(key)) columns.add(column);
  return columns;
}

/** The elements of a key: `(a, b)` and `tuple(a, b)` are two, anything else is one. */
export function keyElements(key: Expression | undefined): Expression[] {
  if (!key) return [];
  if (key.kind === 'TupleExpression') return key.elements;
  if (key.kind === 'FunctionCall' && key.name.name.toLowerCase() === 'tuple' && !key.parameters) return key.arguments;
  return [key];
}

function columnNameOf(column: ColumnDefinition): string {
  return column.name.map((p) => p.name).join('.');
}
