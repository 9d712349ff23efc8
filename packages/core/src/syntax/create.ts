import type {
  CodecElement,
  ColumnDefinition,
  ConstraintDefinition,
  CreateDatabaseStatement,
  CreateDictionaryStatement,
  CreateFunctionStatement,
  CreateHeader,
  CreateNamedCollectionStatement,
  CreateTableStatement,
  CreateViewStatement,
  DictionaryAttribute,
  EngineClause,
  Expression,
  Identifier,
  IndexDefinition,
  KeyValueArgument,
  KeyValueFunction,
  NamedCollectionEntry,
  ProjectionDefinition,
  RefreshClause,
  SqlSecurityClause,
  StorageClauses,
  TableElement,
  TimeSeriesTarget,
  TtlElement,
} from './ast.js';
import { parseDataType } from './dataTypes.js';
import { parseArgumentList, parseExpression, parseExpressionList } from './expressions.js';
import { parseLiteralValue } from './literals.js';
import { isParseAbort, type Parser, trimList } from './parser.js';
import { checkRefreshOffset, checkRefreshPeriod, parseRefreshInterval } from './refreshInterval.js';
import { isSelectStart, nameListEnd, parseNameList, parseSelectQuery, parseTableFunction } from './select.js';
import { parseSettingList } from './settings.js';

// ---------------------------------------------------------------- CREATE TABLE

export function parseCreateTable(p: Parser, start: number, header: CreateHeader, temporary: boolean): CreateTableStatement {
  p.expectWord('TABLE');
  header.ifNotExists = parseIfNotExists(p, header);
  const name = p.qualifiedName();
  const statement: CreateTableStatement = { kind: 'CreateTable', ...header, temporary, name, clone: false, empty: false, start, end: start };
  if (p.acceptWord('UUID')) statement.uuid = p.stringLiteral('a UUID string');
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  // `ATTACH TABLE t FROM '/path' (columns) ENGINE = ...`: data from a directory.
  if (header.verb === 'ATTACH' && p.acceptWord('FROM')) p.stringLiteral('a path');
  if (p.at('LParen')) statement.elements = parseTableElements(p);
  // Right after the name, AS names a table or table function. After a column list (and no engine) only
  // a table function: `(x UInt8) AS SELECT 1` is an error at `1`, `(x UInt8) AS t` one at its end.
  // A temporary table is the exception: `CREATE TEMPORARY TABLE t (n UInt32) AS SELECT 1` fills it.
  if (p.atWord('AS') && (statement.elements ? !temporary : !isSelectStart(p, 1))) {
    p.next();
    if (p.atIdentifier() && p.at('LParen', 1)) statement.asTableFunction = parseTableFunction(p);
    else if (statement.elements) p.fail('Expected a table function: after a column list, AS takes one such as `numbers(10)`', undefined, p.index + 1);
    else statement.asTable = p.qualifiedName();
  } else if (!statement.elements && p.atWords('EMPTY', 'AS') && !isSelectStart(p, 2)) {
    // `EMPTY AS t ENGINE = ...`, as ClickHouse prints `ENGINE = ... EMPTY AS t`.
    p.next();
    p.next();
    statement.empty = true;
    statement.asTable = p.qualifiedName();
  } else if (p.atWords('CLONE', 'AS')) {
    p.next();
    p.next();
    statement.clone = true;
    statement.asTable = p.qualifiedName();
  }
  const storage = parseStorage(p);
  if (storage) statement.storage = storage;
  if (TIME_SERIES_TARGETS.has(p.word()) && storage?.engine?.name.name === 'TimeSeries') statement.timeSeriesTargets = parseTimeSeriesTargets(p);
  if (p.acceptWord('COMMENT')) statement.comment = p.stringLiteral('a comment string');
  if (p.acceptWord('EMPTY')) {
    statement.empty = true;
    p.expectWord('AS');
    parseAsTableOrSelect(p, statement);
  } else if (p.acceptWord('AS')) parseAsTableOrSelect(p, statement);
  if (!statement.comment && p.acceptWord('COMMENT')) statement.comment = p.stringLiteral('a comment string');
  statement.end = p.lastEnd;
  return statement;
}

/**
 * After the storage, `AS` names a table to copy the structure of (`ENGINE = Memory AS t`, `EMPTY AS t`)
 * when there is no column list; otherwise it starts the query that fills the table. ClickHouse takes no
 * table function here.
 */
function parseAsTableOrSelect(p: Parser, statement: CreateTableStatement): void {
  if (statement.elements || statement.asTable || statement.asTableFunction || isSelectStart(p)) {
    statement.asSelect = parseSelectQuery(p);
    return;
  }
  statement.asTable = p.qualifiedName();
  // The storage's SETTINGS may follow the table: `ENGINE = Memory AS t SETTINGS ...`.
  if (statement.storage && !statement.storage.settings && p.acceptWord('SETTINGS')) {
    statement.storage.settings = parseSettingList(p, { valueRequired: false, allowFunctions: true });
    statement.storage.end = p.lastEnd;
  }
}

const TIME_SERIES_TARGETS = new Set(['SAMPLES', 'DATA', 'TAGS', 'METRICS']);

/** `{SAMPLES|DATA|TAGS|METRICS} (table | [INNER] UUID 'u' | [INNER] COLUMNS (...) | [INNER] ENGINE = ...)`, repeated. */
function parseTimeSeriesTargets(p: Parser): TimeSeriesTarget[] {
  const targets: TimeSeriesTarget[] = [];
  while (TIME_SERIES_TARGETS.has(p.word())) {
    const start = p.tokenStart;
    const word = p.word();
    p.next();
    const target: TimeSeriesTarget = {
      kind: 'TimeSeriesTarget',
      target: word === 'DATA' ? 'SAMPLES' : (word as TimeSeriesTarget['target']),
      start,
      end: start,
    };
    const inner = p.acceptWord('INNER');
    if (p.acceptWord('UUID')) target.uuid = p.stringLiteral('a UUID string');
    else if (p.acceptWord('COLUMNS')) target.columns = parseTableElements(p);
    else if (p.atWord('ENGINE')) target.storage = parseStorage(p);
    else if (inner) p.fail('Expected UUID, COLUMNS or ENGINE after INNER');
    else target.table = p.qualifiedName();
    target.end = p.lastEnd;
    targets.push(target);
  }
  return targets;
}

/** `( column | INDEX | PROJECTION | CONSTRAINT | PRIMARY KEY, ... )`. */
export function parseTableElements(p: Parser): TableElement[] {
  p.expect('LParen');
  const elements: TableElement[] = [];
  // ClickHouse accepts a trailing comma before the closing parenthesis.
  let read = 0;
  do {
    if (read++ > 0 && p.at('RParen')) break;
    if (p.atWords('FOREIGN', 'KEY')) skipForeignKey(p);
    else elements.push(parseTableElement(p));
  } while (p.accept('Comma'));
  p.expect('RParen', '`,` or `)` after the column definition');
  return trimList(elements);
}

function parseTableElement(p: Parser): TableElement {
  const start = p.tokenStart;
  const word = p.word();
  // As in ClickHouse, these words followed by a name always start a definition: a column named
  // `index` must be quoted (`\`index\` UInt32`).
  if (word === 'INDEX' && p.atIdentifier(1)) {
    p.next();
    return parseIndexDefinition(p);
  }
  if (word === 'PROJECTION' && p.atIdentifier(1)) {
    p.next();
    return parseProjectionDefinition(p);
  }
  if (word === 'CONSTRAINT' && p.atIdentifier(1)) {
    p.next();
    return parseConstraintDefinition(p);
  }
  if (p.atWords('PRIMARY', 'KEY')) {
    p.next();
    p.next();
    // One expression: after a comma comes the next element (`PRIMARY KEY id, INDEX i ...`).
    const expression = parseExpression(p);
    return { kind: 'PrimaryKeyElement', expression, start, end: p.lastEnd };
  }
  return parseColumnDefinition(p, { typeRequired: true });
}

/**
 * MySQL's `FOREIGN KEY expr REFERENCES table expr [ON DELETE|UPDATE action ...]`, at FOREIGN: read
 * and dropped, as ClickHouse does (it keeps no foreign keys).
 */
function skipForeignKey(p: Parser): void {
  p.expectWord('FOREIGN', 'KEY');
  parseExpression(p);
  p.expectWord('REFERENCES');
  p.qualifiedName('the referenced table');
  parseExpression(p);
  while (p.acceptWord('ON')) {
    if (!p.acceptWord('DELETE') && !p.acceptWord('UPDATE')) p.fail('Expected `DELETE` or `UPDATE`');
    if (!FOREIGN_KEY_ACTIONS.some((action) => p.acceptWordList(action))) p.fail('Expected `RESTRICT`, `CASCADE`, `SET NULL`, `NO ACTION` or `SET DEFAULT`');
  }
}

const FOREIGN_KEY_ACTIONS = [['RESTRICT'], ['CASCADE'], ['SET', 'NULL'], ['NO', 'ACTION'], ['SET', 'DEFAULT']];

/** `a, b` as a tuple expression, `a` alone as itself (ClickHouse accepts `PRIMARY KEY a, b` in places). No aliases: `ORDER BY a AS SELECT` ends the key at AS. */
function parseExpressionListAsOne(p: Parser): Expression {
  const list = [parseExpression(p)];
  while (p.accept('Comma')) list.push(parseExpression(p));
  if (list.length === 1) return list[0];
  return { kind: 'TupleExpression', elements: list, start: list[0].start, end: list[list.length - 1].end };
}

/** Words after which a column definition has no (more) type: they start its attributes. */
const COLUMN_ATTRIBUTE_WORDS = new Set([
  'NULL',
  'NOT',
  'DEFAULT',
  'MATERIALIZED',
  'EPHEMERAL',
  'ALIAS',
  'COMMENT',
  'CODEC',
  'STATISTICS',
  'TTL',
  'PRIMARY',
  'SETTINGS',
  'AUTO_INCREMENT',
  'FIRST',
  'AFTER',
  'REMOVE',
  'MODIFY',
  'RESET',
]);

function isColumnAttributeAhead(p: Parser): boolean {
  return p.atEndOfStatement() || p.at('Comma') || p.at('RParen') || COLUMN_ATTRIBUTE_WORDS.has(p.word());
}

/**
 * `name [type] [NULL|NOT NULL] [DEFAULT|MATERIALIZED|EPHEMERAL|ALIAS expr] [COMMENT 's'] [CODEC(...)]
 * [STATISTICS(...)] [TTL expr] [PRIMARY KEY] [SETTINGS (...)]`, in ClickHouse's order.
 */
export function parseColumnDefinition(p: Parser, options: { typeRequired: boolean }): ColumnDefinition {
  const start = p.tokenStart;
  const name = [p.identifier('a column name')];
  while (p.at('Dot') && p.atIdentifier(1)) {
    p.next();
    name.push(p.identifier());
  }
  const column: ColumnDefinition = { kind: 'ColumnDefinition', name, primaryKey: false, start, end: start };
  if (!isColumnAttributeAhead(p)) column.type = parseDataType(p);
  // MySQL's `COLLATE name`, before or after NULL; ClickHouse takes it after a type only, and stores none.
  if (column.type) parseCollation(p, column);
  parseNullability(p, column);
  if (column.type && !column.collation) parseCollation(p, column);
  const defaultKind = p.word();
  if (defaultKind === 'DEFAULT' || defaultKind === 'MATERIALIZED' || defaultKind === 'ALIAS' || defaultKind === 'EPHEMERAL') {
    p.next();
    column.defaultKind = defaultKind;
    // ClickHouse tries an expression after EPHEMERAL first: `EPHEMERAL NULL` and `EPHEMERAL NOT NULL` are expressions, not nullability.
    if (defaultKind !== 'EPHEMERAL' || !isColumnAttributeAhead(p) || p.atWord('NULL') || p.atWord('NOT')) column.defaultExpression = parseExpression(p);
  } else if (defaultKind === 'AUTO_INCREMENT') {
    // MySQL's AUTO_INCREMENT takes the place of a default and is dropped; a column without a type becomes `INT`, as in ClickHouse.
    const at = p.next();
    column.type ??= { kind: 'DataType', name: 'INT', start: p.startAt(at), end: p.endAt(at) };
  }
  if (!column.type && !column.defaultKind && options.typeRequired) p.fail('Expected a data type or a DEFAULT expression for the column');
  if (column.nullable === undefined) parseNullability(p, column);
  if (p.acceptWord('COMMENT')) column.comment = p.stringLiteral('a comment string');
  if (p.atWord('CODEC')) column.codec = parseCodecList(p);
  if (p.acceptWord('STATISTICS')) {
    p.expect('LParen');
    column.statistics = parseExpressionList(p);
    p.expect('RParen');
  }
  if (p.acceptWord('TTL')) column.ttl = parseExpression(p);
  if (p.acceptWords('PRIMARY', 'KEY')) column.primaryKey = true;
  // Column settings are parenthesized; `SETTINGS name = v` without them belongs to the statement (ALTER ... SETTINGS).
  if (p.atWord('SETTINGS') && p.at('LParen', 1)) {
    p.next();
    p.next();
    column.settings = parseSettingList(p);
    p.expect('RParen');
  }
  column.end = p.lastEnd;
  return column;
}

/** `COLLATE name`, where ClickHouse knows a name by its form: `binary`, or ending in `_bin`, `_ci`, `_cs` or `_ks`. */
function parseCollation(p: Parser, column: ColumnDefinition): void {
  if (!p.atWord('COLLATE')) return;
  p.next();
  const at = p.index;
  const collation = p.identifier('a collation name such as `binary` or `utf8_unicode_ci`');
  if (!COLLATION_NAME.test(collation.name)) p.fail('Expected a collation name such as `binary` or `utf8_unicode_ci`', undefined, at);
  column.collation = collation;
}

const COLLATION_NAME = /^binary$|_(?:bin|ci|cs|ks)$/;

function parseNullability(p: Parser, column: ColumnDefinition): void {
  if (p.acceptWord('NULL')) column.nullable = true;
  else if (p.acceptWords('NOT', 'NULL')) column.nullable = false;
}

/** `CODEC(Delta(4), ZSTD(1))`, at CODEC. */
export function parseCodecList(p: Parser): CodecElement[] {
  p.expectWord('CODEC');
  p.expect('LParen');
  const codecs: CodecElement[] = [];
  do {
    const start = p.tokenStart;
    const codec: CodecElement = { kind: 'CodecElement', name: p.identifierName('a codec name'), start, end: p.lastEnd };
    if (p.at('LParen')) {
      codec.arguments = parseArgumentList(p);
      codec.end = p.lastEnd;
    }
    codecs.push(codec);
  } while (p.accept('Comma'));
  p.expect('RParen');
  return codecs;
}

/** `name expr TYPE type [GRANULARITY n]`, after INDEX. */
export function parseIndexDefinition(p: Parser): IndexDefinition {
  const name = p.identifier('an index name');
  const expression = parseExpression(p);
  p.expectWord('TYPE');
  const type = parseIndexType(p);
  const index: IndexDefinition = { kind: 'IndexDefinition', name, expression, type, start: name.start, end: p.lastEnd };
  if (p.acceptWord('GRANULARITY')) index.granularity = p.numberLiteral('a granularity');
  index.end = p.lastEnd;
  return index;
}

/** An index type is a function-like name with expression arguments: `bloom_filter(0.01)`, `text(tokenizer = 'default')`. */
function parseIndexType(p: Parser): IndexDefinition['type'] {
  const start = p.tokenStart;
  const type: IndexDefinition['type'] = { kind: 'DataType', name: p.identifierName('an index type such as `minmax` or `bloom_filter`'), start, end: p.lastEnd };
  if (p.at('LParen')) {
    type.arguments = parseArgumentList(p);
    type.end = p.lastEnd;
  }
  return type;
}

/** `name (SELECT ...)` or `name INDEX expr TYPE type`, then `[WITH SETTINGS (...)]`, after PROJECTION. */
export function parseProjectionDefinition(p: Parser): ProjectionDefinition {
  const name = p.identifier('a projection name');
  let projection: ProjectionDefinition;
  if (p.acceptWord('INDEX')) {
    const expression = parseExpression(p);
    p.expectWord('TYPE');
    projection = { kind: 'ProjectionDefinition', name, index: { expression, type: parseIndexType(p) }, start: name.start, end: p.lastEnd };
  } else {
    p.expect('LParen');
    const query = parseSelectQuery(p);
    p.expect('RParen');
    projection = { kind: 'ProjectionDefinition', name, query, start: name.start, end: p.lastEnd };
  }
  if (p.acceptWords('WITH', 'SETTINGS')) {
    p.expect('LParen');
    projection.settings = parseSettingList(p);
    p.expect('RParen');
    projection.end = p.lastEnd;
  }
  return projection;
}

/** `name CHECK|ASSUME expr`, after CONSTRAINT. */
export function parseConstraintDefinition(p: Parser): ConstraintDefinition {
  const name = p.identifier('a constraint name');
  const type = p.word();
  if (type !== 'CHECK' && type !== 'ASSUME') return p.fail('Expected `CHECK` or `ASSUME`');
  p.next();
  const expression = parseExpression(p);
  return { kind: 'ConstraintDefinition', name, constraintType: type, expression, start: name.start, end: p.lastEnd };
}

/** `IF NOT EXISTS`, which ClickHouse refuses together with OR REPLACE for tables and views. */
function parseIfNotExists(p: Parser, header: CreateHeader): boolean {
  if (header.orReplace && p.atWords('IF', 'NOT', 'EXISTS'))
    p.fail('Expected a name: OR REPLACE and IF NOT EXISTS exclude each other', 'Keep one of them.', p.index + 1);
  return p.ifNotExists();
}

// ---------------------------------------------------------------- storage

/** `ENGINE = name(args)`, `PARTITION BY`, `PRIMARY KEY`, `ORDER BY`, `SAMPLE BY`, `TTL` in any order, then `SETTINGS`. */
export function parseStorage(p: Parser): StorageClauses | undefined {
  const start = p.tokenStart;
  const storage: StorageClauses = { kind: 'Storage', start, end: start };
  let any = false;
  if (p.acceptWord('ENGINE')) {
    p.accept('Equals');
    storage.engine = parseEngineClause(p);
    any = true;
  }
  for (;;) {
    if (!storage.partitionBy && p.acceptWords('PARTITION', 'BY')) storage.partitionBy = parseExpression(p);
    else if (!storage.primaryKey && p.acceptWords('PRIMARY', 'KEY')) storage.primaryKey = parseExpressionListAsOne(p);
    else if (!storage.orderBy && p.acceptWords('ORDER', 'BY')) parseSortingKey(p, storage);
    else if (!storage.sampleBy && p.acceptWords('SAMPLE', 'BY')) storage.sampleBy = parseExpression(p);
    else if (!storage.ttl && p.acceptWord('TTL')) storage.ttl = parseTtlList(p);
    else break;
    any = true;
  }
  if (p.atWord('SETTINGS') && any) {
    p.next();
    storage.settings = parseSettingList(p, { valueRequired: false, allowFunctions: true });
  }
  if (!any) return undefined;
  storage.end = p.lastEnd;
  return storage;
}

/**
 * A table's `ORDER BY`. With `allow_experimental_reverse_key` an element may be DESC: `ORDER BY i DESC`,
 * `ORDER BY (i, j DESC)`, `ORDER BY tuple(i DESC)` (ClickHouse takes no direction deeper than that,
 * and drops ASC). `orderBy` stays the key without directions; `orderByDescending` marks the DESC ones.
 */
function parseSortingKey(p: Parser, storage: StorageClauses): void {
  const opening = p.at('LParen') ? 1 : p.textAt(p.index) === 'tuple' && p.at('LParen', 1) ? 2 : 0;
  if (opening > 0 && parseDirectedTuple(p, storage, opening)) return;
  storage.orderBy = parseExpressionListAsOne(p);
  // ClickHouse refuses a key that is one aliased expression in parentheses, `ORDER BY (c AS x)`,
  // though it takes `(c AS x, d)` and `(c AS x) + 1`.
  if (storage.orderBy.kind === 'AliasExpression')
    p.fail('Expected a sorting key without an alias', 'Remove `AS name` from the sorting key.', p.indexAt(storage.orderBy.start));
  if (storage.orderBy.kind !== 'TupleExpression' && acceptSortDirection(p) === 'DESC') storage.orderByDescending = [true];
}

/**
 * `(a, b DESC)` or `tuple(a DESC)` when some element has a direction; otherwise moves nothing and
 * returns false, and the key is an ordinary expression (`(a + b) * 2`).
 */
function parseDirectedTuple(p: Parser, storage: StorageClauses, opening: number): boolean {
  const save = p.index;
  const depth = p.depth;
  try {
    const name = opening === 2 ? p.identifier() : undefined;
    const start = p.startAt(p.expect('LParen'));
    const elements: Expression[] = [];
    const descending: boolean[] = [];
    let directed = false;
    do {
      elements.push(parseExpression(p));
      const direction = acceptSortDirection(p);
      directed ||= direction !== undefined;
      descending.push(direction === 'DESC');
    } while (p.accept('Comma'));
    p.expect('RParen');
    if (directed) {
      const end = p.lastEnd;
      storage.orderBy = name
        ? { kind: 'FunctionCall', name, arguments: elements, distinct: false, start: name.start, end }
        : { kind: 'TupleExpression', elements, start, end };
      if (descending.includes(true)) storage.orderByDescending = descending;
      return true;
    }
  } catch (error) {
    if (!isParseAbort(error)) throw error;
  }
  p.index = save;
  p.depth = depth;
  return false;
}

/** `ASC`, `ASCENDING`, `DESC` or `DESCENDING` when present, as ASC or DESC. */
function acceptSortDirection(p: Parser): 'ASC' | 'DESC' | undefined {
  const word = p.word();
  if (word === 'ASC' || word === 'ASCENDING') {
    p.next();
    return 'ASC';
  }
  if (word === 'DESC' || word === 'DESCENDING') {
    p.next();
    return 'DESC';
  }
  return undefined;
}

/** `Name` or `Name(args)`, at the engine name. */
export function parseEngineClause(p: Parser): EngineClause {
  const name = p.identifier('an engine name');
  const engine: EngineClause = { kind: 'Engine', name, start: name.start, end: name.end };
  if (p.at('LParen')) {
    engine.arguments = parseArgumentList(p);
    engine.end = p.lastEnd;
  }
  return engine;
}

/** Table TTL: `expr [DELETE | RECOMPRESS CODEC(...) | TO DISK 'd' | TO VOLUME 'v' | GROUP BY k [SET a = f(a)]] [WHERE cond], ...`. */
export function parseTtlList(p: Parser): TtlElement[] {
  const elements: TtlElement[] = [];
  do elements.push(parseTtlElement(p));
  while (p.accept('Comma'));
  return elements;
}

function parseTtlElement(p: Parser): TtlElement {
  const expression = parseExpression(p);
  const element: TtlElement = { kind: 'TtlElement', expression, action: 'NONE', start: expression.start, end: expression.end };
  if (p.acceptWord('DELETE')) element.action = 'DELETE';
  else if (p.acceptWord('RECOMPRESS')) {
    element.action = 'RECOMPRESS';
    element.codec = parseCodecList(p);
  } else if (p.acceptWords('TO', 'DISK')) {
    element.action = 'TO DISK';
    element.target = p.stringLiteral('a disk name');
  } else if (p.acceptWords('TO', 'VOLUME')) {
    element.action = 'TO VOLUME';
    element.target = p.stringLiteral('a volume name');
  }
  if (p.acceptWord('WHERE')) element.where = parseExpression(p);
  if (element.action === 'NONE' && p.acceptWords('GROUP', 'BY')) {
    element.action = 'GROUP BY';
    element.groupBy = parseExpressionList(p);
    if (p.acceptWord('SET')) {
      element.set = [];
      do {
        const column = p.identifier('a column name');
        p.expect('Equals');
        element.set.push({ column, value: parseExpression(p) });
        // A comma continues the SET list only when `name =` follows; otherwise it starts the next TTL element.
      } while (p.at('Comma') && p.atIdentifier(1) && p.at('Equals', 2) && p.accept('Comma'));
    }
  }
  element.end = p.lastEnd;
  return element;
}

// ---------------------------------------------------------------- views

export function parseCreateView(p: Parser, start: number, header: CreateHeader): CreateViewStatement {
  let viewKind: CreateViewStatement['viewKind'] = 'VIEW';
  for (const kind of ['MATERIALIZED', 'LIVE', 'WINDOW'] as const) if (p.acceptWord(kind)) viewKind = kind;
  p.expectWord('VIEW');
  header.ifNotExists = parseIfNotExists(p, header);
  const name = p.qualifiedName('a view name');
  const view: CreateViewStatement = { kind: 'CreateView', ...header, viewKind, name, populate: false, empty: false, windowOptions: [], start, end: start };
  if (p.acceptWord('UUID')) view.uuid = p.stringLiteral('a UUID string');
  const cluster = p.onCluster();
  if (cluster) view.onCluster = cluster;
  if (p.atWord('REFRESH')) view.refresh = parseRefreshClause(p);
  if (viewKind === 'MATERIALIZED' && p.acceptWords('TO', 'INNER', 'UUID')) view.innerUuid = p.stringLiteral('a UUID string');
  // Each column list may instead be a list of plain names, `(a, b)`: names for the query's columns,
  // which end the lists (ClickHouse takes `(a Int8, b Int8) (a, b)`, not `(a, b) (c Int8)`).
  if (p.acceptWord('TO')) {
    if (view.innerUuid) p.fail("Expected no `TO` table: a materialized view with an inner table's UUID writes into that table", undefined, p.index - 1);
    view.to = p.qualifiedName('the target table');
    if (nameListEnd(p, 0) > 0) view.columnAliases = parseNameList(p);
    else if (p.at('LParen')) view.toColumns = parseTableElements(p);
  }
  if (!view.columnAliases && nameListEnd(p, 0) > 0) view.columnAliases = parseNameList(p);
  else if (!view.columnAliases && p.at('LParen')) {
    view.elements = parseTableElements(p);
    if (nameListEnd(p, 0) > 0) view.columnAliases = parseNameList(p);
  }
  if (p.acceptWords('INNER', 'ENGINE')) {
    p.accept('Equals');
    const innerStart = p.lastEnd;
    view.innerStorage = { kind: 'Storage', engine: parseEngineClause(p), start: innerStart, end: p.lastEnd };
  }
  const storage = parseStorage(p);
  if (storage) view.storage = storage;
  while (p.atWord('WATERMARK') || p.atWord('ALLOWED_LATENESS')) {
    const optionName = p.identifier();
    p.accept('Equals');
    const value = parseExpression(p);
    view.windowOptions.push({ kind: 'SettingAssignment', name: optionName, value, start: optionName.start, end: value.end });
  }
  if (p.acceptWord('EMPTY')) view.empty = true;
  if (view.to && view.storage?.engine) {
    p.fail('Expected no ENGINE: a materialized view with `TO` writes into that table and has no storage of its own', undefined, p.indexAt(view.storage.start));
  }
  if (p.atWord('POPULATE') && view.to)
    p.fail("Expected no POPULATE: a materialized view can't have both `TO` and `POPULATE`", 'Remove POPULATE and backfill the target with INSERT ... SELECT.');
  if (p.acceptWord('POPULATE')) view.populate = true;
  const security = parseSqlSecurity(p);
  if (security) view.sqlSecurity = security;
  if (viewKind === 'LIVE' && p.atWord('WITH')) parseLiveViewOptions(p);
  // The comment may come before AS: that is where the server prints a view's stored definition.
  if (p.acceptWord('COMMENT')) view.comment = p.stringLiteral('a comment string');
  p.expectWord('AS');
  view.query = parseSelectQuery(p);
  if (p.atWord('COMMENT') && view.comment)
    p.fail('Expected one COMMENT: a view takes its comment either before or after AS SELECT, not both', 'Remove one of the two comments.');
  if (p.acceptWord('COMMENT')) view.comment = p.stringLiteral('a comment string');
  view.end = p.lastEnd;
  return view;
}

/** Deprecated LIVE VIEW `WITH [TIMEOUT [n]] [AND] [REFRESH [n]]`: accepted, not modelled. */
function parseLiveViewOptions(p: Parser): void {
  p.next();
  for (let i = 0; i < 2; i++) {
    if (p.acceptWord('TIMEOUT') || p.acceptWord('REFRESH') || p.acceptWord('PERIODIC')) {
      p.acceptWord('REFRESH');
      if (p.at('Number')) p.next();
      p.acceptWord('AND');
    }
  }
}

/** `REFRESH EVERY|AFTER n UNIT [OFFSET ...] [RANDOMIZE FOR ...] [DEPENDS ON ...] [SETTINGS ...] [APPEND]`, at REFRESH. */
export function parseRefreshClause(p: Parser): RefreshClause {
  const start = p.tokenStart;
  p.expectWord('REFRESH');
  const word = p.word();
  if (word !== 'EVERY' && word !== 'AFTER') return p.fail('Expected `EVERY` or `AFTER`');
  p.next();
  const refresh: RefreshClause = { kind: 'Refresh', interval: word, period: parseRefreshInterval(p), dependsOn: [], append: false, start, end: start };
  checkRefreshPeriod(p, refresh.period);
  // Only a schedule (EVERY) has an offset.
  if (word === 'EVERY' && p.acceptWord('OFFSET')) {
    refresh.offset = parseRefreshInterval(p);
    checkRefreshOffset(p, refresh.period, refresh.offset);
  }
  if (p.acceptWords('RANDOMIZE', 'FOR')) refresh.randomizeFor = parseRefreshInterval(p);
  if (p.acceptWords('DEPENDS', 'ON')) {
    do refresh.dependsOn.push(p.qualifiedName('a table or view name'));
    while (p.accept('Comma'));
  }
  if (p.acceptWord('SETTINGS')) refresh.settings = parseSettingList(p);
  if (p.acceptWord('APPEND')) refresh.append = true;
  refresh.end = p.lastEnd;
  return refresh;
}

/** `[DEFINER = user | CURRENT_USER] [SQL SECURITY DEFINER|INVOKER|NONE]`. */
export function parseSqlSecurity(p: Parser): SqlSecurityClause | undefined {
  const start = p.tokenStart;
  const clause: SqlSecurityClause = { kind: 'SqlSecurity', start, end: start };
  let any = false;
  for (;;) {
    if (!clause.definer && p.atWord('DEFINER') && p.at('Equals', 1)) {
      p.next();
      p.next();
      clause.definer = p.identifier('a user name');
    } else if (!clause.security && p.acceptWords('SQL', 'SECURITY')) {
      const mode = p.word();
      if (mode !== 'DEFINER' && mode !== 'INVOKER' && mode !== 'NONE') return p.fail('Expected `DEFINER`, `INVOKER` or `NONE`');
      p.next();
      clause.security = mode;
    } else break;
    any = true;
  }
  if (!any) return undefined;
  clause.end = p.lastEnd;
  return clause;
}

// ---------------------------------------------------------------- dictionaries

export function parseCreateDictionary(p: Parser, start: number, header: CreateHeader): CreateDictionaryStatement {
  p.expectWord('DICTIONARY');
  header.ifNotExists = p.ifNotExists();
  const name = p.qualifiedName('a dictionary name');
  const dictionary: CreateDictionaryStatement = { kind: 'CreateDictionary', ...header, name, attributes: [], primaryKey: [], start, end: start };
  if (p.acceptWord('UUID')) dictionary.uuid = p.stringLiteral('a UUID string');
  const cluster = p.onCluster();
  if (cluster) dictionary.onCluster = cluster;
  p.expect('LParen');
  // A trailing comma before `)` is accepted, as in ClickHouse.
  do dictionary.attributes.push(parseDictionaryAttribute(p));
  while (p.accept('Comma') && !p.at('RParen'));
  p.expect('RParen', '`,` or `)` after the attribute');
  // PRIMARY KEY comes right after the attributes; the other clauses in any order.
  if (p.acceptWords('PRIMARY', 'KEY')) dictionary.primaryKey = parseExpressionList(p);
  for (;;) {
    const clauseStart = p.tokenStart;
    if (!dictionary.source && p.acceptWord('SOURCE')) dictionary.source = parseWrappedKeyValueFunction(p, 'a source type such as `CLICKHOUSE`');
    else if (!dictionary.layout && p.acceptWord('LAYOUT')) dictionary.layout = parseWrappedKeyValueFunction(p, 'a layout such as `HASHED`');
    else if (!dictionary.lifetime && p.acceptWord('LIFETIME')) dictionary.lifetime = parseLifetime(p, clauseStart);
    else if (!dictionary.range && p.acceptWord('RANGE')) {
      p.expect('LParen');
      p.expectWord('MIN');
      const min = p.identifier('a column name');
      p.expectWord('MAX');
      const max = p.identifier('a column name');
      p.expect('RParen');
      dictionary.range = { min, max, start: clauseStart, end: p.lastEnd };
    } else if (!dictionary.settings && p.acceptWord('SETTINGS')) {
      p.expect('LParen');
      dictionary.settings = parseSettingList(p);
      p.expect('RParen');
    } else if (!dictionary.comment && p.acceptWord('COMMENT')) dictionary.comment = p.stringLiteral('a comment string');
    else break;
  }
  dictionary.end = p.lastEnd;
  return dictionary;
}

/** `LIFETIME(n)`, `LIFETIME(MIN a MAX b)` or `LIFETIME(MAX b MIN a)`, after LIFETIME. */
function parseLifetime(p: Parser, start: number): NonNullable<CreateDictionaryStatement['lifetime']> {
  p.expect('LParen');
  const lifetime: NonNullable<CreateDictionaryStatement['lifetime']> = { start, end: start };
  if (p.at('Number')) lifetime.value = p.numberLiteral();
  else {
    for (let i = 0; i < 2; i++) {
      if (!lifetime.min && p.acceptWord('MIN')) lifetime.min = p.numberLiteral('the minimum lifetime in seconds');
      else if (!lifetime.max && p.acceptWord('MAX')) lifetime.max = p.numberLiteral('the maximum lifetime in seconds');
    }
    if (!lifetime.min && !lifetime.max) p.fail('Expected a number of seconds or `MIN n MAX m`');
  }
  p.expect('RParen');
  lifetime.end = p.lastEnd;
  return lifetime;
}

function parseDictionaryAttribute(p: Parser): DictionaryAttribute {
  const name = p.identifier('an attribute name');
  const type = parseDataType(p);
  const attribute: DictionaryAttribute = {
    kind: 'DictionaryAttribute',
    name,
    type,
    hierarchical: false,
    bidirectional: false,
    injective: false,
    isObjectId: false,
    start: name.start,
    end: type.end,
  };
  for (;;) {
    if (!attribute.default && p.acceptWord('DEFAULT')) attribute.default = parseExpression(p);
    else if (!attribute.expression && p.acceptWord('EXPRESSION')) attribute.expression = parseExpression(p);
    else if (p.acceptWord('HIERARCHICAL')) attribute.hierarchical = true;
    else if (p.acceptWord('BIDIRECTIONAL')) attribute.bidirectional = true;
    else if (p.acceptWord('INJECTIVE')) attribute.injective = true;
    else if (p.acceptWord('IS_OBJECT_ID')) attribute.isObjectId = true;
    else break;
  }
  attribute.end = p.lastEnd;
  return attribute;
}

/** `(NAME(KEY value ...))` as in `SOURCE(CLICKHOUSE(HOST 'h' PORT 9000))`. */
function parseWrappedKeyValueFunction(p: Parser, what: string): KeyValueFunction {
  p.expect('LParen');
  const fn = parseKeyValueArguments(p, p.identifier(what));
  p.expect('RParen');
  return fn;
}

export function parseKeyValueFunction(p: Parser, what = 'a name'): KeyValueFunction {
  return parseKeyValueArguments(p, p.identifier(what));
}

/**
 * `(KEY value KEY value ...)` after a name; a value is a literal, a name, or a nested
 * `KEY(...)` (`HEADERS(HEADER(NAME 'a' VALUE 'b'))`). No commas and no expressions, as in ClickHouse.
 * `LAYOUT(HASHED)` may leave out the parentheses.
 */
function parseKeyValueArguments(p: Parser, name: Identifier): KeyValueFunction {
  const fn: KeyValueFunction = { kind: 'KeyValueFunction', name, arguments: [], start: name.start, end: name.end };
  if (!p.accept('LParen')) return fn;
  while (!p.at('RParen')) {
    const key = p.identifier('a parameter name');
    let value: KeyValueArgument['value'];
    if (p.at('LParen')) value = parseKeyValueArguments(p, key);
    else if (p.atIdentifier() && p.at('LParen', 1)) value = parseKeyValueArguments(p, p.identifier());
    else value = parseLiteralValue(p, { allowName: true });
    fn.arguments.push({ kind: 'KeyValueArgument', key, value, start: key.start, end: p.lastEnd });
  }
  p.expect('RParen');
  fn.end = p.lastEnd;
  return fn;
}

// ---------------------------------------------------------------- database, function, named collection

export function parseCreateDatabase(p: Parser, start: number, header: CreateHeader): CreateDatabaseStatement {
  p.expectWord('DATABASE');
  header.ifNotExists = p.ifNotExists();
  const name = p.identifier('a database name');
  const database: CreateDatabaseStatement = { kind: 'CreateDatabase', ...header, name, start, end: start };
  if (p.acceptWord('UUID')) database.uuid = p.stringLiteral('a UUID string');
  const cluster = p.onCluster();
  if (cluster) database.onCluster = cluster;
  // ClickHouse reads a database's ENGINE with the table storage grammar, so key clauses parse (and mean nothing).
  const storage = parseStorage(p);
  if (storage?.engine) database.engine = storage.engine;
  if (storage?.settings) database.settings = storage.settings;
  if (p.acceptWord('COMMENT')) database.comment = p.stringLiteral('a comment string');
  database.end = p.lastEnd;
  return database;
}

export function parseCreateFunction(p: Parser, start: number, header: CreateHeader): CreateFunctionStatement {
  p.expectWord('FUNCTION');
  header.ifNotExists = p.ifNotExists();
  const name = p.identifier('a function name');
  const cluster = p.onCluster();
  p.expectWord('AS');
  // ClickHouse's parser takes any expression here and refuses a non-lambda only when it runs it.
  const lambda = parseExpression(p);
  const statement: CreateFunctionStatement = { kind: 'CreateFunction', ...header, name, lambda, start, end: p.lastEnd };
  if (cluster) statement.onCluster = cluster;
  return statement;
}

export function parseCreateNamedCollection(p: Parser, start: number, header: CreateHeader): CreateNamedCollectionStatement {
  // ClickHouse 26.7 has no CREATE OR REPLACE NAMED COLLECTION.
  if (header.orReplace) p.fail('Expected CREATE NAMED COLLECTION without OR REPLACE');
  p.expectWord('NAMED', 'COLLECTION');
  header.ifNotExists = p.ifNotExists();
  const name = p.identifier('a collection name');
  const statement: CreateNamedCollectionStatement = { kind: 'CreateNamedCollection', ...header, name, entries: [], start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  p.expectWord('AS');
  do statement.entries.push(parseNamedCollectionEntry(p));
  while (p.accept('Comma'));
  statement.end = p.lastEnd;
  return statement;
}

/** `key = value [[NOT] OVERRIDABLE]` of CREATE and ALTER NAMED COLLECTION. */
export function parseNamedCollectionEntry(p: Parser): NamedCollectionEntry {
  const key = p.identifier('a key');
  p.expect('Equals');
  const entry: NamedCollectionEntry = { key, value: parseLiteralValue(p) };
  if (p.acceptWords('NOT', 'OVERRIDABLE')) entry.overridable = false;
  else if (p.acceptWord('OVERRIDABLE')) entry.overridable = true;
  return entry;
}
