import type {
  ArrayJoinClause,
  Expression,
  FromClause,
  FunctionCall,
  JoinClause,
  SelectQuery,
  SelectStatement,
  TableExpression,
  TableFunction,
  WithElement,
} from '../ast.js';
import { expression, LIST, printExpression, printList, printOrderBy, printWindowSpec, TOP } from './expressions.js';
import { printSettings } from './settings.js';
import { block, indent, printIdentifier, printQualifiedName } from './text.js';

// SELECT laid out as ClickHouse's formatQuery lays it out: one clause per line, several result
// columns one per line; a query inside an expression on one line when it fits there, else as an
// indented block between parentheses.

/** A query: its selects joined by UNION/INTERSECT/EXCEPT, then FORMAT and SETTINGS. */
export function printSelect(query: SelectQuery): string {
  const lines: string[] = [];
  if (query.with.length > 0) lines.push(printWith(query.with));
  query.selects.forEach((select, i) => {
    if (i > 0) lines.push(query.operators[i - 1]);
    lines.push(select.kind === 'Select' ? printSelectStatement(select) : block(printSelect(select)));
  });
  if (query.format) lines.push(`FORMAT ${printIdentifier(query.format)}`);
  if (query.settings) lines.push(`SETTINGS ${printSettings(query.settings.items)}`);
  return lines.join('\n');
}

function printWith(elements: WithElement[], recursive = false): string {
  const items = elements.map((element) => {
    if (element.form === 'subquery' && element.value.kind === 'SubqueryExpression') {
      const columns = element.columns ? ` (${element.columns.map(printIdentifier).join(', ')})` : '';
      return `${printIdentifier(element.name)}${columns} AS ${block(printSelect(element.value.query))}`;
    }
    return element.name ? `${expression(element.value, TOP)} AS ${printIdentifier(element.name)}` : expression(element.value, TOP);
  });
  return `WITH ${recursive ? 'RECURSIVE ' : ''}${items.join(', ')}`;
}

function printSelectStatement(select: SelectStatement): string {
  const lines: string[] = [];
  if (select.with.length > 0) lines.push(printWith(select.with, select.withRecursive));
  let head = 'SELECT';
  if (select.distinct) head += select.distinctOn ? ` DISTINCT ON (${printList(select.distinctOn)})` : ' DISTINCT';
  if (select.top) head += ` TOP ${printTopCount(select.top.count)}${select.top.withTies ? ' WITH TIES' : ''}`;
  const columns = select.columns.map(printExpression);
  lines.push(columns.length === 1 ? `${head} ${columns[0]}` : `${head}\n${columns.map(indent).join(',\n')}`);
  if (select.from) lines.push(...printFrom(select.from));
  if (select.prewhere) lines.push(`PREWHERE ${expression(select.prewhere, TOP)}`);
  if (select.where) lines.push(`WHERE ${expression(select.where, TOP)}`);
  if (select.groupBy) lines.push(printGroupBy(select.groupBy));
  if (select.having) lines.push(`HAVING ${expression(select.having, TOP)}`);
  if (select.window.length > 0) lines.push(`WINDOW ${select.window.map((w) => `${printIdentifier(w.name)} AS ${printWindowSpec(w.spec)}`).join(', ')}`);
  if (select.qualify) lines.push(`QUALIFY ${expression(select.qualify, TOP)}`);
  if (select.orderBy) {
    const { all, allDescending, allNulls, elements, interpolate } = select.orderBy;
    let line = all ? `ORDER BY ALL${allDescending ? ' DESC' : ''}${allNulls ? ` NULLS ${allNulls}` : ''}` : `ORDER BY ${printOrderBy(elements)}`;
    const items = interpolate?.map(({ column, value }) => (value ? `${printIdentifier(column)} AS ${expression(value, TOP)}` : printIdentifier(column)));
    if (items) line += items.length > 0 ? ` INTERPOLATE (${items.join(', ')})` : ' INTERPOLATE';
    lines.push(line);
  }
  lines.push(...printLimits(select));
  if (select.settings) lines.push(`SETTINGS ${printSettings(select.settings.items)}`);
  return lines.join('\n');
}

/** ClickHouse's TOP takes a number, or any expression in parentheses. */
function printTopCount(count: Expression): string {
  return count.kind === 'Literal' && count.type === 'number' && !count.value.startsWith('-') ? count.value : `(${expression(count, TOP)})`;
}

function printGroupBy(groupBy: NonNullable<SelectStatement['groupBy']>): string {
  let line: string;
  if (groupBy.all) line = 'GROUP BY ALL';
  else if (groupBy.groupingSets) line = `GROUP BY GROUPING SETS (${groupBy.groupingSets.map((set) => `(${printList(set)})`).join(', ')})`;
  else if (groupBy.expressions.length > 0) line = `GROUP BY ${printList(groupBy.expressions)}`;
  // `SELECT ... WITH TOTALS` without GROUP BY.
  else line = '';
  if (groupBy.modifier) line += ` WITH ${groupBy.modifier}`;
  if (groupBy.withTotals) line += ' WITH TOTALS';
  return line.trimStart();
}

/**
 * `LIMIT n BY ...`, `LIMIT n [OFFSET m] [WITH TIES]`, and the standard `OFFSET m ROWS FETCH FIRST n
 * ROWS ONLY`, which the parser keeps as an offset of the select with a limit that has none of its own.
 */
function printLimits(select: SelectStatement): string[] {
  const lines: string[] = [];
  const { limitBy, limit, offset } = select;
  if (limitBy) {
    lines.push(`LIMIT ${expression(limitBy.limit, TOP)}${limitBy.offset ? ` OFFSET ${expression(limitBy.offset, TOP)}` : ''} BY ${printList(limitBy.by)}`);
  }
  if (offset && limit && !limit.offset) {
    lines.push(`OFFSET ${expression(offset, TOP)} ROWS FETCH FIRST ${expression(limit.count, TOP)} ROWS ${limit.withTies ? 'WITH TIES' : 'ONLY'}`);
    return lines;
  }
  if (limit) {
    lines.push(`LIMIT ${expression(limit.count, TOP)}${limit.offset ? ` OFFSET ${expression(limit.offset, TOP)}` : ''}${limit.withTies ? ' WITH TIES' : ''}`);
  }
  if (offset) lines.push(`OFFSET ${expression(offset, TOP)}`);
  return lines;
}

// ---------------------------------------------------------------- FROM and JOIN

/** `FROM t1, t2` on one line, each JOIN on its own. */
function printFrom(from: FromClause): string[] {
  const lines = [`FROM ${printTableExpression(from.table)}`];
  for (const join of from.joins) {
    if (join.kind === 'JoinClause' && join.joinType === ',') lines[lines.length - 1] += `, ${printTableExpression(join.table)}`;
    else lines.push(join.kind === 'JoinClause' ? printJoin(join) : printArrayJoin(join));
  }
  return lines;
}

function printJoin(join: JoinClause): string {
  let text = `${join.joinType ? `${join.joinType} ` : ''}JOIN ${printTableExpression(join.table)}`;
  if (join.on) text += ` ON ${expression(join.on, TOP)}`;
  if (join.using) text += ` USING (${printList(join.using)})`;
  return text;
}

function printArrayJoin(join: ArrayJoinClause): string {
  return `${join.left ? 'LEFT ' : ''}ARRAY JOIN ${printList(join.expressions)}`;
}

/** A table, table function or subquery with its alias, FINAL and SAMPLE. */
export function printTableExpression(table: TableExpression): string {
  const { source } = table;
  let text: string;
  if (source.kind === 'QualifiedName') text = printQualifiedName(source);
  else if (source.kind === 'TableFunction') text = printTableFunction(source);
  else text = block(printSelect(source.query));
  if (table.alias) text += ` AS ${printIdentifier(table.alias)}`;
  if (table.columnAliases) text += ` (${table.columnAliases.map(printIdentifier).join(', ')})`;
  if (table.final) text += ' FINAL';
  if (table.sample) text += ` SAMPLE ${expression(table.sample.ratio, TOP)}${table.sample.offset ? ` OFFSET ${expression(table.sample.offset, TOP)}` : ''}`;
  return text;
}

/** `numbers(10)`, `s3('url', 'CSV')`, `db.parameterized_view(x = 1)`. */
export function printTableFunction(table: TableFunction): string {
  return `${table.database ? `${printIdentifier(table.database)}.` : ''}${printTableFunctionCall(table.call)}`;
}

/** A table function's call: `view(SELECT ...)` takes its query bare, and settings come last. */
function printTableFunctionCall(call: FunctionCall): string {
  const name = call.name.quoted ? '' : call.name.name.toUpperCase();
  const [first, second] = call.arguments;
  if ((name === 'VIEW' || name === 'VIEWIFPERMITTED') && first?.kind === 'SubqueryExpression') {
    const otherwise = name === 'VIEWIFPERMITTED' && second?.kind === 'FunctionCall' ? ` ELSE ${printTableFunctionCall(second)}` : '';
    return `${printIdentifier(call.name)}(${printSelect(first.query)}${otherwise})`;
  }
  if (!hasTableFunctionForm(call)) return expression(call, LIST);
  const args = call.arguments.map((argument) =>
    argument.kind === 'FunctionCall' && (isViewCall(argument) || hasTableFunctionForm(argument)) ? printTableFunctionCall(argument) : printExpression(argument),
  );
  if (call.settings) args.push(`SETTINGS ${printSettings(call.settings)}`);
  return `${printIdentifier(call.name)}(${args.join(', ')})`;
}

/** A call that only a table function's argument list can hold: with SETTINGS, or a view's query, in it or in a call it takes. */
function hasTableFunctionForm(call: FunctionCall): boolean {
  return call.settings !== undefined || call.arguments.some((a) => isViewCall(a) || (a.kind === 'FunctionCall' && hasTableFunctionForm(a)));
}

function isViewCall(e: Expression): boolean {
  return (
    e.kind === 'FunctionCall' &&
    !e.name.quoted &&
    ['VIEW', 'VIEWIFPERMITTED'].includes(e.name.name.toUpperCase()) &&
    e.arguments[0]?.kind === 'SubqueryExpression'
  );
}
