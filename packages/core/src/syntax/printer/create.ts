import type {
  AlterNamedCollectionStatement,
  ColumnDefinition,
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
  IndexDefinition,
  KeyValueFunction,
  NamedCollectionEntry,
  ProjectionDefinition,
  RefreshClause,
  SqlSecurityClause,
  StorageClauses,
  TableElement,
  TimeSeriesTarget,
  TtlElement,
} from '../ast.js';
import { printCodec, printDataType } from './dataTypes.js';
import { expression, printList, TOP } from './expressions.js';
import { printSelect, printTableFunction } from './select.js';
import { printSettings } from './settings.js';
import { block, elementBlock, printIdentifier, printOnCluster, printParts, printQualifiedName, quoteName, quoteString, unprintable } from './text.js';

// CREATE statements laid out like ClickHouse's formatQuery: the header on one line, the column
// list one element per line, then each storage clause on its own line; a view's query after an
// `AS` line.

/** `CREATE [OR REPLACE] `, `ATTACH `, `REPLACE `. */
function verb(header: CreateHeader): string {
  return header.orReplace ? 'CREATE OR REPLACE' : header.verb;
}

function ifNotExists(header: CreateHeader): string {
  return header.ifNotExists ? ' IF NOT EXISTS' : '';
}

// ---------------------------------------------------------------- tables

export function printCreateTable(statement: CreateTableStatement): string {
  let head = `${verb(statement)}${statement.temporary ? ' TEMPORARY' : ''} TABLE${ifNotExists(statement)} ${printQualifiedName(statement.name)}`;
  if (statement.uuid) head += ` UUID ${quoteString(statement.uuid.value)}`;
  head += printOnCluster(statement.onCluster);
  const lines = [head];
  if (statement.elements) lines.push(printTableElements(statement.elements));
  if (statement.clone && statement.asTable) lines.push(`CLONE AS ${printQualifiedName(statement.asTable)}`);
  else if (statement.asTable) lines.push(`${statement.empty && !statement.asSelect ? 'EMPTY AS' : 'AS'} ${printQualifiedName(statement.asTable)}`);
  if (statement.asTableFunction) lines.push(`AS ${printTableFunction(statement.asTableFunction)}`);
  if (statement.storage) lines.push(...printStorage(statement.storage));
  for (const target of statement.timeSeriesTargets ?? []) lines.push(printTimeSeriesTarget(target));
  if (statement.comment) lines.push(`COMMENT ${quoteString(statement.comment.value)}`);
  if (statement.asSelect) lines.push(statement.empty ? 'EMPTY AS' : 'AS', printSelect(statement.asSelect));
  return lines.join('\n');
}

/** `SAMPLES db.t`, `TAGS INNER UUID '...'`, `SAMPLES INNER COLUMNS (...)`, `METRICS INNER ENGINE = ... ORDER BY ...`. */
function printTimeSeriesTarget(target: TimeSeriesTarget): string {
  if (target.table) return `${target.target} ${printQualifiedName(target.table)}`;
  if (target.uuid) return `${target.target} INNER UUID ${quoteString(target.uuid.value)}`;
  if (target.columns) return `${target.target} INNER COLUMNS ${printTableElements(target.columns)}`;
  if (target.storage) return `${target.target} INNER ${printStorage(target.storage).join('\n')}`;
  return unprintable(`${target.target} target of a TimeSeries table`, 'it names no table, UUID, columns or engine');
}

/** `(` then one column, index, projection or constraint per line, then `)`. */
export function printTableElements(elements: TableElement[]): string {
  return elementBlock(elements.map(printTableElement));
}

function printTableElement(element: TableElement): string {
  switch (element.kind) {
    case 'ColumnDefinition':
      return printColumnDefinition(element);
    case 'IndexDefinition':
      return `INDEX ${printIndexDefinition(element)}`;
    case 'ProjectionDefinition':
      return `PROJECTION ${printProjectionDefinition(element)}`;
    case 'ConstraintDefinition':
      return `CONSTRAINT ${printIdentifier(element.name)} ${element.constraintType} ${expression(element.expression, TOP)}`;
    case 'PrimaryKeyElement':
      return `PRIMARY KEY ${expression(element.expression, TOP)}`;
    case 'StatisticsElement':
      return unprintable('a table-level STATISTICS element', 'ClickHouse declares statistics on a column (`STATISTICS(...)` after its type)');
  }
}

/** `name Type [COLLATE c] [NULL|NOT NULL] [DEFAULT|MATERIALIZED|EPHEMERAL|ALIAS expr] [COMMENT 's'] [CODEC(...)] [STATISTICS(...)] [TTL expr] [PRIMARY KEY] [SETTINGS (...)]`. */
export function printColumnDefinition(column: ColumnDefinition): string {
  let text = printParts(column.name);
  if (column.type) text += ` ${printDataType(column.type)}`;
  if (column.collation) text += ` COLLATE ${printIdentifier(column.collation)}`;
  if (column.nullable !== undefined) text += column.nullable ? ' NULL' : ' NOT NULL';
  if (column.defaultKind) text += ` ${column.defaultKind}${column.defaultExpression ? ` ${expression(column.defaultExpression, TOP)}` : ''}`;
  if (column.comment) text += ` COMMENT ${quoteString(column.comment.value)}`;
  if (column.codec) text += ` ${printCodec(column.codec)}`;
  if (column.statistics) text += ` STATISTICS(${printList(column.statistics)})`;
  if (column.ttl) text += ` TTL ${expression(column.ttl, TOP)}`;
  if (column.primaryKey) text += ' PRIMARY KEY';
  if (column.settings) text += ` SETTINGS (${printSettings(column.settings)})`;
  return text;
}

/** `name expr TYPE type [GRANULARITY n]` (after INDEX). */
export function printIndexDefinition(index: IndexDefinition): string {
  const granularity = index.granularity ? ` GRANULARITY ${index.granularity.value}` : '';
  return `${printIdentifier(index.name)} ${expression(index.expression, TOP)} TYPE ${printDataType(index.type)}${granularity}`;
}

/** `name (SELECT ...) [WITH SETTINGS (...)]` (after PROJECTION). */
export function printProjectionDefinition(projection: ProjectionDefinition): string {
  const settings = projection.settings ? ` WITH SETTINGS (${printSettings(projection.settings)})` : '';
  const body = projection.index
    ? `INDEX ${expression(projection.index.expression, TOP)} TYPE ${printDataType(projection.index.type)}`
    : block(printSelect(projection.query));
  return `${printIdentifier(projection.name)} ${body}${settings}`;
}

/** ENGINE, PARTITION BY, PRIMARY KEY, ORDER BY, SAMPLE BY, TTL and SETTINGS, one line each. */
export function printStorage(storage: StorageClauses): string[] {
  const lines: string[] = [];
  if (storage.engine) lines.push(`ENGINE = ${printEngine(storage.engine)}`);
  if (storage.partitionBy) lines.push(`PARTITION BY ${expression(storage.partitionBy, TOP)}`);
  if (storage.primaryKey) lines.push(`PRIMARY KEY ${expression(storage.primaryKey, TOP)}`);
  if (storage.orderBy) lines.push(`ORDER BY ${printSortingKey(storage.orderBy, storage.orderByDescending)}`);
  if (storage.sampleBy) lines.push(`SAMPLE BY ${expression(storage.sampleBy, TOP)}`);
  if (storage.ttl) lines.push(`TTL ${printTtl(storage.ttl)}`);
  if (storage.settings) lines.push(`SETTINGS ${printSettings(storage.settings)}`);
  return lines;
}

/** The sorting key, with DESC after the elements of a reverse key, in the form it was written (`(a DESC)`, `tuple(a DESC)`, `a DESC`). */
function printSortingKey(key: Expression, descending: boolean[] | undefined): string {
  if (!descending) return expression(key, TOP);
  const element = (e: Expression, i: number) => `${expression(e, TOP)}${descending[i] ? ' DESC' : ''}`;
  if (key.kind === 'TupleExpression') return `(${key.elements.map(element).join(', ')})`;
  if (key.kind === 'FunctionCall') return `${printIdentifier(key.name)}(${key.arguments.map(element).join(', ')})`;
  return element(key, 0);
}

/** `MergeTree`, `MergeTree()`, `ReplicatedMergeTree('/path', '{replica}')`. */
export function printEngine(engine: EngineClause): string {
  return engine.arguments ? `${quoteName(engine.name.name)}(${printList(engine.arguments)})` : quoteName(engine.name.name);
}

/** TTL elements: `d + INTERVAL 1 DAY DELETE, d + INTERVAL 1 WEEK TO VOLUME 'cold'`. */
export function printTtl(elements: TtlElement[]): string {
  return elements.map(printTtlElement).join(', ');
}

function printTtlElement(element: TtlElement): string {
  let text = expression(element.expression, TOP);
  if (element.action === 'DELETE') text += ' DELETE';
  else if (element.action === 'RECOMPRESS' && element.codec) text += ` RECOMPRESS ${printCodec(element.codec)}`;
  else if ((element.action === 'TO DISK' || element.action === 'TO VOLUME') && element.target)
    text += ` ${element.action} ${quoteString(element.target.value)}`;
  if (element.where) text += ` WHERE ${expression(element.where, TOP)}`;
  if (element.action === 'GROUP BY' && element.groupBy) {
    text += ` GROUP BY ${printList(element.groupBy)}`;
    if (element.set) text += ` SET ${element.set.map((s) => `${printIdentifier(s.column)} = ${expression(s.value, TOP)}`).join(', ')}`;
  }
  return text;
}

// ---------------------------------------------------------------- views

const VIEW_KEYWORDS: Record<CreateViewStatement['viewKind'], string> = {
  VIEW: 'VIEW',
  MATERIALIZED: 'MATERIALIZED VIEW',
  LIVE: 'LIVE VIEW',
  WINDOW: 'WINDOW VIEW',
};

export function printCreateView(view: CreateViewStatement): string {
  let head = `${verb(view)} ${VIEW_KEYWORDS[view.viewKind]}${ifNotExists(view)} ${printQualifiedName(view.name)}`;
  if (view.uuid) head += ` UUID ${quoteString(view.uuid.value)}`;
  head += printOnCluster(view.onCluster);
  const lines = [head];
  if (view.refresh) lines.push(printRefresh(view.refresh));
  if (view.innerUuid) lines.push(`TO INNER UUID ${quoteString(view.innerUuid.value)}`);
  if (view.to) lines.push(`TO ${printQualifiedName(view.to)}`);
  if (view.toColumns) lines.push(printTableElements(view.toColumns));
  if (view.elements) lines.push(printTableElements(view.elements));
  if (view.columnAliases) lines.push(`(${view.columnAliases.map(printIdentifier).join(', ')})`);
  if (view.innerStorage?.engine) lines.push(`INNER ENGINE = ${printEngine(view.innerStorage.engine)}`);
  if (view.storage) lines.push(...printStorage(view.storage));
  if (view.windowOptions.length > 0)
    lines.push(view.windowOptions.map((o) => `${quoteName(o.name.name)} = ${o.value ? expression(o.value, TOP) : ''}`).join(' '));
  if (view.empty) lines.push('EMPTY');
  if (view.populate) lines.push('POPULATE');
  if (view.sqlSecurity) lines.push(printSqlSecurity(view.sqlSecurity));
  if (!view.query) return unprintable(`CREATE ${VIEW_KEYWORDS[view.viewKind]}`, 'it has no query');
  lines.push('AS', printSelect(view.query));
  if (view.comment) lines.push(`COMMENT ${quoteString(view.comment.value)}`);
  return lines.join('\n');
}

/** `REFRESH EVERY 1 HOUR [OFFSET ...] [RANDOMIZE FOR ...] [DEPENDS ON a, b] [SETTINGS ...] [APPEND]`. */
export function printRefresh(refresh: RefreshClause): string {
  const interval = (parts: RefreshClause['period']) => parts.map((i) => `${expression(i.value, TOP)} ${i.unit ?? ''}`.trimEnd()).join(' ');
  let text = `REFRESH ${refresh.interval} ${interval(refresh.period)}`;
  if (refresh.offset) text += ` OFFSET ${interval(refresh.offset)}`;
  if (refresh.randomizeFor) text += ` RANDOMIZE FOR ${interval(refresh.randomizeFor)}`;
  if (refresh.dependsOn.length > 0) text += ` DEPENDS ON ${refresh.dependsOn.map(printQualifiedName).join(', ')}`;
  if (refresh.settings) text += ` SETTINGS ${printSettings(refresh.settings)}`;
  if (refresh.append) text += ' APPEND';
  return text;
}

/** `DEFINER = alice SQL SECURITY DEFINER`. */
export function printSqlSecurity(clause: SqlSecurityClause): string {
  const parts: string[] = [];
  if (clause.definer) parts.push(`DEFINER = ${printIdentifier(clause.definer)}`);
  if (clause.security) parts.push(`SQL SECURITY ${clause.security}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------- dictionaries

export function printCreateDictionary(dictionary: CreateDictionaryStatement): string {
  let head = `${verb(dictionary)} DICTIONARY${ifNotExists(dictionary)} ${printQualifiedName(dictionary.name)}`;
  if (dictionary.uuid) head += ` UUID ${quoteString(dictionary.uuid.value)}`;
  head += printOnCluster(dictionary.onCluster);
  const lines = [head, elementBlock(dictionary.attributes.map(printDictionaryAttribute))];
  if (dictionary.primaryKey.length > 0) lines.push(`PRIMARY KEY ${printList(dictionary.primaryKey)}`);
  if (dictionary.source) lines.push(`SOURCE(${printKeyValueFunction(dictionary.source)})`);
  if (dictionary.layout) lines.push(`LAYOUT(${printKeyValueFunction(dictionary.layout)})`);
  const { lifetime, range } = dictionary;
  if (lifetime) {
    const bounds = [lifetime.min && `MIN ${lifetime.min.value}`, lifetime.max && `MAX ${lifetime.max.value}`].filter(Boolean).join(' ');
    lines.push(`LIFETIME(${lifetime.value ? lifetime.value.value : bounds})`);
  }
  if (range) lines.push(`RANGE(MIN ${printIdentifier(range.min)} MAX ${printIdentifier(range.max)})`);
  if (dictionary.settings) lines.push(`SETTINGS(${printSettings(dictionary.settings)})`);
  if (dictionary.comment) lines.push(`COMMENT ${quoteString(dictionary.comment.value)}`);
  return lines.join('\n');
}

function printDictionaryAttribute(attribute: DictionaryAttribute): string {
  let text = `${printIdentifier(attribute.name)} ${printDataType(attribute.type)}`;
  if (attribute.default) text += ` DEFAULT ${expression(attribute.default, TOP)}`;
  if (attribute.expression) text += ` EXPRESSION ${expression(attribute.expression, TOP)}`;
  if (attribute.hierarchical) text += ' HIERARCHICAL';
  if (attribute.bidirectional) text += ' BIDIRECTIONAL';
  if (attribute.injective) text += ' INJECTIVE';
  if (attribute.isObjectId) text += ' IS_OBJECT_ID';
  return text;
}

/**
 * `CLICKHOUSE(HOST 'h' PORT 9000)`: keys and values without commas. A nested function is written
 * `KEY(...)` when it is named like its key (`HEADERS(header(...))`), else `KEY name(...)`.
 */
function printKeyValueFunction(fn: KeyValueFunction): string {
  const args = fn.arguments.map((argument) => {
    const key = quoteName(argument.key.name);
    const value = argument.value;
    if (value.kind !== 'KeyValueFunction') return `${key} ${expression(value, TOP)}`;
    return value.name.name === argument.key.name ? printKeyValueFunction(value) : `${key} ${printKeyValueFunction(value)}`;
  });
  return `${quoteName(fn.name.name)}(${args.join(' ')})`;
}

// ---------------------------------------------------------------- databases, functions, named collections

export function printCreateDatabase(database: CreateDatabaseStatement): string {
  let head = `${verb(database)} DATABASE${ifNotExists(database)} ${printIdentifier(database.name)}`;
  if (database.uuid) head += ` UUID ${quoteString(database.uuid.value)}`;
  head += printOnCluster(database.onCluster);
  const lines = [head];
  if (database.engine) lines.push(`ENGINE = ${printEngine(database.engine)}`);
  if (database.settings) lines.push(`SETTINGS ${printSettings(database.settings)}`);
  if (database.comment) lines.push(`COMMENT ${quoteString(database.comment.value)}`);
  return lines.join('\n');
}

export function printCreateFunction(fn: CreateFunctionStatement): string {
  return `${verb(fn)} FUNCTION${ifNotExists(fn)} ${printIdentifier(fn.name)}${printOnCluster(fn.onCluster)} AS ${expression(fn.lambda, TOP)}`;
}

export function printCreateNamedCollection(collection: CreateNamedCollectionStatement): string {
  const head = `${verb(collection)} NAMED COLLECTION${ifNotExists(collection)} ${printIdentifier(collection.name)}${printOnCluster(collection.onCluster)}`;
  return `${head} AS ${collection.entries.map(printNamedCollectionEntry).join(', ')}`;
}

export function printAlterNamedCollection(alter: AlterNamedCollectionStatement): string {
  let text = `ALTER NAMED COLLECTION${alter.ifExists ? ' IF EXISTS' : ''} ${printIdentifier(alter.name)}${printOnCluster(alter.onCluster)}`;
  if (alter.set.length > 0) text += ` SET ${alter.set.map(printNamedCollectionEntry).join(', ')}`;
  if (alter.delete.length > 0) text += ` DELETE ${alter.delete.map(printIdentifier).join(', ')}`;
  return text;
}

function printNamedCollectionEntry(entry: NamedCollectionEntry): string {
  const overridable = entry.overridable === undefined ? '' : entry.overridable ? ' OVERRIDABLE' : ' NOT OVERRIDABLE';
  return `${printIdentifier(entry.key)} = ${expression(entry.value, TOP)}${overridable}`;
}
