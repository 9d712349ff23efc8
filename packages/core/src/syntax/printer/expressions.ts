import type { BinaryOperator, ColumnTransformer, Expression, FunctionCall, OrderByElement, WindowFrameBound, WindowSpec } from '../ast.js';
import { Power } from '../expressions.js';
import { printDataType } from './dataTypes.js';
import { printSelect } from './select.js';
import { block, printIdentifier, printParts, quoteIdentifier, quoteName, quoteString, unprintable } from './text.js';

// Expressions with the fewest parentheses that read back as the same tree. The binding powers are
// the parser's (`Power` in expressions.ts); two more levels sit below them: a lambda, whose body
// takes everything to its right, and `expr AS alias`, which only a list element may be.

/** Below every operator: `expr AS alias` may stand only where a list element may. */
const ALIAS = -1;
/** Nothing that could continue the expression follows (`,`, `)`, a clause keyword, the end). */
const NOTHING = Number.NEGATIVE_INFINITY;
/** A node that ends in a closing token: nothing after it can be pulled into it. */
const CLOSED = Number.POSITIVE_INFINITY;

/**
 * Where an expression is printed: the lowest binding power the parser accepts there (`min`: a right
 * operand of `+` must bind tighter than `+`), and the binding power of the operator printed right
 * after it (`follow`), which a node whose last operand is open to the right (`NOT x`, `-x`, `a ? b : c`,
 * `x -> body`) would otherwise swallow.
 */
export interface Position {
  min: number;
  follow: number;
}

/** An element of a list: a select column, a function argument, a tuple element. */
export const LIST: Position = { min: ALIAS, follow: NOTHING };
/** A whole expression without an alias: WHERE, DEFAULT, ORDER BY key... */
export const TOP: Position = { min: Power.Lowest, follow: NOTHING };
const POSTFIX: Position = { min: Power.Postfix, follow: Power.Postfix };

const BINARY_POWER: Record<BinaryOperator, Power> = {
  OR: Power.Or,
  AND: Power.And,
  '=': Power.Comparison,
  '!=': Power.Comparison,
  '<': Power.Comparison,
  '>': Power.Comparison,
  '<=': Power.Comparison,
  '>=': Power.Comparison,
  '<=>': Power.Comparison,
  'IS DISTINCT FROM': Power.Comparison,
  LIKE: Power.Comparison,
  'NOT LIKE': Power.Comparison,
  ILIKE: Power.Comparison,
  'NOT ILIKE': Power.Comparison,
  REGEXP: Power.Comparison,
  IN: Power.Comparison,
  'NOT IN': Power.Comparison,
  'GLOBAL IN': Power.Comparison,
  'GLOBAL NOT IN': Power.Comparison,
  '+': Power.Additive,
  '-': Power.Additive,
  '||': Power.Additive,
  '*': Power.Multiplicative,
  '/': Power.Multiplicative,
  '%': Power.Multiplicative,
  DIV: Power.Multiplicative,
  MOD: Power.Multiplicative,
};

/** Prints an expression as a list element would be (an alias needs no parentheses). */
export function printExpression(e: Expression): string {
  return expression(e, LIST);
}

/** `a, b, c`, each a list element. */
export function printList(items: Expression[]): string {
  return items.map(printExpression).join(', ');
}

/** Prints `e` at `at`, in parentheses when the parser would otherwise read it differently there. */
export function expression(e: Expression, at: Position): string {
  const shape = shapeOf(e);
  const parenthesize = shape.power < at.min || shape.open <= at.follow;
  const text = printNode(e, parenthesize ? NOTHING : at.follow);
  return parenthesize ? `(${text})` : text;
}

/** How an expression binds: its own power, and the power from which an operator after it is pulled into its last operand. */
function shapeOf(e: Expression): { power: number; open: number } {
  switch (e.kind) {
    case 'AliasExpression':
      return { power: ALIAS, open: CLOSED };
    case 'LambdaExpression':
      // ClickHouse reads `->` as its loosest operator: a lambda anywhere but alone in a list is parenthesized.
      return { power: Power.Lowest, open: Power.Lowest };
    case 'TernaryExpression':
      return { power: Power.Ternary, open: Power.Ternary };
    case 'BinaryExpression': {
      const power = BINARY_POWER[e.operator];
      return { power, open: e.escape ? CLOSED : power + 1 };
    }
    case 'UnaryExpression':
      // `NOT (a = b)` ends in `)`, but `NOT x` does not; treating both as open costs no parentheses in practice.
      return e.operator === '-' ? { power: Power.Unary, open: Power.Unary } : { power: Power.Not, open: Power.Not };
    case 'BetweenExpression':
      return { power: Power.Between, open: Power.Between + 1 };
    case 'IsNullExpression':
      return { power: Power.IsNull, open: CLOSED };
    case 'IntervalExpression':
      return { power: Power.Postfix, open: e.unit ? CLOSED : Power.Unary };
    case 'FunctionCall':
      if (isNotCall(e)) return { power: Power.Not, open: CLOSED };
      if (e.syntax === 'at-time-zone') return { power: Power.Postfix, open: Power.Unary };
      return { power: Power.Postfix, open: CLOSED };
    default:
      return { power: Power.Postfix, open: CLOSED };
  }
}

function printNode(e: Expression, follow: number): string {
  switch (e.kind) {
    case 'Literal':
      if (e.type === 'string') return quoteString(e.value);
      return e.type === 'null' ? 'NULL' : e.value;
    case 'ColumnRef':
      return printParts(e.parts);
    case 'Asterisk':
      return `${qualifier(e.qualifier)}*${printTransformers(e.transformers)}`;
    case 'ColumnsMatcher':
      return `${qualifier(e.qualifier)}COLUMNS(${printList(e.arguments)})${printTransformers(e.transformers)}`;
    case 'FunctionCall':
      return printFunctionCall(e, follow);
    case 'BinaryExpression': {
      const power = BINARY_POWER[e.operator];
      const left = expression(e.left, { min: power, follow: power });
      if (e.escape) {
        const right = expression(e.right, { min: power + 1, follow: NOTHING });
        return `${left} ${e.operator} ${right} ESCAPE ${expression(e.escape, POSTFIX)}`;
      }
      return `${left} ${e.operator} ${expression(e.right, { min: power + 1, follow })}`;
    }
    case 'UnaryExpression':
      return e.operator === '-' ? printNegation(e.operand, follow) : printNot(e.operand, follow);
    case 'IsNullExpression':
      return `${expression(e.operand, { min: Power.IsNull + 1, follow: Power.IsNull })} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'BetweenExpression': {
      const operand = expression(e.operand, { min: Power.Between + 1, follow: Power.Between });
      const low = expression(e.low, { min: Power.Between + 1, follow: Power.And });
      const high = expression(e.high, { min: Power.Between + 1, follow });
      return `${operand} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${low} AND ${high}`;
    }
    case 'TernaryExpression': {
      // ClickHouse refuses a bare `?:` inside another (`a ? b : c ? d : e`): nested ones get parentheses.
      const condition = expression(e.condition, { min: Power.Or, follow: Power.Ternary });
      const whenTrue = expression(e.whenTrue, { min: Power.Or, follow: NOTHING });
      return `${condition} ? ${whenTrue} : ${expression(e.whenFalse, { min: Power.Or, follow })}`;
    }
    case 'CaseExpression': {
      const parts = ['CASE'];
      if (e.operand) parts.push(expression(e.operand, TOP));
      for (const branch of e.branches) parts.push(`WHEN ${expression(branch.when, TOP)} THEN ${expression(branch.then, TOP)}`);
      if (e.else) parts.push(`ELSE ${expression(e.else, TOP)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'CastExpression':
      if (e.syntax === '::') return `${expression(e.expression, POSTFIX)}::${printDataType(e.type)}`;
      return `CAST(${expression(e.expression, TOP)} AS ${printDataType(e.type)})`;
    case 'IntervalExpression': {
      const value = expression(e.value, { min: Power.Unary, follow: e.unit ? NOTHING : follow });
      return e.unit ? `INTERVAL ${value} ${e.unit}` : `INTERVAL ${value}`;
    }
    case 'TupleExpression':
      // One element needs the trailing comma, or it reads back as that element in parentheses.
      return e.elements.length === 1 ? `(${printExpression(e.elements[0])},)` : `(${printList(e.elements)})`;
    case 'ArrayExpression':
      return `[${printList(e.elements)}]`;
    case 'MapExpression':
      return `{${e.entries.map((entry) => `${expression(entry.key, TOP)}: ${expression(entry.value, TOP)}`).join(', ')}}`;
    case 'SubqueryExpression':
      return block(printSelect(e.query));
    case 'ExistsExpression':
      return `EXISTS ${block(printSelect(e.query))}`;
    case 'LambdaExpression': {
      const parameters = e.parameters.length === 1 ? printIdentifier(e.parameters[0]) : `(${e.parameters.map(printIdentifier).join(', ')})`;
      // ClickHouse refuses a bare lambda as another's body: `x -> (y -> x + y)`.
      return `${parameters} -> ${expression(e.body, { min: Power.Lowest + 1, follow })}`;
    }
    case 'ArrayElement':
      return `${expression(e.array, POSTFIX)}[${expression(e.index, TOP)}]`;
    case 'TupleElement':
      return printTupleElement(e.tuple, e.element);
    case 'QueryParameter':
      return `{${e.name}:${printDataType(e.type)}}`;
    case 'AliasExpression':
      return `${expression(e.expression, TOP)} AS ${printIdentifier(e.alias)}`;
  }
}

// ---------------------------------------------------------------- operators with special forms

/** `-x`; `-(1)` and `-(-x)`, because `-1` is a negative literal and `--` starts a comment. */
function printNegation(operand: Expression, follow: number): string {
  const text = expression(operand, { min: Power.Unary, follow });
  // `-1[1]` and `-1::Int8` would read back as the literal -1 indexed or cast.
  return /^[-0-9.]/.test(text) ? `-(${expression(operand, LIST)})` : `-${text}`;
}

/**
 * `NOT x`, `NOT NOT x`, or `NOT (a = b)` when the operand is another operator expression or starts with `(`. ClickHouse
 * reads `NOT (...)` as the operator with a parenthesized operand; ClickPlan's parser reads it as a
 * call of `not`, which prints the same way (see `isNotCall`), so printing stays a fixpoint.
 */
function printNot(operand: Expression, follow: number): string {
  if (shapeOf(operand).power >= Power.Unary || operand.kind === 'UnaryExpression') {
    const text = expression(operand, { min: Power.Not, follow });
    if (!text.startsWith('(')) return `NOT ${text}`;
  }
  return `NOT (${expression(operand, LIST)})`;
}

/** `not(x)` as ClickPlan's parser reads `NOT (x)`: one argument and nothing else. */
function isNotCall(call: FunctionCall): boolean {
  return (
    !call.name.quoted &&
    call.name.name.toUpperCase() === 'NOT' &&
    call.arguments.length === 1 &&
    !call.parameters &&
    !call.distinct &&
    !call.nullsAction &&
    !call.filter &&
    !call.over &&
    !call.syntax
  );
}

/** `t.1`, `f(x).name`; `(a).b`, because `a.b` is a compound column name, and `(1).1`, because `1.1` is a number. */
function printTupleElement(tuple: Expression, element: Extract<Expression, { kind: 'TupleElement' }>['element']): string {
  if (element.kind === 'Literal') {
    const isNumber = tuple.kind === 'Literal' && tuple.type === 'number';
    return `${isNumber ? `(${printExpression(tuple)})` : expression(tuple, POSTFIX)}.${element.value}`;
  }
  // JSON paths keep their marker: `doc.^sub`, `doc.a.:UInt64`.
  if (/^[\^:]/.test(element.name)) {
    // A typed path's type in backquotes unless it is one word: ClickHouse reads `json.a.:Array(JSON)`
    // as a call of a function named `json.a.:Array`.
    const name = /^:.*\W/.test(element.name) ? `:\`${element.name.slice(1).replace(/`/g, '\\`')}\`` : element.name;
    return `${expression(tuple, POSTFIX)}.${name}`;
  }
  const needsParentheses = tuple.kind === 'ColumnRef' || (tuple.kind === 'Literal' && tuple.type === 'number');
  return `${needsParentheses ? `(${printExpression(tuple)})` : expression(tuple, POSTFIX)}.${printIdentifier(element)}`;
}

// ---------------------------------------------------------------- function calls

/** Names whose call has a special syntax in the parser: their first argument must not look like it. */
const SPECIAL_CALLS = new Set(['CAST', 'TRY_CAST', 'EXTRACT', 'SUBSTRING', 'POSITION', 'TRIM']);

function printFunctionCall(call: FunctionCall, follow: number): string {
  const upper = call.name.quoted ? '' : call.name.name.toUpperCase();
  if (call.syntax) return printSpecialSyntax(call, follow);
  if (isNotCall(call)) return `NOT (${printExpression(call.arguments[0])})`;
  // `x = ANY (SELECT ...)`: a comparison with every row, not the aggregate `any`.
  if (['ANY', 'ALL', 'SOME'].includes(upper) && call.arguments.length === 1 && call.arguments[0].kind === 'SubqueryExpression' && !call.parameters) {
    return `${call.name.name} ${printNode(call.arguments[0], NOTHING)}`;
  }
  if (upper === 'TRY_CAST' && call.arguments.length === 2 && isEmptyString(call.arguments[1])) {
    // The parser reads `TRY_CAST(x AS T)` into a call whose second argument is '' in place of T.
    unprintable('TRY_CAST(x AS T)', 'the syntax tree does not keep the type T');
  }
  // `COLUMNS(...)` always reads back as a column matcher; a function of that name needs quotes.
  const name = upper === 'COLUMNS' ? quoteIdentifier(call.name.name) : quoteName(call.name.name);
  const args = call.arguments.map((argument, i) =>
    i === 0 && SPECIAL_CALLS.has(upper) ? expression(argument, { min: Power.Comparison + 1, follow: NOTHING }) : printExpression(argument),
  );
  let text = name;
  if (call.parameters) text += `(${printList(call.parameters)})`;
  text += `(${call.distinct ? 'DISTINCT ' : ''}${args.join(', ')})`;
  if (call.nullsAction) text += ` ${call.nullsAction}`;
  if (call.filter) text += ` FILTER(WHERE ${expression(call.filter, TOP)})`;
  if (call.over) text += ` OVER ${call.over.kind === 'Identifier' ? printIdentifier(call.over) : printWindowSpec(call.over)}`;
  return text;
}

function isEmptyString(e: Expression): boolean {
  return e.kind === 'Literal' && e.type === 'string' && e.value === '';
}

/** `EXTRACT(DAY FROM d)`, `SUBSTRING(s FROM 1 FOR 2)`, `TRIM(BOTH 'x' FROM s)`, `POSITION(a IN b)`, `DATE 'x'`, `x AT TIME ZONE z`. */
function printSpecialSyntax(call: FunctionCall, follow: number): string {
  const [first, second, third] = call.arguments;
  const name = quoteName(call.name.name);
  // The first operand of SUBSTRING ... FROM and POSITION ... IN is read up to a comparison.
  const beforeKeyword = (e: Expression) => expression(e, { min: Power.Comparison + 1, follow: NOTHING });
  switch (call.syntax) {
    case 'extract':
      return `${name}(${call.modifier} FROM ${expression(first, TOP)})`;
    case 'substring':
      return `${name}(${beforeKeyword(first)} FROM ${expression(second, TOP)}${third ? ` FOR ${expression(third, TOP)}` : ''})`;
    case 'trim':
      return `${name}(${call.modifier ?? 'BOTH'} ${expression(first, TOP)} FROM ${expression(second, TOP)})`;
    case 'position':
      return `${name}(${beforeKeyword(first)} IN ${expression(second, TOP)})`;
    case 'typed-literal':
      return `${call.name.name.toUpperCase()} ${printNode(first, NOTHING)}`;
    case 'at-time-zone':
      return `${expression(first, POSTFIX)} AT TIME ZONE ${expression(second, { min: Power.Unary, follow })}`;
    default:
      return unprintable(`a function call in ${call.syntax} syntax`, 'the printer does not know that syntax');
  }
}

function qualifier(parts: FunctionCall['name'][]): string {
  return parts.length > 0 ? `${printParts(parts)}.` : '';
}

/** ` EXCEPT (a, b)`, ` REPLACE (x + 1 AS x)`, ` APPLY(f)` after `*` or `COLUMNS(...)`. */
function printTransformers(transformers: ColumnTransformer[]): string {
  return transformers
    .map((t) => ` ${t.transformer}${t.strict ? ' STRICT' : ''} ${t.transformer === 'APPLY' ? `(${expression(t.items[0], TOP)})` : `(${printList(t.items)})`}`)
    .join('');
}

// ---------------------------------------------------------------- windows and ORDER BY

export function printWindowSpec(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.baseWindow) parts.push(printIdentifier(spec.baseWindow));
  if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${printList(spec.partitionBy)}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${printOrderBy(spec.orderBy)}`);
  if (spec.frame) {
    const { unit, from, to } = spec.frame;
    parts.push(to ? `${unit} BETWEEN ${printFrameBound(from)} AND ${printFrameBound(to)}` : `${unit} ${printFrameBound(from)}`);
  }
  return `(${parts.join(' ')})`;
}

function printFrameBound(bound: WindowFrameBound): string {
  if (!bound.offset) return bound.bound;
  return `${expression(bound.offset, { min: Power.Additive, follow: NOTHING })} ${bound.bound}`;
}

export function printOrderBy(elements: OrderByElement[]): string {
  return elements.map(printOrderByElement).join(', ');
}

function printOrderByElement(element: OrderByElement): string {
  let text = printExpression(element.expression);
  if (element.direction) text += ` ${element.direction}`;
  if (element.nulls) text += ` NULLS ${element.nulls}`;
  if (element.collate) text += ` COLLATE ${quoteString(element.collate.value)}`;
  const fill = element.withFill;
  if (fill) {
    text += ' WITH FILL';
    if (fill.from) text += ` FROM ${expression(fill.from, TOP)}`;
    if (fill.to) text += ` TO ${expression(fill.to, TOP)}`;
    if (fill.step) text += ` STEP ${expression(fill.step, TOP)}`;
    if (fill.staleness) text += ` STALENESS ${expression(fill.staleness, TOP)}`;
  }
  return text;
}
