import type { CreateAccessEntityStatement, GrantStatement, GrantTarget, Identification, Identifier, Privilege, QualifiedName } from '../ast.js';
import { printIdentifier, printOnCluster, quoteIdentifier, quoteString, unprintable } from './text.js';

// Access control: CREATE USER/ROLE/... and GRANT/REVOKE. Secrets are printed as they are in the
// tree: the printer is not a redactor.

/** `ALL`, `ANY`, `CURRENT_USER` in a role list are keywords, not names. */
const ROLE_KEYWORDS = new Set(['ALL', 'ANY', 'CURRENT_USER', 'NONE']);

/**
 * A user or role name where one is referred to (GRANT ... TO, DROP USER). The parser keeps
 * `john@'10.%'` as the name `john@10.%`, as ClickHouse stores it; ClickHouse refers to that user
 * as `` `john@10.%` `` too, and so does this.
 */
export function printUserName(name: Identifier): string {
  if (!name.quoted && ROLE_KEYWORDS.has(name.name.toUpperCase())) return name.name.toUpperCase();
  return quoteIdentifier(name.name);
}

/** A user created with a host: `john@'10.%'`, because in CREATE USER the host part restricts where the user may connect from. */
function printCreatedUserName(name: Identifier): string {
  const at = name.name.lastIndexOf('@');
  if (at <= 0) return quoteIdentifier(name.name);
  return `${quoteIdentifier(name.name.slice(0, at))}@${quoteString(name.name.slice(at + 1))}`;
}

/**
 * `CREATE USER|ROLE|ROW POLICY|QUOTA|SETTINGS PROFILE`. The tree keeps the names, the cluster and the
 * authentication; other clauses (HOST, DEFAULT ROLE, SETTINGS with their constraints and profiles,
 * quota limits, policy filters, TO roles...) are kept as their source text and printed as written,
 * in their order. An authentication the tree cannot reproduce is printed as written too.
 */
export function printCreateAccessEntity(statement: CreateAccessEntityStatement): string {
  const what = `CREATE ${statement.entity}`;
  const names = statement.entity === 'USER' ? statement.names.map(printCreatedUserName) : statement.names.map((n) => quoteIdentifier(n.name));
  let text = `${statement.verb} ${statement.entity}${statement.ifNotExists ? ' IF NOT EXISTS' : ''}${statement.orReplace ? ' OR REPLACE' : ''} ${names.join(', ')}`;
  text += printOnCluster(statement.onCluster);
  if (statement.on) text += ` ON ${statement.on.map(printPolicyTable).join(', ')}`;
  for (const clause of statement.clauses) {
    if (clause.keyword.endsWith('IDENTIFIED') && statement.identification) {
      let identification: string;
      try {
        identification = printIdentification(statement.identification, clause.keyword === 'NOT IDENTIFIED', what);
      } catch {
        identification = clause.text;
      }
      text += ` ${identification}`;
    } else text += ` ${clause.text}`;
  }
  return text;
}

/** `db.t`, `db.*` or `*`: the tables of a row policy. */
function printPolicyTable(table: QualifiedName): string {
  const name = table.name.name === '*' && !table.name.quoted ? '*' : printIdentifier(table.name);
  return table.database ? `${printIdentifier(table.database)}.${name}` : name;
}

/** Methods followed by `BY 'secret'`, and those that may add `SALT 'salt'`. */
const SECRET_METHODS = new Set([
  'plaintext_password',
  'sha256_password',
  'double_sha1_password',
  'bcrypt_password',
  'scram_sha256_password',
  'double_sha1_hash',
  'bcrypt_hash',
]);
const SALTED_METHODS = new Set(['sha256_hash', 'scram_sha256_hash']);

/**
 * `NOT IDENTIFIED`, `IDENTIFIED BY 'x'`, `IDENTIFIED WITH method BY 'x' [SALT 's']`. The tree keeps the
 * first method and the secrets of all; methods whose arguments are not secrets (LDAP servers, Kerberos
 * realms, certificates, SSH keys) and several methods at once cannot be printed from it.
 */
function printIdentification(identification: Identification, notIdentified: boolean, what: string): string {
  const { method, secrets } = identification;
  const by = (count: number) => {
    if (secrets.length !== count) unprintable(what, `its IDENTIFIED clause has ${secrets.length} secrets where one method takes ${count}`);
    if (count === 0) return '';
    return ` BY ${quoteString(secrets[0].value)}${count === 2 ? ` SALT ${quoteString(secrets[1].value)}` : ''}`;
  };
  if (method === undefined) return `IDENTIFIED${by(1)}`;
  if (method === 'no_password' && notIdentified) return 'NOT IDENTIFIED';
  if (method === 'no_password' || method === 'no_authentication') return `IDENTIFIED WITH ${method}${by(0)}`;
  if (SECRET_METHODS.has(method)) return `IDENTIFIED WITH ${method}${by(1)}`;
  if (SALTED_METHODS.has(method)) return `IDENTIFIED WITH ${method}${by(secrets.length === 2 ? 2 : 1)}`;
  return unprintable(what, `the syntax tree does not keep the arguments of IDENTIFIED WITH ${method}`);
}

// ---------------------------------------------------------------- GRANT and REVOKE

/**
 * `GRANT [ON CLUSTER c] SELECT(a, b), INSERT ON db.t, ALTER ON db2.* TO u [WITH GRANT OPTION] [WITH REPLACE OPTION]`,
 * `GRANT role TO u [WITH ADMIN OPTION]`, `REVOKE [GRANT OPTION FOR] ... FROM u`.
 */
export function printGrant(statement: GrantStatement): string {
  const isGrant = statement.kind === 'Grant';
  let text = isGrant ? 'GRANT' : 'REVOKE';
  text += printOnCluster(statement.onCluster);
  if (!isGrant && statement.withGrantOption) text += ' GRANT OPTION FOR';
  if (!isGrant && statement.withAdminOption) text += ' ADMIN OPTION FOR';
  if (statement.currentGrants) {
    text +=
      statement.privileges.length > 0
        ? ` CURRENT GRANTS(${printPrivileges(statement.privileges)})`
        : ` CURRENT GRANTS ON ${printTarget(requireTarget(statement.on))}`;
  } else {
    text += ` ${printPrivileges(statement.privileges)}`;
  }
  text += ` ${isGrant ? 'TO' : 'FROM'} ${statement.grantees.map(printUserName).join(', ')}`;
  if (statement.exceptGrantees) text += ` EXCEPT ${statement.exceptGrantees.map(printUserName).join(', ')}`;
  if (isGrant && statement.withGrantOption) text += ' WITH GRANT OPTION';
  if (isGrant && statement.withAdminOption) text += ' WITH ADMIN OPTION';
  if (statement.withReplaceOption) text += ' WITH REPLACE OPTION';
  return text;
}

function requireTarget(target: GrantTarget | undefined): GrantTarget {
  return target ?? unprintable('GRANT CURRENT GRANTS', 'it has neither privileges nor a target');
}

/** Privileges grouped by consecutive equal targets: `SELECT, INSERT ON db.t, ALTER ON db2.*`; role names have no target. */
function printPrivileges(privileges: Privilege[]): string {
  const groups: { target?: GrantTarget; items: string[] }[] = [];
  for (const privilege of privileges) {
    const item = privilege.on
      ? `${privilege.name}${privilege.columns ? `(${privilege.columns.map((c) => quoteIdentifier(c.name)).join(', ')})` : ''}`
      : printUserName({ kind: 'Identifier', name: privilege.name, quoted: true, start: 0, end: 0 });
    const last = groups[groups.length - 1];
    if (last && sameTarget(last.target, privilege.on)) last.items.push(item);
    else groups.push({ target: privilege.on, items: [item] });
  }
  return groups.map((g) => `${g.items.join(', ')}${g.target ? ` ON ${printTarget(g.target)}` : ''}`).join(', ');
}

function sameTarget(a: GrantTarget | undefined, b: GrantTarget | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.database === b.database && a.table === b.table);
}

/** `*.*`, `db.*`, `db.t`, `db.events_*` (every table whose name starts with `events_`), `t`, or a parameter (`S3`). */
function printTarget(target: GrantTarget): string {
  const name = (value: string) => (value === '*' ? '*' : value.endsWith('*') ? `${quoteIdentifier(value.slice(0, -1))}*` : quoteIdentifier(value));
  return target.database === undefined ? name(target.table) : `${name(target.database)}.${name(target.table)}`;
}
