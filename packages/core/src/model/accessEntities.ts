import type { CreateAccessEntityStatement, Identification, OtherStatement } from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import { parseSql } from '../syntax/parser.js';
import { quoteIdentifier, quoteString } from '../syntax/printer.js';
import { unquote } from '../syntax/unquote.js';
import { alteredSettings, isSettingsChange } from './settingsElements.js';

// Users, roles, row policies, quotas and settings profiles as ClickHouse keeps them: a CREATE with
// every later ALTER applied, the clauses that only restate a default left out, and each clause in
// one spelling, so that what the repository writes and what `SHOW CREATE` prints compare equal.

/** Clauses a later clause replaces: IDENTIFIED and NOT IDENTIFIED set the same thing, as do KEYED BY and NOT KEYED. */
const FAMILY: Record<string, string> = {
  'NOT IDENTIFIED': 'IDENTIFIED',
  'NOT KEYED': 'KEYED BY',
  USING: 'FILTER',
  'WITH CHECK': 'FILTER',
};

const familyOf = (keyword: string, entity: CreateAccessEntityStatement['entity']) =>
  entity === 'ROW POLICY' && keyword === 'FOR' ? 'FILTER' : (FAMILY[keyword] ?? keyword);

/** ALTER clauses that change part of a clause (ADD IDENTIFIED, DROP SETTINGS...): the model keeps whole clauses only. */
const PARTIAL = new Set(['ADD IDENTIFIED', 'RESET AUTHENTICATION METHODS TO NEW', 'RENAME TO', 'IN']);

/**
 * The entity after an `ALTER USER|ROLE|...` (or `SET DEFAULT ROLE`): each clause of the ALTER
 * replaces the clause of the same kind, as ClickHouse's ALTER does. Returns the clause it cannot
 * apply when the ALTER changes part of a clause (`ADD HOST`, `ADD SETTINGS`) or renames.
 */
export function alteredAccessEntity(
  definition: CreateAccessEntityStatement,
  alteration: CreateAccessEntityStatement,
): { definition: CreateAccessEntityStatement } | { unsupported: string } {
  for (const clause of alteration.clauses) if (PARTIAL.has(clause.keyword)) return { unsupported: clause.keyword };
  const entity = definition.entity;
  const clauses = withSettingsChanges(definition.clauses, withHostChanges(definition.clauses, alteration.clauses));
  const replaced = new Set(clauses.map((c) => familyOf(c.keyword, entity)));
  const altered: CreateAccessEntityStatement = {
    ...definition,
    clauses: [...definition.clauses.filter((c) => !replaced.has(familyOf(c.keyword, entity))), ...clauses],
  };
  if (replaced.has('IDENTIFIED')) {
    if (alteration.identification) altered.identification = alteration.identification;
    else delete altered.identification;
  }
  if (replaced.has('SETTINGS')) {
    altered.clauses = altered.clauses.filter((c) => c.keyword !== 'SETTINGS' || c.text !== '');
    const settings = alteration.clauses.some(isSettingsChange) ? parsedSettings(entity, altered.clauses) : alteration.settings;
    if (settings) altered.settings = settings;
    else delete altered.settings;
  }
  if (replaced.has('FILTER')) {
    if (alteration.using) altered.using = alteration.using;
    else delete altered.using;
  }
  return { definition: altered };
}

type Clause = CreateAccessEntityStatement['clauses'][number];

/** The settings of a SETTINGS clause that ADD/MODIFY/DROP changed, as the parser gives them for a CREATE. */
function parsedSettings(entity: CreateAccessEntityStatement['entity'], clauses: readonly Clause[]): CreateAccessEntityStatement['settings'] {
  const text = clauses.find((c) => c.keyword === 'SETTINGS')?.text;
  if (!text) return undefined;
  const parsed = parseSql(`CREATE ${entity} x ${text}`).statements[0];
  return parsed?.kind === 'CreateAccessEntity' ? parsed.settings : undefined;
}

/**
 * An ALTER's clauses with `ADD|MODIFY|DROP SETTINGS`, `ADD|DROP PROFILES` and `DROP ALL
 * SETTINGS|PROFILES` turned into the whole SETTINGS clause they leave (empty text: none left).
 */
function withSettingsChanges(current: readonly Clause[], alteration: readonly Clause[]): Clause[] {
  const changes = alteration.filter(isSettingsChange);
  if (changes.length === 0) return [...alteration];
  const restated = alteration.find((c) => c.keyword === 'SETTINGS' && !isSettingsChange(c));
  const base = restated?.text ?? current.find((c) => c.keyword === 'SETTINGS')?.text;
  const text =
    alteredSettings(
      base,
      changes.map((c) => c.text),
    ) ?? '';
  return [...alteration.filter((c) => c.keyword !== 'SETTINGS'), { keyword: 'SETTINGS', text, start: 0, end: 0 }];
}

/**
 * An ALTER's clauses with `ADD HOST` and `DROP HOST` turned into the whole HOST clause they leave,
 * as ClickHouse's AllowedClientHosts does: added items join the list (a user reachable from ANY
 * host stays so), dropped items leave it (dropping ANY leaves the items named besides it).
 */
function withHostChanges(current: readonly Clause[], alteration: readonly Clause[]): Clause[] {
  if (!alteration.some((c) => c.keyword === 'ADD HOST' || c.keyword === 'DROP HOST')) return [...alteration];
  const hostClauses = current.filter((c) => c.keyword === 'HOST').map((c) => c.text);
  let items = hostItemsOf(
    clauseWords(hostClauses.length > 0 ? hostClauses.map((t, i) => (i === 0 ? t : t.replace(/^\s*HOST\b/i, ','))).join(' ') : 'HOST ANY'),
  );
  const others: Clause[] = [];
  for (const clause of alteration) {
    if (clause.keyword === 'HOST') items = hostItemsOf(clauseWords(clause.text));
    else if (clause.keyword === 'ADD HOST') items = [...items, ...hostItemsOf(clauseWords(clause.text.replace(/^\s*ADD\s+/i, '')))];
    else if (clause.keyword === 'DROP HOST') {
      const dropped = hostItemsOf(clauseWords(clause.text.replace(/^\s*DROP\s+/i, '')));
      items = items.filter((item) => !dropped.some((d) => d.kind === item.kind && d.value === item.value));
    } else others.push(clause);
  }
  const kept = items.filter((i) => i.kind !== 'NONE');
  return [...others, { keyword: 'HOST', text: kept.length === 0 ? 'HOST NONE' : printHosts(kept), start: 0, end: 0 }];
}

/** Methods ClickHouse stores under another name: a hash given for a password method is that method. */
const STORED_METHOD: Record<string, string> = {
  sha256_hash: 'sha256_password',
  double_sha1_hash: 'double_sha1_password',
  bcrypt_hash: 'bcrypt_password',
  scram_sha256_hash: 'scram_sha256_password',
};

/**
 * The authentication method `SHOW CREATE USER` prints for a user (`IDENTIFIED WITH sha256_password`,
 * never the secret): `IDENTIFIED BY 'x'` is the server's default method (`sha256_password`), and a user
 * with no IDENTIFIED clause, or NOT IDENTIFIED, has `no_password`.
 */
export function storedAuthentication(identification: Identification | undefined): string {
  const method = identification?.method ?? (identification ? 'sha256_password' : 'no_password');
  return STORED_METHOD[method] ?? method;
}

/** Clauses that restate what ClickHouse assumes without them, which `SHOW CREATE` leaves out. */
const DEFAULT_CLAUSES = new Set(['HOST ANY', 'DEFAULT ROLE ALL', 'GRANTEES ANY', 'AS PERMISSIVE', 'USING NONE', 'FOR SELECT USING NONE']);

/** Whether a clause only says what ClickHouse assumes without it (`HOST ANY`, `DEFAULT ROLE ALL`, `GRANTEES ANY`, a policy's `USING NONE`). */
export function isDefaultClause(clause: { text: string }): boolean {
  return DEFAULT_CLAUSES.has(normalizedClause(clause.text));
}

/** Words that are keywords in access clauses: printed upper-case; any other bare word is a name. */
const CLAUSE_KEYWORDS = new Set(
  (
    'ALL ANY NONE EXCEPT CURRENT_USER LOCAL IP NAME REGEXP LIKE HOST DEFAULT ROLE DATABASE GRANTEES VALID UNTIL TO ' +
    'KEYED BY NOT FOR RANDOMIZED MAX NO LIMITS TRACKING ONLY AS PERMISSIVE RESTRICTIVE SELECT USING WITH CHECK ' +
    'SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR IN'
  ).split(' '),
);

/** HOST items in the order ClickHouse prints them (`AllowedClientHosts`): LOCAL, IP addresses then subnets, NAME, REGEXP, LIKE. */
const HOST_ORDER = ['NONE', 'ANY', 'LOCAL', 'IP', 'NAME', 'REGEXP', 'LIKE'];

/**
 * A clause in one spelling: keywords upper-case, names quoted only when they must be, strings with
 * ClickHouse's quoting, single spaces, `INTERVAL` (optional in quota intervals) left out, and the
 * items of HOST in ClickHouse's order. `default database `Ab`` and `DEFAULT DATABASE Ab` are one.
 */
export function normalizedClause(text: string): string {
  const words = clauseWords(text);
  return words[0] === 'HOST' ? printHosts(hostItemsOf(words)) : words.join(' ');
}

/** The words of a clause in one spelling (see normalizedClause), a comma kept on the word before it. */
function clauseWords(text: string): string[] {
  const words: string[] = [];
  for (const token of lexSql(text)) {
    const raw = text.slice(token.start, token.end);
    switch (token.kind) {
      case 'Whitespace':
      case 'Comment':
      case 'EndOfInput':
        break;
      case 'BareWord': {
        const upper = raw.toUpperCase();
        if (upper === 'INTERVAL') break;
        words.push(CLAUSE_KEYWORDS.has(upper) ? upper : quoteIdentifier(raw));
        break;
      }
      case 'QuotedIdentifier':
        words.push(quoteIdentifier(unquote(raw)));
        break;
      case 'String':
        words.push(quoteString(unquote(raw)));
        break;
      case 'Comma':
        if (words.length > 0) words[words.length - 1] += ',';
        break;
      default:
        words.push(raw);
    }
  }
  return words;
}

interface HostItem {
  /** `ANY`, `NONE`, `LOCAL`, `IP`, `NAME`, `REGEXP` or `LIKE`. */
  kind: string;
  value?: string;
}

/** The items of `HOST IP 'a', 'b', LOCAL`: one per address, name or pattern, with its kind. */
function hostItemsOf(words: string[]): HostItem[] {
  const items: HostItem[] = [];
  let kind = '';
  for (const word of words.slice(1)) {
    const bare = word.replace(/,$/, '');
    if (HOST_ORDER.includes(bare) && !bare.startsWith("'")) {
      kind = bare;
      if (kind === 'NONE' || kind === 'ANY' || kind === 'LOCAL') items.push({ kind });
    } else if (bare !== 'HOST') items.push(hostItem(kind, bare));
  }
  return items;
}

/**
 * An item as AllowedClientHosts keeps it: the loopback addresses and `localhost` are LOCAL, an IPv6
 * address without leading zeros in its groups (ClickHouse's test 01075_allowed_client_hosts).
 */
function hostItem(kind: string, value: string): HostItem {
  const text = value.slice(1, -1);
  if ((kind === 'IP' && (text === '127.0.0.1' || text === '::1')) || (kind === 'NAME' && text === 'localhost')) return { kind: 'LOCAL' };
  if (kind === 'IP' && text.includes(':') && !text.includes('/') && !text.includes('::'))
    return { kind, value: `'${text.toLowerCase().replace(/(^|:)0+(?=[0-9a-f])/g, '$1')}'` };
  return { kind, value };
}

/** `HOST IP 'a', LOCAL, NAME 'n'` → `HOST LOCAL, IP 'a', NAME 'n'`: one clause, items by kind, addresses before subnets. */
function printHosts(items: readonly HostItem[]): string {
  if (items.some((i) => i.kind === 'ANY')) return 'HOST ANY';
  // Each item once, as AllowedClientHosts adds only what it does not hold.
  const kept = items.filter((i, at) => i.kind !== 'NONE' && items.findIndex((j) => j.kind === i.kind && j.value === i.value) === at);
  if (kept.length === 0) return 'HOST NONE';
  const isSubnet = (value = '') => value.includes('/');
  kept.sort((a, b) => HOST_ORDER.indexOf(a.kind) - HOST_ORDER.indexOf(b.kind) || (a.kind === 'IP' ? Number(isSubnet(a.value)) - Number(isSubnet(b.value)) : 0));
  const parts: string[] = [];
  let previous = '';
  for (const item of kept) {
    parts.push(item.value === undefined ? item.kind : item.kind === previous ? item.value : `${item.kind} ${item.value}`);
    previous = item.kind;
  }
  return `HOST ${parts.join(', ')}`;
}

/**
 * The clauses of an entity as `SHOW CREATE` would hold them, each normalized and keyed by its
 * keyword: several HOST clauses are one, clauses that restate defaults are left out, and `ROLE`
 * (which grants roles to a new user: a grant, not part of the user) is not a clause of the entity.
 */
export function entityClauses(definition: CreateAccessEntityStatement): Map<string, string> {
  const clauses = new Map<string, string>();
  const hosts = definition.clauses.filter((c) => c.keyword === 'HOST').map((c) => c.text);
  if (hosts.length > 0) {
    const host = normalizedClause(hosts.map((text, i) => (i === 0 ? text : `${text.replace(/^\s*HOST\b/i, ',')}`)).join(' '));
    if (host !== 'HOST ANY') clauses.set('HOST', host);
  }
  for (const clause of definition.clauses) {
    const family = familyOf(clause.keyword, definition.entity);
    if (family === 'HOST' || family === 'IDENTIFIED' || family === 'SETTINGS' || family === 'FILTER' || clause.keyword === 'ROLE') continue;
    if (isDefaultClause(clause)) continue;
    clauses.set(clause.keyword, normalizedClause(clause.text));
  }
  return clauses;
}

/**
 * The roles a `CREATE USER` grants: those of its `ROLE` clause and, as ClickHouse does for a new
 * user, the named roles of its `DEFAULT ROLE` clause (not `ALL`, `NONE` or `ALL EXCEPT`).
 */
export function rolesGrantedAtCreate(definition: CreateAccessEntityStatement): string[] {
  if (definition.entity !== 'USER') return [];
  const roles = definition.clauses.filter((c) => c.keyword === 'ROLE').flatMap((c) => roleList(c.text.replace(/^\s*ROLE\b/i, '')));
  return [...new Set([...roles, ...defaultRoleNames(definition)])];
}

/** The roles a `DEFAULT ROLE` clause names one by one (none for `ALL`, `ALL EXCEPT ...` and `NONE`). */
export function defaultRoleNames(definition: CreateAccessEntityStatement): string[] {
  return definition.clauses
    .filter((c) => c.keyword === 'DEFAULT ROLE')
    .flatMap((c) => {
      const list = c.text.replace(/^\s*DEFAULT\s+ROLE\b/i, '').trim();
      return /^(ALL|NONE)\b/i.test(list) ? [] : roleList(list);
    });
}

/** Role names of a list (`r1, \`r 2\``), read by the GRANT grammar. */
function roleList(list: string): string[] {
  const parsed = parseSql(`GRANT ${list} TO x`).statements[0];
  return parsed?.kind === 'Grant' ? parsed.privileges.map((p) => p.name) : [];
}

/** What an `ALTER USER|ROLE|...` or `SET DEFAULT ROLE` sets, its IDENTIFIED clause included. */
export function alterationOf(statement: OtherStatement): CreateAccessEntityStatement | undefined {
  if (!statement.alteration) return undefined;
  return statement.identification ? { ...statement.alteration, identification: statement.identification } : statement.alteration;
}
