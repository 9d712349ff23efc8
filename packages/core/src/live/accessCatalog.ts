import { alterationOf, alteredAccessEntity, defaultRoleNames, isDefaultClause, rolesGrantedAtCreate, storedAuthentication } from '../model/accessEntities.js';
import { type GrantTuple, grantTuples, isRoleGrant, UnsupportedGrantError, withStatement } from '../model/grants.js';
import type {
  AccessEntityKind,
  CreateAccessEntityStatement,
  DropStatement,
  GrantStatement,
  Identifier,
  PolicyGroup,
  QualifiedName,
  Statement,
} from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement, quoteIdentifier, quoteString } from '../syntax/printer.js';
import { unquote } from '../syntax/unquote.js';
import { targetError } from './failure.js';
import type { LiveAccessEntity } from './types.js';

// Access control for the embedded engine, emulated. chDB (ClickHouse 26.7 in-process) has no
// writable access storage: its clickhouse-local keeps only `users_xml` and ignores `user_directories`
// (`local_directory`, `memory`), so CREATE USER fails with Code 514. ClickPlan keeps the users,
// roles, row policies, quotas, settings profiles and grants the statements create in this catalog
// instead, refusing what ClickHouse refuses (a duplicate name, an unknown user or role), and shows
// them back as `SHOW CREATE` and `SHOW GRANTS` print them. Nothing here is enforced: no login and
// no privilege check ever reads it. Passwords never enter it: a user keeps its method only.

/** Bumped when the catalog's JSON changes incompatibly. */
export const ACCESS_CATALOG_FORMAT = 1;

export interface AccessCatalog {
  format: typeof ACCESS_CATALOG_FORMAT;
  entities: CatalogEntity[];
  grants: GrantTuple[];
}

export interface CatalogEntity {
  kind: LiveAccessEntity['kind'];
  /** As `system.<kind>s.name` has it; a row policy's is `name ON db.table`. */
  name: string;
  /** The CREATE statement without IF NOT EXISTS, ON CLUSTER, authentication and default clauses. */
  definition: string;
  /** A user's authentication method as SHOW CREATE USER prints it (`sha256_password`), never its secret. */
  authentication?: string;
}

export function emptyAccessCatalog(): AccessCatalog {
  return { format: ACCESS_CATALOG_FORMAT, entities: [], grants: [] };
}

const KINDS: Record<AccessEntityKind, LiveAccessEntity['kind']> = {
  USER: 'user',
  ROLE: 'role',
  'ROW POLICY': 'row-policy',
  QUOTA: 'quota',
  'SETTINGS PROFILE': 'settings-profile',
};

/** What SQL-driven access control a statement is: the access statements the catalog runs. */
export function isAccessStatement(statement: Statement): boolean {
  if (statement.kind === 'CreateAccessEntity' || statement.kind === 'Grant' || statement.kind === 'Revoke') return true;
  if (statement.kind === 'Other') return statement.alteration !== undefined;
  return statement.kind === 'Drop' && (Object.keys(KINDS) as string[]).includes(statement.objectKind);
}

/** ClickHouse's own refusal: its error code and words (`There is no role \`r\` in \`user directories\``). */
function refuse(serverCode: number, serverMessage: string): never {
  throw targetError({ code: 'target-statement-failed', serverCode, serverMessage, message: serverMessage });
}

/** A form the emulation does not run: said as such, never silently skipped. */
function notEmulated(what: string): never {
  throw targetError({
    code: 'target-statement-failed',
    message: `the embedded engine's emulated access control does not run ${what}`,
    help: 'Write the statement with whole clauses (CREATE, or ALTER that restates a clause), or run it against a server (--target http(s)://...).',
  });
}

function missing(kind: LiveAccessEntity['kind'], name: string): never {
  const what = kind.replace('-', ' ');
  if (kind === 'user') refuse(192, `There is no user \`${name}\` in \`user directories\``);
  if (kind === 'role') refuse(511, `There is no role \`${name}\` in \`user directories\``);
  refuse(492, `There is no ${what} \`${name}\` in \`user directories\``);
}

/** The catalog after one access statement; throws TargetError with ClickHouse's code where ClickHouse would refuse it. */
export function runAccessStatement(catalog: AccessCatalog, statement: Statement, database: string): AccessCatalog {
  switch (statement.kind) {
    case 'CreateAccessEntity':
      return create(catalog, statement, database);
    case 'Grant':
    case 'Revoke':
      return grant(catalog, statement, database);
    case 'Drop':
      return drop(catalog, statement, database);
    case 'Other':
      if (statement.alteration) return alter(catalog, alterationOf(statement) ?? statement.alteration, database);
      return notEmulated(`\`${statement.keyword}\``);
    default:
      return notEmulated(`a ${statement.kind} statement`);
  }
}

const find = (catalog: AccessCatalog, kind: LiveAccessEntity['kind'], name: string) => catalog.entities.find((e) => e.kind === kind && e.name === name);

/** Names a statement gives: a row policy's is `name ON db.table`, one per table. */
function entityNames(statement: { entity: AccessEntityKind; names: Identifier[]; on?: QualifiedName[]; policies?: PolicyGroup[] }, database: string): string[] {
  if (statement.entity !== 'ROW POLICY') return statement.names.map((n) => n.name);
  // `p1 ON t1, p2 ON t2` names two policies; `p1, p2 ON t1, t2` each name on each table.
  const groups = statement.policies ?? [{ names: statement.names, on: statement.on ?? [] }];
  return groups.flatMap((group) => group.names.flatMap((n) => group.on.map((t) => `${n.name} ON ${t.database?.name ?? database}.${t.name.name}`)));
}

function create(catalog: AccessCatalog, statement: CreateAccessEntityStatement, database: string): AccessCatalog {
  const kind = KINDS[statement.entity];
  let next = catalog;
  for (const name of entityNames(statement, database)) {
    const existing = find(next, kind, name);
    if (existing && statement.ifNotExists) continue;
    if (existing && !statement.orReplace)
      refuse(493, `${kind.replace('-', ' ')} \`${name}\`: cannot insert because ${kind.replace('-', ' ')} \`${name}\` already exists in \`user directories\``);
    const entity = catalogEntity(statement, kind, name);
    const withoutOld = existing ? dropEntity(next, kind, name) : next;
    next = { ...withoutOld, entities: [...withoutOld.entities, entity] };
    // `CREATE USER u ROLE r` and `CREATE USER u DEFAULT ROLE r` grant r to the new user.
    const roles = rolesGrantedAtCreate(statement);
    if (roles.length > 0) next = grantRoles(next, name, roles);
  }
  return next;
}

/** One entity as the catalog keeps it: its CREATE for one name, without what SHOW CREATE leaves out. */
function catalogEntity(statement: CreateAccessEntityStatement, kind: LiveAccessEntity['kind'], name: string): CatalogEntity {
  const single: CreateAccessEntityStatement = {
    ...statement,
    ifNotExists: false,
    orReplace: false,
    clauses: statement.clauses.filter((c) => !c.keyword.endsWith('IDENTIFIED') && c.keyword !== 'ROLE' && !isDefaultClause(c)),
  };
  delete single.onCluster;
  delete single.identification;
  if (statement.entity === 'ROW POLICY') {
    const [short, table] = name.split(' ON ');
    const [db, tableName] = splitTable(table);
    const at = { start: 0, end: 0 };
    single.names = [{ kind: 'Identifier', name: short, quoted: true, ...at }];
    single.on = [
      {
        kind: 'QualifiedName',
        database: { kind: 'Identifier', name: db, quoted: true, ...at },
        name: { kind: 'Identifier', name: tableName, quoted: true, ...at },
        ...at,
      },
    ];
  } else single.names = [statement.names.find((n) => n.name === name) ?? { kind: 'Identifier', name, quoted: true, start: 0, end: 0 }];
  const entity: CatalogEntity = { kind, name, definition: printStatement(single) };
  if (kind === 'user') entity.authentication = storedAuthentication(statement.identification);
  return entity;
}

function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

function grantRoles(catalog: AccessCatalog, grantee: string, roles: string[]): AccessCatalog {
  for (const role of roles) if (!find(catalog, 'role', role)) missing('role', role);
  const grants = [...catalog.grants];
  for (const role of roles)
    if (!grants.some((g) => g.grantee === grantee && g.privilege === `role:${role}`))
      grants.push({ grantee, privilege: `role:${role}`, database: '*', table: '*', option: false });
  return { ...catalog, grants };
}

function alter(catalog: AccessCatalog, alteration: CreateAccessEntityStatement, database: string): AccessCatalog {
  const kind = KINDS[alteration.entity];
  let next = catalog;
  for (const name of entityNames(alteration, database)) {
    const entity = find(next, kind, name);
    if (!entity) missing(kind, name);
    const stored = parseSql(entity.definition).statements[0];
    if (stored?.kind !== 'CreateAccessEntity') throw new Error(`the access catalog holds an unreadable ${kind} ${name}: ${entity.definition}`);
    // A default role must be granted first (SET_NON_GRANTED_ROLE), for ALTER USER and SET DEFAULT ROLE alike.
    for (const role of kind === 'user' ? defaultRoleNames(alteration) : [])
      if (!next.grants.some((g) => g.grantee === name && g.privilege === `role:${role}`)) refuse(512, `Role \`${role}\` should be granted to set as default`);
    const rename = alteration.clauses.find((c) => c.keyword === 'RENAME TO');
    const altered = alteredAccessEntity(stored, { ...alteration, clauses: alteration.clauses.filter((c) => c !== rename) });
    if ('unsupported' in altered) notEmulated(`\`ALTER ${alteration.entity} ... ${altered.unsupported}\``);
    const newName = rename ? renamed(kind, name, rename.text) : name;
    if (newName !== name && find(next, kind, newName))
      refuse(
        493,
        `${kind.replace('-', ' ')} \`${newName}\`: cannot rename to \`${newName}\` because ${kind.replace('-', ' ')} \`${newName}\` already exists in \`user directories\``,
      );
    const replacement = catalogEntity(altered.definition, kind, newName);
    if (kind === 'user' && !alteration.clauses.some((c) => c.keyword.endsWith('IDENTIFIED'))) replacement.authentication = entity.authentication;
    next = { ...next, entities: next.entities.map((e) => (e === entity ? replacement : e)) };
    if (newName !== name && (kind === 'user' || kind === 'role')) next = { ...next, grants: next.grants.map((g) => renamedGrant(g, kind, name, newName)) };
    if (newName !== name) next = { ...next, entities: next.entities.map((e) => withRenamedReferences(e, kind, name, newName)) };
  }
  return next;
}

/** Clauses that name users and roles (`DEFAULT ROLE r`, `TO r`, `GRANTEES r`), and settings profiles (`SETTINGS PROFILE 'p'`). */
const REFERRING_CLAUSES: Partial<Record<LiveAccessEntity['kind'], string[]>> = {
  user: ['TO', 'GRANTEES'],
  role: ['DEFAULT ROLE', 'TO', 'GRANTEES'],
  'settings-profile': ['SETTINGS'],
};

/**
 * An entity whose clauses name a renamed one, naming the new name: ClickHouse keeps these
 * references by id, so `SHOW CREATE USER u` prints `DEFAULT ROLE new` after `ALTER ROLE old RENAME TO new`.
 */
function withRenamedReferences(entity: CatalogEntity, kind: LiveAccessEntity['kind'], from: string, to: string): CatalogEntity {
  const keywords = REFERRING_CLAUSES[kind];
  if (!keywords) return entity;
  const statement = parseSql(entity.definition).statements[0];
  if (statement?.kind !== 'CreateAccessEntity') return entity;
  let changed = false;
  const clauses = statement.clauses.map((clause) => {
    if (!keywords.includes(clause.keyword)) return clause;
    const text = renamedInClause(clause.text, kind, from, to);
    if (text === clause.text) return clause;
    changed = true;
    return { ...clause, text };
  });
  return changed ? { ...entity, definition: printStatement({ ...statement, clauses }) } : entity;
}

/** A clause's text with each mention of `from` (a name, or a profile's string) spelled `to`. */
function renamedInClause(text: string, kind: LiveAccessEntity['kind'], from: string, to: string): string {
  let out = '';
  let at = 0;
  let previous = '';
  for (const token of lexSql(text)) {
    if (token.kind === 'Whitespace' || token.kind === 'Comment') continue;
    const raw = text.slice(token.start, token.end);
    const before = previous;
    previous = raw.toUpperCase();
    const isName = (token.kind === 'BareWord' && raw === from) || (token.kind === 'QuotedIdentifier' && unquote(raw) === from);
    let replacement: string | undefined;
    // In SETTINGS, a profile is the name after PROFILE (`PROFILE 'p'`), not a setting's value.
    if (kind === 'settings-profile') {
      if (before === 'PROFILE' || before === 'PROFILES')
        replacement = token.kind === 'String' && unquote(raw) === from ? quoteString(to) : isName ? quoteIdentifier(to) : undefined;
    } else if (isName) replacement = quoteIdentifier(to);
    if (replacement === undefined) continue;
    out += text.slice(at, token.start) + replacement;
    at = token.end;
  }
  return out + text.slice(at);
}

/** The name after `RENAME TO new`: a row policy keeps its table. */
function renamed(kind: LiveAccessEntity['kind'], name: string, clause: string): string {
  const token = lexSql(clause).filter((t) => t.kind !== 'Whitespace' && t.kind !== 'Comment' && t.kind !== 'EndOfInput')[2];
  const text = token ? clause.slice(token.start, token.end) : '';
  const newName = token?.kind === 'BareWord' ? text : unquote(text);
  return kind === 'row-policy' ? `${newName} ON ${name.split(' ON ')[1]}` : newName;
}

/** Grants follow a renamed user or role, as ClickHouse keeps them by id: those it holds, and those of it. */
function renamedGrant(grant: GrantTuple, kind: 'user' | 'role', from: string, to: string): GrantTuple {
  const grantee = grant.grantee === from ? to : grant.grantee;
  const privilege = kind === 'role' && grant.privilege === `role:${from}` ? `role:${to}` : grant.privilege;
  return grantee === grant.grantee && privilege === grant.privilege ? grant : { ...grant, grantee, privilege };
}

function drop(catalog: AccessCatalog, statement: DropStatement, database: string): AccessCatalog {
  const entity = statement.objectKind as AccessEntityKind;
  const kind = KINDS[entity];
  const names = entityNames(
    {
      entity,
      names: statement.names.map((n) => n.name),
      ...(statement.on ? { on: statement.on } : {}),
      ...(statement.policies ? { policies: statement.policies } : {}),
    },
    database,
  );
  let next = catalog;
  for (const name of names) {
    if (!find(next, kind, name)) {
      if (statement.ifExists) continue;
      missing(kind, name);
    }
    next = dropEntity(next, kind, name);
  }
  return next;
}

/** Removes an entity with the grants it holds and, for a role, the grants of it. */
function dropEntity(catalog: AccessCatalog, kind: LiveAccessEntity['kind'], name: string): AccessCatalog {
  const holds = kind === 'user' || kind === 'role';
  return {
    ...catalog,
    entities: catalog.entities.filter((e) => !(e.kind === kind && e.name === name)),
    grants: holds ? catalog.grants.filter((g) => g.grantee !== name && !(kind === 'role' && g.privilege === `role:${name}`)) : catalog.grants,
  };
}

function grant(catalog: AccessCatalog, written: GrantStatement, database: string): AccessCatalog {
  const statement = withCurrentGrants(written);
  // CURRENT_USER is the engine's own `default` user, of users.xml: a storage ClickHouse cannot change.
  if (statement.grantees.some(isCurrentUser)) refuse(495, 'Cannot update user `default` in users_xml because this storage is readonly');
  const grantees = granteesOf(catalog, statement);
  // ClickHouse looks up the grantees first, then the roles granted (measured on 26.7: both are "no role").
  for (const grantee of grantees) if (!find(catalog, 'user', grantee.name) && !find(catalog, 'role', grantee.name)) missing('role', grantee.name);
  for (const except of statement.exceptGrantees ?? [])
    if (!find(catalog, 'user', except.name) && !find(catalog, 'role', except.name)) missing('role', except.name);
  const resolved: GrantStatement = { ...statement, grantees };
  delete resolved.exceptGrantees;
  for (const tuple of grantTuples(resolved, database))
    if (isRoleGrant(tuple) && !find(catalog, 'role', tuple.privilege.slice(5))) missing('role', tuple.privilege.slice(5));
  try {
    return { ...catalog, grants: withStatement(catalog.grants, resolved, database) };
  } catch (error) {
    if (error instanceof UnsupportedGrantError)
      throw targetError({
        code: 'target-statement-failed',
        message: `the embedded engine's emulated access control does not run this ${statement.kind.toUpperCase()}: ${error.message}`,
        help: 'Grant the privileges of the group one by one, or revoke at a narrower place than the grant, or run it against a server (--target http(s)://...).',
      });
    throw error;
  }
}

const isCurrentUser = (name: Identifier) => !name.quoted && name.name.toUpperCase() === 'CURRENT_USER';

/**
 * The grantees a statement names. `REVOKE ... FROM ALL [EXCEPT ...]` takes from every user and role;
 * in a GRANT, ClickHouse reads `ALL` as a name (`TO \`ALL\``, measured with formatQuery on 26.7).
 */
function granteesOf(catalog: AccessCatalog, statement: GrantStatement): Identifier[] {
  const all = statement.kind === 'Revoke' && statement.grantees.some((g) => !g.quoted && g.name.toUpperCase() === 'ALL');
  if (!all) return statement.grantees;
  const except = new Set((statement.exceptGrantees ?? []).map((g) => g.name));
  const at = { start: 0, end: 0 };
  return catalog.entities
    .filter((e) => (e.kind === 'user' || e.kind === 'role') && !except.has(e.name))
    .map((e) => ({ kind: 'Identifier', name: e.name, quoted: true, ...at }));
}

/**
 * `GRANT CURRENT GRANTS(list)`: the privileges of the list that the current user holds. The
 * engine's user is `default` of users.xml, which holds every privilege with the grant option, so
 * it grants the list; without one, `CURRENT GRANTS ON db.*` is `ALL ON db.*` (formatQuery on 26.7
 * prints it so).
 */
function withCurrentGrants(statement: GrantStatement): GrantStatement {
  if (!statement.currentGrants) return statement;
  const privileges =
    statement.privileges.length > 0 || !statement.on
      ? statement.privileges
      : [{ kind: 'Privilege' as const, name: 'ALL', on: statement.on, start: statement.on.start, end: statement.on.end }];
  return { ...statement, currentGrants: false, privileges };
}

/**
 * `SHOW CREATE` of an entity: its CREATE in ClickHouse's own formatting (`format`, chDB's
 * `formatQuery`: clause order, quoting, spelling), with a user's `IDENTIFIED WITH method` after its
 * name as SHOW CREATE USER prints it (no secret).
 */
export function showCreate(entity: CatalogEntity, format: (sql: string) => string): string {
  const formatted = format(entity.definition);
  if (entity.kind !== 'user' || !entity.authentication) return formatted;
  const statement = parseSql(entity.definition).statements[0];
  if (statement?.kind !== 'CreateAccessEntity') return formatted;
  const prefix = format(printStatement({ ...statement, clauses: [] }));
  if (!formatted.startsWith(prefix)) return formatted;
  return `${prefix} IDENTIFIED WITH ${entity.authentication}${formatted.slice(prefix.length)}`;
}
