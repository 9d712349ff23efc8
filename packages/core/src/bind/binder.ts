import type { Range } from '../diagnostics.js';
import type {
  AliasExpression,
  Asterisk,
  ColumnRef,
  Expression,
  FunctionCall,
  Identifier,
  NamedWithExpression,
  QualifiedName,
  SelectQuery,
  SelectStatement,
  TableExpression,
  WithElement,
  WithSubquery,
} from '../syntax/ast.js';
import { forEachChild, type SyntaxNode } from '../syntax/nodes.js';

// Names in a query resolved once, as the TypeScript compiler's binder does for a source file: each
// FROM and JOIN gets a source (a table, a CTE, a subquery, a table function), each column reference
// a symbol (a column of some tables, a SELECT alias, a WITH expression, a lambda parameter), each
// `*` the sources it expands. Graph references, rules and the editor read the binding; none of them
// resolves names itself.

/** The columns the binder may know of a table, by id `db.name`, in table order; undefined for a table it does not know. */
export interface Catalog {
  columnsOf(tableId: string): ReadonlySet<string> | undefined;
}

/** How a query uses an object it names. */
export type ReferenceKind = 'table' | 'in-table' | 'dictionary' | 'join-get' | 'table-function';

/** An object a query names, as written (`database` undefined when unqualified). */
export interface TableReference {
  kind: ReferenceKind;
  database?: string;
  name: string;
  range: Range;
}

/** What a FROM or JOIN reads. */
export type TableSource =
  | { kind: 'table'; id: string; name: QualifiedName }
  | { kind: 'cte'; element: WithSubquery; query: SelectQuery }
  | { kind: 'subquery'; query: SelectQuery }
  | { kind: 'table-function'; call: FunctionCall };

/** What a column reference means. */
export type NameSymbol =
  /**
   * A column of a table: `tables` are the FROM/JOIN tables that have it (several for USING or an
   * ambiguous name). When no source in scope is known to have it (`known` false), `tables` are all
   * the tables in scope: ClickHouse would look for it in each.
   */
  | { kind: 'column'; column: string; parts: Identifier[]; tables: readonly string[]; known: boolean }
  /** An output column of a CTE, a subquery or a table function in FROM. */
  | { kind: 'source-column'; column: string; parts: Identifier[]; source: TableSource }
  /** A SELECT alias (`expr AS name`, `ARRAY JOIN arr AS name`) or a WITH expression (`WITH expr AS name`). */
  | { kind: 'alias'; declaration: AliasExpression | NamedWithExpression }
  | { kind: 'lambda-parameter'; declaration: Identifier }
  /** The right side of `x IN t`: a table. */
  | { kind: 'table'; reference: TableReference };

/** The sources a `*` or `t.*` expands, and the column names its EXCEPT leaves out. */
export interface StarBinding {
  sources: readonly TableSource[];
  except: readonly string[];
}

export interface QueryBinding {
  /** Every column reference the query's own expressions hold (not those in table function arguments). */
  symbols: Map<ColumnRef, NameSymbol>;
  stars: Map<Asterisk, StarBinding>;
  sources: Map<TableExpression, TableSource>;
  /** The objects the query reads, in order: tables (CTE names left out), IN tables, dictGet/joinGet targets, table functions. */
  references: TableReference[];
}

export interface BindOptions {
  /** The database unqualified table names mean. */
  database: string;
  catalog?: Catalog;
}

const NO_CATALOG: Catalog = { columnsOf: () => undefined };

/** Binds every name of a query. */
export function bindQuery(query: SelectQuery, options: BindOptions): QueryBinding {
  const binder = new Binder(options.database, options.catalog ?? NO_CATALOG);
  binder.bindQuery(query, ROOT);
  return binder.binding;
}

/** Binds the names of a standalone expression (a column DEFAULT, a TTL, an engine argument): its subqueries, dictGet targets... */
export function bindExpression(expression: Expression, options: BindOptions): QueryBinding {
  const binder = new Binder(options.database, options.catalog ?? NO_CATALOG);
  binder.bindExpression(expression, ROOT);
  return binder.binding;
}

/** Functions whose first argument names a dictionary (`dictGet('db.dict', 'attr', key)`). */
function isDictionaryFunction(name: string): boolean {
  return /^dict(Get|Has|IsIn)/i.test(name);
}

/** Table functions whose arguments name a ClickHouse table: `remote('host', db, t)`, `cluster('c', db.t)`. */
const REMOTE_TABLE_FUNCTIONS = new Set(['remote', 'remotesecure', 'cluster', 'clusterallreplicas']);

/** Names visible at a point of a query. */
interface Scope {
  parent: Scope | undefined;
  /** CTEs (`name AS (query)`) by name. */
  ctes: ReadonlyMap<string, WithSubquery>;
  /** SELECT aliases, ARRAY JOIN aliases and WITH expressions, by name. */
  aliases: ReadonlyMap<string, AliasExpression | NamedWithExpression>;
  /** The alias whose own expression is being bound: in `lower(kind) AS kind` the inner `kind` is the column. */
  hidden: string | undefined;
  lambdas: ReadonlyMap<string, Identifier>;
  /** FROM and JOIN sources of the SELECT, with the qualifiers that name each. */
  sources: readonly { source: TableSource; qualifiers: ReadonlySet<string> }[];
}

const ROOT: Scope = { parent: undefined, ctes: new Map(), aliases: new Map(), hidden: undefined, lambdas: new Map(), sources: [] };

/** Whether a WITH expression has a name (`WITH 1 SELECT 1` has none). */
function isNamed(element: WithElement): element is NamedWithExpression {
  return element.form === 'expression' && element.name !== undefined;
}

class Binder {
  readonly binding: QueryBinding = { symbols: new Map(), stars: new Map(), sources: new Map(), references: [] };

  constructor(
    private readonly database: string,
    private readonly catalog: Catalog,
  ) {}

  bindQuery(query: SelectQuery, outer: Scope): void {
    const scope = this.withScope(query.with, outer);
    for (const select of query.selects) {
      if (select.kind === 'SelectQuery') this.bindQuery(select, scope);
      else this.bindSelect(select, scope);
    }
  }

  /**
   * The scope after a WITH: its CTEs and expressions added, each bound once, where it is defined.
   * A CTE's query sees every CTE of its WITH but itself: in ClickHouse 26.7
   * `WITH t AS (SELECT x + 1 AS x FROM t)` reads the table `t`, and a CTE may read one defined after it.
   * Under `WITH RECURSIVE` a CTE whose query is a UNION reads itself, at any depth of its query; one
   * that is not a UNION still reads the table (chDB 26.7: `WITH RECURSIVE t AS (SELECT n FROM t)`
   * reads the table `t`).
   */
  private withScope(elements: readonly WithElement[], outer: Scope, recursive = false): Scope {
    if (elements.length === 0) return outer;
    const ctes = new Map(outer.ctes);
    for (const element of elements) if (element.form === 'subquery') ctes.set(element.name.name, element);
    const aliases = new Map(outer.aliases);
    for (const element of elements) {
      if (element.form === 'subquery') {
        if (element.value.kind !== 'SubqueryExpression') continue;
        const visible = new Map(ctes);
        if (!recursive || element.value.query.selects.length < 2) {
          visible.delete(element.name.name);
          const shadowed = outer.ctes.get(element.name.name);
          if (shadowed) visible.set(element.name.name, shadowed);
        }
        this.bindQuery(element.value.query, { ...outer, ctes: visible, aliases: new Map(aliases) });
      } else {
        this.bindExpression(element.value, { ...outer, ctes, aliases: new Map(aliases) });
        if (isNamed(element)) aliases.set(element.name.name, element);
      }
    }
    return { ...outer, ctes, aliases };
  }

  private bindSelect(select: SelectStatement, outer: Scope): void {
    const withScope = this.withScope(select.with, outer, select.withRecursive);
    const sources: { source: TableSource; qualifiers: ReadonlySet<string> }[] = [];
    const tables = select.from ? [select.from.table, ...select.from.joins.flatMap((j) => (j.kind === 'JoinClause' ? [j.table] : []))] : [];
    for (const table of tables) {
      const source = this.bindSource(table, withScope);
      sources.push({ source, qualifiers: qualifiersOf(table, source) });
    }
    const aliases = new Map(withScope.aliases);
    const arrayJoins = select.from?.joins.flatMap((j) => (j.kind === 'ArrayJoinClause' ? j.expressions : [])) ?? [];
    for (const column of [...arrayJoins, ...select.columns]) if (column.kind === 'AliasExpression') aliases.set(column.alias.name, column);
    const scope: Scope = { ...withScope, aliases, sources, hidden: undefined, lambdas: new Map() };
    // In the order the graph has always listed references: FROM and JOINs, then the SELECT list and the clauses.
    for (const join of select.from?.joins ?? []) {
      if (join.kind === 'JoinClause') {
        if (join.on) this.bindExpression(join.on, scope);
        for (const using of join.using ?? []) this.bindUsing(using, scope);
      } else for (const expression of join.expressions) this.bindExpression(expression, scope);
    }
    const clauses: (Expression | undefined)[] = [...select.columns, select.prewhere, select.where, select.having, select.qualify];
    clauses.push(...(select.groupBy?.expressions ?? []), ...(select.groupBy?.groupingSets?.flat() ?? []));
    clauses.push(...(select.orderBy?.elements.map((e) => e.expression) ?? []));
    clauses.push(...(select.distinctOn ?? []), select.top?.count, ...(select.limitBy?.by ?? []), select.limitBy?.limit, select.limitBy?.offset);
    clauses.push(select.limit?.count, select.limit?.offset, select.offset);
    for (const item of select.orderBy?.interpolate ?? []) clauses.push(item.value);
    for (const clause of clauses) if (clause) this.bindExpression(clause, scope);
    for (const { spec } of select.window) this.bindNode(spec, scope);
  }

  private bindSource(table: TableExpression, scope: Scope): TableSource {
    const node = table.source;
    let source: TableSource;
    if (node.kind === 'QualifiedName') {
      const cte = node.database ? undefined : scope.ctes.get(node.name.name);
      if (cte && cte.value.kind === 'SubqueryExpression') source = { kind: 'cte', element: cte, query: cte.value.query };
      else {
        this.addName('table', node.database?.name, node.name.name, node);
        source = { kind: 'table', id: `${node.database?.name ?? this.database}.${node.name.name}`, name: node };
      }
    } else if (node.kind === 'SubqueryExpression') {
      this.bindQuery(node.query, { ...scope, sources: [], lambdas: new Map() });
      source = { kind: 'subquery', query: node.query };
    } else {
      // A parameterized view called with its database: `db.v(p = 1)`, stored as `` `db.v`(p = 1) ``.
      // (An unqualified `v(p = 1)` cannot be told from a table function without the schema.)
      const name = node.call.name;
      if (node.database) this.addName('table', node.database.name, name.name, node);
      else if (name.quoted && name.name.includes('.')) this.addQualified('table', name.name, node);
      this.bindTableFunction(node.call, scope);
      source = { kind: 'table-function', call: node.call };
    }
    this.binding.sources.set(table, source);
    if (table.sample) {
      this.bindExpression(table.sample.ratio, scope);
      if (table.sample.offset) this.bindExpression(table.sample.offset, scope);
    }
    return source;
  }

  /** A table function's arguments name tables and servers, not columns: only what they reference is bound. */
  private bindTableFunction(call: FunctionCall, scope: Scope): void {
    const name = call.name.name.toLowerCase();
    const args = call.arguments;
    if (REMOTE_TABLE_FUNCTIONS.has(name)) {
      // remote('addr', db, t) / remote('addr', db.t) / cluster('c', 'db', 't')
      const [, second, third] = args;
      if (second && third && isNameLike(second) && isNameLike(third)) this.addName('table-function', nameOf(second), nameOf(third), call);
      else if (second && isNameLike(second)) this.addQualified('table-function', nameOf(second), call);
    } else if (name === 'dictionary' && args[0] && isNameLike(args[0])) {
      this.addQualified('table-function', nameOf(args[0]), call);
    }
    const argumentScope: Scope = { ...scope, sources: [] };
    for (const arg of args) this.bindReferencesOnly(arg, argumentScope);
  }

  /** Binds what an expression references without binding its bare names (table function arguments). */
  private bindReferencesOnly(node: SyntaxNode, scope: Scope): void {
    if (node.kind === 'ColumnRef') return;
    if (node.kind === 'SubqueryExpression' || node.kind === 'ExistsExpression' || node.kind === 'FunctionCall') {
      this.bindNode(node, scope);
      return;
    }
    forEachChild(node, (child) => this.bindReferencesOnly(child, scope));
  }

  /** `JOIN t USING (k)`: `k` is the column of that name in the tables on both sides. */
  private bindUsing(expression: Expression, scope: Scope): void {
    if (expression.kind !== 'ColumnRef') {
      this.bindExpression(expression, scope);
      return;
    }
    const column = expression.parts.map((p) => p.name).join('.');
    const tables = scope.sources.flatMap(({ source }) => (source.kind === 'table' ? [source.id] : []));
    const having = tables.filter((id) => hasColumn(this.catalog.columnsOf(id), column));
    this.binding.symbols.set(expression, {
      kind: 'column',
      column,
      parts: expression.parts,
      tables: having.length > 0 ? having : tables,
      known: having.length > 0,
    });
  }

  bindExpression(expression: Expression, scope: Scope): void {
    this.bindNode(expression, scope);
  }

  private bindNode(node: SyntaxNode, scope: Scope): void {
    switch (node.kind) {
      case 'SubqueryExpression':
      case 'ExistsExpression':
        // A subquery sees the WITH names and CTEs around it, not the outer FROM.
        this.bindQuery(node.query, { ...scope, sources: [], hidden: undefined });
        return;
      case 'ColumnRef':
        this.binding.symbols.set(node, this.resolve(node, scope));
        return;
      case 'Asterisk':
        this.bindStar(node, scope);
        return;
      case 'LambdaExpression': {
        const lambdas = new Map(scope.lambdas);
        for (const parameter of node.parameters) lambdas.set(parameter.name, parameter);
        this.bindNode(node.body, { ...scope, lambdas });
        return;
      }
      case 'AliasExpression':
        this.bindNode(node.expression, scope.aliases.get(node.alias.name) === node ? { ...scope, hidden: node.alias.name } : scope);
        return;
      case 'BinaryExpression':
        this.bindNode(node.left, scope);
        if (/\bIN$/.test(node.operator) && node.right.kind === 'ColumnRef' && node.right.parts.length <= 2) {
          // `x IN db.t`: the right side names a table (ClickHouse reads it as a set).
          const parts = node.right.parts;
          const database = parts.length === 2 ? parts[0].name : undefined;
          const name = parts[parts.length - 1].name;
          const reference: TableReference = { kind: 'in-table', name, range: { start: node.right.start, end: node.right.end } };
          if (database !== undefined) reference.database = database;
          if (database || !scope.ctes.has(parts[0].name)) this.binding.references.push(reference);
          this.binding.symbols.set(node.right, { kind: 'table', reference });
          return;
        }
        this.bindNode(node.right, scope);
        if (node.escape) this.bindNode(node.escape, scope);
        return;
      case 'FunctionCall': {
        const first = node.arguments[0];
        if (first && first.kind === 'Literal' && first.type === 'string') {
          if (isDictionaryFunction(node.name.name)) this.addQualified('dictionary', first.value, first);
          else if (node.name.name.toLowerCase() === 'joinget') this.addQualified('join-get', first.value, first);
        }
        forEachChild(node, (child) => this.bindNode(child, scope));
        return;
      }
      case 'Identifier':
      case 'DataType':
      case 'Literal':
        return;
      default:
        forEachChild(node, (child) => this.bindNode(child, scope));
    }
  }

  private bindStar(star: Asterisk, scope: Scope): void {
    const qualifier = star.qualifier.map((q) => q.name).join('.');
    const sources = scope.sources.filter((s) => qualifier === '' || s.qualifiers.has(qualifier)).map((s) => s.source);
    const except = star.transformers.filter((t) => t.transformer === 'EXCEPT').flatMap((t) => t.items.flatMap(columnNames));
    this.binding.stars.set(star, { sources, except });
    // REPLACE (expr AS c) and APPLY hold expressions over the same sources.
    for (const transformer of star.transformers) if (transformer.transformer !== 'EXCEPT') for (const item of transformer.items) this.bindNode(item, scope);
  }

  /** What a column reference means at this point: lambda parameters first, then table qualifiers, aliases and columns. */
  private resolve(ref: ColumnRef, scope: Scope): NameSymbol {
    const parts = ref.parts;
    const first = parts[0]?.name ?? '';
    const lambda = lookupLambda(scope, first);
    if (lambda) return { kind: 'lambda-parameter', declaration: lambda };
    for (let skip = Math.min(2, parts.length - 1); skip >= 1; skip--) {
      const qualifier = parts
        .slice(0, skip)
        .map((p) => p.name)
        .join('.');
      const owner = scope.sources.find((s) => s.qualifiers.has(qualifier));
      if (owner) return this.columnOf([owner.source], parts.slice(skip));
    }
    const alias = first !== scope.hidden ? scope.aliases.get(first) : undefined;
    if (alias) return { kind: 'alias', declaration: alias };
    return this.columnOf(
      scope.sources.map((s) => s.source),
      parts,
    );
  }

  /** The column `parts` names among `sources`: the tables that have it, else a CTE or subquery that outputs it, else every table. */
  private columnOf(sources: readonly TableSource[], parts: Identifier[]): NameSymbol {
    const column = parts.map((p) => p.name).join('.');
    const tables: string[] = [];
    const having: string[] = [];
    for (const source of sources) {
      if (source.kind !== 'table') continue;
      tables.push(source.id);
      if (hasColumn(this.catalog.columnsOf(source.id), column)) having.push(source.id);
    }
    if (having.length > 0) return { kind: 'column', column, parts, tables: having, known: true };
    const other = sources.find((s) => s.kind !== 'table' && (sources.length === 1 || hasColumn(outputNamesOf(s), column)));
    if (other) return { kind: 'source-column', column, parts, source: other };
    return { kind: 'column', column, parts, tables, known: false };
  }

  private addQualified(kind: ReferenceKind, qualified: string, range: Range): void {
    const { database, name } = splitQualifiedString(qualified);
    this.addName(kind, database, name, range);
  }

  private addName(kind: ReferenceKind, database: string | undefined, name: string, range: Range): void {
    const reference: TableReference = { kind, name, range: { start: range.start, end: range.end } };
    if (database !== undefined) reference.database = database;
    this.binding.references.push(reference);
  }
}

function lookupLambda(scope: Scope, name: string): Identifier | undefined {
  return scope.lambdas.get(name);
}

/** The names a FROM or JOIN source goes by: its alias, and for a table its name and `db.name`; for a CTE its name. */
function qualifiersOf(table: TableExpression, source: TableSource): ReadonlySet<string> {
  const qualifiers = new Set<string>();
  if (table.alias) qualifiers.add(table.alias.name);
  if (source.kind === 'table') {
    qualifiers.add(source.name.name.name);
    qualifiers.add(source.id);
  } else if (source.kind === 'cte') qualifiers.add(source.element.name.name);
  return qualifiers;
}

/** A table has a column of this name, or the Nested column or subcolumn it belongs to (`items` for `items.sku`), or one under it. */
function hasColumn(columns: ReadonlySet<string> | undefined, name: string): boolean {
  if (!columns) return false;
  if (columns.has(name)) return true;
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) if (columns.has(name.slice(0, dot))) return true;
  const prefix = `${name}.`;
  for (const column of columns) if (column.startsWith(prefix)) return true;
  return false;
}

/** The output names of a CTE or subquery source's first SELECT, as far as they are written. */
function outputNamesOf(source: TableSource): ReadonlySet<string> | undefined {
  if (source.kind !== 'cte' && source.kind !== 'subquery') return undefined;
  if (source.kind === 'cte' && source.element.columns) return new Set(source.element.columns.map((c) => c.name));
  return new Set(outputNames(source.query).map((parts) => parts.map((p) => p.name).join('.')));
}

/** The column names a list item of `EXCEPT (a, b)` names. */
function columnNames(expression: Expression): string[] {
  return expression.kind === 'ColumnRef' ? [expression.parts.map((p) => p.name).join('.')] : [];
}

/**
 * The names of the first SELECT's output columns, as the identifiers that give them: the alias, or
 * the column itself without its table qualifier. Expressions without a name, `*` and COLUMNS give none.
 */
export function outputNames(query: SelectQuery | undefined): Identifier[][] {
  if (!query) return [];
  let first: SelectStatement | SelectQuery | undefined = query.selects[0];
  while (first?.kind === 'SelectQuery') first = first.selects[0];
  if (!first) return [];
  const qualifiers = new Set<string>();
  for (const t of first.from ? [first.from.table, ...first.from.joins.flatMap((j) => (j.kind === 'JoinClause' ? [j.table] : []))] : []) {
    if (t.alias) qualifiers.add(t.alias.name);
    if (t.source.kind === 'QualifiedName') {
      qualifiers.add(t.source.name.name);
      if (t.source.database) qualifiers.add(`${t.source.database.name}.${t.source.name.name}`);
    }
  }
  const names: Identifier[][] = [];
  for (const column of first.columns) {
    if (column.kind === 'AliasExpression') names.push([column.alias]);
    else if (column.kind === 'ColumnRef') {
      const parts = column.parts;
      if (parts.length > 2 && qualifiers.has(`${parts[0].name}.${parts[1].name}`)) names.push(parts.slice(2));
      else if (parts.length > 1 && qualifiers.has(parts[0].name)) names.push(parts.slice(1));
      else names.push(parts);
    }
  }
  return names;
}

/** `'db.name'` or `'name'` as written in dictGet and friends. */
export function splitQualifiedString(value: string): { database?: string; name: string } {
  const dot = value.indexOf('.');
  if (dot < 0) return { name: value };
  return { database: value.slice(0, dot), name: value.slice(dot + 1) };
}

function isNameLike(expression: Expression): boolean {
  return (expression.kind === 'ColumnRef' && expression.parts.length <= 2) || (expression.kind === 'Literal' && expression.type === 'string');
}

/** The text a name-like argument stands for: `db.t` for a column reference, the value of a string. */
export function nameOf(expression: Expression): string {
  if (expression.kind === 'ColumnRef') return expression.parts.map((p) => p.name).join('.');
  if (expression.kind === 'Literal') return expression.value;
  return '';
}
