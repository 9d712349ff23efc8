import { identifiersIn } from '../model/alterTable.js';
import { keyColumnsOf } from '../model/keyColumns.js';
import type { CreateTableStatement, Expression, SelectQuery, SelectStatement } from '../syntax/ast.js';
import { defineRule } from './rule.js';

/**
 * A SummingMergeTree given the columns to sum (`SummingMergeTree((a, b))`) sums only those; at each
 * merge every other column outside the key keeps the first row's value (chDB 26.7: three rows with
 * 10, 20, 30 merge to 10). A materialized view that writes a sum or a count into such a column — most
 * often one added after the table, with the engine's list left as it was — loses all but one part of it.
 */
export default defineRule({
  id: 'summing-column-not-summed',
  severity: 'warning',
  docs: {
    description: "A materialized view writes a sum or count into a SummingMergeTree column the engine's list does not sum: merges keep one row's value.",
  },
  messages: {
    notSummed: {
      message:
        "`{view}` writes {function}(...) into `{target}.{column}`, but `{target}` sums only {summed}: at each merge `{column}` keeps the first row's value, the {function} of one insert instead of all.",
      help: 'Create the table again with `{column}` in the SummingMergeTree list (or without a list, to sum every numeric column), or make the column `SimpleAggregateFunction(sum, ...)`.',
    },
  },
  check(context) {
    const { objects } = context.analysis.graph;
    for (const object of context.analysis.schema.objects) {
      const view = object.definition;
      if (view.kind !== 'CreateView' || view.viewKind !== 'MATERIALIZED' || !view.to || !view.query) continue;
      const targetId = `${view.to.database?.name ?? object.contextDatabase}.${view.to.name.name}`;
      const target = objects.get(targetId);
      if (target?.kind !== 'table' || target.definition.kind !== 'CreateTable') continue;
      const summed = summedColumns(target.definition);
      if (!summed) continue;
      const keys = keyColumnsOf(target.definition);
      const columns = new Map(
        (target.definition.elements ?? []).flatMap((e) => (e.kind === 'ColumnDefinition' ? [[e.name.map((n) => n.name).join('.'), e]] : [])),
      );
      for (const { name, expression } of aliasedOutputs(view.query)) {
        const fn = summingFunction(expression);
        const column = columns.get(name);
        if (!fn || !column || keys.has(name) || summed.includes(name) || column.type?.name.endsWith('AggregateFunction')) continue;
        const data = { view: object.id, target: targetId, column: name, function: fn, summed: summed.map((c) => `\`${c}\``).join(', ') };
        context.report({ file: object.created.file, node: view.to, messageId: 'notSummed', data });
      }
    }
  },
});

/** The columns a SummingMergeTree is told to sum; undefined when it sums every numeric column (no list) or is no SummingMergeTree. */
function summedColumns(definition: CreateTableStatement): string[] | undefined {
  const engine = definition.storage?.engine;
  if (!engine || !/^(Replicated)?SummingMergeTree$/.test(engine.name.name)) return undefined;
  const written = engine.arguments ?? [];
  const args = engine.name.name.startsWith('Replicated') && written[0]?.kind === 'Literal' ? written.slice(2) : written;
  return args[0] ? identifiersIn(args[0]) : undefined;
}

/** The first SELECT's `expression AS name` columns. */
function aliasedOutputs(query: SelectQuery): { name: string; expression: Expression }[] {
  let first: SelectStatement | SelectQuery = query.selects[0];
  while (first.kind === 'SelectQuery') first = first.selects[0];
  return first.columns.flatMap((c) => (c.kind === 'AliasExpression' ? [{ name: c.alias.name, expression: c.expression }] : []));
}

/** `sum`, `count` and their -If forms, which a view writes to be added up: the function's name, else undefined. */
function summingFunction(expression: Expression): string | undefined {
  if (expression.kind !== 'FunctionCall') return undefined;
  return /^(sum|count)(If)?$/i.test(expression.name.name) ? expression.name.name : undefined;
}
