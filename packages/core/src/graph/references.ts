import { bindExpression, bindQuery, type QueryBinding, type TableReference } from '../bind/binder.js';
import type { Expression, QualifiedName, SelectQuery, SelectStatement } from '../syntax/ast.js';

export { nameOf, type ReferenceKind, splitQualifiedString, type TableReference } from '../bind/binder.js';

export interface QueryReferences {
  /**
   * The left-most table of the first SELECT: for a materialized view, the only table whose
   * inserts fire it. Undefined when the query reads no table (or only a table function).
   */
  trigger?: TableReference;
  /** Every other object the query reads: joined tables, subqueries, IN tables, dictGet/joinGet targets. */
  reads: TableReference[];
}

/**
 * The objects a query reads, from its binding. CTE names and aliases are not tables. Table functions
 * that name a table (`remote`, `cluster`, `dictionary`...) count as references to it.
 */
export function collectQueryReferences(query: SelectQuery, binding: QueryBinding = bindQuery(query, { database: '' })): QueryReferences {
  const sources = triggerSources(query, binding, new Set());
  const trigger = sources[0];
  if (!trigger) return { reads: binding.references };
  // Every branch of a CTE's union that reads the trigger table reads the inserted block, not the table.
  const sameTable = (s: QualifiedName) => s.name.name === trigger.name.name && s.database?.name === trigger.database?.name;
  const blockReads = sources.filter(sameTable);
  const reads = binding.references.filter((r) => !blockReads.some((s) => r.range.start === s.start && r.range.end === s.end));
  const reference: TableReference = { kind: 'table', name: trigger.name.name, range: { start: trigger.start, end: trigger.end } };
  if (trigger.database) reference.database = trigger.database.name;
  return { trigger: reference, reads };
}

/**
 * The table whose inserts fire a materialized view (first), with every other left-most table that
 * reads the same inserted block: the left-most FROM table, looking into subqueries and CTEs. When
 * the FROM is a CTE (`WITH e AS (SELECT ... FROM src UNION ALL SELECT ... FROM src) SELECT ... FROM e`),
 * ClickHouse fires the view on inserts into `src`, and each branch of the CTE's union reads the block.
 */
function triggerSources(query: SelectQuery, binding: QueryBinding, entered: Set<SelectQuery>): QualifiedName[] {
  const first = query.selects[0];
  if (!first) return [];
  return first.kind === 'SelectQuery' ? triggerSources(first, binding, entered) : selectTriggerSources(first, binding, entered);
}

function selectTriggerSources(select: SelectStatement, binding: QueryBinding, entered: Set<SelectQuery>): QualifiedName[] {
  const table = select.from?.table;
  const source = table && binding.sources.get(table);
  if (!source) return [];
  if (source.kind === 'table') return [source.name];
  if (source.kind === 'subquery') return triggerSources(source.query, binding, entered);
  if (source.kind !== 'cte' || entered.has(source.query)) return [];
  const inner = new Set(entered).add(source.query);
  return source.query.selects.flatMap((branch) =>
    branch.kind === 'SelectQuery' ? triggerSources(branch, binding, inner) : selectTriggerSources(branch, binding, inner),
  );
}

/** References in a standalone expression (a column DEFAULT, a TTL, an engine argument). */
export function collectExpressionReferences(expression: Expression): TableReference[] {
  return bindExpression(expression, { database: '' }).references;
}
