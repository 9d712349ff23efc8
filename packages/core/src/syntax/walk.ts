import type { SyntaxNode } from './nodes.js';

// Copies of a syntax tree with some nodes replaced. nodes.ts's forEachChild reads a node's
// children; `mapEachChild` here is its writing twin (TypeScript's visitEachChild next to its
// forEachChild): for each kind, the properties that hold children, by typed key. walk.test.ts
// checks on every fixture statement that both list the same children in the same order.

/** What a child becomes: a node, or undefined to take it out (of its list, or its property). */
type MapChild = (child: SyntaxNode) => unknown;

/** Every key of every member of a union (`keyof` of a union gives only the shared ones). */
type UnionKeys<T> = T extends unknown ? keyof T : never;
/** The type of `T[K]` across a union's members. */
type ValueOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type ElementOf<T> = NonNullable<T> extends readonly (infer E)[] ? E : never;

/** A copy made on the first change: the node itself while every child maps to itself. */
class Copy<T extends object> {
  private copy: Record<PropertyKey, unknown> | undefined;

  constructor(
    private readonly node: T,
    private readonly map: MapChild,
  ) {}

  /** A property holding one node (or nothing). */
  one(key: UnionKeys<T>): this {
    const value = this.get(key);
    if (isNode(value)) this.set(key, this.map(value));
    return this;
  }

  /** A property holding a list of nodes. */
  all(key: UnionKeys<T>): this {
    const value = this.get(key);
    if (Array.isArray(value)) this.set(key, mapList(value, this.map));
    return this;
  }

  /** A property holding a list of lists of nodes (GROUPING SETS). */
  lists(key: UnionKeys<T>): this {
    const value = this.get(key);
    if (Array.isArray(value))
      this.set(
        key,
        sameOr(
          value,
          value.map((list) => (Array.isArray(list) ? mapList(list, this.map) : list)),
        ),
      );
    return this;
  }

  /** A property holding a plain clause object (a window frame, WITH FILL...) whose nodes `update` maps. */
  clause<K extends UnionKeys<T>>(key: K, update: (clause: Copy<NonNullable<ValueOf<T, K>>>) => unknown): this {
    const value = this.get(key);
    if (value && typeof value === 'object') this.set(key, copyOf(value as NonNullable<ValueOf<T, K>>, this.map, update));
    return this;
  }

  /** A property holding a list of plain clause objects (CASE branches, RENAME pairs...). */
  clauses<K extends UnionKeys<T>>(key: K, update: (clause: Copy<ElementOf<ValueOf<T, K>> & object>) => unknown): this {
    const value = this.get(key);
    if (Array.isArray(value)) {
      const items = value.map((item: ElementOf<ValueOf<T, K>> & object) => copyOf(item, this.map, update));
      this.set(key, sameOr(value, items));
    }
    return this;
  }

  /** `FORMAT` and the query-level `SETTINGS` of a statement that has them. */
  output(): this {
    return this.one('format' as UnionKeys<T>).all('querySettings' as UnionKeys<T>);
  }

  result(): T {
    return (this.copy as T | undefined) ?? this.node;
  }

  private get(key: PropertyKey): unknown {
    return (this.node as Record<PropertyKey, unknown>)[key];
  }

  private set(key: PropertyKey, value: unknown): void {
    if (value === this.get(key)) return;
    this.copy ??= { ...(this.node as Record<PropertyKey, unknown>) };
    this.copy[key] = value;
  }
}

function copyOf<T extends object>(node: T, map: MapChild, update: (copy: Copy<T>) => unknown): T {
  const copy = new Copy(node, map);
  update(copy);
  return copy.result();
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** The list with each node mapped (and those mapped to undefined left out); the same list when nothing changed. */
function mapList(list: readonly unknown[], map: MapChild): readonly unknown[] {
  const items = list.map((item) => (isNode(item) ? map(item) : item));
  if (items.every((item, i) => item === list[i])) return list;
  return items.filter((item, i) => item !== undefined || list[i] === undefined);
}

function sameOr(list: readonly unknown[], items: readonly unknown[]): readonly unknown[] {
  return items.every((item, i) => item === list[i]) ? list : items;
}

/**
 * `node` with each direct child replaced by `map(child)` (undefined: taken out of its list or
 * property). The node itself when nothing changed; otherwise a shallow copy, sharing the rest.
 */
export function mapEachChild<T extends SyntaxNode>(node: T, map: MapChild): T {
  return mapNode(node, map) as T;
}

function mapNode(node: SyntaxNode, map: MapChild): SyntaxNode {
  const update = <N extends SyntaxNode>(n: N, fill: (copy: Copy<N>) => unknown): N => copyOf(n, map, fill);
  switch (node.kind) {
    case 'Identifier':
    case 'Literal':
    case 'GrantTarget':
    case 'PartitionAll':
    case 'RemoveSampleBy':
    case 'RemoveTtl':
    case 'Invalid':
      return node;
    case 'Other':
      return update(node, (c) => c.one('identification').one('alteration'));
    case 'QualifiedName':
      return update(node, (c) => c.one('database').one('name'));
    case 'ColumnRef':
      return update(node, (c) => c.all('parts'));
    case 'ColumnTransformer':
      return update(node, (c) => c.all('items'));
    case 'Asterisk':
      return update(node, (c) => c.all('qualifier').all('transformers'));
    case 'ColumnsMatcher':
      return update(node, (c) => c.all('qualifier').all('arguments').all('transformers'));
    case 'WindowFrameBound':
      return update(node, (c) => c.one('offset'));
    case 'WindowSpec':
      return update(node, (c) =>
        c
          .one('baseWindow')
          .all('partitionBy')
          .all('orderBy')
          .clause('frame', (f) => f.one('from').one('to')),
      );
    case 'FunctionCall':
      return update(node, (c) => c.one('name').all('parameters').all('arguments').one('filter').one('over').all('settings'));
    case 'BinaryExpression':
      return update(node, (c) => c.one('left').one('right').one('escape'));
    case 'UnaryExpression':
    case 'IsNullExpression':
      return update(node, (c) => c.one('operand'));
    case 'BetweenExpression':
      return update(node, (c) => c.one('operand').one('low').one('high'));
    case 'TernaryExpression':
      return update(node, (c) => c.one('condition').one('whenTrue').one('whenFalse'));
    case 'CaseExpression':
      return update(node, (c) =>
        c
          .one('operand')
          .clauses('branches', (b) => b.one('when').one('then'))
          .one('else'),
      );
    case 'CastExpression':
      return update(node, (c) => c.one('expression').one('type'));
    case 'IntervalExpression':
      return update(node, (c) => c.one('value'));
    case 'TupleExpression':
    case 'ArrayExpression':
      return update(node, (c) => c.all('elements'));
    case 'MapExpression':
      return update(node, (c) => c.clauses('entries', (e) => e.one('key').one('value')));
    case 'SubqueryExpression':
    case 'ExistsExpression':
      return update(node, (c) => c.one('query'));
    case 'LambdaExpression':
      return update(node, (c) => c.all('parameters').one('body'));
    case 'ArrayElement':
      return update(node, (c) => c.one('array').one('index'));
    case 'TupleElement':
      return update(node, (c) => c.one('tuple').one('element'));
    case 'QueryParameter':
      return update(node, (c) => c.one('type'));
    case 'AliasExpression':
      return update(node, (c) => c.one('expression').one('alias'));
    case 'DataType':
      return update(node, (c) => c.all('arguments'));
    case 'NamedDataType':
      return update(node, (c) => c.all('name').one('type'));
    case 'JsonSkip':
      // A path is a list of names or one node (a regular expression).
      return update(node, (c) => c.all('path').one('path'));
    case 'OrderByElement':
      return update(node, (c) =>
        c
          .one('expression')
          .one('collate')
          .clause('withFill', (w) => w.one('from').one('to').one('step').one('staleness')),
      );
    case 'TableFunction':
      return update(node, (c) => c.one('database').one('call'));
    case 'TableExpression':
      return update(node, (c) =>
        c
          .one('source')
          .one('alias')
          .all('columnAliases')
          .clause('sample', (s) => s.one('ratio').one('offset')),
      );
    case 'JoinClause':
      return update(node, (c) => c.one('table').one('on').all('using'));
    case 'ArrayJoinClause':
      return update(node, (c) => c.all('expressions'));
    case 'FromClause':
      return update(node, (c) => c.one('table').all('joins'));
    case 'WithElement':
      // In source order, as forEachChild: `WITH name AS (query)`, `WITH expression AS name`.
      return update(node, (c) => (node.form === 'subquery' ? c.one('name').all('columns').one('value') : c.one('value').one('name')));
    case 'Settings':
      return update(node, (c) => c.all('items'));
    case 'SettingAssignment':
      return update(node, (c) => c.one('name').one('value'));
    case 'Select':
      return update(node, (c) =>
        c
          .all('with')
          .all('distinctOn')
          .clause('top', (t) => t.one('count'))
          .all('columns')
          .one('from')
          .one('prewhere')
          .one('where')
          .clause('groupBy', (g) => g.all('expressions').lists('groupingSets'))
          .one('having')
          .clauses('window', (w) => w.one('name').one('spec'))
          .one('qualify')
          .clause('orderBy', (o) => o.all('elements').clauses('interpolate', (i) => i.one('column').one('value')))
          .clause('limitBy', (l) => l.one('limit').one('offset').all('by'))
          .clause('limit', (l) => l.one('count').one('offset'))
          .one('offset')
          .one('settings'),
      );
    case 'SelectQuery':
      return update(node, (c) => c.all('with').all('selects').one('format').one('settings'));
    case 'CodecElement':
      return update(node, (c) => c.all('arguments'));
    case 'ColumnDefinition':
      return update(node, (c) =>
        c.all('name').one('type').one('collation').one('defaultExpression').one('comment').all('codec').all('statistics').one('ttl').all('settings'),
      );
    case 'IndexDefinition':
      return update(node, (c) => c.one('name').one('expression').one('type').one('granularity'));
    case 'ProjectionDefinition':
      return update(node, (c) =>
        c
          .one('name')
          .one('query')
          .clause('index', (i) => i.one('expression').one('type'))
          .all('settings'),
      );
    case 'ConstraintDefinition':
      return update(node, (c) => c.one('name').one('expression'));
    case 'PrimaryKeyElement':
      return update(node, (c) => c.one('expression'));
    case 'StatisticsElement':
      return update(node, (c) => c.all('columns').all('types'));
    case 'Engine':
      return update(node, (c) => c.one('name').all('arguments'));
    case 'TtlElement':
      return update(node, (c) =>
        c
          .one('expression')
          .one('target')
          .all('codec')
          .one('where')
          .all('groupBy')
          .clauses('set', (s) => s.one('column').one('value')),
      );
    case 'TimeSeriesTarget':
      return update(node, (c) => c.one('table').one('uuid').all('columns').one('storage'));
    case 'Storage':
      return update(node, (c) => c.one('engine').one('partitionBy').one('primaryKey').one('orderBy').one('sampleBy').all('ttl').all('settings'));
    case 'Refresh':
      return update(node, (c) => c.all('period').all('offset').all('randomizeFor').all('dependsOn').all('settings'));
    case 'SqlSecurity':
      return update(node, (c) => c.one('definer'));
    case 'DictionaryAttribute':
      return update(node, (c) => c.one('name').one('type').one('default').one('expression'));
    case 'KeyValueArgument':
      return update(node, (c) => c.one('key').one('value'));
    case 'KeyValueFunction':
      return update(node, (c) => c.one('name').all('arguments'));
    case 'Identification':
      return update(node, (c) => c.all('secrets'));
    case 'Privilege':
      return update(node, (c) => c.all('columns').one('on'));
    case 'Partition':
      return update(node, (c) => c.one('expression'));
    case 'PartitionId':
      return update(node, (c) => c.one('id'));
    case 'Part':
      return update(node, (c) => c.one('name'));
    case 'CreateTable':
      return update(node, (c) =>
        c
          .one('name')
          .one('uuid')
          .one('onCluster')
          .all('elements')
          .one('asTable')
          .all('timeSeriesTargets')
          .one('asTableFunction')
          .one('storage')
          .one('comment')
          .one('asSelect')
          .output(),
      );
    case 'CreateView':
      return update(node, (c) =>
        c
          .one('name')
          .one('uuid')
          .one('onCluster')
          .one('refresh')
          .one('innerUuid')
          .one('to')
          .all('toColumns')
          .all('elements')
          .all('columnAliases')
          .one('storage')
          .one('innerStorage')
          .one('sqlSecurity')
          .all('windowOptions')
          .one('query')
          .one('comment')
          .output(),
      );
    case 'CreateDictionary':
      return update(node, (c) =>
        c
          .one('name')
          .one('uuid')
          .one('onCluster')
          .all('attributes')
          .all('primaryKey')
          .one('source')
          .one('layout')
          .clause('lifetime', (l) => l.one('min').one('max').one('value'))
          .clause('range', (r) => r.one('min').one('max'))
          .all('settings')
          .one('comment')
          .output(),
      );
    case 'CreateDatabase':
      return update(node, (c) => c.one('name').one('uuid').one('onCluster').one('engine').all('settings').one('comment').output());
    case 'CreateFunction':
      return update(node, (c) => c.one('name').one('onCluster').one('lambda'));
    case 'CreateNamedCollection':
      return update(node, (c) =>
        c
          .one('name')
          .one('onCluster')
          .clauses('entries', (e) => e.one('key').one('value')),
      );
    case 'AlterNamedCollection':
      return update(node, (c) =>
        c
          .one('name')
          .one('onCluster')
          .clauses('set', (e) => e.one('key').one('value'))
          .all('delete'),
      );
    case 'CreateAccessEntity':
      return update(node, (c) => c.all('names').one('onCluster').all('on').one('identification').all('settings').one('using'));
    case 'Grant':
    case 'Revoke':
      return update(node, (c) => c.one('onCluster').all('privileges').one('on').all('grantees').all('exceptGrantees'));
    case 'AlterTable':
      return update(node, (c) => c.one('table').one('onCluster').all('actions').output());
    case 'AlterDatabase':
      return update(node, (c) => c.one('name').one('onCluster').all('settings').one('comment').output());
    case 'Drop':
      return update(node, (c) => c.all('names').one('onCluster').all('on').one('uuid').output());
    case 'Truncate':
      return update(node, (c) => c.one('name').one('onCluster').output());
    case 'Rename':
    case 'Exchange':
      return update(node, (c) =>
        c
          .clauses('pairs', (p) => p.one('from').one('to'))
          .one('onCluster')
          .output(),
      );
    case 'Attach':
      return update(node, (c) => c.one('name').one('onCluster').one('fromPath').output());
    case 'Use':
      return update(node, (c) => c.one('database'));
    case 'Set':
      return update(node, (c) => c.all('settings'));
    case 'Optimize':
      return update(node, (c) => c.one('table').one('onCluster').one('partition').all('deduplicateBy').output());
    case 'Insert':
      return update(node, (c) =>
        c
          .one('table')
          .one('tableFunction')
          .one('partitionBy')
          .all('columns')
          .clause('infile', (i) => i.one('file').one('compression'))
          .all('settings')
          .one('select'),
      );
    case 'Delete':
      // The statement `DELETE FROM t WHERE ...` and the action `ALTER TABLE t DELETE WHERE ...`: only the statement has a table.
      return update(node, (c) => c.one('table').one('onCluster').one('partition').one('where').output());
    case 'Update':
      return update(node, (c) =>
        c
          .one('table')
          .one('onCluster')
          .clauses('assignments', (a) => a.all('column').one('value'))
          .one('partition')
          .one('where'),
      );
    case 'SelectStatement':
      return update(node, (c) => c.one('query'));
    case 'AddColumn':
    case 'ModifyColumn':
      return update(node, (c) => c.one('column').clause('position', (p) => p.one('after')));
    case 'DropColumn':
    case 'ModifyColumnRemove':
      return update(node, (c) => c.all('column'));
    case 'ModifyColumnSettings':
      return update(node, (c) => c.all('column').all('settings'));
    case 'RenameColumn':
      return update(node, (c) => c.all('from').all('to'));
    case 'ClearColumn':
    case 'MaterializeColumn':
      return update(node, (c) => c.all('column').one('partition'));
    case 'CommentColumn':
      return update(node, (c) => c.all('column').one('comment'));
    case 'AddIndex':
      return update(node, (c) => c.one('index').clause('position', (p) => p.one('after')));
    case 'DropIndex':
    case 'MaterializeIndex':
    case 'ClearIndex':
    case 'DropProjection':
    case 'MaterializeProjection':
    case 'ClearProjection':
      return update(node, (c) => c.one('name').one('partition'));
    case 'AddProjection':
      return update(node, (c) => c.one('projection').clause('position', (p) => p.one('after')));
    case 'AddConstraint':
    case 'ModifyConstraint':
      return update(node, (c) => c.one('constraint'));
    case 'DropConstraint':
      return update(node, (c) => c.one('name'));
    case 'Statistics':
      return update(node, (c) => c.all('columns').all('types').one('partition'));
    case 'ModifyColumnAddEnumValues':
      return update(node, (c) => c.all('column').all('values'));
    case 'ModifyOrderBy':
    case 'ModifySampleBy':
      return update(node, (c) => c.one('expression'));
    case 'ModifyTtl':
      return update(node, (c) => c.all('ttl'));
    case 'MaterializeTtl':
    case 'ApplyDeletedMask':
    case 'OtherAction':
      return update(node, (c) => c.one('partition'));
    case 'ModifySetting':
    case 'ResetSetting':
      return update(node, (c) => c.all('settings'));
    case 'ModifyQuery':
      return update(node, (c) => c.one('query'));
    case 'ModifyRefresh':
      return update(node, (c) => c.one('refresh'));
    case 'ModifySqlSecurity':
      return update(node, (c) => c.one('sqlSecurity'));
    case 'ModifyComment':
      return update(node, (c) => c.one('comment'));
    case 'ModifyEngine':
      return update(node, (c) => c.one('engine'));
    case 'PartitionOperation':
      return update(node, (c) => c.one('partition').one('fromTable').one('toTable').one('fromPath').one('destination').one('withName'));
    default:
      return assertNever(node);
  }
}

function assertNever(node: never): never {
  throw new Error(`mapEachChild: unknown node kind ${(node as { kind: string }).kind}`);
}

/**
 * A copy of `root` in which every node that `replace` maps is swapped for its replacement (mapped to
 * undefined: taken out of its list); the parts of the tree with no replacement inside are shared,
 * not copied.
 */
export function replaceNodes<T extends SyntaxNode>(root: T, replace: ReadonlyMap<object, unknown>): T {
  const copy = (node: SyntaxNode): unknown => (replace.has(node) ? replace.get(node) : mapNode(node, copy));
  return copy(root) as T;
}
