import { acceptAccessEntityKeyword, ENTITY_KEYWORDS, parseCreateAccessEntity, parseGrant, parsePolicyGroups } from './access.js';
import { parseNameList, parseNameOrString, parseUserNameList } from './accessNames.js';
import { parseAlter, parseUpdate as parseAlterUpdate, parseMutationWhere } from './alter.js';
import type {
  CreateHeader,
  DeleteStatement,
  DropStatement,
  Identifier,
  InsertStatement,
  ObjectKind,
  OptimizeStatement,
  QualifiedName,
  QueryOutput,
  RenameStatement,
  SelectQuery,
  Statement,
  TruncateStatement,
  UpdateStatement,
} from './ast.js';
import { parseCreateDatabase, parseCreateDictionary, parseCreateFunction, parseCreateNamedCollection, parseCreateTable, parseCreateView } from './create.js';
import { parseAliasedExpression, parseExpression, parseExpressionList } from './expressions.js';
import { forEachDescendant } from './nodes.js';
import { parseOtherStatement } from './other.js';
import { isParseAbort, type Parser } from './parser.js';
import { parseInPartition, parsePartitionSpec } from './partition.js';
import { isSelectStart, parseSelectQuery, parseTableFunction, parseWith, type SelectQueryOptions } from './select.js';
import { parseSettingList } from './settings.js';

/** Statements ClickHouse knows that ClickPlan keeps as a generic node. */
const OTHER_STATEMENT_WORDS = new Set([
  'SHOW',
  'EXPLAIN',
  'DESCRIBE',
  'DESC',
  'EXISTS',
  'KILL',
  'CHECK',
  'SYSTEM',
  'WATCH',
  'BACKUP',
  'RESTORE',
  'MOVE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'START',
]);

/** Statements that take FORMAT and SETTINGS after them as a query does (ClickHouse's ParserQueryWithOutput). */
const WITH_OUTPUT = new Set<Statement['kind']>([
  'CreateTable',
  'CreateView',
  'CreateDictionary',
  'CreateDatabase',
  'AlterTable',
  'AlterDatabase',
  'Drop',
  'Truncate',
  'Rename',
  'Exchange',
  'Attach',
  'Optimize',
]);

/** Parses the statement at the current token (which is not `;`), with its FORMAT and SETTINGS. */
export function parseStatementAt(p: Parser): Statement {
  const statement = parseStatementBody(p);
  // DROP of a function, named collection or access entity has its own parser, without them.
  const isObjectDrop = statement.kind !== 'Drop' || ['TABLE', 'VIEW', 'DICTIONARY', 'DATABASE'].includes(statement.objectKind);
  if (WITH_OUTPUT.has(statement.kind) && isObjectDrop) {
    const output = statement as QueryOutput;
    for (;;) {
      if (!output.format && p.acceptWord('FORMAT')) output.format = p.identifier('a format name');
      else if (!output.querySettings && p.acceptWord('SETTINGS')) output.querySettings = parseSettingList(p, { valueRequired: false });
      else break;
    }
    statement.end = p.lastEnd;
  }
  return statement;
}

function parseStatementBody(p: Parser): Statement {
  const word = p.word();
  switch (word) {
    case 'CREATE':
    case 'ATTACH':
    case 'REPLACE':
      return parseCreateLike(p);
    case 'ALTER':
      return parseAlter(p);
    case 'DROP':
    case 'DETACH':
    case 'UNDROP':
      return parseDrop(p);
    case 'RENAME':
    case 'EXCHANGE':
      return parseRename(p);
    case 'TRUNCATE':
      return parseTruncate(p);
    case 'GRANT':
    case 'REVOKE':
      return parseGrant(p);
    case 'USE': {
      const start = p.startAt(p.next());
      if (p.atWord('DATABASE') && p.atIdentifier(1)) p.next();
      const database = p.identifier('a database name');
      return { kind: 'Use', database, start, end: p.lastEnd };
    }
    case 'SET':
      if (p.atWord('ROLE', 1) || p.atWords('SET', 'DEFAULT', 'ROLE') || p.atWord('TRANSACTION', 1)) return parseOtherStatement(p);
      return parseSet(p);
    case 'OPTIMIZE':
      return parseOptimize(p);
    case 'INSERT':
      return parseInsert(p);
    case 'DELETE':
      return parseDelete(p);
    case 'UPDATE':
      return parseUpdate(p);
  }
  if (word === 'WITH' && isInsertAfterWith(p)) return parseWithInsert(p);
  if (isSelectStart(p)) {
    const query = parseSelectQuery(p);
    return { kind: 'SelectStatement', query, start: query.start, end: query.end };
  }
  if (OTHER_STATEMENT_WORDS.has(word)) return parseOtherStatement(p);
  return p.fail('Expected a statement such as CREATE, ALTER, DROP, INSERT or SELECT', 'Check the first word of the statement; a `;` may be missing before it.');
}

/** Whether the WITH list at the current token is followed by INSERT (reads ahead; moves nothing). */
function isInsertAfterWith(p: Parser): boolean {
  const save = p.index;
  const depth = p.depth;
  try {
    p.next();
    parseWith(p);
    return p.atWord('INSERT');
  } catch (error) {
    if (!isParseAbort(error)) throw error;
    return false;
  } finally {
    p.index = save;
    p.depth = depth;
  }
}

/** A statement ClickPlan does not model: its range ends at the next top-level `;`. */
function parseOther(p: Parser): Statement {
  const start = p.tokenStart;
  const keyword = p.word();
  while (!p.atEndOfStatement()) p.next();
  return { kind: 'Other', keyword, start, end: p.lastEnd };
}

// ---------------------------------------------------------------- CREATE / ATTACH / REPLACE

function parseCreateLike(p: Parser): Statement {
  const start = p.tokenStart;
  const verb = p.word() as CreateHeader['verb'];
  p.next();
  const header: CreateHeader = { verb, orReplace: verb === 'CREATE' && p.acceptWords('OR', 'REPLACE'), ifNotExists: false };
  const temporary = p.acceptWord('TEMPORARY');
  if (verb === 'ATTACH' && isShortAttach(p)) return parseShortAttach(p, start);
  const word = p.word();
  if (word === 'TABLE') return parseCreateTable(p, start, header, temporary);
  // LIVE VIEW was removed from ClickHouse; its CREATE is a syntax error now.
  if (word === 'VIEW' || (['MATERIALIZED', 'WINDOW'].includes(word) && p.atWord('VIEW', 1))) return parseCreateView(p, start, header);
  if (word === 'DICTIONARY') return parseCreateDictionary(p, start, header);
  if (word === 'DATABASE') {
    if (header.orReplace) p.fail('Expected TABLE, VIEW or DICTIONARY after CREATE OR REPLACE: a database cannot be replaced', undefined, p.index + 1);
    return parseCreateDatabase(p, start, header);
  }
  if (word === 'FUNCTION') return parseCreateFunction(p, start, header);
  if (p.atWords('NAMED', 'COLLECTION')) return parseCreateNamedCollection(p, start, header);
  const entity = acceptAccessEntityKeyword(p);
  if (entity) return parseCreateAccessEntity(p, start, header, entity);
  // Statements ClickPlan does not model: `CREATE [UNIQUE] INDEX i ON t (c)`, `CREATE WORKLOAD w [IN parent]
  // SETTINGS ...`, `CREATE RESOURCE r (WRITE DISK d)`.
  if (word === 'INDEX' || word === 'WORKLOAD' || word === 'RESOURCE' || (word === 'UNIQUE' && p.atWord('INDEX', 1))) {
    p.index = p.indexAt(start);
    return parseOther(p);
  }
  return p.fail(`Expected TABLE, VIEW, MATERIALIZED VIEW, DICTIONARY, DATABASE, FUNCTION or an access entity after ${verb}`);
}

/** `ATTACH TABLE|DICTIONARY|DATABASE|VIEW [IF NOT EXISTS] name [ON CLUSTER c]` with nothing after it. */
function isShortAttach(p: Parser): boolean {
  const word = p.word();
  if (word !== 'TABLE' && word !== 'DICTIONARY' && word !== 'DATABASE' && word !== 'VIEW') return false;
  let i = 1;
  if (p.atWords('TABLE', 'IF', 'NOT', 'EXISTS') || p.word(1) === 'IF') i += 3;
  i += p.at('Dot', i + 1) ? 3 : 1;
  if (p.atWord('ON', i) && p.atWord('CLUSTER', i + 1)) i += 3;
  if (p.atWord('FROM', i)) return false;
  const after = p.kind(i);
  return after === 'Semicolon' || after === 'EndOfInput';
}

function parseShortAttach(p: Parser, start: number): Statement {
  const objectKind = p.word() as ObjectKind;
  p.next();
  const ifNotExists = p.ifNotExists();
  const name = p.qualifiedName();
  const statement: Statement = { kind: 'Attach', objectKind, ifNotExists, name, start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  statement.end = p.lastEnd;
  return statement;
}

// ---------------------------------------------------------------- DROP / DETACH / UNDROP

const DROP_KINDS: [string[], ObjectKind][] = [
  [['TABLE'], 'TABLE'],
  [['VIEW'], 'VIEW'],
  [['DICTIONARY'], 'DICTIONARY'],
  [['DATABASE'], 'DATABASE'],
  [['FUNCTION'], 'FUNCTION'],
  [['NAMED', 'COLLECTION'], 'NAMED COLLECTION'],
  ...ENTITY_KEYWORDS,
];

function parseDrop(p: Parser): DropStatement | Statement {
  const start = p.tokenStart;
  const verb = p.word() as DropStatement['verb'];
  p.next();
  const temporary = p.acceptWord('TEMPORARY');
  let objectKind: ObjectKind | undefined;
  const kindAt = p.index;
  for (const [words, kind] of DROP_KINDS) {
    if (p.acceptWordList(words)) {
      objectKind = kind;
      break;
    }
  }
  const isTableLike = objectKind === 'TABLE' || objectKind === 'VIEW' || objectKind === 'DICTIONARY' || objectKind === 'DATABASE';
  if (verb === 'UNDROP' && objectKind !== 'TABLE') p.fail('Expected TABLE after UNDROP', undefined, kindAt);
  if (verb === 'DETACH' && !isTableLike) p.fail('Expected TABLE, VIEW, DICTIONARY or DATABASE after DETACH', undefined, kindAt);
  if (!objectKind) {
    if (verb === 'DROP' && (p.atWord('INDEX') || p.atWord('STATISTICS') || p.atWord('WORKLOAD') || p.atWord('RESOURCE'))) {
      p.index = p.indexAt(start);
      return parseOther(p);
    }
    return p.fail(`Expected TABLE, VIEW, DICTIONARY, DATABASE or another object kind after ${verb}`);
  }
  const statement: DropStatement = {
    kind: 'Drop',
    verb,
    objectKind,
    temporary,
    ifExists: verb !== 'UNDROP' && p.ifExists(),
    ifEmpty: false,
    names: [],
    sync: false,
    permanently: false,
    start,
    end: start,
  };
  if (p.acceptWords('IF', 'EMPTY')) statement.ifEmpty = true;
  if (objectKind === 'ROW POLICY') {
    const policies = parsePolicyGroups(p, () => {
      if (!statement.onCluster && p.atWords('ON', 'CLUSTER')) statement.onCluster = p.onCluster();
      return statement.onCluster !== undefined;
    });
    statement.policies = policies;
    statement.names = policies.flatMap((group) => group.names.map(unqualified));
    statement.on = policies.flatMap((group) => group.on);
  } else if (objectKind === 'USER' || objectKind === 'ROLE') {
    // `u@'host'` and names as strings, as CREATE USER and CREATE ROLE take them.
    statement.names = parseUserNameList(p, `a ${objectKind.toLowerCase()} name`).map(unqualified);
  } else if (objectKind === 'QUOTA' || objectKind === 'SETTINGS PROFILE') {
    statement.names = parseNameList(p, `a ${objectKind.toLowerCase()} name`).map(unqualified);
  } else {
    const isDatabaseLevel = objectKind === 'DATABASE' || objectKind === 'FUNCTION' || objectKind === 'NAMED COLLECTION';
    do statement.names.push(isDatabaseLevel ? unqualified(p.identifier('a name')) : p.qualifiedName('a name'));
    while (p.accept('Comma'));
  }
  if (verb === 'UNDROP' && p.acceptWord('UUID')) statement.uuid = p.stringLiteral('a UUID string');
  if (ENTITY_KEYWORDS.some(([, entity]) => entity === objectKind)) {
    // An access entity may name its storage, before ON CLUSTER (a row policy's names may have taken it already).
    if (p.acceptWord('FROM')) statement.storage = parseNameOrString(p, 'an access storage name');
    statement.onCluster ??= p.onCluster();
  } else statement.onCluster = p.onCluster();
  if (isTableLike) {
    if (verb === 'DETACH' && p.acceptWord('PERMANENTLY')) statement.permanently = true;
    // `NO DELAY` is the old spelling of SYNC.
    if (p.acceptWord('SYNC') || p.acceptWords('NO', 'DELAY')) statement.sync = true;
  }
  if (statement.onCluster === undefined) delete statement.onCluster;
  statement.end = p.lastEnd;
  return statement;
}

function unqualified(name: Identifier): QualifiedName {
  return { kind: 'QualifiedName', name, start: name.start, end: name.end };
}

// ---------------------------------------------------------------- RENAME / EXCHANGE / TRUNCATE

function parseRename(p: Parser): RenameStatement {
  const start = p.tokenStart;
  const isExchange = p.word() === 'EXCHANGE';
  p.next();
  let objectKind: RenameStatement['objectKind'] = 'TABLE';
  if (isExchange) {
    if (p.acceptWord('DICTIONARIES')) objectKind = 'DICTIONARY';
    else p.expectWord('TABLES');
  } else if (p.acceptWord('DICTIONARY')) objectKind = 'DICTIONARY';
  else if (p.acceptWord('DATABASE')) objectKind = 'DATABASE';
  else p.acceptWord('TABLE');
  const statement: RenameStatement = { kind: isExchange ? 'Exchange' : 'Rename', objectKind, ifExists: p.ifExists(), pairs: [], start, end: start };
  const name = (): QualifiedName => {
    if (objectKind !== 'DATABASE') return p.qualifiedName();
    const id = p.identifier('a database name');
    return { kind: 'QualifiedName', name: id, start: id.start, end: id.end };
  };
  do {
    const from = name();
    p.expectWord(isExchange ? 'AND' : 'TO');
    statement.pairs.push({ from, to: name() });
  } while (!isExchange && p.accept('Comma'));
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  statement.end = p.lastEnd;
  return statement;
}

function parseTruncate(p: Parser): TruncateStatement {
  const start = p.startAt(p.next());
  const temporary = p.acceptWord('TEMPORARY');
  let objectKind: TruncateStatement['objectKind'] = 'TABLE';
  if (p.acceptWords('ALL', 'TABLES') || (!temporary && p.atWords('TABLES', 'FROM'))) {
    // `TRUNCATE TABLES FROM db` is another spelling of ALL TABLES.
    p.acceptWord('TABLES');
    objectKind = 'ALL TABLES';
    p.expectWord('FROM');
  } else if (p.acceptWord('DATABASE')) objectKind = 'DATABASE';
  else p.acceptWord('TABLE');
  const ifExists = p.ifExists();
  let name: QualifiedName;
  if (objectKind === 'TABLE') name = p.qualifiedName();
  else {
    const id = p.identifier('a database name');
    name = { kind: 'QualifiedName', name: id, start: id.start, end: id.end };
  }
  const statement: TruncateStatement = { kind: 'Truncate', objectKind, ifExists, name, sync: false, start, end: start };
  if (objectKind === 'ALL TABLES' && (p.acceptWord('LIKE') || p.acceptWords('NOT', 'LIKE') || p.acceptWord('ILIKE'))) p.stringLiteral('a pattern');
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  if (p.acceptWord('SYNC')) statement.sync = true;
  statement.end = p.lastEnd;
  return statement;
}

// ---------------------------------------------------------------- SET / OPTIMIZE

function parseSet(p: Parser): Statement {
  const start = p.startAt(p.next());
  // `SET flag` sets it to true, as `SETTINGS flag` does after a query.
  const settings = parseSettingList(p, { valueRequired: false });
  return { kind: 'Set', settings, start, end: p.lastEnd };
}

function parseOptimize(p: Parser): OptimizeStatement {
  const start = p.startAt(p.next());
  p.expectWord('TABLE');
  const table = p.qualifiedName();
  const statement: OptimizeStatement = { kind: 'Optimize', table, final: false, deduplicate: false, cleanup: false, start, end: start };
  const cluster = p.onCluster();
  if (cluster) statement.onCluster = cluster;
  if (p.atWord('PARTITION')) statement.partition = parsePartitionSpec(p);
  if (p.acceptWord('FINAL')) statement.final = true;
  if (p.acceptWord('FORCE')) statement.final = true;
  if (p.acceptWord('DEDUPLICATE')) {
    statement.deduplicate = true;
    if (p.acceptWord('BY')) statement.deduplicateBy = parseExpressionList(p);
  }
  if (p.acceptWord('CLEANUP')) statement.cleanup = true;
  statement.end = p.lastEnd;
  return statement;
}

// ---------------------------------------------------------------- INSERT / DELETE / UPDATE

/**
 * `WITH ... INSERT INTO t SELECT ...`: ClickHouse moves the WITH into every SELECT of the inserted
 * query (and drops it for VALUES and FORMAT), so the tree holds it there too.
 */
function parseWithInsert(p: Parser): InsertStatement {
  const start = p.startAt(p.next());
  const elements = parseWith(p);
  const statement = parseInsert(p);
  statement.start = start;
  const addWith = (query: SelectQuery): void => {
    for (const select of query.selects) {
      if (select.kind === 'SelectQuery') addWith(select);
      else if (select.with.length > 0) p.fail('Expected one WITH: either before INSERT or before SELECT', undefined, p.indexAt(select.start));
      else select.with = elements;
    }
  };
  if (statement.select) addWith(statement.select);
  return statement;
}

function parseInsert(p: Parser): InsertStatement {
  const start = p.startAt(p.next());
  p.expectWord('INTO');
  const statement: InsertStatement = { kind: 'Insert', start, end: start };
  if (p.acceptWord('FUNCTION') || p.acceptWords('TABLE', 'FUNCTION')) {
    statement.tableFunction = parseTableFunction(p);
    if (p.acceptWords('PARTITION', 'BY')) statement.partitionBy = parseExpression(p);
  } else {
    p.acceptWord('TABLE');
    statement.table = p.qualifiedName();
  }
  if (p.at('LParen') && !isSelectStart(p)) {
    p.next();
    // A trailing comma is allowed: `INSERT INTO t (a, b, ) VALUES ...`.
    const columns = [parseAliasedExpression(p)];
    while (p.accept('Comma') && !p.at('RParen')) columns.push(parseAliasedExpression(p));
    statement.columns = columns;
    p.expect('RParen');
  }
  // `FROM INFILE 'f' [COMPRESSION 'c'] [SETTINGS ...] [FORMAT f | SELECT ...]`: the client reads the
  // file (no VALUES then); otherwise SETTINGS come before VALUES, FORMAT or the query.
  const infile = p.acceptWords('FROM', 'INFILE');
  if (infile) {
    statement.infile = { file: p.stringLiteral('a file name') };
    if (p.acceptWord('COMPRESSION')) statement.infile.compression = p.stringLiteral('a compression method');
  }
  if (p.acceptWord('SETTINGS')) statement.settings = parseSettingList(p, { valueRequired: false });
  if (infile && !p.atWord('FORMAT') && !isSelectStart(p)) {
    if (!p.atEndOfStatement() && !p.atWords('PARALLEL', 'WITH')) p.fail('Expected FORMAT, SELECT or the end of the statement after FROM INFILE');
  } else if (p.acceptWord('VALUES')) {
    statement.format = 'Values';
    // Rows are data, not schema: skip them by tokens so `;` inside strings still cannot split.
    while (!p.atEndOfStatement()) p.next();
  } else if (p.acceptWord('FORMAT')) {
    statement.format = p.identifier('a format name').name;
    // The rows follow inline, unless they come from the file.
    if (!infile) while (!p.atEndOfStatement()) p.next();
  } else if (isSelectStart(p)) {
    statement.select = parseSelectQuery(p, INSERTED);
    // `INSERT INTO t SELECT ... FROM input() FORMAT CSV <data>`: with the function `input` in the
    // query (the name exactly, as ClickHouse's AST compares it), the rest of the statement is data.
    // The rows are then the statement's own, as after INSERT ... FORMAT f (and as there, not in the tree).
    if (statement.select.format && readsInput(statement.select) && !p.atEndOfStatement()) {
      statement.format = statement.select.format.name;
      while (!p.atEndOfStatement()) p.next();
    }
  } else p.fail('Expected VALUES, FORMAT or SELECT');
  statement.end = p.lastEnd;
  return statement;
}

const INSERTED: SelectQueryOptions = { insert: true };

/** Whether a query calls the function `input` (spelled so: `INPUT()` does not count), anywhere in it. */
function readsInput(query: SelectQuery): boolean {
  let found = false;
  forEachDescendant(query, (node) => {
    if (node.kind === 'FunctionCall' && node.name.name === 'input') found = true;
    return !found;
  });
  return found;
}

function parseDelete(p: Parser): DeleteStatement {
  const start = p.startAt(p.next());
  p.expectWord('FROM');
  const table = p.qualifiedName();
  const cluster = p.onCluster();
  const partition = parseInPartition(p);
  const statement: DeleteStatement = { kind: 'Delete', table, where: parseMutationWhere(p), start, end: p.lastEnd };
  if (cluster) statement.onCluster = cluster;
  if (partition) statement.partition = partition;
  // Query-level settings (`SETTINGS mutations_sync = 2`); a lightweight DELETE takes no FORMAT.
  if (p.acceptWord('SETTINGS')) {
    statement.querySettings = parseSettingList(p, { valueRequired: false });
    statement.end = p.lastEnd;
  }
  return statement;
}

/** Lightweight `UPDATE t [ON CLUSTER c] SET a = 1, ... [IN PARTITION p] WHERE cond`: the body of ALTER ... UPDATE. */
function parseUpdate(p: Parser): UpdateStatement {
  const start = p.startAt(p.next());
  const table = p.qualifiedName();
  const cluster = p.onCluster();
  p.expectWord('SET');
  const { assignments, partition, where } = parseAlterUpdate(p, start);
  const statement: UpdateStatement = { kind: 'Update', table, assignments, where, start, end: p.lastEnd };
  if (cluster) statement.onCluster = cluster;
  if (partition) statement.partition = partition;
  return statement;
}
