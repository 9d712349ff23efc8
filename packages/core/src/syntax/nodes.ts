import type {
  AlterAction,
  ArrayJoinClause,
  CodecElement,
  ColumnTransformer,
  DataType,
  DictionaryAttribute,
  EngineClause,
  Expression,
  FromClause,
  GrantTarget,
  Identification,
  Identifier,
  JoinClause,
  JsonSkip,
  KeyValueArgument,
  KeyValueFunction,
  NamedDataType,
  OrderByElement,
  PartitionSpec,
  Privilege,
  QualifiedName,
  RefreshClause,
  SelectQuery,
  SelectSettings,
  SelectStatement,
  SettingAssignment,
  SqlSecurityClause,
  Statement,
  StorageClauses,
  TableElement,
  TableExpression,
  TableFunction,
  TimeSeriesTarget,
  TtlElement,
  WindowFrameBound,
  WindowSpec,
  WithElement,
} from './ast.js';

// The TypeScript compiler's pattern (`forEachChild` in its parser.ts): one union of every node kind
// and one function that knows where each kind keeps its children. A `kind` check narrows a node, so
// no code outside this file walks object keys or casts a node to read it.

/** Every kind of node in the syntax tree. */
export type SyntaxNode =
  | Statement
  | AlterAction
  | PartitionSpec
  | Expression
  | Identifier
  | QualifiedName
  | ColumnTransformer
  | WindowFrameBound
  | WindowSpec
  | DataType
  | NamedDataType
  | JsonSkip
  | OrderByElement
  | TableFunction
  | TableExpression
  | JoinClause
  | ArrayJoinClause
  | FromClause
  | WithElement
  | SelectSettings
  | SettingAssignment
  | SelectStatement
  | SelectQuery
  | CodecElement
  | TableElement
  | EngineClause
  | TtlElement
  | TimeSeriesTarget
  | StorageClauses
  | RefreshClause
  | SqlSecurityClause
  | DictionaryAttribute
  | KeyValueArgument
  | KeyValueFunction
  | Identification
  | Privilege
  | GrantTarget;

export type SyntaxKind = SyntaxNode['kind'];

/**
 * The node of one kind: `NodeOfKind<'ColumnRef'>` is `ColumnRef`. A node type with several kinds
 * (`RenameStatement` is `Rename` or `Exchange`) is the node of each of them.
 */
export type NodeOfKind<K extends SyntaxKind> = SyntaxNode extends infer N ? (N extends { kind: infer Kinds } ? (K extends Kinds ? N : never) : never) : never;

type Visit = (child: SyntaxNode) => void;

/**
 * Calls `visit` on each direct child node of `node`, in source order. Clauses that are plain
 * objects (`CASE` branches, `GROUP BY`, `LIMIT`...) are looked through: their nodes are children.
 */
export function forEachChild(node: SyntaxNode, visit: Visit): void {
  const one = (child: SyntaxNode | undefined) => {
    if (child) visit(child);
  };
  const all = (children: readonly SyntaxNode[] | undefined) => {
    if (children) for (const child of children) visit(child);
  };
  switch (node.kind) {
    case 'Identifier':
    case 'Literal':
    case 'GrantTarget':
    case 'PartitionAll':
    case 'RemoveSampleBy':
    case 'RemoveTtl':
    case 'Invalid':
      return;
    case 'Other':
      one(node.identification);
      one(node.alteration);
      return;
    case 'QualifiedName':
      one(node.database);
      one(node.name);
      return;
    case 'ColumnRef':
      all(node.parts);
      return;
    case 'ColumnTransformer':
      all(node.items);
      return;
    case 'Asterisk':
      all(node.qualifier);
      all(node.transformers);
      return;
    case 'ColumnsMatcher':
      all(node.qualifier);
      all(node.arguments);
      all(node.transformers);
      return;
    case 'WindowFrameBound':
      one(node.offset);
      return;
    case 'WindowSpec':
      one(node.baseWindow);
      all(node.partitionBy);
      all(node.orderBy);
      if (node.frame) {
        one(node.frame.from);
        one(node.frame.to);
      }
      return;
    case 'FunctionCall':
      one(node.name);
      all(node.parameters);
      all(node.arguments);
      one(node.filter);
      one(node.over);
      all(node.settings);
      return;
    case 'BinaryExpression':
      one(node.left);
      one(node.right);
      one(node.escape);
      return;
    case 'UnaryExpression':
    case 'IsNullExpression':
      one(node.operand);
      return;
    case 'BetweenExpression':
      one(node.operand);
      one(node.low);
      one(node.high);
      return;
    case 'TernaryExpression':
      one(node.condition);
      one(node.whenTrue);
      one(node.whenFalse);
      return;
    case 'CaseExpression':
      one(node.operand);
      for (const branch of node.branches) {
        one(branch.when);
        one(branch.then);
      }
      one(node.else);
      return;
    case 'CastExpression':
      one(node.expression);
      one(node.type);
      return;
    case 'IntervalExpression':
      one(node.value);
      return;
    case 'TupleExpression':
    case 'ArrayExpression':
      all(node.elements);
      return;
    case 'MapExpression':
      for (const entry of node.entries) {
        one(entry.key);
        one(entry.value);
      }
      return;
    case 'SubqueryExpression':
    case 'ExistsExpression':
      one(node.query);
      return;
    case 'LambdaExpression':
      all(node.parameters);
      one(node.body);
      return;
    case 'ArrayElement':
      one(node.array);
      one(node.index);
      return;
    case 'TupleElement':
      one(node.tuple);
      one(node.element);
      return;
    case 'QueryParameter':
      one(node.type);
      return;
    case 'AliasExpression':
      one(node.expression);
      one(node.alias);
      return;
    case 'DataType':
      all(node.arguments);
      return;
    case 'NamedDataType':
      all(node.name);
      one(node.type);
      return;
    case 'JsonSkip':
      if (Array.isArray(node.path)) all(node.path);
      else one(node.path);
      return;
    case 'OrderByElement':
      one(node.expression);
      one(node.collate);
      if (node.withFill) {
        one(node.withFill.from);
        one(node.withFill.to);
        one(node.withFill.step);
        one(node.withFill.staleness);
      }
      return;
    case 'TableFunction':
      one(node.database);
      one(node.call);
      return;
    case 'TableExpression':
      one(node.source);
      one(node.alias);
      all(node.columnAliases);
      if (node.sample) {
        one(node.sample.ratio);
        one(node.sample.offset);
      }
      return;
    case 'JoinClause':
      one(node.table);
      one(node.on);
      all(node.using);
      return;
    case 'ArrayJoinClause':
      all(node.expressions);
      return;
    case 'FromClause':
      one(node.table);
      all(node.joins);
      return;
    case 'WithElement':
      // `WITH name AS (query)` is written name first; `WITH expression AS name` value first.
      if (node.form === 'subquery') {
        one(node.name);
        all(node.columns);
        one(node.value);
      } else {
        one(node.value);
        one(node.name);
      }
      return;
    case 'Settings':
      all(node.items);
      return;
    case 'SettingAssignment':
      one(node.name);
      one(node.value);
      return;
    case 'Select':
      forEachSelectChild(node, one, all);
      return;
    case 'SelectQuery':
      all(node.with);
      all(node.selects);
      one(node.format);
      one(node.settings);
      return;
    case 'CodecElement':
      all(node.arguments);
      return;
    case 'ColumnDefinition':
      all(node.name);
      one(node.type);
      one(node.collation);
      one(node.defaultExpression);
      one(node.comment);
      all(node.codec);
      all(node.statistics);
      one(node.ttl);
      all(node.settings);
      return;
    case 'IndexDefinition':
      one(node.name);
      one(node.expression);
      one(node.type);
      one(node.granularity);
      return;
    case 'ProjectionDefinition':
      one(node.name);
      one(node.query);
      one(node.index?.expression);
      one(node.index?.type);
      all(node.settings);
      return;
    case 'ConstraintDefinition':
      one(node.name);
      one(node.expression);
      return;
    case 'PrimaryKeyElement':
      one(node.expression);
      return;
    case 'StatisticsElement':
      all(node.columns);
      all(node.types);
      return;
    case 'Engine':
      one(node.name);
      all(node.arguments);
      return;
    case 'TtlElement':
      one(node.expression);
      one(node.target);
      all(node.codec);
      one(node.where);
      all(node.groupBy);
      for (const assignment of node.set ?? []) {
        one(assignment.column);
        one(assignment.value);
      }
      return;
    case 'TimeSeriesTarget':
      one(node.table);
      one(node.uuid);
      all(node.columns);
      one(node.storage);
      return;
    case 'Storage':
      one(node.engine);
      one(node.partitionBy);
      one(node.primaryKey);
      one(node.orderBy);
      one(node.sampleBy);
      all(node.ttl);
      all(node.settings);
      return;
    case 'Refresh':
      all(node.period);
      all(node.offset);
      all(node.randomizeFor);
      all(node.dependsOn);
      all(node.settings);
      return;
    case 'SqlSecurity':
      one(node.definer);
      return;
    case 'DictionaryAttribute':
      one(node.name);
      one(node.type);
      one(node.default);
      one(node.expression);
      return;
    case 'KeyValueArgument':
      one(node.key);
      one(node.value);
      return;
    case 'KeyValueFunction':
      one(node.name);
      all(node.arguments);
      return;
    case 'Identification':
      all(node.secrets);
      return;
    case 'Privilege':
      all(node.columns);
      one(node.on);
      return;
    case 'Partition':
      one(node.expression);
      return;
    case 'PartitionId':
      one(node.id);
      return;
    case 'Part':
      one(node.name);
      return;
    default:
      forEachStatementChild(node, one, all);
  }
}

function forEachSelectChild(
  node: SelectStatement,
  one: (child: SyntaxNode | undefined) => void,
  all: (children: readonly SyntaxNode[] | undefined) => void,
): void {
  all(node.with);
  all(node.distinctOn);
  one(node.top?.count);
  all(node.columns);
  one(node.from);
  one(node.prewhere);
  one(node.where);
  all(node.groupBy?.expressions);
  for (const set of node.groupBy?.groupingSets ?? []) all(set);
  one(node.having);
  for (const window of node.window) {
    one(window.name);
    one(window.spec);
  }
  one(node.qualify);
  all(node.orderBy?.elements);
  for (const item of node.orderBy?.interpolate ?? []) {
    one(item.column);
    one(item.value);
  }
  one(node.limitBy?.limit);
  one(node.limitBy?.offset);
  all(node.limitBy?.by);
  one(node.limit?.count);
  one(node.limit?.offset);
  one(node.offset);
  one(node.settings);
}

type Rest = Exclude<
  SyntaxNode,
  {
    kind:
      | 'Identifier'
      | 'Literal'
      | 'GrantTarget'
      | 'PartitionAll'
      | 'RemoveSampleBy'
      | 'RemoveTtl'
      | 'Invalid'
      | 'Other'
      | 'QualifiedName'
      | 'ColumnRef'
      | 'ColumnTransformer'
      | 'Asterisk'
      | 'ColumnsMatcher'
      | 'WindowFrameBound'
      | 'WindowSpec'
      | 'FunctionCall'
      | 'BinaryExpression'
      | 'UnaryExpression'
      | 'IsNullExpression'
      | 'BetweenExpression'
      | 'TernaryExpression'
      | 'CaseExpression'
      | 'CastExpression'
      | 'IntervalExpression'
      | 'TupleExpression'
      | 'ArrayExpression'
      | 'MapExpression'
      | 'SubqueryExpression'
      | 'ExistsExpression'
      | 'LambdaExpression'
      | 'ArrayElement'
      | 'TupleElement'
      | 'QueryParameter'
      | 'AliasExpression'
      | 'DataType'
      | 'NamedDataType'
      | 'JsonSkip'
      | 'OrderByElement'
      | 'TableFunction'
      | 'TableExpression'
      | 'JoinClause'
      | 'ArrayJoinClause'
      | 'FromClause'
      | 'WithElement'
      | 'Settings'
      | 'SettingAssignment'
      | 'Select'
      | 'SelectQuery'
      | 'CodecElement'
      | 'ColumnDefinition'
      | 'IndexDefinition'
      | 'ProjectionDefinition'
      | 'ConstraintDefinition'
      | 'PrimaryKeyElement'
      | 'StatisticsElement'
      | 'Engine'
      | 'TtlElement'
      | 'TimeSeriesTarget'
      | 'Storage'
      | 'Refresh'
      | 'SqlSecurity'
      | 'DictionaryAttribute'
      | 'KeyValueArgument'
      | 'KeyValueFunction'
      | 'Identification'
      | 'Privilege'
      | 'Partition'
      | 'PartitionId'
      | 'Part';
  }
>;

/** Statements and ALTER actions: the kinds with a header of names and clauses. */
function forEachStatementChild(node: Rest, one: (child: SyntaxNode | undefined) => void, all: (children: readonly SyntaxNode[] | undefined) => void): void {
  switch (node.kind) {
    case 'CreateTable':
      one(node.name);
      one(node.uuid);
      one(node.onCluster);
      all(node.elements);
      one(node.asTable);
      all(node.timeSeriesTargets);
      one(node.asTableFunction);
      one(node.storage);
      one(node.comment);
      one(node.asSelect);
      forEachOutputChild(node, one, all);
      return;
    case 'CreateView':
      one(node.name);
      one(node.uuid);
      one(node.onCluster);
      one(node.refresh);
      one(node.innerUuid);
      one(node.to);
      all(node.toColumns);
      all(node.elements);
      all(node.columnAliases);
      one(node.storage);
      one(node.innerStorage);
      one(node.sqlSecurity);
      all(node.windowOptions);
      one(node.query);
      one(node.comment);
      forEachOutputChild(node, one, all);
      return;
    case 'CreateDictionary':
      one(node.name);
      one(node.uuid);
      one(node.onCluster);
      all(node.attributes);
      all(node.primaryKey);
      one(node.source);
      one(node.layout);
      one(node.lifetime?.min);
      one(node.lifetime?.max);
      one(node.lifetime?.value);
      one(node.range?.min);
      one(node.range?.max);
      all(node.settings);
      one(node.comment);
      forEachOutputChild(node, one, all);
      return;
    case 'CreateDatabase':
      one(node.name);
      one(node.uuid);
      one(node.onCluster);
      one(node.engine);
      all(node.settings);
      one(node.comment);
      forEachOutputChild(node, one, all);
      return;
    case 'CreateFunction':
      one(node.name);
      one(node.onCluster);
      one(node.lambda);
      return;
    case 'CreateNamedCollection':
      one(node.name);
      one(node.onCluster);
      for (const entry of node.entries) {
        one(entry.key);
        one(entry.value);
      }
      return;
    case 'AlterNamedCollection':
      one(node.name);
      one(node.onCluster);
      for (const entry of node.set) {
        one(entry.key);
        one(entry.value);
      }
      all(node.delete);
      return;
    case 'CreateAccessEntity':
      all(node.names);
      one(node.onCluster);
      all(node.on);
      one(node.identification);
      all(node.settings);
      one(node.using);
      return;
    case 'Grant':
    case 'Revoke':
      one(node.onCluster);
      all(node.privileges);
      one(node.on);
      all(node.grantees);
      all(node.exceptGrantees);
      return;
    case 'AlterTable':
      one(node.table);
      one(node.onCluster);
      all(node.actions);
      forEachOutputChild(node, one, all);
      return;
    case 'AlterDatabase':
      one(node.name);
      one(node.onCluster);
      all(node.settings);
      one(node.comment);
      forEachOutputChild(node, one, all);
      return;
    case 'Drop':
      all(node.names);
      one(node.onCluster);
      all(node.on);
      one(node.uuid);
      forEachOutputChild(node, one, all);
      return;
    case 'Truncate':
      one(node.name);
      one(node.onCluster);
      forEachOutputChild(node, one, all);
      return;
    case 'Rename':
    case 'Exchange':
      for (const pair of node.pairs) {
        one(pair.from);
        one(pair.to);
      }
      one(node.onCluster);
      forEachOutputChild(node, one, all);
      return;
    case 'Attach':
      one(node.name);
      one(node.onCluster);
      one(node.fromPath);
      forEachOutputChild(node, one, all);
      return;
    case 'Use':
      one(node.database);
      return;
    case 'Set':
      all(node.settings);
      return;
    case 'Optimize':
      one(node.table);
      one(node.onCluster);
      one(node.partition);
      all(node.deduplicateBy);
      forEachOutputChild(node, one, all);
      return;
    case 'Insert':
      one(node.table);
      one(node.tableFunction);
      one(node.partitionBy);
      all(node.columns);
      one(node.infile?.file);
      one(node.infile?.compression);
      all(node.settings);
      one(node.select);
      return;
    case 'Delete':
      // The statement `DELETE FROM t WHERE ...` and the action `ALTER TABLE t DELETE WHERE ...`.
      if ('table' in node) {
        one(node.table);
        one(node.onCluster);
      }
      one(node.partition);
      one(node.where);
      if ('table' in node) forEachOutputChild(node, one, all);
      return;
    case 'Update':
      if ('table' in node) {
        one(node.table);
        one(node.onCluster);
      }
      for (const assignment of node.assignments) {
        all(assignment.column);
        one(assignment.value);
      }
      one(node.partition);
      one(node.where);
      return;
    case 'SelectStatement':
      one(node.query);
      return;
    case 'AddColumn':
    case 'ModifyColumn':
      one(node.column);
      forEachPositionChild(node.position, one);
      return;
    case 'DropColumn':
    case 'ModifyColumnRemove':
      all(node.column);
      return;
    case 'ModifyColumnSettings':
      all(node.column);
      all(node.settings);
      return;
    case 'RenameColumn':
      all(node.from);
      all(node.to);
      return;
    case 'ClearColumn':
    case 'MaterializeColumn':
      all(node.column);
      one(node.partition);
      return;
    case 'CommentColumn':
      all(node.column);
      one(node.comment);
      return;
    case 'AddIndex':
      one(node.index);
      forEachPositionChild(node.position, one);
      return;
    case 'DropIndex':
    case 'MaterializeIndex':
    case 'ClearIndex':
    case 'DropProjection':
    case 'MaterializeProjection':
    case 'ClearProjection':
      one(node.name);
      one(node.partition);
      return;
    case 'AddProjection':
      one(node.projection);
      forEachPositionChild(node.position, one);
      return;
    case 'AddConstraint':
    case 'ModifyConstraint':
      one(node.constraint);
      return;
    case 'DropConstraint':
      one(node.name);
      return;
    case 'Statistics':
      all(node.columns);
      all(node.types);
      one(node.partition);
      return;
    case 'ModifyColumnAddEnumValues':
      all(node.column);
      all(node.values);
      return;
    case 'ModifyOrderBy':
    case 'ModifySampleBy':
      one(node.expression);
      return;
    case 'ModifyTtl':
      all(node.ttl);
      return;
    case 'MaterializeTtl':
    case 'ApplyDeletedMask':
    case 'OtherAction':
      one(node.partition);
      return;
    case 'ModifySetting':
    case 'ResetSetting':
      all(node.settings);
      return;
    case 'ModifyQuery':
      one(node.query);
      return;
    case 'ModifyRefresh':
      one(node.refresh);
      return;
    case 'ModifySqlSecurity':
      one(node.sqlSecurity);
      return;
    case 'ModifyComment':
      one(node.comment);
      return;
    case 'ModifyEngine':
      one(node.engine);
      return;
    case 'PartitionOperation':
      one(node.partition);
      one(node.fromTable);
      one(node.toTable);
      one(node.fromPath);
      one(node.destination);
      one(node.withName);
      return;
    default:
      assertNever(node);
  }
}

function forEachOutputChild(
  node: { format?: Identifier; querySettings?: SettingAssignment[] },
  one: (child: SyntaxNode | undefined) => void,
  all: (children: readonly SyntaxNode[] | undefined) => void,
): void {
  one(node.format);
  all(node.querySettings);
}

function forEachPositionChild(position: { first: true } | { after: Identifier } | undefined, one: (child: SyntaxNode | undefined) => void): void {
  if (position && 'after' in position) one(position.after);
}

function assertNever(node: never): never {
  throw new Error(`forEachChild: unknown node kind ${(node as { kind: string }).kind}`);
}

/**
 * Calls `visit` on `root` and every node under it, parents before children, each with its parent.
 * `visit` returning false skips that node's children.
 */
export function forEachDescendant(root: SyntaxNode, visit: (node: SyntaxNode, parent: SyntaxNode | undefined) => boolean | undefined): void {
  const walk = (node: SyntaxNode, parent: SyntaxNode | undefined): void => {
    if (visit(node, parent) === false) return;
    forEachChild(node, (child) => walk(child, node));
  };
  walk(root, undefined);
}
