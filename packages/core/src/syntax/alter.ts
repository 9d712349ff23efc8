import { acceptAccessEntityKeyword, parseAlterAccessEntity } from './access.js';
import {
  parseAddColumn,
  parseClearColumn,
  parseCommentColumn,
  parseCompoundName,
  parseDropColumn,
  parseMaterializeColumn,
  parseModifyColumn,
  parsePosition,
  parseRenameColumn,
  parseResetList,
} from './alterColumn.js';
import type { AlterAction, AlterDatabaseStatement, AlterNamedCollectionStatement, AlterTableStatement, Expression, Identifier, Statement } from './ast.js';
import {
  parseConstraintDefinition,
  parseIndexDefinition,
  parseNamedCollectionEntry,
  parseProjectionDefinition,
  parseRefreshClause,
  parseSqlSecurity,
  parseTtlList,
} from './create.js';
import { parseAliasedExpression, parseArgumentList, parseExpression } from './expressions.js';
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
  withInPartition,
} from './partition.js';
import { parseSelectQuery } from './select.js';
import { parseSettingList } from './settings.js';
import { findAhead, parseBefore } from './tokenWindows.js';

/**
 * `ALTER TABLE`, `ALTER TEMPORARY TABLE` and `ALTER DATABASE`, at ALTER. ALTER of an access entity
 * (USER, ROLE, QUOTA, ROW POLICY, SETTINGS PROFILE) is checked against ClickHouse's grammar and kept
 * as an `Other` statement, as are ALTER NAMED COLLECTION and ALTER MASKING POLICY.
 */
export function parseAlter(p: Parser): Statement {
  const start = p.tokenStart;
  p.expectWord('ALTER');
  if (p.atWord('TABLE') || p.atWords('TEMPORARY', 'TABLE')) return parseAlterTable(p, start);
  if (p.atWord('DATABASE')) return parseAlterDatabase(p, start);
  const entity = acceptAccessEntityKeyword(p);
  if (entity) return parseAlterAccessEntity(p, start, entity);
  if (p.acceptWords('NAMED', 'COLLECTION')) return parseAlterNamedCollection(p, start);
  if (p.acceptWords('MASKING', 'POLICY')) {
    while (!p.atEndOfStatement()) p.next();
    return { kind: 'Other', keyword: 'ALTER MASKING POLICY', start, end: p.lastEnd };
  }
  return p.fail('Expected TABLE, DATABASE, USER, ROLE, QUOTA, ROW POLICY, SETTINGS PROFILE or NAMED COLLECTION after ALTER');
}

/**
 * `ALTER NAMED COLLECTION [IF EXISTS] name [ON CLUSTER c] [SET key = value [[NOT] OVERRIDABLE], ...]
 * [DELETE key, ...]`, after NAMED COLLECTION: SET before DELETE, both optional, as ClickHouse's
 * ParserAlterNamedCollectionQuery reads it.
 */
function parseAlterNamedCollection(p: Parser, start: number): AlterNamedCollectionStatement {
  const ifExists = p.ifExists();
  const name = p.identifier('a collection name');
  const statement: AlterNamedCollectionStatement = { kind: 'AlterNamedCollection', ifExists, name, set: [], delete: [], start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  if (p.acceptWord('SET')) {
    do statement.set.push(parseNamedCollectionEntry(p));
    while (p.accept('Comma'));
  }
  if (p.acceptWord('DELETE')) {
    do statement.delete.push(p.identifier('a key'));
    while (p.accept('Comma'));
  }
  statement.end = p.lastEnd;
  return statement;
}

function parseAlterTable(p: Parser, start: number): AlterTableStatement {
  const temporary = p.acceptWord('TEMPORARY');
  p.expectWord('TABLE');
  const table = p.qualifiedName();
  const statement: AlterTableStatement = { kind: 'AlterTable', temporary, table, actions: [], start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  statement.actions = parseCommandList(p, parseTableCommand);
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
  [['MATERIALIZE', 'TTL'], (p, start) => withInPartition({ kind: 'MaterializeTtl', start, end: start }, p)],
  [['REMOVE', 'TTL'], (p, start) => ({ kind: 'RemoveTtl', start, end: p.lastEnd })],
  [['REMOVE', 'SAMPLE', 'BY'], (p, start) => ({ kind: 'RemoveSampleBy', start, end: p.lastEnd })],
  [['RESET', 'SETTING'], (p, start) => ({ kind: 'ResetSetting', settings: parseResetList(p), start, end: p.lastEnd })],
  [['UPDATE'], parseUpdate],
  [['DELETE'], parseDelete],
  [['APPLY', 'DELETED', 'MASK'], (p, start) => withInPartition({ kind: 'ApplyDeletedMask', start, end: start }, p)],
  [['APPLY', 'PATCHES'], (p, start) => withInPartition({ kind: 'OtherAction', keyword: 'APPLY PATCHES', start, end: start }, p)],
  [['REWRITE', 'PARTS'], (p, start) => withInPartition({ kind: 'OtherAction', keyword: 'REWRITE PARTS', start, end: start }, p)],
  [['EXECUTE'], parseExecute],
  [['UNLOCK', 'SNAPSHOT'], parseUnlockSnapshot],
];

function parseTableCommand(p: Parser): AlterAction {
  const start = p.tokenStart;
  for (const [words, parse, keep] of TABLE_COMMANDS) {
    if (!p.atWordList(words)) continue;
    if (!keep) p.index += words.length;
    return parse(p, start);
  }
  return p.fail('Expected an ALTER command such as ADD COLUMN, MODIFY COLUMN, DROP PARTITION, UPDATE or DELETE');
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
    return kind.startsWith('Drop') ? action : withInPartition(action, p);
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
      if (withPartitionClause) return withInPartition(action, p);
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
  const end = findTtlListEnd(p);
  const ttl = end === undefined ? parseTtlList(p) : parseBefore(p, end, parseTtlList);
  return { kind: 'ModifyTtl', ttl, start, end: p.lastEnd };
}

/**
 * Index of a `,` ahead that is followed by `MATERIALIZE TTL`, `REMOVE TTL` or
 * `MODIFY TTL`: ClickHouse's TTL element refuses to start with those, so the list ends there and the
 * next command begins (`MODIFY TTL d, REMOVE TTL` is two commands).
 */
function findTtlListEnd(p: Parser): number | undefined {
  return findAhead(p, (i) => p.kindAt(i) === 'Comma' && p.wordAt(i + 2) === 'TTL' && ['MATERIALIZE', 'REMOVE', 'MODIFY'].includes(p.wordAt(i + 1)));
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
/** `col = expr, ... [IN PARTITION p] WHERE cond`, after UPDATE (ALTER) or SET (lightweight UPDATE). */
export function parseUpdate(p: Parser, start: number): Extract<AlterAction, { kind: 'Update' }> {
  const inPartition = findInPartition(p);
  const assignments: { column: Identifier[]; value: Expression }[] = [];
  do {
    const column = [p.identifier('a column name')];
    p.expect('Equals', '`=` and the new value');
    const value = inPartition === undefined ? parseExpression(p) : parseBefore(p, inPartition, parseExpression);
    assignments.push({ column, value });
  } while (p.accept('Comma'));
  const partition = parseInPartition(p);
  const action: Extract<AlterAction, { kind: 'Update' }> = { kind: 'Update', assignments, where: parseMutationWhere(p), start, end: p.lastEnd };
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

/** `WHERE cond` of a mutation or a lightweight DELETE: no alias on the condition. */
export function parseMutationWhere(p: Parser): Expression {
  p.expectWord('WHERE');
  const first = p.index;
  const where = parseExpression(p);
  // ClickHouse rejects an alias in the filter, even a parenthesized one: `WHERE (x AS y)`.
  if (where.kind === 'AliasExpression') return p.fail('Expected a filter without an alias', 'Remove `AS name` from the WHERE condition.', first);
  return where;
}

/**
 * Index of `IN PARTITION` ahead, before WHERE. An UPDATE value must stop there:
 * `UPDATE a = 1 IN PARTITION 2 WHERE ...` assigns 1, it does not test `1 IN PARTITION`.
 */
function findInPartition(p: Parser): number | undefined {
  return findAhead(
    p,
    (i) => p.wordAt(i) === 'IN' && p.wordAt(i + 1) === 'PARTITION',
    (i) => p.wordAt(i) === 'WHERE',
  );
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
