import type { Expression, SelectQuery, SelectStatement } from '../syntax/ast.js';
import { defineRule } from './rule.js';

/**
 * An MV inserts its SELECT's columns into the TO table by name. A target column the SELECT does not
 * produce silently gets its default; a SELECT column the target lacks is silently dropped.
 */
export default defineRule({
  id: 'mv-target-columns',
  severity: 'warning',
  docs: { description: "A materialized view's SELECT and its TO table disagree on column names: rows land with defaults or lose values." },
  messages: {
    missing: {
      message:
        '`{view}` produces no column named `{column}`, so every row it writes to `{target}` gets the default for `{column}`: ClickHouse matches columns by name.',
      help: 'Add `... AS {column}` to the SELECT, or give the target column an explicit DEFAULT if that is intended.',
    },
    extra: {
      message: '`{column}` is not a column of `{target}`: ClickHouse drops this value from every row `{view}` writes.',
      help: 'Alias the expression to a column of `{target}` (`... AS name`), or add the column to the target.',
    },
  },
  defaultOptions: {},
  check(context) {
    const { schema } = context.analysis;
    for (const object of schema.objects) {
      const view = object.definition;
      if (view.kind !== 'CreateView' || view.viewKind !== 'MATERIALIZED' || !view.to || !view.query) continue;
      const targetId = `${view.to.database?.name ?? object.contextDatabase}.${view.to.name.name}`;
      const target = schema.objects.find((o) => o.id === targetId && o.kind === 'table');
      if (!target || target.definition.kind !== 'CreateTable' || !target.definition.elements) continue;
      const outputs = outputColumns(view.query);
      if (!outputs) continue;
      const file = object.created.file;
      const writable = target.definition.elements.filter(
        (e) => e.kind === 'ColumnDefinition' && e.defaultKind !== 'MATERIALIZED' && e.defaultKind !== 'ALIAS' && e.defaultKind !== 'EPHEMERAL',
      );
      const targetNames = new Set(writable.map((e) => (e.kind === 'ColumnDefinition' ? e.name.map((n) => n.name).join('.') : '')));
      const outputNames = new Set(outputs.map((o) => o.name));
      for (const column of writable) {
        if (column.kind !== 'ColumnDefinition') continue;
        const name = column.name.map((n) => n.name).join('.');
        // A column with an explicit DEFAULT is meant to be filled by it (`inserted_at DEFAULT now()`).
        if (outputNames.has(name) || column.defaultKind === 'DEFAULT' || isNestedParent(name, outputNames)) continue;
        context.report({ file, node: view.to, messageId: 'missing', data: { view: object.id, column: name, target: targetId } });
      }
      for (const output of outputs) {
        if (!targetNames.has(output.name) && !isNestedParent(output.name, targetNames)) {
          context.report({ file, node: output.node, messageId: 'extra', data: { view: object.id, column: output.name, target: targetId } });
        }
      }
    }
  },
});

/** `n Nested(...)` in one place matches `n.a`, `n.b` in the other. */
function isNestedParent(name: string, names: Set<string>): boolean {
  for (const other of names) if (other.startsWith(`${name}.`) || name.startsWith(`${other}.`)) return true;
  return false;
}

/** The names of the first SELECT's columns, or undefined when they cannot be known (`*`, COLUMNS). */
function outputColumns(query: SelectQuery): { name: string; node: Expression }[] | undefined {
  let first: SelectStatement | SelectQuery = query.selects[0];
  while (first.kind === 'SelectQuery') first = first.selects[0];
  const outputs: { name: string; node: Expression }[] = [];
  for (const column of first.columns) {
    if (column.kind === 'AliasExpression') outputs.push({ name: column.alias.name, node: column });
    else if (column.kind === 'ColumnRef') outputs.push({ name: column.parts[column.parts.length - 1].name, node: column });
    else if (column.kind === 'Asterisk' || column.kind === 'ColumnsMatcher') return undefined;
    // Any other expression is named after its own text (`count()`), which no target column matches.
    else outputs.push({ name: '', node: column });
  }
  return outputs.map((o) => (o.name ? o : { ...o, name: '(unnamed expression)' }));
}
