import { parseRoleSet } from './accessNames.js';
import type { CreateAccessEntityStatement, OtherStatement } from './ast.js';
import { parseArgumentList, parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { parsePartitionSpec, parsePartSpec } from './partition.js';
import { EXPLAIN_KINDS, isSelectStart, parseIntoOutfile, parseSelectQuery, parseTableExpression, parseTableFunction } from './select.js';
import { parseSettingList } from './settings.js';
import { parseStatementAt } from './statements.js';
import { parseSystem } from './system.js';

/**
 * Statements ClickHouse knows that ClickPlan does not model: SHOW, EXPLAIN, DESCRIBE, EXISTS,
 * KILL, CHECK, SYSTEM, WATCH, BACKUP, RESTORE, MOVE, transaction control, SET ROLE, SET DEFAULT
 * ROLE and SET TRANSACTION SNAPSHOT. Each gets a light grammar, checked against ClickHouse 26.7,
 * so a typo is a syntax error on the line where ClickHouse reports it; the node keeps only the
 * command's leading words (`SYSTEM FLUSH LOGS`, `KILL QUERY`). Called at the first word.
 *
 * ClickHouse's own implicit SELECT (`SHOW TABLEZ` read as `SELECT SHOW AS TABLEZ`) is not
 * followed: it is off by default on a server (`implicit_select = 0`) and on in chDB.
 */
export function parseOtherStatement(p: Parser): OtherStatement {
  const start = p.tokenStart;
  if (p.atWords('SET', 'DEFAULT', 'ROLE')) return parseSetDefaultRole(p, start);
  const keyword = parseByFirstWord(p);
  return { kind: 'Other', keyword, start, end: p.lastEnd };
}

/**
 * `SET DEFAULT ROLE {NONE | ALL [EXCEPT r, ...] | r, ...} TO user, ...`, kept as the alteration it
 * is: `ALTER USER user, ... DEFAULT ROLE ...`.
 */
function parseSetDefaultRole(p: Parser, start: number): OtherStatement {
  p.index += 2; // SET DEFAULT
  const clauseStart = p.tokenStart;
  p.expectWord('ROLE');
  if (p.atEndOfStatement()) p.fail('Expected a role name, NONE, ALL or DEFAULT');
  while (!p.atWord('TO')) {
    if (p.atEndOfStatement()) p.fail('Expected TO and the users whose default roles to set');
    p.next();
  }
  const clauseEnd = p.lastEnd;
  p.next();
  if (p.atEndOfStatement()) p.fail('Expected a user name');
  const users = parseRoleSet(p, { allowCurrentUser: true }).names;
  skipToEnd(p);
  const clause = { keyword: 'DEFAULT ROLE', start: clauseStart, end: clauseEnd, text: `DEFAULT ${p.source.slice(clauseStart, clauseEnd)}` };
  const alteration: CreateAccessEntityStatement = {
    kind: 'CreateAccessEntity',
    verb: 'CREATE',
    orReplace: false,
    ifNotExists: false,
    entity: 'USER',
    names: users,
    clauses: [clause],
    start,
    end: p.lastEnd,
  };
  return { kind: 'Other', keyword: 'SET DEFAULT ROLE', start, end: p.lastEnd, alteration };
}

function parseByFirstWord(p: Parser): string {
  switch (p.word()) {
    case 'SYSTEM':
      return parseSystem(p);
    case 'EXPLAIN':
      return parseExplain(p);
    case 'SHOW':
      return parseShow(p);
    case 'DESCRIBE':
    case 'DESC':
      return parseDescribe(p);
    case 'EXISTS':
      return parseExists(p);
    case 'KILL':
      return parseKill(p);
    case 'CHECK':
      return parseCheck(p);
    case 'WATCH':
      return parseWatch(p);
    case 'BACKUP':
    case 'RESTORE':
      return parseBackup(p);
    case 'MOVE':
      return parseMove(p);
    case 'SET':
      return parseSetRoleOrSnapshot(p);
    case 'BEGIN':
    case 'START':
      p.next();
      p.expectWord('TRANSACTION');
      return wordsFrom(p, p.index - 2);
    case 'COMMIT':
    case 'ROLLBACK':
      p.next();
      return wordsFrom(p, p.index - 1);
  }
  return p.fail('Expected a statement such as CREATE, ALTER, DROP, INSERT or SELECT');
}

/** The upper-cased words from token `from` up to the current token, joined by a space. */
export function wordsFrom(p: Parser, from: number): string {
  return p.wordsBetween(from, p.index).join(' ');
}

/** Consumes the words of the first entry that is next; returns it, or undefined. */
export function acceptOneOf(p: Parser, entries: readonly string[]): string | undefined {
  return entries.find((entry) => p.acceptWordList(entry.split(' ')));
}

export function skipToEnd(p: Parser): void {
  while (!p.atEndOfStatement()) p.next();
}

/** `ON CLUSTER name`; after ON, ClickHouse requires CLUSTER. */
export function acceptOnCluster(p: Parser): boolean {
  if (!p.acceptWord('ON')) return false;
  p.expectWord('CLUSTER');
  p.identifierOrString('a cluster name');
  return true;
}

/**
 * The tail ClickHouse allows after a query with output (SHOW, EXPLAIN, DESCRIBE, EXISTS, KILL,
 * CHECK, WATCH): `[INTO OUTFILE 'f' ...] [FORMAT name] [SETTINGS name = value, ...]`.
 */
export function parseOutputClauses(p: Parser): void {
  if (p.acceptWords('INTO', 'OUTFILE')) parseIntoOutfile(p);
  if (p.acceptWord('FORMAT')) p.identifier('a format name');
  if (p.acceptWord('SETTINGS')) parseSettingList(p);
}

// ---------------------------------------------------------------- EXPLAIN

/** First words of statements that EXPLAIN (but EXPLAIN AST) cannot explain. */
const STATEMENT_WORDS = new Set([
  'ALTER',
  'DROP',
  'DETACH',
  'RENAME',
  'EXCHANGE',
  'TRUNCATE',
  'OPTIMIZE',
  'DELETE',
  'UPDATE',
  'GRANT',
  'REVOKE',
  'USE',
  'SET',
  'SHOW',
  'DESCRIBE',
  'DESC',
  'EXISTS',
  'KILL',
  'CHECK',
  'EXPLAIN',
  'BACKUP',
  'RESTORE',
  'UNDROP',
]);

/** Words that start the statement EXPLAIN explains (every kind but AST, QUERY TREE, TABLE OVERRIDE). */
const EXPLAINABLE_WORDS = new Set(['SELECT', 'WITH', 'CREATE', 'ATTACH', 'REPLACE', 'INSERT', 'SYSTEM']);

/**
 * `EXPLAIN [kind] [setting = value, ...] statement`. EXPLAIN AST takes any statement, optionally in
 * parentheses; QUERY TREE only a query; the other kinds a query, CREATE TABLE, INSERT or SYSTEM.
 */
function parseExplain(p: Parser): string {
  const first = p.index;
  p.expectWord('EXPLAIN');
  const kind = acceptOneOf(p, EXPLAIN_KINDS);
  const keyword = wordsFrom(p, first);
  if (kind === 'CURRENT TRANSACTION') {
    if (p.at('Equals', 1)) parseSettingList(p);
    parseOutputClauses(p);
    return keyword;
  }
  // A word that cannot start the explained statement is read as a setting, so `EXPLAIN PLANS SELECT`
  // fails where ClickHouse's does: at SELECT, where `=` should be.
  const isSetting =
    p.atIdentifier() && (p.at('Equals', 1) || p.at('Dot', 1) || (kind !== 'AST' && kind !== 'TABLE OVERRIDE' && !EXPLAINABLE_WORDS.has(p.word())));
  if (isSetting && STATEMENT_WORDS.has(p.word()) && !p.at('Equals', 1)) {
    // Where ClickHouse stops too: it read the word as a setting name and wanted `=` next.
    p.fail(
      `Expected SELECT, INSERT, CREATE TABLE or SYSTEM: EXPLAIN ${kind ?? ''} does not take ${p.word()}`.replace('  ', ' '),
      'Use EXPLAIN AST for other statements.',
      p.index + 1,
    );
  }
  if (isSetting) parseExplainSettings(p);
  if (kind === 'AST') parseExplainedAnything(p);
  else if (kind === 'TABLE OVERRIDE') {
    parseTableFunction(p);
    // The override itself (`PARTITION BY ...`, `COLUMNS (...)`) is not checked.
    skipToEnd(p);
  } else if (kind === 'QUERY TREE' || isSelectStart(p)) parseSelectQuery(p);
  else parseExplainedStatement(p);
  parseOutputClauses(p);
  return keyword;
}

/** `name = value, ...`, where a name may be dotted. */
function parseExplainSettings(p: Parser): void {
  do {
    p.identifier('a setting name');
    while (p.accept('Dot')) p.identifier('a setting name');
    p.expect('Equals', '`=` and a value');
    parseExpression(p);
  } while (p.accept('Comma'));
}

function parseExplainedAnything(p: Parser): void {
  if (p.at('LParen') && !isSelectStart(p)) {
    p.next();
    parseStatementAt(p);
    p.expect('RParen');
    return;
  }
  parseStatementAt(p);
}

/** CREATE TABLE (not VIEW or DATABASE), INSERT or SYSTEM. */
function parseExplainedStatement(p: Parser): void {
  const word = p.word();
  if (word === 'SYSTEM') {
    parseSystem(p);
    return;
  }
  if (word === 'CREATE' || word === 'ATTACH' || word === 'REPLACE') {
    let i = 1;
    if (p.atWord('OR', i) && p.atWord('REPLACE', i + 1)) i += 2;
    if (p.atWord('TEMPORARY', i)) i++;
    if (!p.atWord('TABLE', i)) p.fail('Expected TABLE: EXPLAIN takes CREATE TABLE, not other CREATE statements', undefined, p.index + i);
  } else if (word !== 'INSERT') p.fail('Expected a SELECT, INSERT, CREATE TABLE or SYSTEM statement to explain');
  parseStatementAt(p);
}

// ---------------------------------------------------------------- SHOW

/** SHOW commands about access entities: they take at most ON (policies) or FOR (grants), kept as tokens. */
const SHOW_ACCESS_LISTS = [
  'ACCESS',
  'PRIVILEGES',
  'GRANTS',
  'USERS',
  'ROLES',
  'CURRENT ROLES',
  'ENABLED ROLES',
  'SETTINGS PROFILES',
  'PROFILES',
  'ROW POLICIES',
  'POLICIES',
  'MASKING POLICIES',
  'QUOTAS',
  'CURRENT QUOTA',
  'QUOTA',
];

/** What may follow `SHOW [FULL]`. */
const SHOW_FULL_LISTS = [
  'DATABASES',
  'CLUSTERS',
  'MERGES',
  'FILESYSTEM CACHES',
  'CLUSTER',
  'CHANGED SETTINGS',
  'SETTINGS',
  'TEMPORARY TABLES',
  'TEMPORARY DICTIONARIES',
  'TABLES',
  'DICTIONARIES',
  'COLUMNS',
  'FIELDS',
];

const SHOW_INDEX_WORDS = ['INDEX', 'INDEXES', 'INDICES', 'KEYS'];

const ACCESS_ENTITY_WORDS = new Set([
  'USER',
  'USERS',
  'ROLE',
  'ROLES',
  'SETTINGS',
  'PROFILE',
  'PROFILES',
  'ROW',
  'POLICY',
  'POLICIES',
  'QUOTA',
  'QUOTAS',
  'MASKING',
]);

function parseShow(p: Parser): string {
  const first = p.index;
  p.expectWord('SHOW');
  const objectWords = ['TABLE', 'DICTIONARY', 'VIEW', 'DATABASE'];
  if (p.atWord('CREATE') || (objectWords.includes(p.word()) && !p.at('Equals', 1))) return parseShowCreate(p, first);
  if (p.atWord('TEMPORARY') && objectWords.includes(p.word(1))) return parseShowCreate(p, first);
  const list = acceptOneOf(p, SHOW_ACCESS_LISTS);
  if (list) {
    const keyword = wordsFrom(p, first);
    if (list === 'GRANTS' || list.endsWith('POLICIES')) {
      if (list === 'GRANTS' && p.acceptWord('FOR') && p.atEndOfStatement()) p.fail('Expected a user or role name after FOR');
      skipToEnd(p);
    }
    parseOutputClauses(p);
    return keyword;
  }
  let what: string | undefined;
  if (p.acceptWord('EXTENDED'))
    what = p.acceptWord('FULL') ? acceptOneOf(p, ['COLUMNS', 'FIELDS']) : acceptOneOf(p, ['FULL', 'COLUMNS', 'FIELDS', ...SHOW_INDEX_WORDS]);
  else if (p.acceptWord('FULL')) what = acceptOneOf(p, SHOW_FULL_LISTS);
  else what = acceptOneOf(p, [...SHOW_FULL_LISTS, 'ENGINES', 'FUNCTIONS', ...SHOW_INDEX_WORDS, 'SETTING', 'PROCESSLIST']);
  if (what === 'FULL') what = acceptOneOf(p, ['COLUMNS', 'FIELDS']);
  if (!what) return p.fail('Expected TABLES, DATABASES, CREATE, COLUMNS, SETTINGS, GRANTS or another SHOW command');
  const keyword = wordsFrom(p, first);
  switch (what) {
    case 'TABLES':
    case 'TEMPORARY TABLES':
    case 'TEMPORARY DICTIONARIES':
    case 'DICTIONARIES':
      if (p.acceptWord('FROM') || p.acceptWord('IN')) p.identifier('a database name');
      if (!parseLike(p) && p.acceptWord('WHERE')) parseExpression(p);
      parseLimit(p);
      break;
    case 'COLUMNS':
    case 'FIELDS':
    case 'INDEX':
    case 'INDEXES':
    case 'INDICES':
    case 'KEYS': {
      if (!p.acceptWord('FROM')) p.expectWord('IN');
      p.qualifiedName();
      if (p.acceptWord('FROM') || p.acceptWord('IN')) p.identifier('a database name');
      // Indexes are filtered by WHERE only; columns by LIKE or WHERE, then LIMIT.
      const isColumns = what === 'COLUMNS' || what === 'FIELDS';
      if (!(isColumns && parseLike(p)) && p.acceptWord('WHERE')) parseExpression(p);
      if (isColumns) parseLimit(p);
      break;
    }
    case 'DATABASES':
    case 'CLUSTERS':
    case 'MERGES':
      parseLike(p);
      parseLimit(p);
      break;
    case 'FUNCTIONS':
      if (p.acceptWord('LIKE') || p.acceptWord('ILIKE')) p.stringLiteral('a pattern string');
      break;
    case 'CLUSTER':
      p.identifierOrString('a cluster name');
      break;
    case 'SETTINGS':
    case 'CHANGED SETTINGS':
      if (!parseLike(p)) p.fail('Expected LIKE or ILIKE and a pattern');
      break;
    case 'SETTING':
      p.identifier('a setting name');
      break;
  }
  parseOutputClauses(p);
  return keyword;
}

/** `[NOT] LIKE|ILIKE 'pattern'` when present. */
function parseLike(p: Parser): boolean {
  const not = p.acceptWord('NOT');
  if (!p.acceptWord('LIKE') && !p.acceptWord('ILIKE')) {
    if (not) p.fail('Expected LIKE or ILIKE after NOT');
    return false;
  }
  p.stringLiteral('a pattern string');
  return true;
}

function parseLimit(p: Parser): void {
  if (p.acceptWord('LIMIT')) parseExpression(p);
}

/**
 * `SHOW [CREATE] [TEMPORARY] TABLE|DICTIONARY|VIEW name`, `SHOW [CREATE] DATABASE name`,
 * `SHOW CREATE name`, and `SHOW CREATE USER|ROLE|...` (kept as tokens).
 */
function parseShowCreate(p: Parser, first: number): string {
  const create = p.acceptWord('CREATE');
  if (create && ACCESS_ENTITY_WORDS.has(p.word())) {
    const keyword = acceptOneOf(p, ['SETTINGS PROFILES', 'SETTINGS PROFILE', 'ROW POLICIES', 'ROW POLICY', 'MASKING POLICIES', 'MASKING POLICY'])
      ? wordsFrom(p, first)
      : `${wordsFrom(p, first)} ${p.word()}`;
    skipToEnd(p);
    return keyword;
  }
  p.acceptWord('TEMPORARY');
  const what = acceptOneOf(p, ['DATABASE', 'TABLE', 'DICTIONARY', 'VIEW']);
  const keyword = create && !what ? `${wordsFrom(p, first)} TABLE` : wordsFrom(p, first);
  if (what === 'DATABASE') p.identifier('a database name');
  else p.qualifiedName();
  parseOutputClauses(p);
  return keyword;
}

// ---------------------------------------------------------------- DESCRIBE / EXISTS / KILL / CHECK / WATCH

/** `DESCRIBE [TEMPORARY] [TABLE] table | table function | (subquery) [AS alias] | SELECT ...`, and DESCRIBE FILESYSTEM CACHE. */
function parseDescribe(p: Parser): string {
  const first = p.index;
  p.next();
  if (p.acceptWords('FILESYSTEM', 'CACHE')) {
    p.stringLiteral('a cache name');
  } else {
    // `DESCRIBE TEMPORARY t` describes the table TEMPORARY with the alias t.
    if (!p.acceptWords('TEMPORARY', 'TABLE')) p.acceptWord('TABLE');
    if (isBareQuery(p)) parseSelectQuery(p);
    else parseTableExpression(p);
    if (p.acceptWord('SETTINGS')) parseSettingList(p);
  }
  parseOutputClauses(p);
  return p.wordAt(first);
}

/** `SELECT ...`, or `(SELECT ...) UNION ...`: a query rather than a table expression with an alias. */
function isBareQuery(p: Parser): boolean {
  if (!p.at('LParen')) return isSelectStart(p);
  if (!isSelectStart(p)) return false;
  let depth = 0;
  for (let i = 0; ; i++) {
    const kind = p.kind(i);
    if (kind === 'EndOfInput' || kind === 'Semicolon') return false;
    if (kind === 'LParen') depth++;
    else if (kind === 'RParen' && --depth === 0) return ['UNION', 'INTERSECT', 'EXCEPT'].includes(p.word(i + 1));
  }
}

/** `EXISTS DATABASE name` or `EXISTS [TEMPORARY] [TABLE|DICTIONARY|VIEW] [db.]name`. */
function parseExists(p: Parser): string {
  p.expectWord('EXISTS');
  let what = 'DATABASE';
  if (p.acceptWord('DATABASE')) p.identifier('a database name');
  else {
    p.acceptWord('TEMPORARY');
    what = acceptOneOf(p, ['VIEW', 'TABLE', 'DICTIONARY']) ?? '';
    p.qualifiedName();
  }
  parseOutputClauses(p);
  return what ? `EXISTS ${what}` : 'EXISTS';
}

/** `KILL QUERY|MUTATION|PART_MOVE_TO_SHARD|TRANSACTION [ON CLUSTER c] WHERE expr [SYNC|ASYNC|TEST]`. */
function parseKill(p: Parser): string {
  const first = p.index;
  p.expectWord('KILL');
  if (!acceptOneOf(p, ['QUERY', 'MUTATION', 'PART_MOVE_TO_SHARD', 'TRANSACTION'])) p.fail('Expected QUERY, MUTATION, PART_MOVE_TO_SHARD or TRANSACTION');
  const keyword = wordsFrom(p, first);
  acceptOnCluster(p);
  p.expectWord('WHERE');
  parseExpression(p);
  acceptOneOf(p, ['SYNC', 'ASYNC', 'TEST']);
  parseOutputClauses(p);
  return keyword;
}

/** `CHECK TABLE t [PARTITION p | PART 'name']`, `CHECK ALL TABLES`, `CHECK DATABASE db`, `CHECK GRANT ...`. */
function parseCheck(p: Parser): string {
  const first = p.index;
  p.expectWord('CHECK');
  const what = acceptOneOf(p, ['ALL TABLES', 'TABLE', 'DATABASE', 'GRANT']) ?? p.fail('Expected TABLE, DATABASE, ALL TABLES or GRANT');
  const keyword = wordsFrom(p, first);
  if (what === 'GRANT') {
    // CHECK GRANT takes a privilege list as GRANT does; not checked here.
    skipToEnd(p);
    return keyword;
  }
  if (what === 'DATABASE') p.identifier('a database name');
  if (what === 'TABLE') {
    p.qualifiedName();
    if (p.atWord('PARTITION')) parsePartitionSpec(p);
    else if (p.atWord('PART')) parsePartSpec(p, { parameter: false });
  }
  parseOutputClauses(p);
  return keyword;
}

/** `WATCH [db.]live_view [EVENTS] [LIMIT n]`. */
function parseWatch(p: Parser): string {
  p.expectWord('WATCH');
  p.qualifiedName('a live view name');
  p.acceptWord('EVENTS');
  parseLimit(p);
  parseOutputClauses(p);
  return 'WATCH';
}

// ---------------------------------------------------------------- BACKUP / RESTORE / MOVE / SET ROLE

const BACKUP_ELEMENT_WORDS = new Set(['TABLE', 'DICTIONARY', 'VIEW', 'TEMPORARY', 'DATABASE', 'ALL']);

/**
 * `BACKUP|RESTORE element, ... [ON CLUSTER c] TO|FROM Engine(args) ...`; what follows the backup
 * engine (SETTINGS, ASYNC, PARALLEL WITH) is kept as tokens.
 */
function parseBackup(p: Parser): string {
  const verb = p.word();
  p.next();
  if (verb === 'BACKUP' && p.acceptWords('FROM', 'SNAPSHOT')) parseBackupEngine(p);
  do parseBackupElement(p);
  while (p.accept('Comma'));
  acceptOnCluster(p);
  p.expectWord(verb === 'BACKUP' ? 'TO' : 'FROM');
  parseBackupEngine(p);
  skipToEnd(p);
  return verb;
}

function parseBackupElement(p: Parser): void {
  const what = acceptOneOf(p, ['TABLE', 'DICTIONARY', 'VIEW', 'TEMPORARY TABLE', 'DATABASE', 'ALL']);
  if (!what) p.fail('Expected TABLE, DICTIONARY, VIEW, TEMPORARY TABLE, DATABASE or ALL');
  if (what === 'ALL') {
    while (p.acceptWord('EXCEPT')) parseExceptList(p);
    return;
  }
  if (what === 'DATABASE') {
    p.identifier('a database name');
    if (p.acceptWord('AS')) p.identifier('a database name');
    if (p.acceptWord('EXCEPT')) parseExceptList(p);
    return;
  }
  p.qualifiedName();
  if (p.acceptWord('AS')) p.qualifiedName();
  if (p.acceptWord('PARTITION') || p.acceptWord('PARTITIONS')) {
    do parseExpression(p);
    while (p.at('Comma') && !BACKUP_ELEMENT_WORDS.has(p.word(1)) && p.accept('Comma'));
  }
}

/** `TABLES|DATABASES name, ...` after EXCEPT. */
function parseExceptList(p: Parser): void {
  if (!acceptOneOf(p, ['TABLES', 'TABLE', 'DATABASES', 'DATABASE'])) p.fail('Expected TABLES or DATABASES after EXCEPT');
  do p.qualifiedName();
  while (p.at('Comma') && !BACKUP_ELEMENT_WORDS.has(p.word(1)) && p.accept('Comma'));
}

/** `Disk('backups', 'name.zip')`, `S3(...)`, or a bare engine name. */
function parseBackupEngine(p: Parser): void {
  p.identifier('a backup engine such as Disk or S3');
  if (p.at('LParen')) parseArgumentList(p);
}

/** `MOVE USER|ROLE|... name, ... TO storage`. */
function parseMove(p: Parser): string {
  const first = p.index;
  p.expectWord('MOVE');
  const entity = acceptOneOf(p, ['USER', 'ROLE', 'SETTINGS PROFILE', 'PROFILE', 'ROW POLICY', 'POLICY', 'QUOTA', 'MASKING POLICY']);
  if (!entity) p.fail('Expected USER, ROLE, SETTINGS PROFILE, ROW POLICY, QUOTA or MASKING POLICY');
  const keyword = wordsFrom(p, first);
  if (p.atWord('TO')) p.fail('Expected a name');
  while (!p.atWord('TO')) {
    if (p.atEndOfStatement()) p.fail('Expected TO and an access storage name');
    p.next();
  }
  p.next();
  p.identifierOrString('an access storage name');
  return keyword;
}

/** `SET ROLE ...`, `SET DEFAULT ROLE ... TO ...` and `SET TRANSACTION SNAPSHOT n`. */
function parseSetRoleOrSnapshot(p: Parser): string {
  const first = p.index;
  p.expectWord('SET');
  if (p.acceptWords('TRANSACTION', 'SNAPSHOT')) {
    p.numberLiteral('a snapshot number');
    return 'SET TRANSACTION SNAPSHOT';
  }
  if (p.atWord('ROLE') && (p.at('Equals', 1) || p.kind(1) === 'Semicolon' || p.kind(1) === 'EndOfInput')) {
    // Not SET ROLE but a setting named `role`: ClickHouse reads `SET ROLE` as `SET role = true`.
    parseSettingList(p, { valueRequired: false });
    return 'SET';
  }
  const isDefault = p.acceptWord('DEFAULT');
  p.expectWord('ROLE');
  const keyword = wordsFrom(p, first);
  if (p.atEndOfStatement()) p.fail('Expected a role name, NONE, ALL or DEFAULT');
  if (isDefault) {
    while (!p.atWord('TO')) {
      if (p.atEndOfStatement()) p.fail('Expected TO and the users whose default roles to set');
      p.next();
    }
    p.next();
    if (p.atEndOfStatement()) p.fail('Expected a user name');
  }
  skipToEnd(p);
  return keyword;
}
