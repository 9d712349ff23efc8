// The syntax tree. Every node has `start`/`end` offsets (end exclusive) into the source text,
// `start` after leading trivia. Kinds are string literals so that JSON output reads well.

export interface NodeBase {
  start: number;
  end: number;
}

/**
 * The clauses ClickHouse allows after a DDL statement as after a query (ParserQueryWithOutput):
 * `DROP TABLE t FORMAT Null SETTINGS mutations_sync = 2`. They apply to this execution only.
 */
export interface QueryOutput {
  /** `FORMAT name`: the format of the statement's (empty) result. */
  format?: Identifier;
  /** Query-level `SETTINGS` after the statement: `... DELETE WHERE x SETTINGS mutations_sync = 2`. */
  querySettings?: SettingAssignment[];
}

// ---------------------------------------------------------------- names

export interface Identifier extends NodeBase {
  kind: 'Identifier';
  /** The name with quotes and escapes removed. */
  name: string;
  quoted: boolean;
}

/** `[db.]name`. */
export interface QualifiedName extends NodeBase {
  kind: 'QualifiedName';
  database?: Identifier;
  name: Identifier;
}

// ---------------------------------------------------------------- expressions

export type Expression =
  | Literal
  | ColumnRef
  | Asterisk
  | ColumnsMatcher
  | FunctionCall
  | BinaryExpression
  | UnaryExpression
  | IsNullExpression
  | BetweenExpression
  | TernaryExpression
  | CaseExpression
  | CastExpression
  | IntervalExpression
  | TupleExpression
  | ArrayExpression
  | MapExpression
  | SubqueryExpression
  | LambdaExpression
  | ArrayElement
  | TupleElement
  | ExistsExpression
  | QueryParameter
  | AliasExpression;

export interface Literal extends NodeBase {
  kind: 'Literal';
  type: 'number' | 'string' | 'null' | 'boolean';
  /** Source text for numbers; unescaped value for strings; `NULL`/`true`/`false` otherwise. */
  value: string;
}

/** `a`, `t.a`, `db.t.a`, `n.1`-style dotted names are split into parts. */
export interface ColumnRef extends NodeBase {
  kind: 'ColumnRef';
  parts: Identifier[];
}

/** A transformer applied to `*` or `COLUMNS(...)`: `EXCEPT (a)`, `REPLACE (x AS a)`, `APPLY (f)`. */
export interface ColumnTransformer extends NodeBase {
  kind: 'ColumnTransformer';
  transformer: 'EXCEPT' | 'REPLACE' | 'APPLY';
  strict: boolean;
  items: Expression[];
}

export interface Asterisk extends NodeBase {
  kind: 'Asterisk';
  /** `t.*` has qualifier `[t]`. */
  qualifier: Identifier[];
  transformers: ColumnTransformer[];
}

export interface ColumnsMatcher extends NodeBase {
  kind: 'ColumnsMatcher';
  qualifier: Identifier[];
  /** `COLUMNS('regexp')` has one string literal; `COLUMNS(a, b)` lists columns. */
  arguments: Expression[];
  transformers: ColumnTransformer[];
}

export interface WindowFrameBound extends NodeBase {
  kind: 'WindowFrameBound';
  /** `UNBOUNDED PRECEDING`, `CURRENT ROW`, `3 FOLLOWING`... */
  bound: 'UNBOUNDED PRECEDING' | 'UNBOUNDED FOLLOWING' | 'CURRENT ROW' | 'PRECEDING' | 'FOLLOWING';
  offset?: Expression;
}

export interface WindowSpec extends NodeBase {
  kind: 'WindowSpec';
  baseWindow?: Identifier;
  partitionBy: Expression[];
  orderBy: OrderByElement[];
  frame?: { unit: 'ROWS' | 'RANGE' | 'GROUPS'; from: WindowFrameBound; to?: WindowFrameBound };
}

export interface FunctionCall extends NodeBase {
  kind: 'FunctionCall';
  name: Identifier;
  /** Parameters of a parametric aggregate: `quantile(0.9)(x)` has parameters `[0.9]`. */
  parameters?: Expression[];
  arguments: Expression[];
  distinct: boolean;
  /** `IGNORE NULLS` / `RESPECT NULLS` after the arguments. */
  nullsAction?: 'IGNORE NULLS' | 'RESPECT NULLS';
  filter?: Expression;
  over?: WindowSpec | Identifier;
  /**
   * Calls written in SQL-standard syntax keep it, so printing can reproduce them:
   * `EXTRACT(DAY FROM d)`, `SUBSTRING(s FROM 1 FOR 2)`, `TRIM(BOTH 'x' FROM s)`, `POSITION(a IN b)`,
   * `DATE 'x'`, `TIMESTAMP 'x'`.
   */
  syntax?: 'extract' | 'substring' | 'trim' | 'position' | 'typed-literal' | 'at-time-zone';
  /** For `trim` syntax: which side; for `extract`: the unit keyword. */
  modifier?: string;
  /** A table function's trailing `SETTINGS name = value, ...`: `mysql(..., SETTINGS connect_timeout = 10)`. */
  settings?: SettingAssignment[];
}

export type BinaryOperator =
  | 'OR'
  | 'AND'
  | '='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '<=>'
  | 'IS DISTINCT FROM'
  | 'LIKE'
  | 'NOT LIKE'
  | 'ILIKE'
  | 'NOT ILIKE'
  | 'REGEXP'
  | 'IN'
  | 'NOT IN'
  | 'GLOBAL IN'
  | 'GLOBAL NOT IN'
  | '+'
  | '-'
  | '||'
  | '*'
  | '/'
  | '%'
  | 'DIV'
  | 'MOD';

export interface BinaryExpression extends NodeBase {
  kind: 'BinaryExpression';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  /** `LIKE ... ESCAPE 'c'`. */
  escape?: Expression;
}

export interface UnaryExpression extends NodeBase {
  kind: 'UnaryExpression';
  operator: 'NOT' | '-';
  operand: Expression;
}

export interface IsNullExpression extends NodeBase {
  kind: 'IsNullExpression';
  negated: boolean;
  operand: Expression;
}

export interface BetweenExpression extends NodeBase {
  kind: 'BetweenExpression';
  negated: boolean;
  operand: Expression;
  low: Expression;
  high: Expression;
}

/** `cond ? a : b`. */
export interface TernaryExpression extends NodeBase {
  kind: 'TernaryExpression';
  condition: Expression;
  whenTrue: Expression;
  whenFalse: Expression;
}

export interface CaseExpression extends NodeBase {
  kind: 'CaseExpression';
  operand?: Expression;
  branches: { when: Expression; then: Expression }[];
  else?: Expression;
}

/** `CAST(x AS T)` and `x::T`. (`CAST(x, 'T')` is an ordinary function call.) */
export interface CastExpression extends NodeBase {
  kind: 'CastExpression';
  syntax: 'CAST' | '::';
  expression: Expression;
  type: DataType;
}

export interface IntervalExpression extends NodeBase {
  kind: 'IntervalExpression';
  value: Expression;
  /** `DAY`, `HOUR`...; absent for `INTERVAL '1 day'`. */
  unit?: string;
}

export interface TupleExpression extends NodeBase {
  kind: 'TupleExpression';
  elements: Expression[];
}

export interface ArrayExpression extends NodeBase {
  kind: 'ArrayExpression';
  elements: Expression[];
}

/** `{'a': 1, 'b': 2}`. */
export interface MapExpression extends NodeBase {
  kind: 'MapExpression';
  entries: { key: Expression; value: Expression }[];
}

export interface SubqueryExpression extends NodeBase {
  kind: 'SubqueryExpression';
  query: SelectQuery;
}

export interface LambdaExpression extends NodeBase {
  kind: 'LambdaExpression';
  parameters: Identifier[];
  body: Expression;
}

export interface ArrayElement extends NodeBase {
  kind: 'ArrayElement';
  array: Expression;
  index: Expression;
}

/** `t.1` or `(expr).name`. */
export interface TupleElement extends NodeBase {
  kind: 'TupleElement';
  tuple: Expression;
  element: Literal | Identifier;
}

export interface ExistsExpression extends NodeBase {
  kind: 'ExistsExpression';
  query: SelectQuery;
}

/** `{name:Type}`: a parameter of a parameterized view or query. */
export interface QueryParameter extends NodeBase {
  kind: 'QueryParameter';
  name: string;
  type: DataType;
}

export interface AliasExpression extends NodeBase {
  kind: 'AliasExpression';
  expression: Expression;
  alias: Identifier;
  /** False for `SELECT a b` (alias without AS). */
  explicit: boolean;
}

// ---------------------------------------------------------------- data types

/** An argument of a data type: a nested type, a named element (`Tuple(a String)`), or a literal/expression (`Enum8('a' = 1)`, `Decimal(10, 2)`). */
export type DataTypeArgument = DataType | NamedDataType | Expression | JsonSkip;

export interface DataType extends NodeBase {
  kind: 'DataType';
  /** As written, with words separated by one space: `Nullable`, `DOUBLE PRECISION`, `BIGINT UNSIGNED`. */
  name: string;
  arguments?: DataTypeArgument[];
}

export interface NamedDataType extends NodeBase {
  kind: 'NamedDataType';
  name: Identifier[];
  type: DataType;
}

/** `SKIP path` / `SKIP REGEXP 're'` inside `JSON(...)`. */
export interface JsonSkip extends NodeBase {
  kind: 'JsonSkip';
  regexp: boolean;
  path: Identifier[] | Literal;
}

// ---------------------------------------------------------------- SELECT

export interface OrderByElement extends NodeBase {
  kind: 'OrderByElement';
  expression: Expression;
  direction?: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
  collate?: Literal;
  withFill?: { from?: Expression; to?: Expression; step?: Expression; staleness?: Expression };
}

export interface TableFunction extends NodeBase {
  kind: 'TableFunction';
  /** Set for `db.view(...)`: a parameterized view called with arguments. */
  database?: Identifier;
  call: FunctionCall;
}

/** What a FROM or JOIN reads: a table, a table function or a subquery. */
export interface TableExpression extends NodeBase {
  kind: 'TableExpression';
  source: QualifiedName | TableFunction | SubqueryExpression;
  alias?: Identifier;
  /** `t AS x (a, b)`: names for the source's columns. */
  columnAliases?: Identifier[];
  final: boolean;
  sample?: { ratio: Expression; offset?: Expression };
}

export interface JoinClause extends NodeBase {
  kind: 'JoinClause';
  /** `GLOBAL`, `LEFT ANY`, `ASOF LEFT`, `CROSS`, `PASTE`, `,` ... the modifiers upper-cased and joined by spaces. */
  joinType: string;
  table: TableExpression;
  on?: Expression;
  using?: Expression[];
}

export interface ArrayJoinClause extends NodeBase {
  kind: 'ArrayJoinClause';
  left: boolean;
  expressions: Expression[];
}

export interface FromClause extends NodeBase {
  kind: 'FromClause';
  table: TableExpression;
  /** Joins and ARRAY JOINs in source order. */
  joins: (JoinClause | ArrayJoinClause)[];
}

/** `name [(columns)] AS (subquery)` (a CTE) or `expr [AS name]` (a named expression, or one without a name). */
export type WithElement = WithSubquery | WithExpression;

/** `WITH name [(a, b)] AS (subquery)`: a CTE, its columns optionally renamed. */
export interface WithSubquery extends NodeBase {
  kind: 'WithElement';
  form: 'subquery';
  name: Identifier;
  /** `WITH t (a, b) AS (...)`: names for the query's columns, in order. */
  columns?: Identifier[];
  value: Expression;
}

/** `WITH expr AS name`, or `WITH expr` alone (`WITH 1 SELECT 1`: ClickHouse evaluates it and names nothing). */
export interface WithExpression extends NodeBase {
  kind: 'WithElement';
  form: 'expression';
  name?: Identifier;
  value: Expression;
}

/** A WITH expression that names its value: what a column reference can mean. */
export type NamedWithExpression = WithExpression & { name: Identifier };

export interface SelectSettings extends NodeBase {
  kind: 'Settings';
  items: SettingAssignment[];
}

export interface SettingAssignment extends NodeBase {
  kind: 'SettingAssignment';
  name: Identifier;
  /** Absent for `RESET SETTING` style lists. */
  value?: Expression;
}

export interface SelectStatement extends NodeBase {
  kind: 'Select';
  with: WithElement[];
  /** `WITH RECURSIVE`: its CTEs may read themselves. */
  withRecursive?: boolean;
  distinct: boolean;
  distinctOn?: Expression[];
  top?: { count: Expression; withTies: boolean };
  columns: Expression[];
  from?: FromClause;
  prewhere?: Expression;
  where?: Expression;
  groupBy?: {
    all: boolean;
    expressions: Expression[];
    groupingSets?: Expression[][];
    modifier?: 'ROLLUP' | 'CUBE';
    withTotals: boolean;
  };
  having?: Expression;
  window: { name: Identifier; spec: WindowSpec }[];
  qualify?: Expression;
  orderBy?: {
    all: boolean;
    allDescending?: boolean;
    /** `ORDER BY ALL ... NULLS FIRST|LAST`. */
    allNulls?: 'FIRST' | 'LAST';
    elements: OrderByElement[];
    /** `INTERPOLATE (column [AS value], ...)`: how WITH FILL fills each column (by default, its previous value). */
    interpolate?: { column: Identifier; value?: Expression }[];
  };
  limitBy?: { limit: Expression; offset?: Expression; by: Expression[] };
  limit?: { count: Expression; offset?: Expression; withTies: boolean };
  offset?: Expression;
  settings?: SelectSettings;
}

/** A query: one SELECT, or several joined by UNION/INTERSECT/EXCEPT, possibly parenthesized. */
export interface SelectQuery extends NodeBase {
  kind: 'SelectQuery';
  /** `WITH` that applies to the whole union (written before a parenthesized first select). */
  with: WithElement[];
  selects: (SelectStatement | SelectQuery)[];
  /** `operators[i]` joins `selects[i]` and `selects[i + 1]`: `UNION ALL`, `EXCEPT DISTINCT`... */
  operators: string[];
  format?: Identifier;
  settings?: SelectSettings;
}

// ---------------------------------------------------------------- CREATE TABLE

export type DefaultKind = 'DEFAULT' | 'MATERIALIZED' | 'EPHEMERAL' | 'ALIAS';

export interface CodecElement extends NodeBase {
  kind: 'CodecElement';
  name: string;
  arguments?: Expression[];
}

export interface ColumnDefinition extends NodeBase {
  kind: 'ColumnDefinition';
  name: Identifier[];
  type?: DataType;
  /** MySQL's `COLLATE binary`: kept for printing; ClickHouse stores no collation, so it means nothing. */
  collation?: Identifier;
  nullable?: boolean;
  defaultKind?: DefaultKind;
  defaultExpression?: Expression;
  comment?: Literal;
  codec?: CodecElement[];
  statistics?: Expression[];
  ttl?: Expression;
  settings?: SettingAssignment[];
  primaryKey: boolean;
}

export interface IndexDefinition extends NodeBase {
  kind: 'IndexDefinition';
  name: Identifier;
  expression: Expression;
  type: DataType;
  granularity?: Literal;
}

/** `PROJECTION name (SELECT ...)`, or `PROJECTION name INDEX expr TYPE basic`: a projection that is an index over `expr`. */
export type ProjectionDefinition = ProjectionBase & ({ query: SelectQuery; index?: undefined } | { query?: undefined; index: ProjectionIndex });

interface ProjectionBase extends NodeBase {
  kind: 'ProjectionDefinition';
  name: Identifier;
  settings?: SettingAssignment[];
}

export interface ProjectionIndex {
  expression: Expression;
  type: DataType;
}

export interface ConstraintDefinition extends NodeBase {
  kind: 'ConstraintDefinition';
  name: Identifier;
  constraintType: 'CHECK' | 'ASSUME';
  expression: Expression;
}

/** `PRIMARY KEY (a, b)` written among the columns. */
export interface PrimaryKeyElement extends NodeBase {
  kind: 'PrimaryKeyElement';
  expression: Expression;
}

export type TableElement = ColumnDefinition | IndexDefinition | ProjectionDefinition | ConstraintDefinition | PrimaryKeyElement | StatisticsElement;

/** `STATISTICS(a) TYPE tdigest` / not common at table level; kept for completeness. */
export interface StatisticsElement extends NodeBase {
  kind: 'StatisticsElement';
  columns: Identifier[];
  types: Expression[];
}

export interface EngineClause extends NodeBase {
  kind: 'Engine';
  name: Identifier;
  /** Absent for `ENGINE = MergeTree`; empty for `MergeTree()`. */
  arguments?: Expression[];
}

export interface TtlElement extends NodeBase {
  kind: 'TtlElement';
  expression: Expression;
  action: 'DELETE' | 'TO DISK' | 'TO VOLUME' | 'RECOMPRESS' | 'GROUP BY' | 'NONE';
  target?: Literal;
  codec?: CodecElement[];
  where?: Expression;
  groupBy?: Expression[];
  set?: { column: Identifier; value: Expression }[];
}

/**
 * A TimeSeries table's target (`ENGINE = TimeSeries`): where its samples (`DATA` is a synonym), tags
 * or metrics live, an existing table or an inner one with its UUID, columns or engine. The server
 * prints them all: `SAMPLES INNER COLUMNS (...) SAMPLES INNER ENGINE = MergeTree ORDER BY ...`.
 */
export interface TimeSeriesTarget extends NodeBase {
  kind: 'TimeSeriesTarget';
  target: 'SAMPLES' | 'TAGS' | 'METRICS';
  table?: QualifiedName;
  uuid?: Literal;
  columns?: TableElement[];
  storage?: StorageClauses;
}

export interface StorageClauses extends NodeBase {
  kind: 'Storage';
  engine?: EngineClause;
  partitionBy?: Expression;
  primaryKey?: Expression;
  /** The sorting key, without directions. */
  orderBy?: Expression;
  /**
   * A reverse sorting key (`ORDER BY (a, b DESC)`, allow_experimental_reverse_key): whether each element
   * of `orderBy` (of its tuple, or itself) is DESC. Absent when none is.
   */
  orderByDescending?: boolean[];
  sampleBy?: Expression;
  ttl?: TtlElement[];
  settings?: SettingAssignment[];
}

/** Fields shared by every CREATE. */
export interface CreateHeader {
  orReplace: boolean;
  /** `REPLACE TABLE` / `ATTACH TABLE` / `CREATE TABLE`. */
  verb: 'CREATE' | 'ATTACH' | 'REPLACE';
  ifNotExists: boolean;
  onCluster?: Identifier | Literal;
}

export interface CreateTableStatement extends NodeBase, CreateHeader, QueryOutput {
  kind: 'CreateTable';
  temporary: boolean;
  name: QualifiedName;
  uuid?: Literal;
  elements?: TableElement[];
  /** `AS other_table`, `AS table_function(...)`, `CLONE AS t`. */
  asTable?: QualifiedName;
  /** The targets of a TimeSeries table, after its engine, in source order. */
  timeSeriesTargets?: TimeSeriesTarget[];
  asTableFunction?: TableFunction;
  clone: boolean;
  storage?: StorageClauses;
  comment?: Literal;
  /** `AS SELECT ...`; `empty` for `EMPTY AS SELECT`. */
  asSelect?: SelectQuery;
  empty: boolean;
}

export interface RefreshClause extends NodeBase {
  kind: 'Refresh';
  interval: 'EVERY' | 'AFTER';
  /** The period as written, one part per unit: `1 DAY 2 HOUR` is two parts. */
  period: IntervalExpression[];
  offset?: IntervalExpression[];
  randomizeFor?: IntervalExpression[];
  dependsOn: QualifiedName[];
  settings?: SettingAssignment[];
  append: boolean;
}

export interface SqlSecurityClause extends NodeBase {
  kind: 'SqlSecurity';
  definer?: Identifier;
  /** `DEFINER`, `INVOKER`, `NONE`; absent when only `DEFINER = x` is given. */
  security?: 'DEFINER' | 'INVOKER' | 'NONE';
}

export interface CreateViewStatement extends NodeBase, CreateHeader, QueryOutput {
  kind: 'CreateView';
  viewKind: 'VIEW' | 'MATERIALIZED' | 'LIVE' | 'WINDOW';
  name: QualifiedName;
  uuid?: Literal;
  refresh?: RefreshClause;
  /** `TO INNER UUID 'u'`: the UUID of an MV's inner table (in ATTACH and server-written forms). */
  innerUuid?: Literal;
  to?: QualifiedName;
  /** `TO t (a, b)`: the target's column list. */
  toColumns?: TableElement[];
  /** Column list of the view itself (or of an MV's inner table). */
  elements?: TableElement[];
  /**
   * `CREATE VIEW v (a, b) AS SELECT ...`: names for the query's columns, in order. The server keeps
   * them after the column list (`(a UInt8, b UInt8) (a, b)`) and writes them as aliases in the query.
   */
  columnAliases?: Identifier[];
  storage?: StorageClauses;
  innerStorage?: StorageClauses;
  populate: boolean;
  empty: boolean;
  sqlSecurity?: SqlSecurityClause;
  /** WINDOW VIEW: `WATERMARK = ...`, `ALLOWED_LATENESS = ...`. */
  windowOptions: SettingAssignment[];
  query?: SelectQuery;
  comment?: Literal;
}

// ---------------------------------------------------------------- CREATE others

export interface DictionaryAttribute extends NodeBase {
  kind: 'DictionaryAttribute';
  name: Identifier;
  type: DataType;
  default?: Expression;
  expression?: Expression;
  hierarchical: boolean;
  bidirectional: boolean;
  injective: boolean;
  isObjectId: boolean;
}

/** `KEY value` inside SOURCE(...)/LAYOUT(...); a value may itself be a nested `NAME(...)`. */
export interface KeyValueArgument extends NodeBase {
  kind: 'KeyValueArgument';
  key: Identifier;
  value: Expression | KeyValueFunction;
}

/** `CLICKHOUSE(HOST 'x' PORT 9000)`, `HASHED()`, `HEADERS(header(name 'a' value 'b'))`. */
export interface KeyValueFunction extends NodeBase {
  kind: 'KeyValueFunction';
  name: Identifier;
  arguments: KeyValueArgument[];
}

export interface CreateDictionaryStatement extends NodeBase, CreateHeader, QueryOutput {
  kind: 'CreateDictionary';
  name: QualifiedName;
  uuid?: Literal;
  attributes: DictionaryAttribute[];
  primaryKey: Expression[];
  source?: KeyValueFunction;
  layout?: KeyValueFunction;
  lifetime?: { min?: Literal; max?: Literal; value?: Literal } & NodeBase;
  range?: { min: Identifier; max: Identifier } & NodeBase;
  settings?: SettingAssignment[];
  comment?: Literal;
}

export interface CreateDatabaseStatement extends NodeBase, CreateHeader, QueryOutput {
  kind: 'CreateDatabase';
  name: Identifier;
  uuid?: Literal;
  engine?: EngineClause;
  settings?: SettingAssignment[];
  comment?: Literal;
}

export interface CreateFunctionStatement extends NodeBase, CreateHeader {
  kind: 'CreateFunction';
  name: Identifier;
  /** Normally a lambda; ClickHouse's parser accepts any expression and refuses others when the statement runs. */
  lambda: Expression;
}

export interface CreateNamedCollectionStatement extends NodeBase, CreateHeader {
  kind: 'CreateNamedCollection';
  name: Identifier;
  entries: NamedCollectionEntry[];
}

/** `key = value [[NOT] OVERRIDABLE]` of a named collection. */
export interface NamedCollectionEntry {
  key: Identifier;
  value: Expression;
  overridable?: boolean;
}

/**
 * `ALTER NAMED COLLECTION [IF EXISTS] name [ON CLUSTER c] [SET key = value [[NOT] OVERRIDABLE], ...]
 * [DELETE key, ...]`: the keys it sets (added or replaced) and those it deletes.
 */
export interface AlterNamedCollectionStatement extends NodeBase {
  kind: 'AlterNamedCollection';
  ifExists: boolean;
  name: Identifier;
  onCluster?: Identifier | Literal;
  set: NamedCollectionEntry[];
  delete: Identifier[];
}

// ---------------------------------------------------------------- access control

/** `IDENTIFIED [WITH method] BY 'secret'` / `NOT IDENTIFIED`. */
export interface Identification extends NodeBase {
  kind: 'Identification';
  /**
   * The first method, in lower case: `no_password` (also for NOT IDENTIFIED), `plaintext_password`,
   * `sha256_password`, `sha256_hash`, `double_sha1_password`, `bcrypt_password`, `ldap`, `kerberos`,
   * `ssl_certificate`, `ssh_key`, `http`... Absent for `IDENTIFIED BY 'x'` (the server's default method).
   */
  method?: string;
  /** String literals that carry a password, a hash or a salt, of every method: the secrets a rule must flag. */
  secrets: Literal[];
}

export type AccessEntityKind = 'USER' | 'ROLE' | 'ROW POLICY' | 'QUOTA' | 'SETTINGS PROFILE';

export interface CreateAccessEntityStatement extends NodeBase, CreateHeader {
  kind: 'CreateAccessEntity';
  entity: AccessEntityKind;
  names: Identifier[];
  /** ROW POLICY ... ON db.table: every table of `policies`. */
  on?: QualifiedName[];
  /** ROW POLICY: the names and tables as written (`p1 ON t1, p2 ON t2`); `names` and `on` hold them all. */
  policies?: PolicyGroup[];
  identification?: Identification;
  /**
   * `DEFAULT ROLE`, `DEFAULT DATABASE`, `HOST`, `SETTINGS`, `TO`, `USING`, ... keyed by clause keyword,
   * with their source text: the printer writes them as written.
   */
  clauses: { keyword: string; start: number; end: number; text: string }[];
  /** `SETTINGS` of a user, role or profile. */
  settings?: SettingAssignment[];
  /** ROW POLICY `USING condition`. */
  using?: Expression;
}

export interface Privilege extends NodeBase {
  kind: 'Privilege';
  /**
   * The name `system.privileges` gives the privilege, whatever alias was written: `SELECT`,
   * `ALTER UPDATE` (for `UPDATE`), `ALL` (for `ALL PRIVILEGES`), `dictGet`. For a role, its name.
   */
  name: string;
  columns?: Identifier[];
  /** The target of this privilege: `GRANT SELECT ON a.*, INSERT ON b.t` names two. Absent for roles. */
  on?: GrantTarget;
}

export interface GrantTarget extends NodeBase {
  kind: 'GrantTarget';
  /**
   * Undefined database means the current one; `*` is a wildcard, and a trailing `*` a prefix
   * (`db.events_*`). Privileges that take a parameter keep it in `table`: `READ ON S3` has table `S3`.
   */
  database?: string;
  table: string;
}

export interface GrantStatement extends NodeBase {
  kind: 'Grant' | 'Revoke';
  onCluster?: Identifier | Literal;
  /** Privileges, or role names when `on` is absent (granting roles). */
  privileges: Privilege[];
  /** The target of the first privilege; each privilege has its own `on`. */
  on?: GrantTarget;
  grantees: Identifier[];
  /** `TO ALL EXCEPT admin`: the grantees after EXCEPT. */
  exceptGrantees?: Identifier[];
  /** `GRANT CURRENT GRANTS(...)`: grants what the current user holds; `CURRENT GRANTS ON db.*` has no privileges, only `on`. */
  currentGrants?: boolean;
  withGrantOption: boolean;
  withAdminOption: boolean;
  withReplaceOption: boolean;
}

// ---------------------------------------------------------------- ALTER

export type PartitionSpec =
  | ({ kind: 'Partition'; expression: Expression } & NodeBase)
  | ({ kind: 'PartitionId'; id: Literal | QueryParameter } & NodeBase)
  | ({ kind: 'PartitionAll' } & NodeBase)
  | ({ kind: 'Part'; name: Literal | QueryParameter } & NodeBase);

export type ColumnPosition = { first: true } | { after: Identifier } | undefined;

export type AlterAction =
  | ({ kind: 'AddColumn'; ifNotExists: boolean; column: ColumnDefinition; position?: ColumnPosition } & NodeBase)
  | ({ kind: 'DropColumn'; ifExists: boolean; column: Identifier[] } & NodeBase)
  | ({ kind: 'ModifyColumn'; ifExists: boolean; column: ColumnDefinition; position?: ColumnPosition } & NodeBase)
  | ({ kind: 'ModifyColumnRemove'; ifExists: boolean; column: Identifier[]; property: string } & NodeBase)
  | ({ kind: 'ModifyColumnSettings'; ifExists: boolean; column: Identifier[]; reset: boolean; settings: SettingAssignment[] } & NodeBase)
  | ({ kind: 'RenameColumn'; ifExists: boolean; from: Identifier[]; to: Identifier[] } & NodeBase)
  | ({ kind: 'ClearColumn'; ifExists: boolean; column: Identifier[]; partition?: PartitionSpec } & NodeBase)
  | ({ kind: 'CommentColumn'; ifExists: boolean; column: Identifier[]; comment: Literal } & NodeBase)
  | ({ kind: 'MaterializeColumn'; column: Identifier[]; partition?: PartitionSpec } & NodeBase)
  | ({ kind: 'AddIndex'; ifNotExists: boolean; index: IndexDefinition; position?: ColumnPosition } & NodeBase)
  | ({ kind: 'DropIndex' | 'MaterializeIndex' | 'ClearIndex'; ifExists: boolean; name: Identifier; partition?: PartitionSpec } & NodeBase)
  | ({ kind: 'AddProjection'; ifNotExists: boolean; projection: ProjectionDefinition; position?: ColumnPosition } & NodeBase)
  | ({ kind: 'DropProjection' | 'MaterializeProjection' | 'ClearProjection'; ifExists: boolean; name: Identifier; partition?: PartitionSpec } & NodeBase)
  | ({ kind: 'AddConstraint'; ifNotExists: boolean; constraint: ConstraintDefinition } & NodeBase)
  | ({ kind: 'DropConstraint'; ifExists: boolean; name: Identifier } & NodeBase)
  | ({
      kind: 'Statistics';
      verb: 'ADD' | 'MODIFY' | 'DROP' | 'CLEAR' | 'MATERIALIZE';
      ifExists: boolean;
      /** ADD STATISTICS IF NOT EXISTS. */
      ifNotExists: boolean;
      /** CLEAR|MATERIALIZE STATISTICS ALL: `columns` is empty. */
      all: boolean;
      columns: Identifier[];
      types: Expression[];
      partition?: PartitionSpec;
    } & NodeBase)
  | ({ kind: 'ModifyConstraint'; ifExists: boolean; constraint: ConstraintDefinition } & NodeBase)
  | ({ kind: 'ModifyColumnAddEnumValues'; ifExists: boolean; column: Identifier[]; values: Expression[] } & NodeBase)
  | ({ kind: 'ModifyOrderBy' | 'ModifySampleBy'; expression: Expression } & NodeBase)
  | ({ kind: 'RemoveSampleBy' } & NodeBase)
  | ({ kind: 'ModifyTtl'; ttl: TtlElement[] } & NodeBase)
  | ({ kind: 'RemoveTtl' } & NodeBase)
  | ({ kind: 'MaterializeTtl'; partition?: PartitionSpec } & NodeBase)
  | ({ kind: 'ModifySetting'; settings: SettingAssignment[] } & NodeBase)
  | ({ kind: 'ResetSetting'; settings: SettingAssignment[] } & NodeBase)
  | ({ kind: 'ModifyQuery'; query: SelectQuery } & NodeBase)
  | ({ kind: 'ModifyRefresh'; refresh: RefreshClause } & NodeBase)
  | ({ kind: 'ModifySqlSecurity'; sqlSecurity: SqlSecurityClause } & NodeBase)
  | ({ kind: 'ModifyComment'; comment: Literal } & NodeBase)
  | ({ kind: 'ModifyEngine'; engine: EngineClause } & NodeBase)
  | ({ kind: 'Update'; assignments: { column: Identifier[]; value: Expression }[]; partition?: PartitionSpec; where: Expression } & NodeBase)
  | ({ kind: 'Delete'; partition?: PartitionSpec; where: Expression } & NodeBase)
  | ({
      kind: 'PartitionOperation';
      /** `DROP PARTITION`, `DETACH PART`, `ATTACH PARTITION FROM`, `REPLACE PARTITION`, `MOVE PARTITION TO TABLE`, `FREEZE`, ... */
      operation: string;
      partition?: PartitionSpec;
      fromTable?: QualifiedName;
      toTable?: QualifiedName;
      fromPath?: Literal;
      destination?: Literal;
      withName?: Literal;
    } & NodeBase)
  | ({ kind: 'ApplyDeletedMask'; partition?: PartitionSpec } & NodeBase)
  /** Commands kept by keyword only: `APPLY PATCHES`, `REWRITE PARTS`, `EXECUTE`, `UNLOCK SNAPSHOT`. */
  | ({ kind: 'OtherAction'; keyword: string; partition?: PartitionSpec } & NodeBase);

export interface AlterTableStatement extends NodeBase, QueryOutput {
  kind: 'AlterTable';
  /** `ALTER TABLE` or `ALTER TEMPORARY TABLE`; `ALTER VIEW`/`ALTER DICTIONARY`-style targets are tables too. */
  temporary: boolean;
  table: QualifiedName;
  onCluster?: Identifier | Literal;
  actions: AlterAction[];
}

export interface AlterDatabaseStatement extends NodeBase, QueryOutput {
  kind: 'AlterDatabase';
  name: Identifier;
  onCluster?: Identifier | Literal;
  settings?: SettingAssignment[];
  comment?: Literal;
}

// ---------------------------------------------------------------- other statements

export type ObjectKind = 'TABLE' | 'VIEW' | 'DICTIONARY' | 'DATABASE' | 'FUNCTION' | 'NAMED COLLECTION' | AccessEntityKind;

/** Row policies `names ON tables`: each name is a policy on each of the tables. */
export interface PolicyGroup {
  names: Identifier[];
  on: QualifiedName[];
}

export interface DropStatement extends NodeBase, QueryOutput {
  kind: 'Drop';
  /** `DROP`, `DETACH`, or `UNDROP`. */
  verb: 'DROP' | 'DETACH' | 'UNDROP';
  objectKind: ObjectKind;
  temporary: boolean;
  ifExists: boolean;
  ifEmpty: boolean;
  names: QualifiedName[];
  onCluster?: Identifier | Literal;
  /** ROW POLICY name ON table: every table of `policies`. */
  on?: QualifiedName[];
  /** ROW POLICY: the names and tables as written (`p1 ON t1, p2 ON t2`); `names` and `on` hold them all. */
  policies?: PolicyGroup[];
  /** Access entities: `FROM local_directory`, the access storage to drop from. */
  storage?: Identifier;
  sync: boolean;
  permanently: boolean;
  uuid?: Literal;
}

export interface TruncateStatement extends NodeBase, QueryOutput {
  kind: 'Truncate';
  objectKind: 'TABLE' | 'DATABASE' | 'ALL TABLES';
  ifExists: boolean;
  name: QualifiedName;
  onCluster?: Identifier | Literal;
  sync: boolean;
}

export interface RenameStatement extends NodeBase, QueryOutput {
  kind: 'Rename' | 'Exchange';
  objectKind: 'TABLE' | 'DICTIONARY' | 'DATABASE';
  ifExists: boolean;
  pairs: { from: QualifiedName; to: QualifiedName }[];
  onCluster?: Identifier | Literal;
}

/** Short `ATTACH TABLE name` (the full form with a definition parses as CREATE with verb ATTACH). */
export interface AttachStatement extends NodeBase, QueryOutput {
  kind: 'Attach';
  objectKind: ObjectKind;
  ifNotExists: boolean;
  name: QualifiedName;
  onCluster?: Identifier | Literal;
  fromPath?: Literal;
}

export interface UseStatement extends NodeBase {
  kind: 'Use';
  database: Identifier;
}

export interface SetStatement extends NodeBase {
  kind: 'Set';
  settings: SettingAssignment[];
}

export interface OptimizeStatement extends NodeBase, QueryOutput {
  kind: 'Optimize';
  table: QualifiedName;
  onCluster?: Identifier | Literal;
  partition?: PartitionSpec;
  final: boolean;
  deduplicate: boolean;
  deduplicateBy?: Expression[];
  cleanup: boolean;
}

export interface InsertStatement extends NodeBase {
  kind: 'Insert';
  table?: QualifiedName;
  tableFunction?: TableFunction;
  /** `INSERT INTO FUNCTION s3(...) PARTITION BY expr`: how the function splits what it writes. */
  partitionBy?: Expression;
  columns?: Expression[];
  settings?: SettingAssignment[];
  select?: SelectQuery;
  /** `VALUES` or the format name after `FORMAT`; data is not parsed. */
  format?: string;
  /** `FROM INFILE 'file' [COMPRESSION 'method']`: the client sends the file's rows (no inline data then). */
  infile?: { file: Literal; compression?: Literal };
}

/** Lightweight `DELETE FROM t [ON CLUSTER c] [IN PARTITION p] WHERE cond`. */
export interface DeleteStatement extends NodeBase, QueryOutput {
  kind: 'Delete';
  table: QualifiedName;
  onCluster?: Identifier | Literal;
  partition?: PartitionSpec;
  where: Expression;
}

/** Lightweight `UPDATE t SET a = 1 WHERE cond`. */
export interface UpdateStatement extends NodeBase {
  kind: 'Update';
  table: QualifiedName;
  onCluster?: Identifier | Literal;
  assignments: { column: Identifier[]; value: Expression }[];
  partition?: PartitionSpec;
  where: Expression;
}

export interface SelectQueryStatement extends NodeBase {
  kind: 'SelectStatement';
  query: SelectQuery;
}

/**
 * A statement ClickHouse knows that ClickPlan does not model (SHOW, EXPLAIN, SYSTEM, KILL, ...):
 * its first keywords and exact range, so it never breaks the statements around it.
 */
export interface OtherStatement extends NodeBase {
  kind: 'Other';
  keyword: string;
  /** `ALTER USER ... IDENTIFIED ...`: kept so that rules on secrets see passwords set by ALTER USER too. */
  identification?: Identification;
  /**
   * `ALTER USER|ROLE|ROW POLICY|QUOTA|SETTINGS PROFILE` and `SET DEFAULT ROLE r TO u` as the clauses
   * they set, in the shape of a CREATE (`SET DEFAULT ROLE r TO u` is `ALTER USER u DEFAULT ROLE r`):
   * the model applies them to the entities it keeps. Its IDENTIFIED clause is `identification`
   * above (`alterationOf` puts them together).
   */
  alteration?: CreateAccessEntityStatement;
}

/** A statement that failed to parse: its range up to where parsing resumed. */
export interface InvalidStatement extends NodeBase {
  kind: 'Invalid';
  keyword: string;
}

export type Statement =
  | CreateTableStatement
  | CreateViewStatement
  | CreateDictionaryStatement
  | CreateDatabaseStatement
  | CreateFunctionStatement
  | CreateNamedCollectionStatement
  | AlterNamedCollectionStatement
  | CreateAccessEntityStatement
  | GrantStatement
  | AlterTableStatement
  | AlterDatabaseStatement
  | DropStatement
  | TruncateStatement
  | RenameStatement
  | AttachStatement
  | UseStatement
  | SetStatement
  | OptimizeStatement
  | InsertStatement
  | DeleteStatement
  | UpdateStatement
  | SelectQueryStatement
  | OtherStatement
  | InvalidStatement;
