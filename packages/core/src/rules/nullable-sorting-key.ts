import { identifiersIn } from '../model/alterTable.js';
import type { ColumnDefinition } from '../syntax/ast.js';
import { defineRule } from './rule.js';

/** ClickHouse refuses Nullable columns in a MergeTree sorting key unless allow_nullable_key is set. */
export default defineRule({
  id: 'nullable-sorting-key',
  severity: 'error',
  docs: { description: 'A Nullable column is in a MergeTree sorting or primary key without allow_nullable_key: ClickHouse refuses the table.' },
  messages: {
    nullable: {
      message: '`{column}` is Nullable and in the sorting key of `{table}`: ClickHouse refuses to create the table (code 44) unless allow_nullable_key = 1.',
      help: "Make the column non-Nullable with a sentinel default (e.g. `String DEFAULT ''`), or add SETTINGS allow_nullable_key = 1 if NULL keys are really wanted.",
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, statement } of context.statements) {
      if (statement.kind !== 'CreateTable' || !statement.storage?.engine?.name.name.endsWith('MergeTree')) continue;
      const storage = statement.storage;
      if (storage.settings?.some((s) => s.name.name === 'allow_nullable_key' && s.value?.kind === 'Literal' && s.value.value !== '0')) continue;
      const columns = new Map<string, ColumnDefinition>();
      for (const e of statement.elements ?? []) if (e.kind === 'ColumnDefinition') columns.set(e.name.map((n) => n.name).join('.'), e);
      const keyColumns = new Set([...identifiersIn(storage.orderBy), ...identifiersIn(storage.primaryKey)]);
      for (const name of keyColumns) {
        const column = columns.get(name);
        if (!column || !isNullable(column)) continue;
        context.report({ file, node: column, messageId: 'nullable', data: { column: name, table: statement.name.name.name } });
      }
    }
  },
});

function isNullable(column: ColumnDefinition): boolean {
  if (column.nullable === true) return true;
  let type = column.type;
  // LowCardinality(Nullable(T)) is Nullable too.
  while (type && type.name === 'LowCardinality' && type.arguments?.[0]?.kind === 'DataType') type = type.arguments[0];
  return type?.name === 'Nullable';
}
