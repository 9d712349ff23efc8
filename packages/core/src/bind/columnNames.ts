import { columnNameFunction } from '../semantics/functions.js';
import type { BinaryOperator, Expression } from '../syntax/ast.js';
import { printDataType, quoteString } from '../syntax/printer.js';

// The name ClickHouse gives a SELECT column without an alias, which a view stores as its column
// name: the expression in function form as the server stores the query (`a + 1` is `plus(a, 1)`,
// `SUM(x)` is `sum(x)`, `trim(x)` is `trimBoth(x)`, `1e3` is `1000.`), with the table qualifier of
// a column dropped. Checked against chDB in types.differential.test.ts; an expression whose name
// this does not know gets none, and its column is then not inferable.

const OPERATOR_FUNCTIONS: Record<BinaryOperator, string> = {
  OR: 'or',
  AND: 'and',
  '=': 'equals',
  '!=': 'notEquals',
  '<': 'less',
  '>': 'greater',
  '<=': 'lessOrEquals',
  '>=': 'greaterOrEquals',
  '<=>': 'isNotDistinctFrom',
  'IS DISTINCT FROM': 'isDistinctFrom',
  LIKE: 'like',
  'NOT LIKE': 'notLike',
  ILIKE: 'ilike',
  'NOT ILIKE': 'notILike',
  REGEXP: 'match',
  IN: 'in',
  'NOT IN': 'notIn',
  'GLOBAL IN': 'globalIn',
  'GLOBAL NOT IN': 'globalNotIn',
  '+': 'plus',
  '-': 'minus',
  '||': 'concat',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulo',
  DIV: 'intDiv',
  MOD: 'modulo',
};

/** Functions ClickHouse's parser itself renames (TRIM is SQL-standard syntax): not aliases in system.functions. */
const PARSER_REWRITES: Record<string, string> = { trim: 'trimBoth', ltrim: 'trimLeft', rtrim: 'trimRight' };

/** Operators ClickHouse merges into one call with many arguments. */
const VARIADIC = new Set(['and', 'or', 'concat']);

/** The function name of a binary operator as ClickHouse stores it. */
export function operatorFunction(operator: BinaryOperator): string {
  return OPERATOR_FUNCTIONS[operator];
}

export interface NameContext {
  /** How many first parts of a column reference name its source (a qualifier, dropped from the name). */
  qualifierLength(parts: readonly string[]): number;
  /** A number literal as ClickHouse prints it (`1e3` is `1000.`). */
  numberText(text: string): string;
}

/** The column name ClickHouse gives an expression, or undefined when it is not known. */
export function columnName(expression: Expression, context: NameContext): string | undefined {
  const name = (e: Expression) => columnName(e, context);
  const call = (fn: string, args: readonly Expression[]) => {
    const printed = args.map(name);
    return printed.every((p) => p !== undefined) ? `${fn}(${printed.join(', ')})` : undefined;
  };
  switch (expression.kind) {
    case 'AliasExpression':
      return expression.alias.name;
    case 'Literal':
      return literalName(expression, context);
    case 'ColumnRef': {
      const parts = expression.parts.map((p) => p.name);
      return parts.slice(context.qualifierLength(parts)).join('.');
    }
    case 'FunctionCall': {
      if ((expression.syntax && expression.syntax !== 'substring') || expression.over || expression.filter || expression.nullsAction) return undefined;
      let fn = PARSER_REWRITES[expression.name.name.toLowerCase()] ?? columnNameFunction(expression.name.name);
      if (expression.distinct) {
        if (fn !== 'count') return undefined;
        fn = 'countDistinct';
      }
      if (fn === 'tuple' && expression.arguments.length > 1 && expression.arguments.every(isConstantLiteral)) return tupleName(expression.arguments, name);
      const args = expression.arguments.filter((a) => !(fn === 'count' && a.kind === 'Asterisk'));
      if (expression.parameters) {
        const parameters = call(fn, expression.parameters);
        const argumentList = call('', args);
        return parameters && argumentList ? parameters + argumentList : undefined;
      }
      return call(fn, args);
    }
    case 'BinaryExpression': {
      if (expression.escape) return undefined;
      const fn = operatorFunction(expression.operator);
      if (fn === 'in' || fn === 'notIn' || fn === 'globalIn' || fn === 'globalNotIn') {
        const right = expression.right;
        if (right.kind === 'TupleExpression' && right.elements.length === 1) return call(fn, [expression.left, right.elements[0]]);
        if (right.kind === 'TupleExpression' && !right.elements.every(isConstantLiteral)) return undefined;
      }
      const args = VARIADIC.has(fn) ? flatten(expression, expression.operator) : [expression.left, expression.right];
      return call(fn, args);
    }
    case 'UnaryExpression':
      return call(expression.operator === 'NOT' ? 'not' : 'negate', [expression.operand]);
    case 'IsNullExpression':
      return call(expression.negated ? 'isNotNull' : 'isNull', [expression.operand]);
    case 'BetweenExpression': {
      if (expression.negated) return undefined;
      const low = call('greaterOrEquals', [expression.operand, expression.low]);
      const high = call('lessOrEquals', [expression.operand, expression.high]);
      return low && high ? `and(${low}, ${high})` : undefined;
    }
    case 'TernaryExpression':
      return call('if', [expression.condition, expression.whenTrue, expression.whenFalse]);
    case 'CaseExpression': {
      const args: Expression[] = expression.operand ? [expression.operand] : [];
      for (const branch of expression.branches) args.push(branch.when, branch.then);
      const rest = expression.else ? name(expression.else) : 'NULL';
      const head = call(expression.operand ? 'caseWithExpression' : 'multiIf', args);
      return head && rest ? `${head.slice(0, -1)}, ${rest})` : undefined;
    }
    case 'CastExpression': {
      const value = name(expression.expression);
      return value === undefined ? undefined : `CAST(${value}, ${quoteString(printDataType(expression.type))})`;
    }
    case 'IntervalExpression': {
      if (!expression.unit) return undefined;
      const unit = expression.unit.toUpperCase().replace(/S$/, '');
      const known = ['NANOSECOND', 'MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
      if (!known.includes(unit)) return undefined;
      return call(`toInterval${unit[0]}${unit.slice(1).toLowerCase()}`, [expression.value]);
    }
    case 'TupleExpression':
      return expression.elements.every(isConstantLiteral) && expression.elements.length > 1 ? tupleName(expression.elements, name) : undefined;
    case 'ArrayExpression': {
      if (!expression.elements.every(isConstantLiteral)) return undefined;
      const printed = expression.elements.map(name);
      return printed.every((p) => p !== undefined) ? `[${printed.join(', ')}]` : undefined;
    }
    case 'ArrayElement':
      return call('arrayElement', [expression.array, expression.index]);
    case 'TupleElement':
      if (expression.element.kind !== 'Literal' || expression.element.type !== 'number') return undefined;
      return call('tupleElement', [expression.tuple, expression.element]);
    default:
      return undefined;
  }
}

function tupleName(elements: readonly Expression[], name: (e: Expression) => string | undefined): string | undefined {
  const printed = elements.map(name);
  return printed.every((p) => p !== undefined) ? `(${printed.join(', ')})` : undefined;
}

/** Literals ClickHouse folds into a constant tuple or array when all elements are literals. */
function isConstantLiteral(expression: Expression): boolean {
  if (expression.kind === 'Literal') return true;
  if (expression.kind === 'UnaryExpression' && expression.operator === '-')
    return expression.operand.kind === 'Literal' && expression.operand.type === 'number';
  return false;
}

function literalName(literal: Extract<Expression, { kind: 'Literal' }>, context: NameContext): string | undefined {
  switch (literal.type) {
    case 'number':
      return context.numberText(literal.value);
    case 'string':
      return quoteString(literal.value);
    case 'null':
      return 'NULL';
    case 'boolean':
      return literal.value.toLowerCase();
  }
}

function flatten(expression: Expression, operator: BinaryOperator): Expression[] {
  if (expression.kind === 'BinaryExpression' && expression.operator === operator)
    return [...flatten(expression.left, operator), ...flatten(expression.right, operator)];
  return [expression];
}
