// SYSTEM statements: ClickPlan does not model them, but reads them with ClickHouse 26.7's command
// table so that a misspelled command is refused as the server refuses it.
import { parseArgumentList } from './expressions.js';
import { acceptOnCluster, acceptOneOf, wordsFrom } from './other.js';
import type { Parser } from './parser.js';
import { parseSettingList } from './settings.js';

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
  if (p.atName()) p.qualifiedName();
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
    else if (p.atName()) p.qualifiedName();
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
  } else if (p.atName()) p.qualifiedName();
};

/** `FLUSH LOGS|ASYNC INSERT QUEUE [ON CLUSTER c] [[db.]log, ...]`. */
const flushLogs: SystemArguments = (p) => {
  acceptOnCluster(p);
  if (!p.atName()) return;
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
    else if (p.acceptWord('ZKPATH')) {
      const at = p.index;
      // ClickHouse refuses to drop a replica at the root: `''`, `'/'`, `'//'`.
      if (/^\/*$/.test(p.stringLiteral('a ZooKeeper path').value))
        p.fail('Expected a ZooKeeper path below the root', 'Name the path of the table in ZooKeeper, e.g. `/clickhouse/tables/01/t`.', at);
    } else p.fail(options.database ? 'Expected DATABASE or ZKPATH after FROM' : 'Expected DATABASE, TABLE or ZKPATH after FROM');
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
export function parseSystem(p: Parser): string {
  const first = p.index;
  p.expectWord('SYSTEM');
  const candidates = SYSTEM_COMMANDS_BY_WORD.get(p.word()) ?? [];
  const words = candidates.find((command) => p.atWordList(command));
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
  return p.fail(`Expected ${next.join(', ')} after SYSTEM ${prefix}`, help, p.index + matched);
}
