import type { GrantStatement } from '../syntax/ast.js';
import { quoteIdentifier } from '../syntax/printer.js';
import { findPrivilege, PARAMETER_LEVELS, privilegeRank } from '../syntax/privileges.js';

// Grants as state: what GRANT and REVOKE leave behind, one tuple per grantee, privilege and place,
// and the lines `SHOW GRANTS FOR` prints for them. The repository's grants (replayed), a target's
// (read back) and the embedded engine's emulated ones are all this.

/** One grant: who, what, where (`*` for any). A role granted to someone has privilege `role:<name>` and place `*.*`. */
export interface GrantTuple {
  grantee: string;
  privilege: string;
  database: string;
  table: string;
  /** `SELECT(a, b)`: the columns, sorted and joined by `, `. */
  columns?: string;
  /** WITH GRANT OPTION (privileges) or WITH ADMIN OPTION (roles). */
  option: boolean;
}

const ROLE = 'role:';

export const isRoleGrant = (tuple: GrantTuple) => tuple.privilege.startsWith(ROLE);

/** The tuples one GRANT or REVOKE names; unqualified places are in `currentDatabase`. */
export function grantTuples(statement: GrantStatement, currentDatabase: string): GrantTuple[] {
  const out: GrantTuple[] = [];
  const option = statement.withGrantOption || statement.withAdminOption;
  for (const grantee of statement.grantees)
    for (const privilege of statement.privileges) {
      if (!privilege.on) {
        out.push({ grantee: grantee.name, privilege: `${ROLE}${privilege.name}`, database: '*', table: '*', option });
        continue;
      }
      const levels = findPrivilege(privilege.name.toUpperCase())?.levels;
      const isParameter = levels !== undefined && levels.size > 0 && [...levels].every((l) => PARAMETER_LEVELS.has(l));
      const tuple: GrantTuple = {
        grantee: grantee.name,
        privilege: privilege.name,
        database: privilege.on.database ?? (isParameter ? '' : currentDatabase),
        table: privilege.on.table,
        option,
      };
      if (privilege.columns)
        tuple.columns = privilege.columns
          .map((c) => c.name)
          .sort()
          .join(', ');
      out.push(tuple);
    }
  return out;
}

/** Whether a granted tuple includes a wanted one: the same grantee, ALL or the same privilege, a wildcard or the same place, at least the option. */
export function covers(granted: GrantTuple, wanted: GrantTuple, options: { option?: boolean } = {}): boolean {
  if (granted.grantee !== wanted.grantee) return false;
  if (options.option !== false && wanted.option && !granted.option) return false;
  if (granted.privilege !== wanted.privilege && !(granted.privilege === 'ALL' && !isRoleGrant(wanted))) return false;
  if (granted.columns !== undefined && granted.columns !== wanted.columns) return false;
  return (granted.database === '*' || granted.database === wanted.database) && (granted.table === '*' || granted.table === wanted.table);
}

/**
 * What a sequence of GRANT and REVOKE leaves: a GRANT adds what is not held yet (or the option to
 * what is held without it), WITH REPLACE OPTION first takes away the grantee's privileges (or roles),
 * a REVOKE takes away every tuple it covers (GRANT/ADMIN OPTION FOR: only the option). A REVOKE
 * narrower than a grant (a partial revoke) is not kept: see docs/access-emulation.md.
 */
export function effectiveGrants(statements: readonly { statement: GrantStatement; database: string }[]): GrantTuple[] {
  let held: GrantTuple[] = [];
  for (const { statement, database } of statements) held = withStatement(held, statement, database);
  return held;
}

/** The grants after one more GRANT or REVOKE. */
export function withStatement(held: GrantTuple[], statement: GrantStatement, database: string): GrantTuple[] {
  const tuples = grantTuples(statement, database);
  if (statement.kind === 'Revoke') {
    const optionOnly = statement.withGrantOption || statement.withAdminOption;
    return held.flatMap((h) => {
      if (!tuples.some((t) => covers({ ...t, option: true }, h, { option: false }))) return [h];
      return optionOnly ? [{ ...h, option: false }] : [];
    });
  }
  let next = held;
  if (statement.withReplaceOption) {
    const grantees = new Set(tuples.map((t) => t.grantee));
    const roles = tuples.some(isRoleGrant);
    next = next.filter((h) => !grantees.has(h.grantee) || isRoleGrant(h) !== roles);
  }
  for (const tuple of tuples) {
    if (next.some((h) => covers(h, tuple))) continue;
    next = [...next.filter((h) => !covers(tuple, h)), tuple];
  }
  return next;
}

/** `db.*`, `*.*`, `db.t`, or a parameter (`S3`), as SHOW GRANTS prints it. */
function printPlace(tuple: GrantTuple): string {
  const name = (value: string) => (value === '*' ? '*' : value.endsWith('*') ? `${quoteIdentifier(value.slice(0, -1))}*` : quoteIdentifier(value));
  return tuple.database === '' ? name(tuple.table) : `${name(tuple.database)}.${name(tuple.table)}`;
}

/**
 * The lines `SHOW GRANTS FOR grantee` prints for these tuples: privileges on one place with the same
 * option on one line, in `system.privileges` order; global places first, then by database and
 * table; granted roles last (`GRANT r1, r2 TO u`).
 */
export function showGrantsLines(tuples: readonly GrantTuple[], grantee: string): string[] {
  const own = tuples.filter((t) => t.grantee === grantee);
  const lines = new Map<string, { sort: string; items: GrantTuple[] }>();
  for (const tuple of own) {
    if (isRoleGrant(tuple)) continue;
    const place = printPlace(tuple);
    const sort = `${tuple.database === '*' ? '' : '1'}${tuple.database}\u0000${tuple.table === '*' ? '' : '1'}${tuple.table}\u0000${tuple.option ? 1 : 0}`;
    const key = `${place}|${tuple.option}`;
    const line = lines.get(key) ?? { sort, items: [] };
    line.items.push(tuple);
    lines.set(key, line);
  }
  const to = `TO ${quoteIdentifier(grantee)}`;
  const out = [...lines.values()]
    .sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))
    .map(({ items }) => {
      const privileges = [...items]
        .sort((a, b) => privilegeRank(a.privilege) - privilegeRank(b.privilege))
        .map((t) => `${t.privilege}${t.columns ? `(${t.columns})` : ''}`);
      return `GRANT ${privileges.join(', ')} ON ${printPlace(items[0])} ${to}${items[0].option ? ' WITH GRANT OPTION' : ''}`;
    });
  for (const option of [false, true]) {
    const roles = own.filter((t) => isRoleGrant(t) && t.option === option).map((t) => quoteIdentifier(t.privilege.slice(ROLE.length)));
    if (roles.length > 0) out.push(`GRANT ${roles.join(', ')} ${to}${option ? ' WITH ADMIN OPTION' : ''}`);
  }
  return out;
}
