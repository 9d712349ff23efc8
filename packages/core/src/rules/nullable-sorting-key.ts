import { keyElements } from '../model/keyColumns.js';
import type { ColumnDefinition, CreateTableStatement, Expression } from '../syntax/ast.js';
import { forEachChild, type SyntaxNode } from '../syntax/nodes.js';
import { defineRule, perStatement, type StatementFinding } from './rule.js';

/**
 * ClickHouse refuses a MergeTree table whose sorting, primary or partition key has a Nullable
 * element unless allow_nullable_key is set (code 44, ILLEGAL_COLUMN). It checks the type of each
 * key element, not the columns it reads: `ifNull(a, '')` and `a IS NULL` are accepted.
 */
const rule = defineRule({
  id: 'nullable-sorting-key',
  severity: 'error',
  docs: { description: 'A Nullable column is in a MergeTree sorting, primary or partition key without allow_nullable_key: ClickHouse refuses the table.' },
  messages: {
    nullable: {
      message: '`{column}` is Nullable and in the {key} of `{table}`: ClickHouse refuses to create the table (code 44) unless allow_nullable_key = 1.',
      help: "Make the column non-Nullable with a sentinel default (e.g. `String DEFAULT ''`), wrap it in ifNull(), or add SETTINGS allow_nullable_key = 1 if NULL keys are really wanted.",
    },
  },
  create(context) {
    return {
      CreateTable(statement, { file }) {
        for (const finding of findingsOf(statement)) context.report({ file, ...finding });
      },
    };
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/** A CREATE TABLE's findings, which depend on it alone. */
const findingsOf = perStatement((statement: CreateTableStatement): StatementFinding<Messages>[] => {
  const found: StatementFinding<Messages>[] = [];
  const storage = statement.storage;
  if (!storage?.engine?.name.name.endsWith('MergeTree')) return found;
  // Most tables have no Nullable column at all: nothing to look for in their keys.
  if (!statement.elements?.some((e) => e.kind === 'ColumnDefinition' && isNullable(e))) return found;
  if (storage.settings?.some((s) => s.name.name === 'allow_nullable_key' && s.value?.kind === 'Literal' && !['0', 'false'].includes(s.value.value)))
    return found;
  const columns = new Map<string, ColumnDefinition>();
  for (const e of statement.elements ?? []) if (e.kind === 'ColumnDefinition') columns.set(e.name.map((n) => n.name).join('.'), e);
  const reported = new Set<string>();
  // `PRIMARY KEY (a)` among the columns and `a String PRIMARY KEY` are primary keys too.
  const elementKeys: Expression[] = [];
  for (const e of statement.elements ?? []) {
    if (e.kind === 'PrimaryKeyElement') elementKeys.push(e.expression);
    else if (e.kind === 'ColumnDefinition' && e.primaryKey) elementKeys.push({ kind: 'ColumnRef', parts: e.name, start: e.start, end: e.end });
  }
  const keys: [string, Expression | undefined][] = [
    ['sorting key', storage.orderBy],
    ['sorting key', storage.primaryKey],
    ...elementKeys.map((e): [string, Expression] => ['sorting key', e]),
    ['partition key', storage.partitionBy],
  ];
  for (const [key, expression] of keys) {
    for (const element of keyElements(expression)) {
      for (const name of nullableColumnsOf(element, columns)) {
        if (reported.has(name)) continue;
        reported.add(name);
        found.push({ node: columns.get(name) as ColumnDefinition, messageId: 'nullable', data: { column: name, key, table: statement.name.name.name } });
      }
    }
  }
  return found;
});

/** `ORDER BY (a, b)` and `ORDER BY tuple(a, b)` are keys of two elements; anything else is one. */

/** Functions whose result is never Nullable, whatever their arguments. */
const NEVER_NULLABLE = new Set(['assumenotnull', 'isnull', 'isnotnull', 'isnullable', 'totypename']);

/**
 * The Nullable columns that make a key element Nullable; empty when its type is not Nullable.
 * Most functions return Nullable for a Nullable argument; `ifNull`/`coalesce` do not once one argument is not Nullable.
 */
function nullableColumnsOf(expression: SyntaxNode, columns: Map<string, ColumnDefinition>): string[] {
  switch (expression.kind) {
    case 'ColumnRef': {
      const name = expression.parts.map((p) => p.name).join('.');
      const column = columns.get(name);
      return column && isNullable(column) ? [name] : [];
    }
    case 'IsNullExpression':
    case 'Literal':
      return [];
    case 'FunctionCall': {
      const name = expression.name.name.toLowerCase();
      if (NEVER_NULLABLE.has(name)) return [];
      const perArgument = expression.arguments.map((a) => nullableColumnsOf(a, columns));
      if ((name === 'ifnull' || name === 'coalesce') && perArgument.some((c) => c.length === 0)) return [];
      return unique(perArgument.flat());
    }
    default: {
      const found: string[] = [];
      for (const child of childExpressions(expression)) found.push(...nullableColumnsOf(child, columns));
      return unique(found);
    }
  }
}

/** Direct sub-expressions of a node (operands, elements, arguments): its children but names and types. */
function childExpressions(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  forEachChild(node, (child) => {
    if (child.kind !== 'Identifier' && child.kind !== 'DataType') children.push(child);
  });
  return children;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

function isNullable(column: ColumnDefinition): boolean {
  if (column.nullable === true) return true;
  let type = column.type;
  // LowCardinality(Nullable(T)) is Nullable too.
  while (type && type.name === 'LowCardinality' && type.arguments?.[0]?.kind === 'DataType') type = type.arguments[0];
  return type?.name === 'Nullable';
}
