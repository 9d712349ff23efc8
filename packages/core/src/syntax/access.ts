import { parseNameList, parseNameOrString, parseRoleSet, parseUserName, parseUserNameList } from './accessNames.js';
import type { AccessEntityKind, CreateAccessEntityStatement, CreateHeader, Expression, Identifier, OtherStatement, PolicyGroup, QualifiedName } from './ast.js';
import { parseExpression } from './expressions.js';
import { parseHostList, parseIdentification, parseValidUntil } from './identification.js';
import { INTERVAL_UNITS } from './keywords.js';
import type { Parser } from './parser.js';
import { isAlterProfileElementsStart, isProfileElementsStart, parseAlterProfileElements, parseProfileElements } from './profileElements.js';

export { parseGrant } from './grant.js';

// CREATE and ALTER of users, roles, row policies, quotas and settings profiles, after ClickHouse's
// `ParserCreateUserQuery`, `ParserCreateRoleQuery`, `ParserCreateRowPolicyQuery`,
// `ParserCreateQuotaQuery` and `ParserCreateSettingsProfileQuery`: the same clause loops, in
// which a clause given twice ends the statement (and so is a syntax error).

/** The keywords that name an access entity kind after CREATE/ALTER/DROP. */
export const ENTITY_KEYWORDS: [string[], AccessEntityKind][] = [
  [['USER'], 'USER'],
  [['ROLE'], 'ROLE'],
  [['ROW', 'POLICY'], 'ROW POLICY'],
  [['POLICY'], 'ROW POLICY'],
  [['QUOTA'], 'QUOTA'],
  [['SETTINGS', 'PROFILE'], 'SETTINGS PROFILE'],
  [['PROFILE'], 'SETTINGS PROFILE'],
];

/** Consumes `USER`, `ROLE`, `[ROW] POLICY`, `QUOTA` or `[SETTINGS] PROFILE` and returns the entity. */
export function acceptAccessEntityKeyword(p: Parser): AccessEntityKind | undefined {
  for (const [words, entity] of ENTITY_KEYWORDS) if (p.acceptWordList(words)) return entity;
  return undefined;
}

/** One CREATE or ALTER of an access entity being parsed. */
interface EntityParse {
  statement: CreateAccessEntityStatement;
  alter: boolean;
}

/**
 * `CREATE USER|ROLE|ROW POLICY|QUOTA|SETTINGS PROFILE [IF NOT EXISTS | OR REPLACE] names ...`, after
 * the entity keyword. ClickHouse writes OR REPLACE after the keyword: `CREATE OR REPLACE USER` is a
 * syntax error there, so it is one here.
 */
export function parseCreateAccessEntity(p: Parser, start: number, header: CreateHeader, entity: AccessEntityKind): CreateAccessEntityStatement {
  if (header.orReplace) {
    p.fail(
      `Expected \`CREATE ${entity} OR REPLACE name\`; ClickHouse does not accept OR REPLACE before ${entity}`,
      `Write \`CREATE ${entity} OR REPLACE ...\`.`,
    );
  }
  const statement: CreateAccessEntityStatement = { kind: 'CreateAccessEntity', ...header, entity, names: [], clauses: [], start, end: start };
  if (p.ifNotExists()) statement.ifNotExists = true;
  else if (p.acceptWords('OR', 'REPLACE')) statement.orReplace = true;
  parseEntityBody(p, { statement, alter: false });
  statement.end = p.lastEnd;
  return statement;
}

/**
 * `ALTER USER|ROLE|ROW POLICY|QUOTA|SETTINGS PROFILE [IF EXISTS] names ...`, after the entity keyword.
 * Checked with the CREATE grammar plus ALTER's clauses (RENAME TO, ADD/DROP HOST, ADD IDENTIFIED,
 * ADD/MODIFY/DROP SETTINGS...), and kept as an `Other` statement: ClickPlan models access entities
 * by their CREATE. ALTER USER keeps its IDENTIFIED clause, for the passwords in it.
 */
export function parseAlterAccessEntity(p: Parser, start: number, entity: AccessEntityKind): OtherStatement {
  const statement: CreateAccessEntityStatement = {
    kind: 'CreateAccessEntity',
    verb: 'CREATE',
    orReplace: false,
    ifNotExists: false,
    entity,
    names: [],
    clauses: [],
    start,
    end: start,
  };
  p.ifExists();
  parseEntityBody(p, { statement, alter: true });
  const other: OtherStatement = { kind: 'Other', keyword: `ALTER ${entity}`, start, end: p.lastEnd };
  if (statement.identification) other.identification = statement.identification;
  return other;
}

/** Names and clauses of each entity; policies, quotas and profiles end with `TO roles` and `ON CLUSTER`. */
function parseEntityBody(p: Parser, e: EntityParse): void {
  const entity = e.statement.entity;
  if (entity === 'USER') {
    parseUser(p, e);
    return;
  }
  if (entity === 'ROW POLICY') parsePolicyNames(p, e);
  else e.statement.names = entity === 'ROLE' ? parseUserNameList(p, 'a role name') : parseNameList(p, `a ${entity.toLowerCase()} name`);
  parseClauses(p, e, ENTITY_CLAUSES[entity]);
  if (entity !== 'ROLE') parseTrailingClauses(p, e);
}

// ---------------------------------------------------------------- clause loop

/** Parses its clause at the current token and returns the clause keyword, or returns undefined when the clause is not here. */
type Clause = (p: Parser, e: EntityParse) => string | undefined;

/** Clauses in any order until none applies; each but ON CLUSTER (which has its own field) goes to `clauses` with its range. */
function parseClauses(p: Parser, e: EntityParse, clauses: Clause[]): void {
  for (;;) {
    const start = p.tokenStart;
    let keyword: string | undefined;
    for (const clause of clauses) if ((keyword = clause(p, e))) break;
    if (!keyword) return;
    if (keyword !== 'ON CLUSTER') e.statement.clauses.push({ keyword, start, end: p.lastEnd, text: p.source.slice(start, p.lastEnd) });
  }
}

/** `TO roles` and then `ON CLUSTER`, which policies, quotas and profiles take after their other clauses. */
function parseTrailingClauses(p: Parser, e: EntityParse): void {
  parseClauses(p, e, [once('TO', toClause)]);
  parseClauses(p, e, [onClusterClause]);
}

function has(e: EntityParse, keyword: string): boolean {
  return e.statement.clauses.some((clause) => clause.keyword === keyword);
}

/** The clause, at most once per statement. */
function once(keyword: string, clause: Clause): Clause {
  return (p, e) => (has(e, keyword) ? undefined : clause(p, e));
}

const onClusterClause: Clause = (p, e) => {
  if (e.statement.onCluster || !p.atWords('ON', 'CLUSTER')) return undefined;
  e.statement.onCluster = p.onCluster();
  return 'ON CLUSTER';
};

const storageClause: Clause = once('IN', (p) => {
  if (!p.acceptWord('IN')) return undefined;
  parseNameOrString(p, 'an access storage name such as `local_directory`');
  return 'IN';
});

/** ALTER only, and only for one entity: `RENAME TO new_name`. */
const renameClause: Clause = once('RENAME TO', (p, e) => {
  if (!e.alter || e.statement.names.length !== 1 || !p.acceptWords('RENAME', 'TO')) return undefined;
  const entity = e.statement.entity;
  if (entity === 'USER' || entity === 'ROLE') parseUserName(p, 'the new name');
  else parseNameOrString(p, 'the new name');
  return 'RENAME TO';
});

function settingsClause(options: { inherit: boolean }): Clause {
  return (p, e) => {
    let settings: CreateAccessEntityStatement['settings'];
    if (isProfileElementsStart(p, options)) settings = parseProfileElements(p, options);
    else if (e.alter && isAlterProfileElementsStart(p)) settings = parseAlterProfileElements(p, options);
    else return undefined;
    e.statement.settings = [...(e.statement.settings ?? []), ...settings];
    return 'SETTINGS';
  };
}

const toClause: Clause = (p) => {
  if (!p.acceptWord('TO')) return undefined;
  parseRoleSet(p, { allowAll: true, allowCurrentUser: true });
  return 'TO';
};

// ---------------------------------------------------------------- users

function parseUser(p: Parser, e: EntityParse): void {
  e.statement.names = parseUserNameList(p);
  const namesEnd = p.index;
  parseClauses(p, e, USER_CLAUSES);
  if (e.alter && p.index === namesEnd) p.fail('Expected a change such as IDENTIFIED, HOST, SETTINGS or RENAME TO');
}

const identificationClause: Clause = (p, e) => {
  if (e.statement.identification || has(e, 'RESET AUTHENTICATION METHODS TO NEW')) return undefined;
  if (p.atWord('IDENTIFIED') || p.atWords('NOT', 'IDENTIFIED')) {
    const keyword = p.atWord('NOT') ? 'NOT IDENTIFIED' : 'IDENTIFIED';
    e.statement.identification = parseIdentification(p, { noPassword: true });
    return keyword;
  }
  if (!e.alter || !p.atWords('ADD', 'IDENTIFIED')) return undefined;
  p.next();
  e.statement.identification = parseIdentification(p, { noPassword: false });
  return 'ADD IDENTIFIED';
};

const resetAuthenticationClause: Clause = (p, e) => {
  if (!e.alter || e.statement.identification || has(e, 'RESET AUTHENTICATION METHODS TO NEW')) return undefined;
  return p.acceptWords('RESET', 'AUTHENTICATION', 'METHODS', 'TO', 'NEW') ? 'RESET AUTHENTICATION METHODS TO NEW' : undefined;
};

/** `HOST ...` (any number of times), and ALTER's `ADD HOST ...` / `DROP HOST ...`. */
function hostClause(prefix?: 'ADD' | 'DROP'): Clause {
  const words = prefix ? [prefix, 'HOST'] : ['HOST'];
  return (p, e) => {
    if ((prefix && !e.alter) || !p.acceptWordList(words)) return undefined;
    parseHostList(p);
    return words.join(' ');
  };
}

function roleSetClause(words: string[], options: Parameters<typeof parseRoleSet>[1]): Clause {
  const keyword = words.join(' ');
  return once(keyword, (p) => {
    if (!p.acceptWordList(words)) return undefined;
    parseRoleSet(p, options);
    return keyword;
  });
}

/** CREATE USER only: `ROLE r, ...` grants roles to the new user. */
const userRoleClause: Clause = (p, e) => (e.alter ? undefined : roleSetClause(['ROLE'], {})(p, e));

const defaultDatabaseClause: Clause = once('DEFAULT DATABASE', (p) => {
  if (!p.acceptWords('DEFAULT', 'DATABASE')) return undefined;
  if (!p.acceptWord('NONE')) parseNameOrString(p, 'a database name');
  return 'DEFAULT DATABASE';
});

/** A VALID UNTIL of its own applies when no IDENTIFIED clause carries one. */
const validUntilClause: Clause = once('VALID UNTIL', (p, e) => (!e.statement.identification && parseValidUntil(p) ? 'VALID UNTIL' : undefined));

const USER_CLAUSES: Clause[] = [
  identificationClause,
  resetAuthenticationClause,
  hostClause(),
  settingsClause({ inherit: false }),
  userRoleClause,
  roleSetClause(['DEFAULT', 'ROLE'], { allowAll: true }),
  onClusterClause,
  roleSetClause(['GRANTEES'], { allowAny: true, allowCurrentUser: true }),
  defaultDatabaseClause,
  renameClause,
  hostClause('ADD'),
  hostClause('DROP'),
  storageClause,
  validUntilClause,
];

// ---------------------------------------------------------------- row policies

/**
 * `p1, p2 [ON CLUSTER c] ON db.t [, db.t2 ...]` or `p1 ON t1, p2 ON t2`: ClickHouse's
 * `ParserRowPolicyNames`. Several tables follow ON only after a single policy name, and a second
 * `name ON table` group only after a group of one policy on one table.
 */
function parsePolicyNames(p: Parser, e: EntityParse): void {
  const groups = parsePolicyGroups(p, () => onClusterClause(p, e) !== undefined || e.statement.onCluster !== undefined);
  e.statement.names = groups.flatMap((group) => group.names);
  e.statement.on = groups.flatMap((group) => group.on);
  e.statement.policies = groups;
}

/**
 * Row policy names as ClickHouse's `ParserRowPolicyNames` reads them: `p1, p2 ON t1, t2` or
 * `p1 ON t1, p2 ON t2`; each name of a group is a policy on each table of that group. `ON CLUSTER`
 * may come before or after each `ON`: `acceptOnCluster` reads it and says whether one was read.
 */
export function parsePolicyGroups(p: Parser, acceptOnCluster: () => boolean): PolicyGroup[] {
  const groups: PolicyGroup[] = [];
  let clustered = false;
  for (let first = true; ; first = false) {
    const names = first ? parseNameList(p, 'a policy name') : [parseNameOrString(p, 'a policy name')];
    clustered = acceptOnCluster() || clustered;
    p.expectWord('ON');
    const tables = [parsePolicyTable(p)];
    while (first && names.length === 1 && p.at('Comma') && isPolicyTableAhead(p, 1)) {
      p.next();
      tables.push(parsePolicyTable(p));
    }
    clustered = acceptOnCluster() || clustered;
    groups.push({ names, on: tables });
    if (names.length !== 1 || tables.length !== 1 || clustered || !p.at('Comma')) break;
    p.next();
  }
  return groups;
}

/** `db.table`, `db.*`, `table` or `*` (every table of the current database); ClickHouse refuses `*.*`. */
function parsePolicyTable(p: Parser): QualifiedName {
  if (p.at('Asterisk')) {
    if (p.at('Dot', 1)) p.fail('Expected `db.*`, `*` or a table name; a row policy cannot be on `*.*`', undefined, p.index + 1);
    return star(p);
  }
  const first = p.identifier('a table name');
  if (!p.at('Dot')) return { kind: 'QualifiedName', name: first, start: first.start, end: acceptWildcard(p) ?? first.end };
  p.next();
  const name = p.at('Asterisk') ? star(p).name : p.identifier('a table name');
  return { kind: 'QualifiedName', database: first, name, start: first.start, end: acceptWildcard(p) ?? name.end };
}

/** `*` as a name. */
function star(p: Parser): QualifiedName {
  const star = p.expect('Asterisk');
  const name: Identifier = { kind: 'Identifier', name: '*', quoted: false, start: p.startAt(star), end: p.endAt(star) };
  return { kind: 'QualifiedName', name, start: name.start, end: name.end };
}

/** `t*`: ClickHouse parses the wildcard and ignores it for a row policy. */
function acceptWildcard(p: Parser): number | undefined {
  return p.at('Asterisk') && p.tokenStart === p.lastEnd ? p.endAt(p.next()) : undefined;
}

/** After `ON t,`: another table, unless it is the next policy's name (`p2 ON ...`, not `ON CLUSTER`). */
function isPolicyTableAhead(p: Parser, offset: number): boolean {
  if (p.at('Asterisk', offset)) return true;
  if (!p.atIdentifier(offset)) return false;
  if (p.at('Dot', offset + 1)) return true;
  return !(p.atWord('ON', offset + 1) && !p.atWord('CLUSTER', offset + 2));
}

const policyKindClause: Clause = once('AS', (p) => {
  if (!p.acceptWord('AS')) return undefined;
  if (!p.acceptWord('PERMISSIVE') && !p.acceptWord('RESTRICTIVE')) p.fail('Expected `PERMISSIVE` or `RESTRICTIVE`');
  return 'AS';
});

/** `[FOR SELECT|ALL, ...] [USING cond|NONE] [WITH CHECK cond|NONE], ...`: at least USING or WITH CHECK each time. */
const policyFilterClause: Clause = (p, e) => {
  const keyword = p.atWords('WITH', 'CHECK') ? 'WITH CHECK' : p.word();
  if (keyword !== 'FOR' && keyword !== 'USING' && keyword !== 'WITH CHECK') return undefined;
  do {
    if (p.acceptWord('FOR')) parsePolicyCommands(p);
    const using = p.acceptWord('USING') ? parsePolicyCondition(p) : null;
    const check = p.acceptWords('WITH', 'CHECK') ? parsePolicyCondition(p) : null;
    if (using === null && check === null) p.fail('Expected `USING condition` or `WITH CHECK condition`');
    if (using && !e.statement.using) e.statement.using = using;
  } while (p.at('Comma') && isPolicyFilterAhead(p, 1) && p.accept('Comma'));
  return keyword;
};

function isPolicyFilterAhead(p: Parser, offset: number): boolean {
  return p.atWord('FOR', offset) || p.atWord('USING', offset) || (p.atWord('WITH', offset) && p.atWord('CHECK', offset + 1));
}

/** `SELECT` or `ALL`, comma-separated: the only filter types ClickHouse knows. */
function parsePolicyCommands(p: Parser): void {
  do if (!p.acceptWord('SELECT') && !p.acceptWord('ALL')) p.fail('Expected `SELECT` or `ALL`');
  while (p.at('Comma') && (p.atWord('SELECT', 1) || p.atWord('ALL', 1)) && p.accept('Comma'));
}

/** A condition, or `NONE` (undefined). */
function parsePolicyCondition(p: Parser): Expression | undefined {
  return p.acceptWord('NONE') ? undefined : parseExpression(p);
}

// ---------------------------------------------------------------- quotas

/** `Quota::KeyType` names; `KEYED BY client_key, user_name` means `client_key_or_user_name`. */
const QUOTA_KEYS = new Set([
  'none',
  'user_name',
  'ip_address',
  'forwarded_ip_address',
  'client_key',
  'client_key_or_user_name',
  'client_key_or_ip_address',
  'normalized_query_hash',
]);

const quotaKeyClause: Clause = (p, e) => {
  if (has(e, 'KEYED BY') || has(e, 'NOT KEYED')) return undefined;
  if (p.acceptWords('NOT', 'KEYED')) return 'NOT KEYED';
  if (!p.acceptWords('KEYED', 'BY') && !p.acceptWords('KEY', 'BY')) return undefined;
  const first = p.index;
  const key = parseNameList(p, 'a quota key such as `user_name`')
    .map((name) => name.name)
    .join('_or_')
    .toLowerCase()
    .replaceAll(' ', '_');
  if (!QUOTA_KEYS.has(key)) p.fail(`Expected a quota key: ${[...QUOTA_KEYS].join(', ')}`, undefined, first);
  parsePrefixBits(p, key);
  return 'KEYED BY';
};

/** `IPV4_PREFIX_BITS n` / `IPV6_PREFIX_BITS n` after an IP address key: the network prefix the quota counts by. */
function parsePrefixBits(p: Parser, key: string): void {
  const seen = new Set<string>();
  for (let word = p.word(); (word === 'IPV4_PREFIX_BITS' || word === 'IPV6_PREFIX_BITS') && !seen.has(word); word = p.word()) {
    if (key !== 'ip_address' && key !== 'forwarded_ip_address') {
      p.fail('Expected a clause after the key; IP prefix bits apply only to quotas keyed by ip_address or forwarded_ip_address');
    }
    seen.add(word);
    p.next();
    const bits = p.numberLiteral('an integer prefix length');
    const max = word === 'IPV4_PREFIX_BITS' ? 32 : 128;
    if (!/^\d+$/.test(bits.value) || Number(bits.value) > max) p.fail(`Expected a prefix length between 0 and ${max}`, undefined, p.index - 1);
  }
}

const quotaIntervalsClause: Clause = (p) => {
  if (!p.atWord('FOR')) return undefined;
  do parseQuotaInterval(p);
  while (p.at('Comma') && p.atWord('FOR', 1) && p.accept('Comma'));
  return 'FOR';
};

/** `FOR [RANDOMIZED] [INTERVAL] n unit {MAX resource = n, ... | NO LIMITS | TRACKING ONLY}`. */
function parseQuotaInterval(p: Parser): void {
  p.expectWord('FOR');
  p.acceptWord('RANDOMIZED');
  p.acceptWord('INTERVAL');
  parseSignedNumber(p, 'a number of time units');
  const unit = p.word();
  if (!INTERVAL_UNITS.has(unit) && !/^SQL_TSI_(NANO|MICRO|MILLI)?SECOND$|^SQL_TSI_(MINUTE|HOUR|DAY|WEEK|MONTH|QUARTER|YEAR)$/.test(unit)) {
    p.fail('Expected a time unit such as `HOUR` or `DAY`');
  }
  p.next();
  if (p.acceptWords('NO', 'LIMITS') || p.acceptWords('TRACKING', 'ONLY')) return;
  parseQuotaLimits(p);
}

/** `MAX queries = 10, errors = 5` or `queries MAX 10, ...`: once MAX leads, later limits may omit it. */
function parseQuotaLimits(p: Parser): void {
  let maxFirst = false;
  do {
    if (p.acceptWord('MAX')) maxFirst = true;
    parseQuotaResource(p);
    if (maxFirst) p.accept('Equals');
    else p.expectWord('MAX');
    parseQuotaLimit(p);
  } while (p.at('Comma') && !p.atWord('FOR', 1) && p.accept('Comma'));
}

/** `Quota::ResourceType` keywords, in ClickHouse's order (so `QUERIES PER NORMALIZED HASH` stops at PER there too). */
const QUOTA_RESOURCE_WORDS = [
  ['QUERIES'],
  ['QUERY', 'SELECTS'],
  ['QUERY', 'INSERTS'],
  ['ERRORS'],
  ['RESULT', 'ROWS'],
  ['RESULT', 'BYTES'],
  ['READ', 'ROWS'],
  ['READ', 'BYTES'],
  ['EXECUTION', 'TIME'],
  ['WRITTEN', 'BYTES'],
  ['FAILED', 'SEQUENTIAL', 'AUTHENTICATIONS'],
  ['QUERIES', 'PER', 'NORMALIZED', 'HASH'],
];

/** The same resources by name; ClickHouse compares these case-sensitively. */
const QUOTA_RESOURCE_NAMES = new Set(QUOTA_RESOURCE_WORDS.map((words) => words.join('_').toLowerCase()));

function parseQuotaResource(p: Parser): void {
  for (const words of QUOTA_RESOURCE_WORDS) if (p.acceptWordList(words)) return;
  if (p.kind() === 'BareWord' && QUOTA_RESOURCE_NAMES.has(p.textAt(p.index))) {
    p.next();
    return;
  }
  p.fail(`Expected a quota resource: ${[...QUOTA_RESOURCE_NAMES].join(', ')}`);
}

/**
 * A limit: a number, or a string holding a whole number with an optional size suffix (`'12K'`,
 * `' 12Mi '`), which ClickHouse reads with `parseWithSizeSuffix` when it parses the statement.
 */
function parseQuotaLimit(p: Parser): void {
  if (!p.at('String')) {
    parseSignedNumber(p, 'a limit');
    return;
  }
  const limit = p.stringLiteral();
  if (!QUOTA_LIMIT_STRING.test(limit.value))
    p.fail('Expected a limit: a whole number with an optional suffix K, Ki, M, Mi, G, Gi, T or Ti', undefined, p.index - 1);
}

const QUOTA_LIMIT_STRING = /^\s*\+?\d+(?:[kK]i?|[MGT]i?)?\s*$/;

function parseSignedNumber(p: Parser, what: string): void {
  p.accept('Minus');
  p.numberLiteral(what);
}

const ENTITY_CLAUSES: Record<Exclude<AccessEntityKind, 'USER'>, Clause[]> = {
  ROLE: [renameClause, settingsClause({ inherit: false }), onClusterClause, storageClause],
  'SETTINGS PROFILE': [renameClause, settingsClause({ inherit: true }), onClusterClause, storageClause],
  QUOTA: [renameClause, quotaKeyClause, quotaIntervalsClause, onClusterClause, storageClause],
  'ROW POLICY': [renameClause, policyKindClause, policyFilterClause, onClusterClause, storageClause],
};
