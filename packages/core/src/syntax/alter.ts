import { acceptAccessEntityKeyword, parseAlterAccessEntity } from './access.js';
import type {
  AlterAction,
  AlterDatabaseStatement,
  AlterTableStatement,
  ColumnDefinition,
  ColumnPosition,
  Expression,
  Identifier,
  PartitionSpec,
  SettingAssignment,
  Statement,
} from './ast.js';
import {
  parseColumnDefinition,
  parseConstraintDefinition,
  parseIndexDefinition,
  parseProjectionDefinition,
  parseRefreshClause,
  parseSqlSecurity,
  parseTtlList,
} from './create.js';
import { parseAliasedExpression, parseArgumentList, parseDataType, parseExpression, parseExpressionList, parseSettingList } from './expressions.js';
import { parseString } from './literals.js';
import type { Parser } from './parser.js';
import {
  parseAttachPartition,
  parseDropPartition,
  parseFetchPartition,
  parseFreeze,
  parseInPartition,
  parseMovePartition,
  parseReplacePartition,
} from './partition.js';
import { parseSelectQuery } from './select.js';
import type { Token } from './tokens.js';

/**
 * `ALTER TABLE`, `ALTER TEMPORARY TABLE` and `ALTER DATABASE`, at ALTER. ALTER of an access entity
 * (USER, ROLE, QUOTA, ROW POLICY, SETTINGS PROFILE) is checked against ClickHouse's grammar and kept
 * as an `Other` statement, as are ALTER NAMED COLLECTION and ALTER MASKING POLICY.
 */
export function parseAlter(p: Parser): Statement {
  const start = p.token.start;
  p.expectWord('ALTER');
  if (p.atWord('TABLE') || p.atWords('TEMPORARY', 'TABLE')) return parseAlterTable(p, start);
  if (p.atWord('DATABASE')) return parseAlterDatabase(p, start);
  const entity = acceptAccessEntityKeyword(p);
  if (entity) return parseAlterAccessEntity(p, start, entity);
  for (const words of [
    ['NAMED', 'COLLECTION'],
    ['MASKING', 'POLICY'],
  ]) {
    if (!p.acceptWords(...words)) continue;
    while (!p.atEndOfStatement()) p.next();
    return { kind: 'Other', keyword: `ALTER ${words.join(' ')}`, start, end: p.lastEnd };
  }
  return p.fail('Expected TABLE, DATABASE, USER, ROLE, QUOTA, ROW POLICY, SETTINGS PROFILE or NAMED COLLECTION after ALTER');
}

function parseAlterTable(p: Parser, start: number): AlterTableStatement {
  const temporary = p.acceptWord('TEMPORARY');
  p.expectWord('TABLE');
  const table = p.qualifiedName();
  const statement: AlterTableStatement = { kind: 'AlterTable', temporary, table, actions: [], start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  statement.actions = parseCommandList(p, parseTableCommand);
  if (p.acceptWord('SETTINGS')) statement.querySettings = parseSettingList(p);
  statement.end = p.lastEnd;
  return statement;
}

/** `ALTER DATABASE db [ON CLUSTER c] MODIFY SETTING ... | MODIFY COMMENT '...'`, after ALTER. */
function parseAlterDatabase(p: Parser, start: number): AlterDatabaseStatement {
  p.expectWord('DATABASE');
  const name = p.identifier('a database name');
  const statement: AlterDatabaseStatement = { kind: 'AlterDatabase', name, start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  parseCommandList(p, () => {
    if (p.acceptWords('MODIFY', 'SETTING')) statement.settings = [...(statement.settings ?? []), ...parseSettingList(p, { valueRequired: false })];
    else if (p.acceptWords('MODIFY', 'COMMENT')) statement.comment = parseString(p, 'a comment string');
    else p.fail('Expected `MODIFY SETTING` or `MODIFY COMMENT`');
  });
  if (p.acceptWord('SETTINGS')) statement.querySettings = parseSettingList(p);
  statement.end = p.lastEnd;
  return statement;
}

/**
 * Commands separated by commas. ClickHouse's own formatter wraps each command in parentheses,
 * `(ADD COLUMN x UInt8), (DROP COLUMN y)`, and accepts that form back when every command has them.
 */
function parseCommandList<T>(p: Parser, parseCommand: (p: Parser) => T): T[] {
  const parenthesized = p.at('LParen');
  const commands: T[] = [];
  do {
    if (parenthesized) p.expect('LParen', '`(` before the command: the first command is parenthesized, so all are');
    commands.push(parseCommand(p));
    if (parenthesized) p.expect('RParen');
  } while (p.accept('Comma'));
  return commands;
}

// ---------------------------------------------------------------- command table

type CommandParser = (p: Parser, start: number) => AlterAction;

/**
 * Each command by its leading keywords, in the words ClickHouse's `ParserAlterCommand` matches.
 * The parser gets the command's start and consumes the keywords itself only when `keep` is set.
 */
const TABLE_COMMANDS: [words: string[], parse: CommandParser, keep?: 'keep'][] = [
  [['ADD', 'COLUMN'], parseAddColumn],
  [['ADD', 'INDEX'], parseAddIndex],
  [['ADD', 'PROJECTION'], parseAddProjection],
  [['ADD', 'CONSTRAINT'], parseAddConstraint],
  [['ADD', 'STATISTICS'], statisticsCommand('ADD')],
  [['DROP', 'COLUMN'], parseDropColumn],
  [['DROP', 'INDEX'], namedObjectCommand('DropIndex')],
  [['DROP', 'PROJECTION'], namedObjectCommand('DropProjection')],
  [['DROP', 'CONSTRAINT'], parseDropConstraint],
  [['DROP', 'STATISTICS'], statisticsCommand('DROP')],
  [['DROP', 'PARTITION'], parseDropPartition, 'keep'],
  [['DROP', 'PART'], parseDropPartition, 'keep'],
  [['DROP', 'DETACHED'], parseDropPartition, 'keep'],
  [['DETACH', 'PARTITION'], parseDropPartition, 'keep'],
  [['DETACH', 'PART'], parseDropPartition, 'keep'],
  [['FORGET', 'PARTITION'], parseDropPartition, 'keep'],
  [['ATTACH', 'PARTITION'], parseAttachPartition, 'keep'],
  [['ATTACH', 'PART'], parseAttachPartition, 'keep'],
  [['REPLACE', 'PARTITION'], parseReplacePartition, 'keep'],
  [['MOVE', 'PARTITION'], parseMovePartition, 'keep'],
  [['MOVE', 'PART'], parseMovePartition, 'keep'],
  [['FETCH', 'PARTITION'], parseFetchPartition, 'keep'],
  [['FETCH', 'PART'], parseFetchPartition, 'keep'],
  [['FREEZE'], parseFreeze, 'keep'],
  [['UNFREEZE'], parseFreeze, 'keep'],
  [['MODIFY', 'COLUMN'], (p, start) => parseModifyColumn(p, start, { typeKeyword: false })],
  [['ALTER', 'COLUMN'], (p, start) => parseModifyColumn(p, start, { typeKeyword: true })],
  [['MODIFY', 'ORDER', 'BY'], (p, start) => ({ kind: 'ModifyOrderBy', expression: parseAliasedExpression(p), start, end: p.lastEnd })],
  [['MODIFY', 'SAMPLE', 'BY'], (p, start) => ({ kind: 'ModifySampleBy', expression: parseAliasedExpression(p), start, end: p.lastEnd })],
  [['MODIFY', 'TTL'], parseModifyTtl],
  [['MODIFY', 'SETTING'], (p, start) => ({ kind: 'ModifySetting', settings: parseSettingList(p, { valueRequired: false }), start, end: p.lastEnd })],
  [['MODIFY', 'QUERY'], (p, start) => ({ kind: 'ModifyQuery', query: parseSelectQuery(p), start, end: p.lastEnd })],
  [['MODIFY', 'REFRESH'], parseModifyRefresh, 'keep'],
  [['MODIFY', 'SQL', 'SECURITY'], parseModifySqlSecurity, 'keep'],
  [['MODIFY', 'DEFINER'], parseModifySqlSecurity, 'keep'],
  [['MODIFY', 'COMMENT'], (p, start) => ({ kind: 'ModifyComment', comment: parseString(p, 'a comment string'), start, end: p.lastEnd })],
  [['MODIFY', 'STATISTICS'], statisticsCommand('MODIFY')],
  [['MODIFY', 'CONSTRAINT'], parseModifyConstraint],
  [['RENAME', 'COLUMN'], parseRenameColumn],
  [['CLEAR', 'COLUMN'], parseClearColumn],
  [['CLEAR', 'INDEX'], namedObjectCommand('ClearIndex')],
  [['CLEAR', 'PROJECTION'], namedObjectCommand('ClearProjection')],
  [['CLEAR', 'STATISTICS'], statisticsCommand('CLEAR')],
  [['COMMENT', 'COLUMN'], parseCommentColumn],
  [['MATERIALIZE', 'COLUMN'], parseMaterializeColumn],
  [['MATERIALIZE', 'INDEX'], namedObjectCommand('MaterializeIndex')],
  [['MATERIALIZE', 'PROJECTION'], namedObjectCommand('MaterializeProjection')],
  [['MATERIALIZE', 'STATISTICS'], statisticsCommand('MATERIALIZE')],
  [['MATERIALIZE', 'TTL'], (p, start) => withPartition({ kind: 'MaterializeTtl', start, end: start }, p)],
  [['REMOVE', 'TTL'], (p, start) => ({ kind: 'RemoveTtl', start, end: p.lastEnd })],
  [['REMOVE', 'SAMPLE', 'BY'], (p, start) => ({ kind: 'RemoveSampleBy', start, end: p.lastEnd })],
  [['RESET', 'SETTING'], (p, start) => ({ kind: 'ResetSetting', settings: parseResetList(p), start, end: p.lastEnd })],
  [['UPDATE'], parseUpdate],
  [['DELETE'], parseDelete],
  [['APPLY', 'DELETED', 'MASK'], (p, start) => withPartition({ kind: 'ApplyDeletedMask', start, end: start }, p)],
  [['APPLY', 'PATCHES'], (p, start) => withPartition({ kind: 'OtherAction', keyword: 'APPLY PATCHES', start, end: start }, p)],
  [['REWRITE', 'PARTS'], (p, start) => withPartition({ kind: 'OtherAction', keyword: 'REWRITE PARTS', start, end: start }, p)],
  [['EXECUTE'], parseExecute],
  [['UNLOCK', 'SNAPSHOT'], parseUnlockSnapshot],
];

function parseTableCommand(p: Parser): AlterAction {
  const start = p.token.start;
  for (const [words, parse, keep] of TABLE_COMMANDS) {
    if (!p.atWords(...words)) continue;
    if (!keep) p.index += words.length;
    return parse(p, start);
  }
  return p.fail('Expected an ALTER command such as ADD COLUMN, MODIFY COLUMN, DROP PARTITION, UPDATE or DELETE');
}

/** Sets `partition` from `IN PARTITION spec` when present, and the end. */
function withPartition<T extends { partition?: PartitionSpec; end: number }>(node: T, p: Parser): T {
  const partition = parseInPartition(p);
  if (partition) node.partition = partition;
  node.end = p.lastEnd;
  return node;
}

// ---------------------------------------------------------------- names

/** A compound name `a` or `n.a`, as its parts. */
function parseNameParts(p: Parser, what: string): Identifier[] {
  const parts = [p.identifier(what)];
  while (p.at('Dot') && p.isIdentifierToken(p.peek())) {
    p.next();
    parts.push(p.identifier(what));
  }
  return parts;
}

/** A compound name as one identifier (`DROP INDEX db.i` is accepted; the parts are joined by dots). */
function parseCompoundName(p: Parser, what: string): Identifier {
  const parts = parseNameParts(p, what);
  if (parts.length === 1) return parts[0];
  const name = parts.map((part) => part.name).join('.');
  return { kind: 'Identifier', name, quoted: parts.some((part) => part.quoted), start: parts[0].start, end: parts[parts.length - 1].end };
}

/** Number of tokens of the compound name at the current token. */
function compoundNameLength(p: Parser): number {
  let length = 1;
  while (p.at('Dot', length) && p.isIdentifierToken(p.peek(length + 1))) length += 2;
  return length;
}

function parsePosition(p: Parser): ColumnPosition {
  if (p.acceptWord('FIRST')) return { first: true };
  if (p.acceptWord('AFTER')) return { after: parseCompoundName(p, 'a column name') };
  return undefined;
}

// ---------------------------------------------------------------- columns

function parseAddColumn(p: Parser, start: number): AlterAction {
  const ifNotExists = p.ifNotExists();
  const column = parseColumnAfterName(p, { typeRequired: true });
  checkEphemeral(p, column);
  const action: AlterAction = { kind: 'AddColumn', ifNotExists, column, start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

/**
 * A column definition where a type may follow the name. ClickHouse's `ParserDataType` takes any
 * word as a type name, so `x FIRST` declares a column of type `FIRST` and `MODIFY COLUMN x AFTER y`
 * fails at `y` (`AFTER` became the type). Both are kept that way here, so we accept and reject
 * exactly what ClickHouse does.
 */
function parseColumnAfterName(p: Parser, options: { typeRequired: boolean }): ColumnDefinition {
  const length = compoundNameLength(p);
  const next = p.word(length);
  if (next !== 'FIRST' && next !== 'AFTER') return parseColumnDefinition(p, options);
  const start = p.token.start;
  const name = parseNameParts(p, 'a column name');
  const type = parseDataType(p);
  return { kind: 'ColumnDefinition', name, type, primaryKey: false, start, end: p.lastEnd };
}

/** `MODIFY COLUMN` and its PostgreSQL-style twin `ALTER COLUMN x TYPE T`, after the keywords. */
function parseModifyColumn(p: Parser, start: number, options: { typeKeyword: boolean }): AlterAction {
  const ifExists = p.ifExists();
  const length = compoundNameLength(p);
  const next = (offset = 0): string => p.word(length + offset);
  if (next() === 'REMOVE') return parseRemoveProperty(p, start, ifExists);
  if ((next() === 'MODIFY' || next() === 'RESET') && next(1) === 'SETTING') return parseColumnSettings(p, start, ifExists);
  if (next() === 'ADD' && next(1) === 'ENUM' && next(2) === 'VALUES') return parseAddEnumValues(p, start, ifExists);
  const column = options.typeKeyword ? parseAlterColumnDefinition(p, length) : parseModifiedColumn(p, length);
  checkModifiedColumn(p, column);
  const action: AlterAction = { kind: 'ModifyColumn', ifExists, column, start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

function parseModifiedColumn(p: Parser, nameLength: number): ColumnDefinition {
  if (p.word(nameLength) === 'SETTINGS') {
    return p.fail(
      'Expected a column type or property; ClickHouse reads `SETTINGS` right after the column name as a type',
      'Write `MODIFY COLUMN x MODIFY SETTING name = value`, or give the column type before SETTINGS.',
      p.peek(nameLength),
    );
  }
  return parseColumnAfterName(p, { typeRequired: false });
}

/** Words that start a column property, so `ALTER COLUMN x` needs no `TYPE` before them. */
const COLUMN_PROPERTY_WORDS = new Set([
  'NULL',
  'NOT',
  'DEFAULT',
  'MATERIALIZED',
  'EPHEMERAL',
  'ALIAS',
  'AUTO_INCREMENT',
  'PRIMARY',
  'COMMENT',
  'CODEC',
  'TTL',
  'STATISTICS',
]);

/** `ALTER COLUMN x TYPE T [properties]` or `ALTER COLUMN x properties`. */
function parseAlterColumnDefinition(p: Parser, nameLength: number): ColumnDefinition {
  const next = p.word(nameLength);
  if (next === 'TYPE') return parseWithoutToken(p, p.index + nameLength, (sub) => parseColumnDefinition(sub, { typeRequired: true }));
  if (!COLUMN_PROPERTY_WORDS.has(next))
    return p.fail('Expected `TYPE` and the new column type', 'ALTER COLUMN writes the type after TYPE: `ALTER COLUMN x TYPE UInt64`.', p.peek(nameLength));
  return parseColumnDefinition(p, { typeRequired: false });
}

/** `EPHEMERAL` needs a type or a default expression: ClickHouse has nothing to derive the column from otherwise. */
function checkEphemeral(p: Parser, column: ColumnDefinition): void {
  if (column.defaultKind === 'EPHEMERAL' && !column.type && !column.defaultExpression) p.fail('Expected a default expression after EPHEMERAL, or a column type');
}

/** ClickHouse's checks on a MODIFY COLUMN declaration that has no type. */
function checkModifiedColumn(p: Parser, column: ColumnDefinition): void {
  checkEphemeral(p, column);
  const at = p.tokens.find((t) => t.start === column.start);
  if (!column.type && column.nullable !== undefined)
    p.fail('Expected an explicit column type: NULL / NOT NULL modifies a type', 'Write the type: `MODIFY COLUMN x Nullable(T)` or `x T NOT NULL`.', at);
  const properties = [column.type, column.defaultKind, column.comment, column.codec, column.statistics, column.ttl, column.settings];
  if (!column.primaryKey && properties.every((property) => property === undefined))
    p.fail('Expected a column type, a property such as DEFAULT or COMMENT, or REMOVE');
}

const REMOVABLE_PROPERTIES = new Set(['DEFAULT', 'MATERIALIZED', 'ALIAS', 'COMMENT', 'CODEC', 'TTL', 'SETTINGS']);

/** `MODIFY COLUMN x REMOVE DEFAULT|MATERIALIZED|ALIAS|COMMENT|CODEC|TTL|SETTINGS`. */
function parseRemoveProperty(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  p.expectWord('REMOVE');
  const property = p.word();
  if (!REMOVABLE_PROPERTIES.has(property)) return p.fail('Expected DEFAULT, MATERIALIZED, ALIAS, COMMENT, CODEC, TTL or SETTINGS after REMOVE');
  p.next();
  return { kind: 'ModifyColumnRemove', ifExists, column, property, start, end: p.lastEnd };
}

/** `MODIFY COLUMN x MODIFY SETTING a = 1, ...` or `MODIFY COLUMN x RESET SETTING a, ...`. */
function parseColumnSettings(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  const reset = p.word() === 'RESET';
  p.index += 2;
  const settings = reset ? parseResetList(p) : parseSettingList(p, { valueRequired: false });
  return { kind: 'ModifyColumnSettings', ifExists, column, reset, settings, start, end: p.lastEnd };
}

/** `MODIFY COLUMN x ADD ENUM VALUES ('a' = 1, ...)`. */
function parseAddEnumValues(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  p.expectWord('ADD', 'ENUM', 'VALUES');
  p.expect('LParen');
  const values = parseExpressionList(p);
  p.expect('RParen');
  return { kind: 'ModifyColumnAddEnumValues', ifExists, column, values, start, end: p.lastEnd };
}

/** `RESET SETTING a, b`: names only. */
function parseResetList(p: Parser): SettingAssignment[] {
  const settings: SettingAssignment[] = [];
  do {
    const name = p.identifier('a setting name');
    settings.push({ kind: 'SettingAssignment', name, start: name.start, end: name.end });
  } while (p.accept('Comma'));
  return settings;
}

function parseDropColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return { kind: 'DropColumn', ifExists, column: parseNameParts(p, 'a column name'), start, end: p.lastEnd };
}

function parseRenameColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  const from = parseNameParts(p, 'a column name');
  p.expectWord('TO');
  return { kind: 'RenameColumn', ifExists, from, to: parseNameParts(p, 'the new column name'), start, end: p.lastEnd };
}

function parseClearColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return withPartition({ kind: 'ClearColumn', ifExists, column: parseNameParts(p, 'a column name'), start, end: start }, p);
}

function parseCommentColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  const column = parseNameParts(p, 'a column name');
  return { kind: 'CommentColumn', ifExists, column, comment: parseString(p, 'a comment string'), start, end: p.lastEnd };
}

function parseMaterializeColumn(p: Parser, start: number): AlterAction {
  return withPartition({ kind: 'MaterializeColumn', column: parseNameParts(p, 'a column name'), start, end: start }, p);
}

// ---------------------------------------------------------------- indexes, projections, constraints, statistics

function parseAddIndex(p: Parser, start: number): AlterAction {
  const ifNotExists = p.ifNotExists();
  const action: AlterAction = { kind: 'AddIndex', ifNotExists, index: parseIndexDefinition(p), start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

function parseAddProjection(p: Parser, start: number): AlterAction {
  const ifNotExists = p.ifNotExists();
  const action: AlterAction = { kind: 'AddProjection', ifNotExists, projection: parseProjectionDefinition(p), start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

type NamedObjectKind = 'DropIndex' | 'MaterializeIndex' | 'ClearIndex' | 'DropProjection' | 'MaterializeProjection' | 'ClearProjection';

/** `[IF EXISTS] name`, and `[IN PARTITION p]` for MATERIALIZE and CLEAR. */
function namedObjectCommand(kind: NamedObjectKind): CommandParser {
  return (p, start) => {
    const ifExists = p.ifExists();
    const name = parseCompoundName(p, kind.endsWith('Index') ? 'an index name' : 'a projection name');
    const action: Extract<AlterAction, { kind: NamedObjectKind }> = { kind, ifExists, name, start, end: p.lastEnd };
    return kind.startsWith('Drop') ? action : withPartition(action, p);
  };
}

function parseAddConstraint(p: Parser, start: number): AlterAction {
  const ifNotExists = p.ifNotExists();
  return { kind: 'AddConstraint', ifNotExists, constraint: parseConstraintDefinition(p), start, end: p.lastEnd };
}

function parseModifyConstraint(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return { kind: 'ModifyConstraint', ifExists, constraint: parseConstraintDefinition(p), start, end: p.lastEnd };
}

function parseDropConstraint(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return { kind: 'DropConstraint', ifExists, name: parseCompoundName(p, 'a constraint name'), start, end: p.lastEnd };
}

type StatisticsVerb = 'ADD' | 'MODIFY' | 'DROP' | 'CLEAR' | 'MATERIALIZE';

/**
 * `ADD STATISTICS [IF NOT EXISTS] a, b TYPE t, ...`, `MODIFY STATISTICS a TYPE t`,
 * `DROP STATISTICS [IF EXISTS] a`, `CLEAR|MATERIALIZE STATISTICS ALL | [IF EXISTS] a [IN PARTITION p]`.
 */
function statisticsCommand(verb: StatisticsVerb): CommandParser {
  return (p, start) => {
    const action: AlterAction = { kind: 'Statistics', verb, ifExists: false, ifNotExists: false, all: false, columns: [], types: [], start, end: start };
    const withPartitionClause = verb === 'CLEAR' || verb === 'MATERIALIZE';
    if (withPartitionClause && p.acceptWord('ALL')) action.all = true;
    else {
      if (verb === 'ADD') action.ifNotExists = p.ifNotExists();
      else if (verb !== 'MODIFY') action.ifExists = p.ifExists();
      do action.columns.push(p.identifier('a column name'));
      while (p.accept('Comma'));
      if (verb === 'ADD' || verb === 'MODIFY') {
        p.expectWord('TYPE');
        do action.types.push(parseStatisticsType(p));
        while (p.accept('Comma'));
      }
      if (withPartitionClause) return withPartition(action, p);
    }
    action.end = p.lastEnd;
    return action;
  };
}

/** `tdigest` or `TDigest(args)`: ClickHouse's `ParserExpressionWithOptionalArguments`. */
function parseStatisticsType(p: Parser): Expression {
  const name = p.identifier('a statistics type such as `tdigest`');
  if (!p.at('LParen')) return { kind: 'ColumnRef', parts: [name], start: name.start, end: name.end };
  const args = parseArgumentList(p);
  return { kind: 'FunctionCall', name, arguments: args, distinct: false, start: name.start, end: p.lastEnd };
}

// ---------------------------------------------------------------- table-level modifications

function parseModifyTtl(p: Parser, start: number): AlterAction {
  // ClickHouse refuses `MODIFY TTL MATERIALIZE|REMOVE|MODIFY`: those words start other commands.
  const word = p.word();
  if (word === 'MATERIALIZE' || word === 'REMOVE' || word === 'MODIFY') return p.fail(`Expected a TTL expression; write \`${word} TTL\` as its own command`);
  return { kind: 'ModifyTtl', ttl: parseTtlList(p), start, end: p.lastEnd };
}

function parseModifyRefresh(p: Parser, start: number): AlterAction {
  p.expectWord('MODIFY');
  return { kind: 'ModifyRefresh', refresh: parseRefreshClause(p), start, end: p.lastEnd };
}

/** `MODIFY SQL SECURITY ...` and `MODIFY DEFINER = user [SQL SECURITY ...]`, at MODIFY. */
function parseModifySqlSecurity(p: Parser, start: number): AlterAction {
  p.expectWord('MODIFY');
  const sqlSecurity = parseSqlSecurity(p);
  if (!sqlSecurity) return p.fail('Expected `DEFINER = user` or `SQL SECURITY DEFINER|INVOKER|NONE`');
  return { kind: 'ModifySqlSecurity', sqlSecurity, start, end: p.lastEnd };
}

// ---------------------------------------------------------------- mutations

/** `UPDATE a = expr, ... [IN PARTITION p] WHERE cond`, after UPDATE. */
function parseUpdate(p: Parser, start: number): AlterAction {
  const inPartition = findInPartition(p);
  const assignments: { column: Identifier[]; value: Expression }[] = [];
  do {
    const column = [p.identifier('a column name')];
    p.expect('Equals', '`=` and the new value');
    const value = inPartition === undefined ? parseExpression(p) : parseBefore(p, inPartition, parseExpression);
    assignments.push({ column, value });
  } while (p.accept('Comma'));
  const partition = parseInPartition(p);
  const action: AlterAction = { kind: 'Update', assignments, where: parseMutationWhere(p), start, end: p.lastEnd };
  if (partition) action.partition = partition;
  return action;
}

/** `DELETE [IN PARTITION p] WHERE cond`, after DELETE. */
function parseDelete(p: Parser, start: number): AlterAction {
  const partition = parseInPartition(p);
  const action: AlterAction = { kind: 'Delete', where: parseMutationWhere(p), start, end: p.lastEnd };
  if (partition) action.partition = partition;
  return action;
}

function parseMutationWhere(p: Parser): Expression {
  p.expectWord('WHERE');
  const first = p.token;
  const where = parseExpression(p);
  // ClickHouse rejects an alias in the filter, even a parenthesized one: `WHERE (x AS y)`.
  if (where.kind === 'AliasExpression') return p.fail('Expected a filter without an alias', 'Remove `AS name` from the WHERE condition.', first);
  return where;
}

/**
 * Index of `IN PARTITION` ahead at bracket depth 0, before WHERE. An UPDATE value must stop there:
 * `UPDATE a = 1 IN PARTITION 2 WHERE ...` assigns 1, it does not test `1 IN PARTITION`.
 */
function findInPartition(p: Parser): number | undefined {
  let depth = 0;
  for (let i = p.index; i < p.tokens.length; i++) {
    const kind = p.tokens[i].kind;
    if (kind === 'LParen' || kind === 'LBracket' || kind === 'LBrace') depth++;
    else if (kind === 'RParen' || kind === 'RBracket' || kind === 'RBrace') depth--;
    else if (kind === 'Semicolon' || kind === 'EndOfInput' || depth < 0) return undefined;
    else if (depth === 0 && p.words[i] === 'WHERE') return undefined;
    else if (depth === 0 && p.words[i] === 'IN' && p.words[i + 1] === 'PARTITION') return i;
  }
  return undefined;
}

// ---------------------------------------------------------------- commands kept by keyword

/** `EXECUTE name(args)`, after EXECUTE. */
function parseExecute(p: Parser, start: number): AlterAction {
  p.identifier('a command name');
  parseArgumentList(p);
  return { kind: 'OtherAction', keyword: 'EXECUTE', start, end: p.lastEnd };
}

/** `UNLOCK SNAPSHOT 'name' [FROM backup_engine(args)]`, after the keywords. */
function parseUnlockSnapshot(p: Parser, start: number): AlterAction {
  parseString(p, 'a snapshot name string');
  if (p.acceptWord('FROM')) {
    p.identifier('a backup engine name');
    if (p.at('LParen')) parseArgumentList(p);
  }
  return { kind: 'OtherAction', keyword: 'UNLOCK SNAPSHOT', start, end: p.lastEnd };
}

// ---------------------------------------------------------------- token windows

type ParserConstructor = new (source: string, file: string, tokens: Token[]) => Parser;

/** A parser over the same text with a different token list; its errors abort the statement like ours. */
function subParser(p: Parser, tokens: Token[]): Parser {
  const sub = new (p.constructor as ParserConstructor)(p.source, p.file, tokens);
  sub.index = p.index;
  return sub;
}

/** Runs `parse` as if the tokens ended at `stop`, then continues after what it consumed. */
function parseBefore<T>(p: Parser, stop: number, parse: (p: Parser) => T): T {
  const at = p.tokens[stop];
  const sub = subParser(p, [...p.tokens.slice(0, stop), { kind: 'EndOfInput', start: at.start, end: at.start }]);
  const result = parse(sub);
  p.index = sub.index;
  return result;
}

/** Runs `parse` as if the token at `skip` were not there (the `TYPE` of `ALTER COLUMN x TYPE T`). */
function parseWithoutToken<T>(p: Parser, skip: number, parse: (p: Parser) => T): T {
  const sub = subParser(p, [...p.tokens.slice(0, skip), ...p.tokens.slice(skip + 1)]);
  const result = parse(sub);
  p.index = sub.index >= skip ? sub.index + 1 : sub.index;
  return result;
}
