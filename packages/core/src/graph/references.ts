import type { Range } from '../diagnostics.js';
import type { Expression, FunctionCall, QualifiedName, SelectQuery, SelectStatement, TableExpression } from '../syntax/ast.js';

/** How a query uses an object it names. */
export type ReferenceKind = 'table' | 'in-table' | 'dictionary' | 'join-get' | 'table-function';

/** An object a query names, as written (`database` undefined when unqualified). */
export interface TableReference {
  kind: ReferenceKind;
  database?: string;
  name: string;
  range: Range;
}

export interface QueryReferences {
  /**
   * The left-most table of the first SELECT: for a materialized view, the only table whose
   * inserts fire it. Undefined when the query reads no table (or only a table function).
   */
  trigger?: TableReference;
  /** Every other object the query reads: joined tables, subqueries, IN tables, dictGet/joinGet targets. */
  reads: TableReference[];
}

/** Functions whose first argument names a dictionary (`dictGet('db.dict', 'attr', key)`). */
function isDictionaryFunction(name: string): boolean {
  return /^dict(Get|Has|IsIn)/i.test(name);
}

/** Table functions whose arguments name a ClickHouse table: `remote('host', db, t)`, `cluster('c', db.t)`, `merge(db, 're')`. */
const REMOTE_TABLE_FUNCTIONS = new Set(['remote', 'remotesecure', 'cluster', 'clusterallreplicas']);

/**
 * Collects the objects a query reads. CTE names and aliases are not tables. Table functions that
 * name a table (`remote`, `cluster`, `dictionary`...) count as references to it.
 */
export function collectQueryReferences(query: SelectQuery): QueryReferences {
  const collector = new ReferenceCollector();
  collector.visitQuery(query, new Set());
  const sources = triggerSources(query, new Map());
  const trigger = sources[0];
  if (!trigger) return { reads: collector.found };
  // Every branch of a CTE's union that reads the trigger table reads the inserted block, not the table.
  const sameTable = (s: QualifiedName) => s.name.name === trigger.name.name && s.database?.name === trigger.database?.name;
  const blockReads = sources.filter(sameTable);
  const reads = collector.found.filter((r) => !blockReads.some((s) => r.range.start === s.start && r.range.end === s.end));
  const reference: TableReference = { kind: 'table', name: trigger.name.name, range: { start: trigger.start, end: trigger.end } };
  if (trigger.database) reference.database = trigger.database.name;
  return { trigger: reference, reads };
}

/** CTEs in scope by name: the query of each `name AS (subquery)`. */
type CteScope = ReadonlyMap<string, SelectQuery>;

function withCteQueries(outer: CteScope, elements: SelectStatement['with']): CteScope {
  const subqueries = elements.filter((w) => w.form === 'subquery');
  if (subqueries.length === 0) return outer;
  const scope = new Map(outer);
  for (const w of subqueries) {
    // A CTE can use the ones before it, not itself (unless RECURSIVE, which an MV cannot be).
    if (w.value.kind === 'SubqueryExpression') scope.set(w.name.name, w.value.query);
  }
  return scope;
}

/**
 * The table whose inserts fire a materialized view (first), with every other left-most table that
 * reads the same inserted block: the left-most FROM table, looking into subqueries and CTEs. When
 * the FROM is a CTE (`WITH e AS (SELECT ... FROM src UNION ALL SELECT ... FROM src) SELECT ... FROM e`),
 * ClickHouse fires the view on inserts into `src`, and each branch of the CTE's union reads the block.
 */
function triggerSources(query: SelectQuery, outer: CteScope): QualifiedName[] {
  const first = query.selects[0];
  if (!first) return [];
  const ctes = withCteQueries(outer, query.with);
  if (first.kind === 'SelectQuery') return triggerSources(first, ctes);
  const scope = withCteQueries(ctes, first.with);
  const source = first.from?.table.source;
  if (!source) return [];
  if (source.kind === 'SubqueryExpression') return triggerSources(source.query, scope);
  if (source.kind !== 'QualifiedName') return [];
  const cte = source.database ? undefined : scope.get(source.name.name);
  if (!cte) return [source];
  // Inside the CTE: the CTEs in scope where it is defined, without itself (it is not recursive).
  const inner = new Map(scope);
  inner.delete(source.name.name);
  const branchScope = withCteQueries(inner, cte.with);
  return cte.selects.flatMap((branch) => triggerSources({ ...cte, with: [], selects: [branch] }, branchScope));
}

/** References in a standalone expression (a column DEFAULT, a TTL, an engine argument). */
export function collectExpressionReferences(expression: Expression): TableReference[] {
  const collector = new ReferenceCollector();
  collector.visitExpression(expression, new Set());
  return collector.found;
}

/** `'db.name'` or `'name'` as written in dictGet and friends. */
export function splitQualifiedString(value: string): { database?: string; name: string } {
  const dot = value.indexOf('.');
  if (dot < 0) return { name: value };
  return { database: value.slice(0, dot), name: value.slice(dot + 1) };
}

class ReferenceCollector {
  readonly found: TableReference[] = [];

  visitQuery(query: SelectQuery, ctes: Set<string>): void {
    const scope = this.withCtes(query.with, ctes);
    for (const select of query.selects) {
      if (select.kind === 'SelectQuery') this.visitQuery(select, scope);
      else this.visitSelect(select, scope);
    }
  }

  private withCtes(elements: SelectStatement['with'], outer: Set<string>): Set<string> {
    if (elements.length === 0) return outer;
    const scope = new Set(outer);
    for (const element of elements) {
      if (element.form === 'subquery') scope.add(element.name.name);
    }
    return scope;
  }

  private visitSelect(select: SelectStatement, outer: Set<string>): void {
    const ctes = this.withCtes(select.with, outer);
    for (const element of select.with) this.visitExpression(element.value, ctes);
    if (select.from) {
      this.visitTableExpression(select.from.table, ctes);
      for (const join of select.from.joins) {
        if (join.kind === 'JoinClause') {
          this.visitTableExpression(join.table, ctes);
          if (join.on) this.visitExpression(join.on, ctes);
        } else for (const e of join.expressions) this.visitExpression(e, ctes);
      }
    }
    const expressions: (Expression | undefined)[] = [...select.columns, select.prewhere, select.where, select.having, select.qualify];
    if (select.groupBy) expressions.push(...select.groupBy.expressions);
    if (select.orderBy) expressions.push(...select.orderBy.elements.map((e) => e.expression));
    for (const e of expressions) if (e) this.visitExpression(e, ctes);
  }

  private visitTableExpression(table: TableExpression, ctes: Set<string>): void {
    const source = table.source;
    if (source.kind === 'QualifiedName') {
      if (!source.database && ctes.has(source.name.name)) return;
      this.add('table', source);
    } else if (source.kind === 'SubqueryExpression') this.visitQuery(source.query, ctes);
    else {
      // A parameterized view called with its database: `db.v(p = 1)`, stored as `` `db.v`(p = 1) ``.
      // (An unqualified `v(p = 1)` cannot be told from a table function without the schema.)
      const name = source.call.name;
      if (source.database) this.addName('table', source.database.name, name.name, source);
      else if (name.quoted && name.name.includes('.')) this.addQualified('table', name.name, source);
      this.visitTableFunction(source.call, ctes);
    }
  }

  private visitTableFunction(call: FunctionCall, ctes: Set<string>): void {
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
    for (const arg of args) this.visitExpression(arg, ctes);
  }

  visitExpression(expression: Expression, ctes: Set<string>): void {
    switch (expression.kind) {
      case 'SubqueryExpression':
      case 'ExistsExpression':
        this.visitQuery(expression.query, ctes);
        return;
      case 'BinaryExpression':
        this.visitExpression(expression.left, ctes);
        if (/\bIN$/.test(expression.operator) && expression.right.kind === 'ColumnRef' && expression.right.parts.length <= 2) {
          // `x IN db.t`: the right side names a table (ClickHouse reads it as a set).
          const parts = expression.right.parts;
          const database = parts.length === 2 ? parts[0].name : undefined;
          if (database || !ctes.has(parts[0].name)) this.addName('in-table', database, parts[parts.length - 1].name, expression.right);
          return;
        }
        this.visitExpression(expression.right, ctes);
        return;
      case 'FunctionCall':
        this.visitCall(expression, ctes);
        return;
      default:
        this.visitChildren(expression, ctes);
    }
  }

  private visitCall(call: FunctionCall, ctes: Set<string>): void {
    const first = call.arguments[0];
    if (first && first.kind === 'Literal' && first.type === 'string') {
      if (isDictionaryFunction(call.name.name)) this.addQualified('dictionary', first.value, first);
      else if (call.name.name.toLowerCase() === 'joinget') this.addQualified('join-get', first.value, first);
    }
    for (const arg of call.parameters ?? []) this.visitExpression(arg, ctes);
    for (const arg of call.arguments) this.visitExpression(arg, ctes);
    if (call.filter) this.visitExpression(call.filter, ctes);
  }

  /** Generic walk over child expressions of nodes without special meaning. */
  private visitChildren(node: object, ctes: Set<string>): void {
    for (const value of Object.values(node)) {
      if (!value || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object') this.visitNode(item, ctes);
      } else this.visitNode(value, ctes);
    }
  }

  private visitNode(node: { kind?: string }, ctes: Set<string>): void {
    if (typeof node.kind === 'string' && node.kind !== 'Identifier' && node.kind !== 'DataType' && node.kind !== 'Literal')
      this.visitExpression(node as Expression, ctes);
    else if (node.kind === undefined) this.visitChildren(node, ctes);
  }

  private add(kind: ReferenceKind, name: QualifiedName): void {
    this.addName(kind, name.database?.name, name.name.name, name);
  }

  private addQualified(kind: ReferenceKind, qualified: string, range: Range): void {
    const { database, name } = splitQualifiedString(qualified);
    this.addName(kind, database, name, range);
  }

  private addName(kind: ReferenceKind, database: string | undefined, name: string, range: Range): void {
    const reference: TableReference = { kind, name, range: { start: range.start, end: range.end } };
    if (database !== undefined) reference.database = database;
    this.found.push(reference);
  }
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
