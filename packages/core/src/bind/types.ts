import { innerType, parseDataType, printDataType } from '../semantics/dataTypes.js';
import { AGGREGATE_COMBINATORS } from '../semantics/functions.generated.js';
import { aggregateStateVersion, canonicalFunctionName } from '../semantics/functions.js';
import { functionResultType, leastSupertype, nullableOf } from '../semantics/functionTypes.js';
import { entriesOf } from '../semantics/lines.js';
import type { DataType as DataTypeNode, Expression, FunctionCall, Identifier, SelectQuery, SelectStatement, WithElement } from '../syntax/ast.js';
import { bindQuery, type Catalog, type QueryBinding, type TableSource } from './binder.js';
import { columnName, operatorFunction } from './columnNames.js';

// The output columns of a SELECT with their types, as ClickHouse would give them to a view that
// stores them: names through the binder's symbols, types from the catalog's columns, literals, CAST,
// and the function result types chDB gave for probed signatures (semantics/functionTypes.ts).
// Whatever is not covered is reported as not inferable with the reason, never guessed.

/** A column of a table as the type inference needs it. */
export interface TypedColumn {
  name: string;
  /** The type as ClickHouse prints it (`Nullable(UInt32)`). */
  type: string;
  /** Whether `SELECT *` includes it (not MATERIALIZED, ALIAS or EPHEMERAL). */
  inStar: boolean;
}

/** A catalog that also knows each table's typed columns, in table order, and dictionary attributes. */
export interface TypeCatalog extends Catalog {
  typedColumnsOf(tableId: string): readonly TypedColumn[] | undefined;
  /** The type of a dictionary's attribute (by dictionary id `db.name`), for dictGet. */
  dictionaryAttributeType?(dictionaryId: string, attribute: string): string | undefined;
}

/** One output column: its name and type, or why it is not known. */
export interface OutputColumn {
  name?: string;
  type?: string;
  /** Why the name or the type is not inferable (undefined when both are known). */
  problem?: string;
}

export interface TypeOptions {
  database: string;
  catalog: TypeCatalog;
  /** A data type written in the query (CAST, a query parameter) as ClickHouse prints it. */
  typeText(type: DataTypeNode): string;
  /** A number literal as ClickHouse prints it in a column name (`1e3` is `1000.`). */
  numberText(text: string): string;
}

type Typed = { type: string } | { problem: string };

const combinators = entriesOf(AGGREGATE_COMBINATORS).map(([name]) => name);

/** Output columns of a query, in order; a column whose name or type is not known has a `problem`. */
export function inferOutputColumns(query: SelectQuery, options: TypeOptions): OutputColumn[] {
  return new TypeInference(options, bindQuery(query, { database: options.database, catalog: options.catalog })).outputsOf(query);
}

class TypeInference {
  private readonly outputs = new Map<SelectQuery, OutputColumn[]>();
  /** Aliases and WITH expressions being typed, to stop on a cycle. */
  private readonly visiting = new Set<object>();
  /** CTE queries found reading themselves (WITH RECURSIVE). */
  private readonly recursive = new Set<SelectQuery>();
  /** Types of lambda parameters while their lambda's body is typed. */
  private readonly lambdaTypes = new Map<Identifier, string>();

  constructor(
    private readonly options: TypeOptions,
    private readonly binding: QueryBinding,
  ) {}

  outputsOf(query: SelectQuery): OutputColumn[] {
    const known = this.outputs.get(query);
    if (known) return known;
    // A CTE of WITH RECURSIVE reads itself: its types are not inferred, since ClickHouse widens them
    // as it iterates (chDB 26.7: `0 AS depth ... UNION ALL ... depth + 1` is UInt64).
    if (this.visiting.has(query)) {
      this.recursive.add(query);
      return [{ problem: 'a recursive CTE reading itself' }];
    }
    this.visiting.add(query);
    let result = this.unionOutputs(query);
    this.visiting.delete(query);
    if (this.recursive.has(query)) result = result.map((c) => ({ ...(c.name !== undefined ? { name: c.name } : {}), problem: 'a column of a recursive CTE' }));
    this.outputs.set(query, result);
    return result;
  }

  private unionOutputs(query: SelectQuery): OutputColumn[] {
    const selects = query.selects.map((s) => (s.kind === 'SelectQuery' ? this.outputsOf(s) : this.selectOutputs(s)));
    let result = selects[0] ?? [];
    if (selects.length > 1) {
      const widths = new Set(selects.map((s) => s.length));
      const unions = query.operators.every((o) => o.startsWith('UNION'));
      result = result.map((column, i) => {
        if (widths.size > 1 || !unions) return { ...column, problem: 'a UNION, EXCEPT or INTERSECT whose parts are not all inferable' };
        const types = selects.map((s) => s[i].type);
        if (column.problem || types.some((t) => t === undefined))
          return { ...column, problem: column.problem ?? selects.find((s) => s[i].problem)?.[i].problem };
        const type = leastSupertype(types as string[]);
        return type ? { name: column.name, type } : { name: column.name, problem: `no known common type of ${types.join(', ')} in the UNION` };
      });
    }
    return result;
  }

  private selectOutputs(select: SelectStatement): OutputColumn[] {
    const sources = [select.from?.table, ...(select.from?.joins ?? []).flatMap((j) => (j.kind === 'JoinClause' ? [j.table] : []))].flatMap((t) =>
      t ? [{ table: t, source: this.binding.sources.get(t) }] : [],
    );
    const joined = sources.length > 1;
    const hasArrayJoin = (select.from?.joins ?? []).some((j) => j.kind === 'ArrayJoinClause');
    const qualifiers = sources.map(({ table, source }) => {
      const names = new Set<string>();
      if (table.alias) names.add(table.alias.name);
      if (source?.kind === 'table') {
        names.add(source.name.name.name);
        names.add(source.id);
      } else if (source?.kind === 'cte') names.add(source.element.name.name);
      return names;
    });
    const nameContext = {
      numberText: this.options.numberText,
      qualifierLength: (parts: readonly string[]) => {
        // ClickHouse drops the qualifier of the first source's columns; other sources' columns keep it (`y.b`).
        for (const length of [2, 1]) {
          const index = qualifiers.findIndex((q) => parts.length > length && q.has(parts.slice(0, length).join('.')));
          if (index === 0) return length;
          if (index > 0) return 0;
        }
        return 0;
      },
    };
    const columns: OutputColumn[] = [];
    for (const expression of select.columns) {
      if (expression.kind === 'Asterisk') {
        const star = this.binding.stars.get(expression);
        if (
          !star ||
          (joined && expression.qualifier.length === 0) ||
          star.sources.length !== 1 ||
          expression.transformers.some((t) => t.transformer !== 'EXCEPT')
        ) {
          return [{ problem: '`*` over several sources or with REPLACE/APPLY' }];
        }
        const expanded = this.sourceColumns(star.sources[0]);
        if (!expanded) return [{ problem: `\`*\` over ${describeSource(star.sources[0])}, whose columns are not known` }];
        columns.push(...expanded.filter((c) => c.name === undefined || !star.except.includes(c.name)));
        continue;
      }
      if (expression.kind === 'ColumnsMatcher') return [{ problem: 'COLUMNS(...) matchers' }];
      const name = columnName(expression, nameContext);
      const typed = hasArrayJoin ? { problem: 'ARRAY JOIN' } : this.typeOf(expression);
      const column: OutputColumn = {};
      if (name !== undefined) column.name = name;
      if ('type' in typed) column.type = typed.type;
      const problem = name === undefined ? 'the column name ClickHouse gives this expression is not known' : 'problem' in typed ? typed.problem : undefined;
      if (problem) column.problem = problem;
      columns.push(column);
    }
    return columns;
  }

  /** The columns a source gives `*`, or undefined when they are not known. */
  private sourceColumns(source: TableSource): OutputColumn[] | undefined {
    if (source.kind === 'table') return this.options.catalog.typedColumnsOf(source.id)?.flatMap((c) => (c.inStar ? [{ name: c.name, type: c.type }] : []));
    if (source.kind === 'table-function') return undefined;
    const outputs = this.outputsOf(source.query);
    // `WITH t (a, b) AS (...)`: the names replace the query's, in order (a count that differs is ClickHouse's error to give).
    const names = source.kind === 'cte' ? source.element.columns : undefined;
    if (!names || !outputs) return outputs;
    return outputs.map((column, i) => (names[i] ? { ...column, name: names[i].name } : column));
  }

  typeOf(expression: Expression): Typed {
    switch (expression.kind) {
      case 'Literal':
        return literalType(expression);
      case 'AliasExpression':
        return this.typeOf(expression.expression);
      case 'ColumnRef':
        return this.columnType(expression);
      case 'CastExpression':
        return this.known(this.typeOf(expression.expression), () => ({ type: this.options.typeText(expression.type) }));
      case 'QueryParameter':
        return { problem: 'query parameters' };
      case 'FunctionCall':
        return this.callType(expression);
      case 'BinaryExpression': {
        const fn = operatorFunction(expression.operator);
        if (expression.escape) return { problem: 'LIKE ... ESCAPE' };
        if (fn === 'in' || fn === 'notIn' || fn === 'globalIn' || fn === 'globalNotIn') {
          return this.known(this.typeOf(expression.left), (left) =>
            left.startsWith('Nullable(') ? { problem: 'IN over a Nullable value' } : { type: 'UInt8' },
          );
        }
        if (fn === 'and' || fn === 'or') return this.logicalType([expression.left, expression.right]);
        return this.applied(fn, [expression.left, expression.right]);
      }
      case 'UnaryExpression':
        return this.applied(expression.operator === 'NOT' ? 'not' : 'negate', [expression.operand]);
      case 'IsNullExpression':
        return this.known(this.typeOf(expression.operand), () => ({ type: 'UInt8' }));
      case 'BetweenExpression':
        return this.logicalType([
          { kind: 'BinaryExpression', operator: '>=', left: expression.operand, right: expression.low, start: 0, end: 0 },
          { kind: 'BinaryExpression', operator: '<=', left: expression.operand, right: expression.high, start: 0, end: 0 },
        ]);
      case 'TernaryExpression':
        return this.conditional([expression.condition], [expression.whenTrue, expression.whenFalse]);
      case 'CaseExpression': {
        if (expression.operand) return { problem: 'CASE with an operand' };
        const results = expression.branches.map((b) => b.then);
        const nullElse: Expression = { kind: 'Literal', type: 'null', value: 'NULL', start: 0, end: 0 };
        return this.conditional(
          expression.branches.map((b) => b.when),
          [...results, expression.else ?? nullElse],
        );
      }
      case 'IntervalExpression': {
        const unit = expression.unit?.toUpperCase().replace(/S$/, '');
        if (!unit || !/^(NANOSECOND|MICROSECOND|MILLISECOND|SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|QUARTER|YEAR)$/.test(unit))
          return { problem: 'INTERVAL without a unit' };
        return { type: `Interval${unit[0]}${unit.slice(1).toLowerCase()}` };
      }
      case 'TupleExpression':
        return this.allKnown(expression.elements, (types) => ({ type: `Tuple(${types.join(', ')})` }));
      case 'ArrayExpression':
        if (expression.elements.length === 0) return { type: 'Array(Nothing)' };
        return this.allKnown(expression.elements, (types) => {
          const element = leastSupertype(types);
          // An array literal of numbers with no common type (UInt64 and Int64) is not a Variant as if() would make.
          if (!element || element.includes('Variant(')) return { problem: `no known common type of ${types.join(', ')}` };
          return { type: `Array(${element})` };
        });
      case 'ArrayElement':
        return this.known(this.typeOf(expression.array), (container) => {
          const type = parseDataType(container);
          const element = type.name === 'Array' ? innerType(type) : undefined;
          if (element) return { type: printDataType(element) };
          if (type.name === 'Map' && type.args[1]?.kind === 'type') return { type: printDataType(type.args[1].type) };
          return { problem: `an element of ${container}` };
        });
      case 'TupleElement':
        return this.known(this.typeOf(expression.tuple), (tuple) => tupleElementType(tuple, expression.element));
      default:
        return { problem: `${expression.kind} expressions` };
    }
  }

  private known(typed: Typed, then: (type: string) => Typed): Typed {
    return 'type' in typed ? then(typed.type) : typed;
  }

  private allKnown(expressions: readonly Expression[], then: (types: string[]) => Typed): Typed {
    const types: string[] = [];
    for (const expression of expressions) {
      const typed = this.typeOf(expression);
      if ('problem' in typed) return typed;
      types.push(typed.type);
    }
    return then(types);
  }

  private applied(fn: string, args: readonly Expression[]): Typed {
    return this.allKnown(args, (types) => {
      const result = functionResultType(fn, types);
      return result ? { type: result } : { problem: `${fn}(${types.join(', ')}) is not in the generated function types` };
    });
  }

  /** AND/OR: UInt8, Nullable(UInt8) when an argument is Nullable. */
  private logicalType(args: readonly Expression[]): Typed {
    return this.allKnown(args, (types) => {
      if (types.some((t) => t.startsWith('LowCardinality('))) return { problem: 'AND/OR over LowCardinality' };
      return { type: types.some((t) => t.startsWith('Nullable(')) ? 'Nullable(UInt8)' : 'UInt8' };
    });
  }

  /** if, multiIf, CASE: the least supertype of the results. */
  private conditional(conditions: readonly Expression[], results: readonly Expression[]): Typed {
    return this.allKnown(conditions, (conditionTypes) => {
      if (conditionTypes.some((t) => t !== 'UInt8' && t !== 'Bool')) return { problem: `a condition of type ${conditionTypes.join(', ')}` };
      return this.allKnown(results, (types) => {
        const type = leastSupertype(types);
        return type ? { type } : { problem: `no known common type of ${types.join(', ')}` };
      });
    });
  }

  private columnType(ref: Extract<Expression, { kind: 'ColumnRef' }>): Typed {
    const symbol = this.binding.symbols.get(ref);
    if (!symbol) return { problem: `\`${ref.parts.map((p) => p.name).join('.')}\` is not bound` };
    switch (symbol.kind) {
      case 'column': {
        if (!symbol.known || symbol.tables.length !== 1) return { problem: `column \`${symbol.column}\` of no single known table` };
        const column = this.options.catalog.typedColumnsOf(symbol.tables[0])?.find((c) => c.name === symbol.column);
        return column ? { type: column.type } : { problem: `the type of \`${symbol.tables[0]}.${symbol.column}\` (a subcolumn?)` };
      }
      case 'source-column': {
        const columns = this.sourceColumns(symbol.source);
        const column = columns?.find((c) => c.name === symbol.column);
        return column?.type ? { type: column.type } : { problem: `column \`${symbol.column}\` of ${describeSource(symbol.source)}` };
      }
      case 'alias': {
        // `n.x` where `n` is an alias and also a Nested column of a source: which one ClickHouse reads is not settled here.
        if (ref.parts.length > 1) return { problem: `\`${ref.parts.map((p) => p.name).join('.')}\`, whose first part is an alias` };
        const declaration = symbol.declaration;
        if (this.visiting.has(declaration)) return { problem: 'an alias that refers to itself' };
        this.visiting.add(declaration);
        try {
          return declaration.kind === 'AliasExpression' ? this.typeOf(declaration.expression) : this.withType(declaration);
        } finally {
          this.visiting.delete(declaration);
        }
      }
      case 'lambda-parameter': {
        const type = this.lambdaTypes.get(symbol.declaration);
        return type ? { type } : { problem: 'a lambda parameter' };
      }
      case 'table':
        return { problem: 'a table name' };
    }
  }

  private withType(element: WithElement): Typed {
    if (element.form === 'subquery') return { problem: 'a scalar subquery' };
    return this.typeOf(element.value);
  }

  private callType(call: FunctionCall): Typed {
    if (call.over) return { problem: 'window functions' };
    if (call.filter || call.nullsAction || call.syntax === 'typed-literal') return { problem: 'FILTER, IGNORE NULLS or a typed literal' };
    const name = canonicalFunctionName(call.name.name);
    const args = call.arguments.filter((a) => !(name === 'count' && a.kind === 'Asterisk'));
    if ((name === 'CAST' || name === '_CAST') && args.length === 2) {
      const target = args[1];
      if (target.kind !== 'Literal' || target.type !== 'string') return { problem: 'CAST to a type that is not a literal' };
      return this.known(this.typeOf(args[0]), () => ({ type: this.options.typeText(parseTypeText(target.value)) }));
    }
    if (name === 'if' && args.length === 3) return this.conditional([args[0]], [args[1], args[2]]);
    if (name === 'multiIf' && args.length % 2 === 1 && args.length >= 3) {
      const conditions = args.filter((_, i) => i % 2 === 0 && i < args.length - 1);
      const results = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
      return this.conditional(conditions, results);
    }
    if (/^dictGet/.test(name)) return this.dictGetType(name, args);
    if (name === 'tuple') return this.allKnown(args, (types) => ({ type: `Tuple(${types.join(', ')})` }));
    if (name === 'arrayMap' || name === 'arrayFilter') return this.higherOrderType(name, args);
    if (args.some((a) => a.kind === 'LambdaExpression')) return { problem: `${name} with a lambda` };
    if (call.distinct && name !== 'count') return { problem: `${name}(DISTINCT ...)` };
    return this.allKnown(args, (types) => {
      const direct = functionResultType(name, types);
      if (direct) return { type: direct };
      const combined = this.combinatorType(name, types, call);
      return combined ?? { problem: `${name}(${types.join(', ')}) is not in the generated function types` };
    });
  }

  /** dictGet('db.dict', 'attribute', key): the attribute's type; dictGetOrNull makes it Nullable. */
  private dictGetType(name: string, args: readonly Expression[]): Typed {
    const [dictionary, attribute] = args;
    if (dictionary?.kind !== 'Literal' || dictionary.type !== 'string' || attribute?.kind !== 'Literal' || attribute.type !== 'string')
      return { problem: `${name} with names that are not string literals` };
    if (name !== 'dictGet' && name !== 'dictGetOrDefault' && name !== 'dictGetOrNull') return { problem: `${name}` };
    const id = dictionary.value.includes('.') ? dictionary.value : `${this.options.database}.${dictionary.value}`;
    const type = this.options.catalog.dictionaryAttributeType?.(id, attribute.value);
    if (!type) return { problem: `attribute \`${attribute.value}\` of dictionary \`${id}\`` };
    return this.allKnown(args.slice(2), () => ({ type: name === 'dictGetOrNull' ? nullableOf(type) : type }));
  }

  /** arrayMap(x -> body, arr): Array(type of body); arrayFilter keeps the array's type. */
  private higherOrderType(name: string, args: readonly Expression[]): Typed {
    const [lambda, ...arrays] = args;
    if (lambda?.kind !== 'LambdaExpression' || arrays.length !== lambda.parameters.length || arrays.length === 0)
      return { problem: `${name} without a lambda` };
    return this.allKnown(arrays, (types) => {
      const elements = arrayElementTypes(types);
      if (!elements) return { problem: `${name} over ${types.join(', ')}` };
      for (const [i, parameter] of lambda.parameters.entries()) this.lambdaTypes.set(parameter, elements[i]);
      try {
        const body = this.typeOf(lambda.body);
        if (name === 'arrayFilter') return this.known(body, () => ({ type: types[0] }));
        return this.known(body, (type) => ({ type: `Array(${type})` }));
      } finally {
        for (const p of lambda.parameters) this.lambdaTypes.delete(p);
      }
    });
  }

  /** `fState`, `fMerge`, `fIf`, `fArray`, `fOrNull`, `fOrDefault`, `fDistinct`, `fForEach` over a known `f`. */
  private combinatorType(name: string, types: readonly string[], call: FunctionCall): Typed | undefined {
    const combinator = combinators.find((c) => name.length > c.length && name.endsWith(c));
    if (!combinator) return undefined;
    const base = name.slice(0, -combinator.length);
    const baseType = (argumentTypes: readonly string[]): Typed => {
      const direct = functionResultType(base, argumentTypes);
      if (direct) return { type: direct };
      return this.combinatorType(base, argumentTypes, call) ?? { problem: `${base}(${argumentTypes.join(', ')}) is not in the generated function types` };
    };
    switch (combinator) {
      case 'If':
        if (types.length === 0 || (types[types.length - 1] !== 'UInt8' && types[types.length - 1] !== 'Bool')) return undefined;
        return baseType(types.slice(0, -1));
      case 'Array': {
        const elements = arrayElementTypes(types);
        return elements && baseType(elements);
      }
      case 'OrDefault':
      case 'Distinct':
        return baseType(types);
      case 'OrNull': {
        const typed = baseType(types);
        return this.known(typed, (type) => ({ type: nullableOf(type) }));
      }
      case 'ForEach': {
        const elements = arrayElementTypes(types);
        return elements && this.known(baseType(elements), (type) => ({ type: `Array(${type})` }));
      }
      case 'State': {
        if (types.some((t) => t.startsWith('LowCardinality('))) return { problem: `${name} over LowCardinality` };
        const known = baseType(types);
        if ('problem' in known) return known;
        const parameters = call.parameters?.map((p) => (p.kind === 'Literal' && p.type === 'number' ? this.options.numberText(p.value) : undefined));
        if (parameters?.some((p) => p === undefined)) return { problem: `${name} with parameters that are not numbers` };
        // The state names the function an alias stands for: medianState is AggregateFunction(quantile, ...).
        const stored = canonicalFunctionName(base);
        const fn = parameters ? `${stored}(${parameters.join(', ')})` : stored;
        const version = aggregateStateVersion(stored, types[0]);
        return { type: `AggregateFunction(${version ? `${version}, ` : ''}${[fn, ...types].join(', ')})` };
      }
      case 'Merge': {
        if (types.length !== 1) return undefined;
        const state = parseDataType(types[0]);
        if (state.name !== 'AggregateFunction') return undefined;
        const args = state.args.filter((a) => !(a.kind === 'literal' && /^\d+$/.test(a.text)));
        const [fn, ...argumentTypes] = args;
        if (fn?.kind !== 'type' || fn.type.args.length > 0 || fn.type.name !== canonicalFunctionName(base)) return undefined;
        return baseType(argumentTypes.map((a) => (a.kind === 'type' ? printDataType(a.type) : '?')));
      }
      default:
        return undefined;
    }
  }
}

/** The element types of array types, or undefined when one is not an array. */
function arrayElementTypes(types: readonly string[]): string[] | undefined {
  const elements: string[] = [];
  for (const type of types) {
    const parsed = parseDataType(type);
    const element = parsed.name === 'Array' ? innerType(parsed) : undefined;
    if (!element) return undefined;
    elements.push(printDataType(element));
  }
  return elements;
}

function describeSource(source: TableSource): string {
  switch (source.kind) {
    case 'table':
      return `table \`${source.id}\``;
    case 'cte':
      return `CTE \`${source.element.name.name}\``;
    case 'subquery':
      return 'a subquery';
    case 'table-function':
      return `table function \`${source.call.name.name}\``;
  }
}

/** The type ClickHouse gives a literal: the smallest integer type that holds it, Float64, String, Bool, Nullable(Nothing). */
export function literalType(literal: Extract<Expression, { kind: 'Literal' }>): Typed {
  switch (literal.type) {
    case 'string':
      return { type: 'String' };
    case 'null':
      return { type: 'Nullable(Nothing)' };
    case 'boolean':
      return { type: 'Bool' };
    case 'number': {
      const text = literal.value.replace(/_/g, '').toLowerCase();
      const negative = text.startsWith('-');
      const body = negative ? text.slice(1) : text;
      if (!/^(\d+|0x[0-9a-f]+|0b[01]+)$/.test(body))
        return /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^(inf|nan)$/.test(body) ? { type: 'Float64' } : { problem: `the literal ${literal.value}` };
      const value = BigInt(body);
      if (!negative) {
        for (const [bits, name] of [
          [8n, 'UInt8'],
          [16n, 'UInt16'],
          [32n, 'UInt32'],
          [64n, 'UInt64'],
        ] as const)
          if (value < 1n << bits) return { type: name };
        return { type: 'Float64' };
      }
      for (const [bits, name] of [
        [7n, 'Int8'],
        [15n, 'Int16'],
        [31n, 'Int32'],
        [63n, 'Int64'],
      ] as const)
        if (value <= 1n << bits) return { type: value === 0n ? 'UInt8' : name };
      return { type: 'Float64' };
    }
  }
}

function tupleElementType(tuple: string, element: Extract<Expression, { kind: 'Literal' }> | Identifier): Typed {
  const type = parseDataType(tuple);
  if (type.name !== 'Tuple') return { problem: `an element of ${tuple}` };
  if (element.kind === 'Literal') {
    const index = Number(element.value);
    const arg = type.args[index - 1];
    if (!Number.isInteger(index) || !arg) return { problem: `element ${element.value} of ${tuple}` };
    return { type: printDataType(arg.kind === 'named' ? arg.type : arg.kind === 'type' ? arg.type : parseDataType('?')) };
  }
  const named = type.args.find((a) => a.kind === 'named' && a.name.replace(/`/g, '') === element.name);
  return named?.kind === 'named' ? { type: printDataType(named.type) } : { problem: `element ${element.name} of ${tuple}` };
}

/** A type written in a string (`CAST(x, 'UInt64')`) as a type node, for the canonical printer. */
function parseTypeText(text: string): DataTypeNode {
  const toNode = (type: ReturnType<typeof parseDataType>): DataTypeNode => ({
    kind: 'DataType',
    name: type.name,
    arguments: type.args.map((a) => {
      if (a.kind === 'type') return toNode(a.type);
      if (a.kind === 'named')
        return { kind: 'NamedDataType', name: [{ kind: 'Identifier', name: a.name, quoted: false, start: 0, end: 0 }], type: toNode(a.type), start: 0, end: 0 };
      if (a.kind === 'enum')
        return {
          kind: 'BinaryExpression',
          operator: '=',
          left: { kind: 'Literal', type: 'string', value: a.label, start: 0, end: 0 },
          right: { kind: 'Literal', type: 'number', value: String(a.value), start: 0, end: 0 },
          start: 0,
          end: 0,
        };
      const quoted = /^'(.*)'$/s.exec(a.text);
      return quoted
        ? { kind: 'Literal', type: 'string', value: quoted[1].replace(/\\(.)/g, '$1'), start: 0, end: 0 }
        : { kind: 'Literal', type: 'number', value: a.text, start: 0, end: 0 };
    }),
    start: 0,
    end: 0,
  });
  return toNode(parseDataType(text));
}
