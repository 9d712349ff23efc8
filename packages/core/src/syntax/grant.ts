import { parseRoleSet } from './accessNames.js';
import type { GrantStatement, GrantTarget, Identifier, Privilege } from './ast.js';
import { isStringToken, parseString } from './literals.js';
import type { Parser } from './parser.js';
import { findPrivilege, GRANT_SOURCES, PARAMETER_LEVELS, type PrivilegeInfo, type PrivilegeLevel } from './privileges.js';

// GRANT and REVOKE after ClickHouse's `ParserGrantQuery` and `parseAccessRightsElements`.

/**
 * `GRANT [ON CLUSTER c] privilege[(columns)], ... ON target, ... TO grantees [WITH GRANT OPTION] [WITH REPLACE OPTION]`,
 * `GRANT role, ... TO grantees [WITH ADMIN OPTION] [WITH REPLACE OPTION]`, `GRANT CURRENT GRANTS ...`, and
 * `REVOKE [ON CLUSTER c] [GRANT OPTION FOR | ADMIN OPTION FOR] ... FROM grantees`, at GRANT or REVOKE.
 * ON CLUSTER may also follow the privileges, the grantees or the options (once).
 */
export function parseGrant(p: Parser): GrantStatement {
  const start = p.tokenStart;
  const isRevoke = p.word() === 'REVOKE';
  p.next();
  const statement: GrantStatement = {
    kind: isRevoke ? 'Revoke' : 'Grant',
    privileges: [],
    grantees: [],
    withGrantOption: false,
    withAdminOption: false,
    withReplaceOption: false,
    start,
    end: start,
  };
  acceptCluster(p, statement);
  const optionFor = p.index;
  if (isRevoke && p.acceptWords('GRANT', 'OPTION', 'FOR')) statement.withGrantOption = true;
  else if (isRevoke && p.acceptWords('ADMIN', 'OPTION', 'FOR')) statement.withAdminOption = true;
  const grantsRoles = parseGrantedThings(p, statement);
  acceptCluster(p, statement);
  p.expectWord(isRevoke ? 'FROM' : 'TO');
  const grantees = parseRoleSet(p, { allowCurrentUser: true, allowAll: isRevoke });
  statement.grantees = grantees.names;
  if (grantees.except.length > 0) statement.exceptGrantees = grantees.except;
  acceptCluster(p, statement);
  const option = isRevoke ? optionFor : parseGrantOptions(p, statement);
  acceptCluster(p, statement);
  checkOption(p, statement, grantsRoles, option);
  statement.end = p.lastEnd;
  return statement;
}

/** Privileges with targets, `CURRENT GRANTS`, or roles; returns true for roles. */
function parseGrantedThings(p: Parser, statement: GrantStatement): boolean {
  const isGrant = statement.kind === 'Grant';
  if (isGrant && p.acceptWords('CURRENT', 'GRANTS')) {
    statement.currentGrants = true;
    if (p.accept('LParen')) {
      statement.privileges = parseAccessElements(p, { checkLevels: true });
      p.expect('RParen');
    } else {
      p.expectWord('ON');
      statement.on = parseTableTarget(p).target;
    }
    return false;
  }
  if (isPrivilegeListAhead(p)) {
    statement.privileges = parseAccessElements(p, { checkLevels: isGrant });
    // A copy: a syntax tree never holds one node twice (an edit moves each node once, syntax/incremental.ts).
    const on = statement.privileges[0]?.on;
    statement.on = on && { ...on };
    return false;
  }
  const roles = parseRoleSet(p, { allowAll: !isGrant });
  statement.privileges = roles.names.map((role) => ({ kind: 'Privilege', name: role.name, start: role.start, end: role.end }));
  return true;
}

function acceptCluster(p: Parser, statement: GrantStatement): void {
  if (!statement.onCluster && p.atWords('ON', 'CLUSTER')) statement.onCluster = p.onCluster();
}

/** `[WITH GRANT OPTION | WITH ADMIN OPTION] [WITH REPLACE OPTION]`; returns the index of the grant/admin option's first token. */
function parseGrantOptions(p: Parser, statement: GrantStatement): number {
  const option = p.index;
  if (p.acceptWords('WITH', 'GRANT', 'OPTION')) statement.withGrantOption = true;
  else if (p.acceptWords('WITH', 'ADMIN', 'OPTION')) statement.withAdminOption = true;
  if (p.acceptWords('WITH', 'REPLACE', 'OPTION')) statement.withReplaceOption = true;
  return option;
}

/** ClickHouse's checks after parsing: the grant option goes with privileges, the admin option with roles. */
function checkOption(p: Parser, statement: GrantStatement, grantsRoles: boolean, option: number): void {
  if (statement.withGrantOption && grantsRoles) {
    p.fail('Expected privileges: GRANT OPTION applies to privileges, not roles', 'Use ADMIN OPTION when granting roles.', option);
  }
  if (statement.withAdminOption && !grantsRoles && statement.privileges.length > 0) {
    p.fail('Expected roles: ADMIN OPTION applies to roles, not privileges', 'Use GRANT OPTION when granting privileges.', option);
  }
}

/** True when an `ON` that is not `ON CLUSTER` comes before TO/FROM: privileges, not roles. */
function isPrivilegeListAhead(p: Parser): boolean {
  for (let i = p.index; i < p.tokens.length; i++) {
    const word = p.wordAt(i);
    const kind = p.kindAt(i);
    if (word === 'TO' || word === 'FROM' || kind === 'Semicolon' || kind === 'EndOfInput') return false;
    if (word === 'ON' && p.wordAt(i + 1) !== 'CLUSTER') return true;
  }
  return false;
}

// ---------------------------------------------------------------- privileges

/** `privilege[(columns)], ... ON target [, privilege ... ON target]`. */
function parseAccessElements(p: Parser, options: { checkLevels: boolean }): Privilege[] {
  const privileges: Privilege[] = [];
  do {
    const group: { privilege: Privilege; info: PrivilegeInfo; at: number }[] = [];
    do group.push(parsePrivilege(p));
    while (p.accept('Comma'));
    p.expectWord('ON');
    const infos = group.map((g) => g.info);
    const { target, level } = isParameterGroup(infos) ? parseParameterTarget(p, infos) : parseTableTarget(p);
    for (const { privilege, info, at } of group) {
      privilege.on = { ...target };
      const privilegeLevel = privilege.columns ? 'COLUMN' : level;
      if (privilege.columns && (level !== 'TABLE' || target.table.endsWith('*'))) {
        p.fail('Expected `ON db.table` for a column list: columns need one table, not a wildcard', undefined, at);
      }
      if (options.checkLevels && !isGrantable(info, privilegeLevel)) {
        p.fail(`Expected a privilege that applies here: ${info.name} cannot be granted on the ${privilegeLevel.toLowerCase()} level`, undefined, at);
      }
      privileges.push(privilege);
    }
  } while (p.accept('Comma'));
  return privileges;
}

/**
 * A privilege: the bare words up to ON, TO, FROM or punctuation (`ALTER UPDATE`, `dictGet`), which
 * must name an access type ClickHouse knows, then an optional column list.
 */
function parsePrivilege(p: Parser): { privilege: Privilege; info: PrivilegeInfo; at: number } {
  const at = p.index;
  const words: string[] = [];
  while (p.kind() === 'BareWord' && !['ON', 'TO', 'FROM'].includes(p.word())) words.push(p.textAt(p.next()).toUpperCase());
  if (words.length === 0) return p.fail('Expected a privilege such as SELECT or ALTER UPDATE');
  const info = findPrivilege(words.join(' '));
  if (!info) {
    const written = p.source.slice(p.startAt(at), p.lastEnd);
    // ClickHouse then tries the words as role names and stops after them (one word: after `ON`,
    // where it wants `ON CLUSTER`), so that is where it reports the error; so do we.
    const stop = words.length === 1 && p.atWord('ON') && !p.atWord('CLUSTER', 1) ? p.index + 1 : p.index;
    return p.fail(`Expected a privilege ClickHouse knows; \`${written}\` is not one`, 'See `SELECT * FROM system.privileges` for the names.', stop);
  }
  const privilege: Privilege = { kind: 'Privilege', name: info.name, start: p.startAt(at), end: p.lastEnd };
  if (p.accept('LParen')) {
    const columns: Identifier[] = [];
    do columns.push(p.identifier('a column name'));
    while (p.accept('Comma'));
    p.expect('RParen');
    privilege.columns = columns;
    privilege.end = p.lastEnd;
  }
  return { privilege, info, at };
}

type TargetLevel = 'GLOBAL' | 'DATABASE' | 'TABLE' | 'PARAMETER';

/** `*.*`, `*` (the current database), `db.*`, `db*.*`, `db.table`, `db.prefix*`, `table` or `prefix*`. */
function parseTableTarget(p: Parser): { target: GrantTarget; level: TargetLevel } {
  const start = p.tokenStart;
  const target = (level: TargetLevel, table: string, database?: string): { target: GrantTarget; level: TargetLevel } => {
    const node: GrantTarget = { kind: 'GrantTarget', table, start, end: p.lastEnd };
    if (database !== undefined) node.database = database;
    return { target: node, level };
  };
  if (p.accept('Asterisk')) {
    if (!p.at('Dot') || !p.at('Asterisk', 1)) return target('DATABASE', '*');
    p.index += 2;
    return target('GLOBAL', '*', '*');
  }
  const first = withWildcard(p, p.identifier('a database or table name').name);
  if (!p.at('Dot') || (!p.at('Asterisk', 1) && !p.atIdentifier(1))) return target('TABLE', first);
  p.next();
  if (p.accept('Asterisk')) return target('DATABASE', '*', first);
  return target('TABLE', withWildcard(p, p.identifier('a table name').name), first);
}

/** The name, with `*` appended when a `*` follows it: `events_*` is every table whose name starts with `events_`. */
function withWildcard(p: Parser, name: string): string {
  return p.accept('Asterisk') ? `${name}*` : name;
}

/** Privileges like `READ`, `NAMED COLLECTION`, `CREATE USER`, `TABLE ENGINE` take a parameter instead of a table. */
function isParameterGroup(infos: PrivilegeInfo[]): boolean {
  return infos.every((info) => info.levels.size > 0 && [...info.levels].every((level) => PARAMETER_LEVELS.has(level)));
}

/** `*[.*]`, or `name[*]` with `('regexp')` after a name: `READ ON S3('s3://bucket/.*')`. */
function parseParameterTarget(p: Parser, infos: PrivilegeInfo[]): { target: GrantTarget; level: TargetLevel } {
  const start = p.tokenStart;
  if (p.accept('Asterisk')) {
    if (p.at('Dot') && p.at('Asterisk', 1)) p.index += 2;
    return { target: { kind: 'GrantTarget', table: '*', start, end: p.lastEnd }, level: 'GLOBAL' };
  }
  const at = p.index;
  const parameter = p.identifier('a name such as a source, a user or a named collection').name;
  if (infos.some((info) => info.levels.has('SOURCE')) && !GRANT_SOURCES.has(parameter)) {
    p.fail(`Expected a source such as S3, URL or FILE; \`${parameter}\` is not one`, 'Source names are case-sensitive: `S3`, `MySQL`, `PostgreSQL`...', at);
  }
  const name = p.accept('Asterisk') ? `${parameter}*` : parameter;
  if (!name.endsWith('*') && p.accept('LParen')) {
    if (isStringToken(p)) parseString(p, 'a regular expression string');
    else p.identifier('a regular expression');
    p.expect('RParen');
  }
  return { target: { kind: 'GrantTarget', table: name, start, end: p.lastEnd }, level: 'PARAMETER' };
}

/** Levels whose privileges can be granted at each target level (`AccessFlags::allFlagsGrantableOn...Level`). */
const GRANTABLE_AT: Record<Exclude<TargetLevel, 'GLOBAL'> | 'COLUMN', ReadonlySet<PrivilegeLevel>> = {
  DATABASE: new Set(['DATABASE', 'TABLE', 'DICTIONARY', 'VIEW', 'COLUMN']),
  TABLE: new Set(['TABLE', 'DICTIONARY', 'VIEW', 'COLUMN']),
  COLUMN: new Set(['COLUMN']),
  PARAMETER: PARAMETER_LEVELS,
};

/** ClickHouse drops the parts of a grant that do not apply at its level, and refuses a grant with nothing left. */
function isGrantable(info: PrivilegeInfo, level: TargetLevel | 'COLUMN'): boolean {
  // `NONE` (`USAGE`) grants nothing and is always accepted.
  if (level === 'GLOBAL' || info.levels.size === 0) return true;
  const grantable = GRANTABLE_AT[level];
  return [...info.levels].some((l) => grantable.has(l));
}
