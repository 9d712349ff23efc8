import type { OtherStatement } from './ast.js';
import { parseArgumentList, parseExpression } from './expressions.js';
import type { Parser } from './parser.js';
import { parsePartitionSpec, parsePartSpec } from './partition.js';
import { isSelectStart, parseIntoOutfile, parseSelectQuery, parseTableExpression, parseTableFunction } from './select.js';
import { parseSettingList } from './settings.js';
import { parseStatementAt } from './statements.js';

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
  const start = p.token.start;
  const keyword = parseByFirstWord(p);
  return { kind: 'Other', keyword, start, end: p.lastEnd };
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
function wordsFrom(p: Parser, from: number): string {
  return p.wordsBetween(from, p.index).join(' ');
}

/** Consumes the words of the first entry that is next; returns it, or undefined. */
function acceptOneOf(p: Parser, entries: readonly string[]): string | undefined {
  return entries.find((entry) => p.acceptWords(...entry.split(' ')));
}

function skipToEnd(p: Parser): void {
  while (!p.atEndOfStatement()) p.next();
}

/** `ON CLUSTER name`; after ON, ClickHouse requires CLUSTER. */
function acceptOnCluster(p: Parser): boolean {
  if (!p.acceptWord('ON')) return false;
  p.expectWord('CLUSTER');
  p.identifierOrString('a cluster name');
  return true;
}

/**
 * The tail ClickHouse allows after a query with output (SHOW, EXPLAIN, DESCRIBE, EXISTS, KILL,
 * CHECK, WATCH): `[INTO OUTFILE 'f' ...] [FORMAT name] [SETTINGS name = value, ...]`.
 */
function parseOutputClauses(p: Parser): void {
  if (p.acceptWords('INTO', 'OUTFILE')) parseIntoOutfile(p);
  if (p.acceptWord('FORMAT')) p.identifier('a format name');
  if (p.acceptWord('SETTINGS')) parseSettingList(p);
}

// ---------------------------------------------------------------- SYSTEM

/** Parses what follows a SYSTEM command's words. */
type SystemArguments = (p: Parser) => void;

/** `[ON CLUSTER c]` only: the form of most commands. */
const clusterOnly: SystemArguments = (p) => void acceptOnCluster(p);

const noArguments: SystemArguments = () => undefined;

/** `[ON CLUSTER c] [db.]table`: the cluster comes before the table, never after. */
const clusterThenTable: SystemArguments = (p) => {
  acceptOnCluster(p);
  p.qualifiedName();
};

/** `[ON CLUSTER c] [[db.]table]`. */
const clusterThenOptionalTable: SystemArguments = (p) => {
  acceptOnCluster(p);
  if (p.isIdentifierToken()) p.qualifiedName();
};

/** `[db.]table` with no ON CLUSTER at all (the view commands). */
const tableOnly: SystemArguments = (p) => void p.qualifiedName('a view name');

/**
 * ClickHouse's `parseQueryWithOnClusterAndMaybeTable`: ON CLUSTER may come before or after the
 * table, and RELOAD DICTIONARY also takes the name as a string.
 */
function tableWithClusterAnywhere(options: { required: boolean; string: boolean }): SystemArguments {
  return (p) => {
    const clusterFirst = acceptOnCluster(p);
    if (options.string && (p.at('String') || p.at('Heredoc'))) p.next();
    else if (p.isIdentifierToken()) p.qualifiedName();
    else if (options.required) p.fail('Expected a table name');
    if (!clusterFirst) acceptOnCluster(p);
  };
}

/** A disk, model or function name, as an identifier or a string, with ON CLUSTER before or after. */
const targetWithClusterAnywhere: SystemArguments = (p) => {
  const clusterFirst = acceptOnCluster(p);
  p.identifierOrString('a name');
  if (!clusterFirst) acceptOnCluster(p);
};

/** `[ON CLUSTER c] database`. */
const clusterThenDatabase: SystemArguments = (p) => {
  acceptOnCluster(p);
  p.identifier('a database name');
};

/** `STOP|START MERGES [ON CLUSTER c] [ON VOLUME policy.volume | [db.]table]`: the volume is two identifiers, never a string. */
const merges: SystemArguments = (p) => {
  if (!p.atWords('ON', 'VOLUME')) acceptOnCluster(p);
  if (p.acceptWords('ON', 'VOLUME')) {
    p.identifier('a storage policy name');
    p.expect('Dot', '`.` between the storage policy and the volume');
    p.identifier('a volume name');
  } else if (p.isIdentifierToken()) p.qualifiedName();
};

/** `FLUSH LOGS|ASYNC INSERT QUEUE [ON CLUSTER c] [[db.]log, ...]`. */
const flushLogs: SystemArguments = (p) => {
  acceptOnCluster(p);
  if (!p.isIdentifierToken()) return;
  do p.qualifiedName('a log table name');
  while (p.accept('Comma'));
};

const syncReplica: SystemArguments = (p) => {
  clusterThenTable(p);
  p.acceptWords('IF', 'EXISTS');
  if (p.acceptWord('LIGHTWEIGHT')) {
    if (p.acceptWord('FROM')) {
      do p.stringLiteral('a replica name');
      while (p.accept('Comma'));
    }
  } else if (!p.acceptWord('STRICT')) p.acceptWord('PULL');
};

/** `DROP [DATABASE] REPLICA [ON CLUSTER c] 'name' [FROM SHARD 's'] [FROM DATABASE db | FROM TABLE [t] | FROM ZKPATH 'path']`. */
function dropReplica(options: { database: boolean }): SystemArguments {
  return (p) => {
    acceptOnCluster(p);
    p.stringLiteral('a replica name');
    if (p.acceptWords('FROM', 'SHARD')) p.stringLiteral('a shard name');
    if (!p.acceptWord('FROM')) return;
    if (p.acceptWord('DATABASE')) p.identifier('a database name');
    // ClickHouse accepts `FROM TABLE` with the table left out.
    else if (!options.database && p.acceptWord('TABLE')) clusterThenOptionalTable(p);
    else if (p.acceptWord('ZKPATH')) p.stringLiteral('a ZooKeeper path');
    else p.fail(options.database ? 'Expected DATABASE or ZKPATH after FROM' : 'Expected DATABASE, TABLE or ZKPATH after FROM');
    if (options.database) p.acceptWords('WITH', 'TABLES');
  };
}

/** Server types of START|STOP LISTEN, longest first. */
const SERVER_TYPES = [
  'TCP WITH PROXY',
  'TCP SECURE',
  'TCP SSH',
  'TCP',
  'HTTPS',
  'HTTP',
  'MYSQL',
  'GRPC',
  'ARROW FLIGHT',
  'POSTGRESQL',
  'PROMETHEUS',
  'CUSTOM',
  'INTERSERVER HTTPS',
  'INTERSERVER HTTP',
  'QUERIES ALL',
  'QUERIES DEFAULT',
  'QUERIES CUSTOM',
  'CLOUD',
];

const listen: SystemArguments = (p) => {
  acceptOnCluster(p);
  const serverType = (): string => {
    const type = acceptOneOf(p, SERVER_TYPES) ?? p.fail('Expected a server type such as TCP, HTTP, MYSQL or QUERIES ALL');
    if (type === 'CUSTOM') p.stringLiteral('a custom protocol name');
    return type;
  };
  // Only the QUERIES groups can exclude protocols.
  if (serverType().startsWith('QUERIES') && p.acceptWord('EXCEPT')) {
    do serverType();
    while (p.accept('Comma'));
  }
};

const SYSTEM_COMMANDS = new Map<string, SystemArguments>();

function defineSystemCommands(commands: string, parse: SystemArguments): void {
  for (const command of commands.split('|')) SYSTEM_COMMANDS.set(command, parse);
}

/** Caches whose CLEAR (or older DROP) command takes only ON CLUSTER. */
const PLAIN_CACHES =
  'DNS|CONNECTIONS|MARK|PRIMARY INDEX|UNCOMPRESSED|INDEX MARK|INDEX UNCOMPRESSED|VECTOR SIMILARITY INDEX|TEXT INDEX TOKENS|TEXT INDEX HEADER|' +
  'TEXT INDEX POSTINGS|MMAP|QUERY CONDITION|ENCRYPTION HEADERS|COMPILED EXPRESSION|ICEBERG METADATA|PAIMON METADATA|PARQUET METADATA|' +
  'POINT IN POLYGON|PAGE|AVRO SCHEMA|S3 CLIENT';

// The command list of ClickHouse 26.7's ParserSystemQuery (`SYSTEM 1` lists every one of them).
defineSystemCommands(
  'SHUTDOWN|KILL|RESTART REPLICAS|JEMALLOC PURGE|JEMALLOC ENABLE PROFILE|JEMALLOC DISABLE PROFILE|JEMALLOC FLUSH PROFILE|' +
    'SYNC TRANSACTION LOG|SYNC FILE CACHE|REPLICA READY|REPLICA UNREADY|RELOAD DICTIONARIES|UNLOAD DICTIONARIES|RELOAD MODELS|' +
    'RELOAD FUNCTIONS|RELOAD EMBEDDED DICTIONARIES|RELOAD CONFIG|RELOAD USERS|RELOAD ASYNCHRONOUS METRICS|STOP REPLICATED DDL QUERIES|' +
    'START REPLICATED DDL QUERIES|START THREAD FUZZER|STOP THREAD FUZZER|RESET COVERAGE|RECONNECT ZOOKEEPER|INSTRUMENT ADD|' +
    'INSTRUMENT REMOVE|RESET DDL WORKER|CLEAR TEXT INDEX CACHES|DROP TEXT INDEX CACHES',
  clusterOnly,
);
for (const verb of ['CLEAR', 'DROP']) {
  defineSystemCommands(
    PLAIN_CACHES.split('|')
      .map((cache) => `${verb} ${cache} CACHE`)
      .join('|'),
    clusterOnly,
  );
  defineSystemCommands(`${verb} DISK METADATA CACHE`, targetWithClusterAnywhere);
  defineSystemCommands(`${verb} QUERY CACHE`, (p) => {
    if (p.acceptWord('TAG')) p.stringLiteral('a query cache tag');
    acceptOnCluster(p);
  });
  defineSystemCommands(`${verb} FILESYSTEM CACHE`, (p) => {
    if (p.at('String') && p.stringLiteral() && p.acceptWord('KEY')) {
      p.identifier('a cache key');
      if (p.acceptWord('OFFSET')) p.numberLiteral('an offset');
    }
    acceptOnCluster(p);
  });
  defineSystemCommands(`${verb} DISTRIBUTED CACHE`, (p) => {
    if (!p.acceptWord('CONNECTIONS') && p.at('String')) p.next();
    acceptOnCluster(p);
  });
  defineSystemCommands(`${verb} SCHEMA CACHE`, (p) => {
    if (p.acceptWord('FOR') && !acceptOneOf(p, ['FILE', 'S3', 'HDFS', 'URL', 'AZURE'])) p.fail('Expected FILE, S3, HDFS, URL or AZURE');
  });
  defineSystemCommands(`${verb} FORMAT SCHEMA CACHE`, (p) => {
    if (p.acceptWord('FOR') && !acceptOneOf(p, ['PROTOBUF', 'FILES'])) p.fail('Expected PROTOBUF or FILES');
  });
}
defineSystemCommands('SYNC FILESYSTEM CACHE', (p) => {
  if (p.at('String')) p.next();
  acceptOnCluster(p);
});
defineSystemCommands('RELOAD DICTIONARY|UNLOAD DICTIONARY', tableWithClusterAnywhere({ required: true, string: true }));
defineSystemCommands('RELOAD MODEL|RELOAD FUNCTION|RESTART DISK|WAIT BLOBS CLEANUP', targetWithClusterAnywhere);
defineSystemCommands('RESTART REPLICA|WAIT LOADING PARTS|WAIT QUERY RUNNER|PREWARM MARK CACHE|PREWARM PRIMARY INDEX CACHE', clusterThenTable);
defineSystemCommands('SYNC REPLICA', syncReplica);
defineSystemCommands('SYNC DATABASE REPLICA', (p) => {
  clusterThenDatabase(p);
  p.acceptWord('STRICT');
});
defineSystemCommands('RESTORE DATABASE REPLICA', clusterThenDatabase);
defineSystemCommands('RESTORE REPLICA', tableWithClusterAnywhere({ required: true, string: false }));
defineSystemCommands('FLUSH DISTRIBUTED', (p) => {
  tableWithClusterAnywhere({ required: true, string: false })(p);
  if (p.acceptWord('SETTINGS')) parseSettingList(p);
});
defineSystemCommands('FLUSH OBJECT STORAGE QUEUE', (p) => {
  tableWithClusterAnywhere({ required: true, string: false })(p);
  p.expectWord('PATH');
  p.stringLiteral('a queue path');
});
defineSystemCommands('FLUSH LOGS|FLUSH ASYNC INSERT QUEUE', flushLogs);
defineSystemCommands(
  'STOP DISTRIBUTED SENDS|START DISTRIBUTED SENDS|LOAD PRIMARY KEY|UNLOAD PRIMARY KEY',
  tableWithClusterAnywhere({ required: false, string: false }),
);
defineSystemCommands('STOP MERGES|START MERGES', merges);
defineSystemCommands(
  [
    'TTL MERGES',
    'MOVES',
    'FETCHES',
    'REPLICATED SENDS',
    'REPLICATION QUEUES',
    'PULLING REPLICATION LOG',
    'CLEANUP',
    'VIRTUAL PARTS UPDATE',
    'REDUCE BLOCKING PARTS',
  ]
    .flatMap((what) => [`STOP ${what}`, `START ${what}`])
    .concat('SYNC MERGES')
    .join('|'),
  clusterThenOptionalTable,
);
defineSystemCommands('SCHEDULE MERGE', (p) => {
  clusterThenTable(p);
  p.expectWord('PARTS');
  do p.stringLiteral('a part name');
  while (p.accept('Comma'));
});
// Bare STOP, START, PAUSE, CANCEL and REFRESH take a table: `SYSTEM STOP MERGEZ` stops the table MERGEZ.
defineSystemCommands(
  'REFRESH VIEW|WAIT VIEW|START VIEW|STOP VIEW|PAUSE VIEW|CANCEL VIEW|START REPLICATED VIEW|STOP REPLICATED VIEW|STOP|START|PAUSE|CANCEL|REFRESH',
  tableOnly,
);
defineSystemCommands(
  'START VIEWS|STOP VIEWS|PAUSE VIEWS|FREE MEMORY|STOP ALL BACKGROUND|START ALL BACKGROUND|PAUSE ALL BACKGROUND|CANCEL ALL BACKGROUND|REFRESH ALL BACKGROUND',
  noArguments,
);
defineSystemCommands('TEST VIEW', (p) => {
  p.qualifiedName('a view name');
  if (p.acceptWords('UNSET', 'FAKE', 'TIME')) return;
  p.expectWord('SET', 'FAKE', 'TIME');
  p.stringLiteral('a time string');
});
defineSystemCommands('SUSPEND', (p) => {
  acceptOnCluster(p);
  p.expectWord('FOR');
  p.numberLiteral('a number of seconds');
  // SECOND, not SECONDS, as in ClickHouse's INTERVAL.
  p.expectWord('SECOND');
});
defineSystemCommands('UNFREEZE', (p) => {
  p.expectWord('WITH', 'NAME');
  p.stringLiteral('a backup name');
});
defineSystemCommands('UNLOCK SNAPSHOT', (p) => {
  p.stringLiteral('a snapshot name');
  if (!p.acceptWord('FROM')) return;
  p.identifier('a backup engine');
  if (p.at('LParen')) parseArgumentList(p);
});
defineSystemCommands('START LISTEN|STOP LISTEN', listen);
defineSystemCommands('DROP REPLICA', dropReplica({ database: false }));
defineSystemCommands('DROP DATABASE REPLICA', dropReplica({ database: true }));
defineSystemCommands('DROP CATALOG REPLICA', (p) => void p.stringLiteral('a replica name'));
defineSystemCommands('ALLOCATE MEMORY', (p) => void p.numberLiteral('a number of bytes'));
defineSystemCommands('ENABLE FAILPOINT|DISABLE FAILPOINT|NOTIFY FAILPOINT', (p) => void p.identifier('a failpoint name'));
defineSystemCommands('WAIT FAILPOINT', (p) => {
  p.identifier('a failpoint name');
  if (!p.acceptWord('PAUSE')) p.acceptWord('RESUME');
});
defineSystemCommands('RELOAD DELTA KERNEL TRACING', (p) => void p.identifier('a tracing level'));
defineSystemCommands('SET COVERAGE TEST', (p) => {
  if (p.at('String')) p.next();
});

/** Commands by first word, longest first, so `STOP MERGES` wins over the bare `STOP`. */
const SYSTEM_COMMANDS_BY_WORD = new Map<string, string[][]>();
for (const command of SYSTEM_COMMANDS.keys()) {
  const words = command.split(' ');
  const list = SYSTEM_COMMANDS_BY_WORD.get(words[0]) ?? [];
  list.push(words);
  list.sort((a, b) => b.length - a.length);
  SYSTEM_COMMANDS_BY_WORD.set(words[0], list);
}

/** `SYSTEM command arguments`: ON CLUSTER goes after the command (`SYSTEM ON CLUSTER c FLUSH LOGS` is an error). */
function parseSystem(p: Parser): string {
  const first = p.index;
  p.expectWord('SYSTEM');
  const candidates = SYSTEM_COMMANDS_BY_WORD.get(p.word()) ?? [];
  const words = candidates.find((command) => p.atWords(...command));
  if (!words) return failUnknownCommand(p, candidates);
  p.index += words.length;
  const keyword = wordsFrom(p, first);
  SYSTEM_COMMANDS.get(words.join(' '))?.(p);
  return keyword;
}

/** Reports an unknown command where the words stop matching any command, as ClickHouse does. */
function failUnknownCommand(p: Parser, candidates: string[][]): never {
  const help = 'Check the command against the SYSTEM statement reference: https://clickhouse.com/docs/sql-reference/statements/system';
  if (candidates.length === 0) return p.fail('Expected a SYSTEM command such as FLUSH LOGS, RELOAD DICTIONARY or STOP MERGES', help);
  let matched = 0;
  for (const command of candidates) {
    let n = 0;
    while (n < command.length && p.word(n) === command[n]) n++;
    matched = Math.max(matched, n);
  }
  const next = [...new Set(candidates.filter((c) => c.length > matched).map((c) => c[matched]))].sort();
  const prefix = p.wordsBetween(p.index, p.index + matched).join(' ');
  return p.fail(`Expected ${next.join(', ')} after SYSTEM ${prefix}`, help, p.peek(matched));
}

// ---------------------------------------------------------------- EXPLAIN

const EXPLAIN_KINDS = ['AST', 'SYNTAX', 'QUERY TREE', 'PIPELINE', 'PLAN', 'ESTIMATE', 'TABLE OVERRIDE', 'CURRENT TRANSACTION', 'ANALYZE', 'WHATIF'];

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
    p.isIdentifierToken() && (p.at('Equals', 1) || p.at('Dot', 1) || (kind !== 'AST' && kind !== 'TABLE OVERRIDE' && !EXPLAINABLE_WORDS.has(p.word())));
  if (isSetting && STATEMENT_WORDS.has(p.word()) && !p.at('Equals', 1)) {
    // Where ClickHouse stops too: it read the word as a setting name and wanted `=` next.
    p.fail(
      `Expected SELECT, INSERT, CREATE TABLE or SYSTEM: EXPLAIN ${kind ?? ''} does not take ${p.word()}`.replace('  ', ' '),
      'Use EXPLAIN AST for other statements.',
      p.peek(),
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
    if (!p.atWord('TABLE', i)) p.fail('Expected TABLE: EXPLAIN takes CREATE TABLE, not other CREATE statements', undefined, p.peek(i));
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
    const kind = p.peek(i).kind;
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
    else if (p.atWord('PART')) parsePartSpec(p);
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
    while (p.at('Comma') && !BACKUP_ELEMENT_WORDS.has(p.word(1)) && p.next());
  }
}

/** `TABLES|DATABASES name, ...` after EXCEPT. */
function parseExceptList(p: Parser): void {
  if (!acceptOneOf(p, ['TABLES', 'TABLE', 'DATABASES', 'DATABASE'])) p.fail('Expected TABLES or DATABASES after EXCEPT');
  do p.qualifiedName();
  while (p.at('Comma') && !BACKUP_ELEMENT_WORDS.has(p.word(1)) && p.next());
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
  if (p.atWord('ROLE') && (p.at('Equals', 1) || p.peek(1).kind === 'Semicolon' || p.peek(1).kind === 'EndOfInput')) {
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
