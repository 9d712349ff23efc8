import { canonicalExpression } from '../canon/expressions.js';
import { canonicalType } from '../canon/types.js';
import type { ColumnDefinition, Expression } from '../syntax/ast.js';

// The canonical type text of a column, as ClickHouse stores it (`INT UNSIGNED` → `UInt32`,
// `Enum('a')` → `Enum8('a' = 1)`): what the rules hand to semantics/columnChanges.ts.

/** The canonical type of a column definition with its `NULL` modifier applied, or undefined when it has no type. */
export function columnTypeText(column: ColumnDefinition): string | undefined {
  if (!column.type) return undefined;
  const text = canonicalType(column.type, printTypeArgument);
  return column.nullable === true ? `Nullable(${text})` : text;
}

function printTypeArgument(expression: Expression): string {
  if (expression.kind === 'Literal' && expression.type === 'string') return quote(expression.value);
  return canonicalExpression(expression, { database: '' });
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
