import { bindQuery, type TableSource } from '../bind/binder.js';
import { canonicalFunctionName } from '../semantics/functions.js';
import type {
  BinaryOperator,
  DataType,
  DataTypeArgument,
  Expression,
  FunctionCall,
  OrderByElement,
  SelectQuery,
  SelectStatement,
  TableExpression,
  WindowSpec,
} from '../syntax/ast.js';

// The canonical form of an expression is the function-call tree ClickHouse's parser builds from it,
// printed with lower-cased function names: `a + b` and `plus(a, b)` print the same, as do `a || b`
// and `concat(a, b)`, `CASE` and `multiIf`, `INTERVAL 1 DAY` and `toIntervalDay(1)`. Parentheses,
// spacing, quoting and keyword case never reach it.

export interface CanonContext {
  /** The database unqualified table names meant when the object was created (ClickHouse qualifies them). */
  database: string;
  /**
   * What each FROM and JOIN reads (a table, or a CTE, which is not qualified), as the binder resolved
   * it for the outermost query being printed; a query printed without it is bound first.
   */
  sources?: ReadonlyMap<TableExpression, TableSource>;
}

const OPERATOR_FUNCTIONS: Record<BinaryOperator, string> = {
  OR: 'or',
  AND: 'and',
  '=': 'equals',
  '!=': 'notequals',
  '<': 'less',
  '>': 'greater',
  '<=': 'lessorequals',
  '>=': 'greaterorequals',
  '<=>': 'isnotdistinctfrom',
  'IS DISTINCT FROM': 'isdistinctfrom',
  LIKE: 'like',
  'NOT LIKE': 'notlike',
  ILIKE: 'ilike',
  'NOT ILIKE': 'notilike',
  REGEXP: 'match',
  IN: 'in',
  'NOT IN': 'notin',
  'GLOBAL IN': 'globalin',
  'GLOBAL NOT IN': 'globalnotin',
  '+': 'plus',
  '-': 'minus',
  '||': 'concat',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulo',
  DIV: 'intdiv',
  MOD: 'modulo',
};

/** Functions ClickHouse merges into one call with many arguments. */
const VARIADIC = new Set(['and', 'or', 'concat']);

const EXTRACT_FUNCTIONS: Record<string, string> = {
  YEAR: 'toyear',
  QUARTER: 'toquarter',
  MONTH: 'tomonth',
  WEEK: 'toisoweek',
  DAY: 'todayofmonth',
  HOUR: 'tohour',
  MINUTE: 'tominute',
  SECOND: 'tosecond',
};

const INTERVAL_UNITS: [RegExp, string][] = [
  [/^(NANOSECONDS?|NS)$/, 'Nanosecond'],
  [/^(MICROSECONDS?|US)$/, 'Microsecond'],
  [/^(MILLISECONDS?|MS)$/, 'Millisecond'],
  [/^(SECONDS?|SS|S)$/, 'Second'],
  [/^(MINUTES?|MI|N)$/, 'Minute'],
  [/^(HOURS?|HH|H)$/, 'Hour'],
  [/^(DAYS?|DD|D)$/, 'Day'],
  [/^(WEEKS?|WK|WW)$/, 'Week'],
  [/^(MONTHS?|MM|M)$/, 'Month'],
  [/^(QUARTERS?|QQ|Q)$/, 'Quarter'],
  [/^(YEARS?|YYYY|YY)$/, 'Year'],
];

function intervalFunction(unit: string): string {
  const upper = unit.toUpperCase();
  const match = INTERVAL_UNITS.find(([pattern]) => pattern.test(upper));
  return `tointerval${(match?.[1] ?? unit).toLowerCase()}`;
}

const call = (name: string, args: string[]) => `${name}(${args.join(', ')})`;

/** A number as a value: `0x10`, `16` and `1_6` are the same; `1.`, `1.0` and `1e0` are the same float. */
export function canonicalNumber(text: string): string {
  const negative = text.startsWith('-');
  const body = (negative ? text.slice(1) : text).replace(/_/g, '').toLowerCase();
  const sign = negative ? '-' : '';
  if (body === 'inf' || body === 'infinity') return `${sign}inf`;
  if (body === 'nan') return 'nan';
  if (/^0x[0-9a-f]+$/.test(body)) return sign + BigInt(body).toString();
  if (/^0b[01]+$/.test(body)) return sign + BigInt(body).toString();
  if (/^\d+$/.test(body)) {
    const value = BigInt(body);
    // Beyond UInt64 ClickHouse reads the literal as a Float64.
    if (value <= 18446744073709551615n) return sign + value.toString();
  }
  const value = Number(body.startsWith('0x') ? Number.parseFloat(body) : body);
  const printed = Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.` : String(value);
  return sign + printed;
}

export function canonicalExpression(expression: Expression, context: CanonContext): string {
  const print = (e: Expression) => canonicalExpression(e, context);
  switch (expression.kind) {
    case 'Literal':
      switch (expression.type) {
        case 'number':
          return canonicalNumber(expression.value);
        case 'string':
          return JSON.stringify(expression.value);
        case 'null':
          return 'NULL';
        default:
          return expression.value;
      }
    case 'ColumnRef':
      return expression.parts.map((p) => p.name).join('.');
    case 'Asterisk':
      return [...expression.qualifier.map((q) => q.name), '*'].join('.') + transformers(expression.transformers, print);
    case 'ColumnsMatcher':
      return `${expression.qualifier.map((q) => `${q.name}.`).join('')}COLUMNS(${expression.arguments.map(print).join(', ')})${transformers(expression.transformers, print)}`;
    case 'FunctionCall':
      return canonicalCall(expression, context);
    case 'BinaryExpression': {
      const name = OPERATOR_FUNCTIONS[expression.operator];
      const args = VARIADIC.has(name) ? flatten(expression, name).map(print) : [print(expression.left), print(expression.right)];
      if (expression.escape) args.push(print(expression.escape));
      return call(name, args);
    }
    case 'UnaryExpression':
      return call(expression.operator === 'NOT' ? 'not' : 'negate', [print(expression.operand)]);
    case 'IsNullExpression':
      return call(expression.negated ? 'isnotnull' : 'isnull', [print(expression.operand)]);
    case 'BetweenExpression': {
      const [x, low, high] = [print(expression.operand), print(expression.low), print(expression.high)];
      return expression.negated
        ? call('or', [call('less', [x, low]), call('greater', [x, high])])
        : call('and', [call('greaterorequals', [x, low]), call('lessorequals', [x, high])]);
    }
    case 'TernaryExpression':
      return call('if', [print(expression.condition), print(expression.whenTrue), print(expression.whenFalse)]);
    case 'CaseExpression': {
      const args = expression.branches.flatMap((b) => [print(b.when), print(b.then)]);
      args.push(expression.else ? print(expression.else) : 'NULL');
      return expression.operand ? call('casewithexpression', [print(expression.operand), ...args]) : call('multiif', args);
    }
    case 'CastExpression': {
      // `1::Int16` casts the literal's text (`CAST('1', 'Int16')`); `CAST(x AS T)` casts the value.
      const operand =
        expression.syntax === '::' && expression.expression.kind === 'Literal' && expression.expression.type === 'number'
          ? JSON.stringify(expression.expression.value)
          : print(expression.expression);
      return call('cast', [operand, JSON.stringify(typeText(expression.type))]);
    }
    case 'IntervalExpression': {
      if (expression.unit) return call(intervalFunction(expression.unit), [print(expression.value)]);
      // INTERVAL '1 day' is read at parse time into toIntervalDay(1).
      const text = expression.value.kind === 'Literal' ? expression.value.value.trim() : '';
      const match = text.match(/^(-?\d+(?:\.\d+)?)\s+(\w+)$/);
      return match ? call(intervalFunction(match[2]), [canonicalNumber(match[1])]) : call('tointerval', [print(expression.value)]);
    }
    case 'TupleExpression':
      return call('tuple', expression.elements.map(print));
    case 'ArrayExpression':
      return call('array', expression.elements.map(print));
    case 'MapExpression':
      return call(
        'map',
        expression.entries.flatMap((e) => [print(e.key), print(e.value)]),
      );
    case 'SubqueryExpression':
      return `(${canonicalQuery(expression.query, context)})`;
    case 'ExistsExpression':
      return call('exists', [`(${canonicalQuery(expression.query, context)})`]);
    case 'LambdaExpression':
      return call('lambda', [
        call(
          'tuple',
          expression.parameters.map((p) => p.name),
        ),
        print(expression.body),
      ]);
    case 'ArrayElement':
      return call('arrayelement', [print(expression.array), print(expression.index)]);
    case 'TupleElement':
      return call('tupleelement', [
        print(expression.tuple),
        expression.element.kind === 'Literal' ? expression.element.value : JSON.stringify(expression.element.name),
      ]);
    case 'QueryParameter':
      return `{${expression.name}:${typeText(expression.type)}}`;
    case 'AliasExpression':
      return `${print(expression.expression)} AS ${expression.alias.name}`;
  }
}

/** Collects the operands of nested `and`/`or`/`concat`, written as operators, calls or BETWEEN. */
function flatten(expression: Expression, name: string): Expression[] {
  if (expression.kind === 'BinaryExpression' && OPERATOR_FUNCTIONS[expression.operator] === name)
    return [...flatten(expression.left, name), ...flatten(expression.right, name)];
  // BETWEEN is an `and` of two comparisons (NOT BETWEEN an `or`), merged with the chain around it.
  if (expression.kind === 'BetweenExpression' && name === (expression.negated ? 'or' : 'and')) {
    const compare = (operator: BinaryOperator, right: Expression): Expression => ({
      ...expression,
      kind: 'BinaryExpression',
      operator,
      left: expression.operand,
      right,
    });
    return expression.negated ? [compare('<', expression.low), compare('>', expression.high)] : [compare('>=', expression.low), compare('<=', expression.high)];
  }
  if (expression.kind === 'FunctionCall' && !expression.syntax && expression.name.name.toLowerCase() === name && !expression.parameters)
    return expression.arguments.flatMap((a) => flatten(a, name));
  return [expression];
}

function canonicalCall(fn: FunctionCall, context: CanonContext): string {
  const print = (e: Expression) => canonicalExpression(e, context);
  const args = fn.arguments.map(print);
  // Aliases are stored under the function they name (`trim(x)` as `trimBoth(x)`).
  let name = canonicalFunctionName(fn.name.name).toLowerCase();
  switch (fn.syntax) {
    case 'extract':
      return call(EXTRACT_FUNCTIONS[fn.modifier ?? ''] ?? `extract${(fn.modifier ?? '').toLowerCase()}`, args);
    case 'trim':
      return call(fn.modifier === 'LEADING' ? 'trimleft' : fn.modifier === 'TRAILING' ? 'trimright' : 'trimboth', [args[1], args[0]]);
    case 'position':
      return call('position', [args[1], args[0]]);
    case 'typed-literal':
      return call(name === 'date' ? 'todate' : 'todatetime', args);
  }
  if (VARIADIC.has(name) && !fn.parameters) return call(name, flatten(fn, name).map(print));
  if (name === 'cast' && fn.arguments.length === 2 && fn.arguments[1].kind === 'Literal') {
    // The type inside CAST's string is compared without spacing: 'Decimal(10,2)' is 'Decimal(10, 2)'.
    return call('cast', [args[0], JSON.stringify(fn.arguments[1].value.replace(/\s+/g, ''))]);
  }
  let allArgs = args;
  if (fn.filter) {
    // `sum(x) FILTER (WHERE c)` is `sumIf(x, c)`.
    name = `${name}if`;
    allArgs = [...args, print(fn.filter)];
  }
  let text = fn.parameters ? `${name}(${fn.parameters.map(print).join(', ')})(${allArgs.join(', ')})` : call(name, allArgs);
  if (fn.distinct) text = text.replace('(', '(DISTINCT ');
  if (fn.nullsAction) text += ` ${fn.nullsAction}`;
  if (fn.over) text += ` OVER ${fn.over.kind === 'Identifier' ? fn.over.name : windowSpec(fn.over, context)}`;
  return text;
}

function transformers(list: { transformer: string; strict: boolean; items: Expression[] }[], print: (e: Expression) => string): string {
  return list.map((t) => ` ${t.transformer}${t.strict ? ' STRICT' : ''} (${t.items.map(print).join(', ')})`).join('');
}

/**
 * A type as written, without spaces: ClickHouse stores `CAST(x AS INT)` as `CAST(x, 'INT')`, keeping
 * the type's spelling (no alias resolution), so `CAST(x, 'INT')` and `x::INT` compare equal to it.
 */
function typeText(type: DataType): string {
  const argument = (a: DataTypeArgument): string => {
    switch (a.kind) {
      case 'DataType':
        return typeText(a);
      case 'NamedDataType':
        return `${a.name.map((n) => n.name).join('.')}${typeText(a.type)}`;
      case 'JsonSkip':
        return a.regexp ? `SKIPREGEXP${argument(a.path as Expression)}` : `SKIP${(a.path as { name: string }[]).map((n) => n.name).join('.')}`;
      case 'BinaryExpression':
        return a.operator === '=' ? `${argument(a.left)}=${argument(a.right)}` : canonicalExpression(a, { database: '' });
      case 'Literal':
        return a.type === 'string' ? `'${a.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : a.value;
      default:
        return canonicalExpression(a, { database: '' });
    }
  };
  const args = type.arguments?.map(argument).join(',');
  return `${type.name}${args === undefined ? '' : `(${args})`}`.replace(/\s+/g, '');
}

function windowSpec(spec: WindowSpec, context: CanonContext): string {
  const parts: string[] = [];
  if (spec.baseWindow) parts.push(spec.baseWindow.name);
  if (spec.partitionBy.length) parts.push(`PARTITION BY ${spec.partitionBy.map((e) => canonicalExpression(e, context)).join(', ')}`);
  if (spec.orderBy.length) parts.push(`ORDER BY ${orderBy(spec.orderBy, context)}`);
  if (spec.frame) {
    const bound = (b: NonNullable<WindowSpec['frame']>['from']) => (b.offset ? `${canonicalExpression(b.offset, context)} ${b.bound}` : b.bound);
    parts.push(`${spec.frame.unit} BETWEEN ${bound(spec.frame.from)} AND ${spec.frame.to ? bound(spec.frame.to) : 'CURRENT ROW'}`);
  }
  return `(${parts.join(' ')})`;
}

function orderBy(elements: OrderByElement[], context: CanonContext): string {
  return elements
    .map((e) => {
      let text = canonicalExpression(e.expression, context);
      if (e.direction === 'DESC') text += ' DESC';
      if (e.nulls) text += ` NULLS ${e.nulls}`;
      if (e.collate) text += ` COLLATE ${JSON.stringify(e.collate.value)}`;
      if (e.withFill) {
        text += ' WITH FILL';
        for (const key of ['from', 'to', 'step', 'staleness'] as const) {
          const value = e.withFill[key];
          if (value) text += ` ${key.toUpperCase()} ${canonicalExpression(value, context)}`;
        }
      }
      return text;
    })
    .join(', ');
}

/** A query's canonical text; unqualified tables are qualified with the context database, as ClickHouse stores them. */
export function canonicalQuery(query: SelectQuery, outer: CanonContext): string {
  const context = outer.sources ? outer : { ...outer, sources: bindQuery(query, { database: outer.database }).sources };
  const parts: string[] = [];
  if (query.with.length) parts.push(`WITH ${query.with.map((w) => withElement(w, context)).join(', ')}`);
  query.selects.forEach((select, i) => {
    if (i > 0) parts.push(query.operators[i - 1] === 'UNION' ? 'UNION ALL' : query.operators[i - 1]);
    parts.push(select.kind === 'SelectQuery' ? `(${canonicalQuery(select, context)})` : canonicalSelect(select, context));
  });
  if (query.settings) parts.push(`SETTINGS ${settings(query.settings.items, context)}`);
  return parts.join(' ');
}

function withElement(w: SelectStatement['with'][number], context: CanonContext): string {
  if (w.form === 'subquery') {
    const columns = w.columns ? `(${w.columns.map((c) => c.name).join(', ')})` : '';
    return `${w.name.name}${columns} AS ${canonicalExpression(w.value, context)}`;
  }
  return w.name ? `${canonicalExpression(w.value, context)} AS ${w.name.name}` : canonicalExpression(w.value, context);
}

function settings(items: { name: { name: string }; value?: Expression }[], context: CanonContext): string {
  return [...items]
    .sort((a, b) => a.name.name.localeCompare(b.name.name))
    .map((s) => (s.value ? `${s.name.name} = ${canonicalExpression(s.value, context)}` : s.name.name))
    .join(', ');
}

export function canonicalSettings(items: { name: { name: string }; value?: Expression }[]): string {
  return settings(items, { database: '' });
}

function canonicalSelect(select: SelectStatement, context: CanonContext): string {
  const print = (e: Expression) => canonicalExpression(e, context);
  const parts: string[] = [];
  if (select.with.length) parts.push(`WITH ${select.withRecursive ? 'RECURSIVE ' : ''}${select.with.map((w) => withElement(w, context)).join(', ')}`);
  parts.push('SELECT');
  if (select.distinct) parts.push(select.distinctOn ? `DISTINCT ON (${select.distinctOn.map(print).join(', ')})` : 'DISTINCT');
  if (select.top) parts.push(`TOP ${print(select.top.count)}${select.top.withTies ? ' WITH TIES' : ''}`);
  parts.push(select.columns.map(print).join(', '));
  if (select.from) {
    parts.push(`FROM ${tableExpression(select.from.table, context)}`);
    for (const join of select.from.joins) {
      if (join.kind === 'ArrayJoinClause') parts.push(`${join.left ? 'LEFT ' : ''}ARRAY JOIN ${join.expressions.map(print).join(', ')}`);
      else {
        let text = `${join.joinType === ',' ? 'CROSS' : join.joinType.replace(/\bOUTER\b ?/, '').trim() || 'INNER'} JOIN ${tableExpression(join.table, context)}`;
        if (join.on) text += ` ON ${print(join.on)}`;
        if (join.using) text += ` USING (${join.using.map(print).join(', ')})`;
        parts.push(text);
      }
    }
  }
  if (select.prewhere) parts.push(`PREWHERE ${print(select.prewhere)}`);
  if (select.where) parts.push(`WHERE ${print(select.where)}`);
  if (select.groupBy) {
    const g = select.groupBy;
    if (g.all) parts.push('GROUP BY ALL');
    else if (g.groupingSets) parts.push(`GROUP BY GROUPING SETS (${g.groupingSets.map((s) => `(${s.map(print).join(', ')})`).join(', ')})`);
    else if (g.expressions.length) parts.push(`GROUP BY ${g.expressions.map(print).join(', ')}`);
    if (g.modifier) parts.push(`WITH ${g.modifier}`);
    if (g.withTotals) parts.push('WITH TOTALS');
  }
  if (select.having) parts.push(`HAVING ${print(select.having)}`);
  if (select.window.length) parts.push(`WINDOW ${select.window.map((w) => `${w.name.name} AS ${windowSpec(w.spec, context)}`).join(', ')}`);
  if (select.qualify) parts.push(`QUALIFY ${print(select.qualify)}`);
  if (select.orderBy)
    parts.push(select.orderBy.all ? `ORDER BY ALL${select.orderBy.allDescending ? ' DESC' : ''}` : `ORDER BY ${orderBy(select.orderBy.elements, context)}`);
  if (select.limitBy)
    parts.push(
      `LIMIT ${select.limitBy.offset ? `${print(select.limitBy.offset)}, ` : ''}${print(select.limitBy.limit)} BY ${select.limitBy.by.map(print).join(', ')}`,
    );
  if (select.limit) parts.push(`LIMIT ${print(select.limit.count)}${select.limit.withTies ? ' WITH TIES' : ''}`);
  const offset = select.limit?.offset ?? select.offset;
  if (offset) parts.push(`OFFSET ${print(offset)}`);
  if (select.settings) parts.push(`SETTINGS ${settings(select.settings.items, context)}`);
  return parts.join(' ');
}

function tableExpression(table: TableExpression, context: CanonContext): string {
  const source = table.source;
  let text: string;
  if (source.kind === 'QualifiedName') {
    const isCte = context.sources?.get(table)?.kind === 'cte';
    text = isCte ? source.name.name : `${source.database?.name ?? context.database}.${source.name.name}`;
  } else if (source.kind === 'SubqueryExpression') text = `(${canonicalQuery(source.query, context)})`;
  else text = canonicalExpression(source.call, context);
  if (table.alias) text += ` AS ${table.alias.name}`;
  if (table.final) text += ' FINAL';
  if (table.sample)
    text += ` SAMPLE ${canonicalExpression(table.sample.ratio, context)}${table.sample.offset ? ` OFFSET ${canonicalExpression(table.sample.offset, context)}` : ''}`;
  return text;
}
