import type { GrantStatement } from '../syntax/ast.js';
import { quoteIdentifier } from '../syntax/printer.js';
import { findPrivilege, isPrivilegeWithin, PARAMETER_LEVELS, privilegeRank } from '../syntax/privileges.js';

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
  /** WITH GRANT OPTION (privileges) or WITH ADMIN OPTION (roles); on a revoke, GRANT OPTION FOR (the option only). */
  option: boolean;
  /** A partial revoke: taken away here from a wider grant (`REVOKE SELECT ON db.t` under `GRANT SELECT ON db.*`). */
  revoke?: boolean;
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
 * What a sequence of GRANT and REVOKE leaves, as ClickHouse's AccessRights tree keeps it: a GRANT
 * adds what is not held yet (or the option to what is held without it) and clears the revokes under
 * it, WITH REPLACE OPTION first takes away the grantee's privileges (or roles), and a REVOKE takes
 * away what it covers and, under a wider grant, stays as a partial revoke (`REVOKE SELECT(c) ON
 * db.t` below `GRANT SELECT ON db.*`), as `SHOW GRANTS` prints it. Throws UnsupportedGrantError
 * where the result is not a list of GRANT and REVOKE lines of the privileges written (a REVOKE of
 * part of a group granted at the same place: `GRANT ALL ON db.*` then `REVOKE DROP ON db.*`).
 */
export function effectiveGrants(statements: readonly { statement: GrantStatement; database: string }[]): GrantTuple[] {
  let held: GrantTuple[] = [];
  for (const { statement, database } of statements) held = withStatement(held, statement, database);
  return held;
}

/** A GRANT or REVOKE whose result the tuples cannot hold; the message says what it is. */
export class UnsupportedGrantError extends Error {}

/** The grants after one more GRANT or REVOKE. */
export function withStatement(held: GrantTuple[], statement: GrantStatement, database: string): GrantTuple[] {
  const tuples = grantTuples(statement, database);
  let next = held;
  if (statement.kind === 'Grant' && statement.withReplaceOption) {
    const grantees = new Set(tuples.map((t) => t.grantee));
    const roles = tuples.some(isRoleGrant);
    next = next.filter((h) => !grantees.has(h.grantee) || isRoleGrant(h) !== roles);
  }
  const optionOnly = statement.kind === 'Revoke' && (statement.withGrantOption || statement.withAdminOption);
  for (const tuple of tuples) {
    if (isRoleGrant(tuple)) next = withRoleGrant(next, tuple, statement.kind === 'Revoke', optionOnly);
    else
      for (const single of byColumn(tuple)) next = statement.kind === 'Revoke' ? withRevoke(next, { ...single, option: optionOnly }) : withGrant(next, single);
  }
  return joinColumns(next);
}

/** Roles granted: no places, so no partial revokes. */
function withRoleGrant(held: GrantTuple[], tuple: GrantTuple, revoke: boolean, optionOnly: boolean): GrantTuple[] {
  const same = (h: GrantTuple) => h.grantee === tuple.grantee && h.privilege === tuple.privilege;
  if (revoke) return held.flatMap((h) => (!same(h) ? [h] : optionOnly ? [{ ...h, option: false }] : []));
  if (held.some((h) => same(h) && (h.option || !tuple.option))) return held;
  return [...held.filter((h) => !same(h)), tuple];
}

/** A tuple per column (`SELECT(a, b)` is `SELECT(a)` and `SELECT(b)`), as the rights tree has a node per column. */
function byColumn(tuple: GrantTuple): GrantTuple[] {
  if (tuple.columns === undefined) return [tuple];
  return tuple.columns.split(', ').map((column) => ({ ...tuple, columns: column }));
}

/** Tuples that differ in their column only, joined again: `SELECT(a, b)`, as SHOW GRANTS prints them. */
function joinColumns(tuples: GrantTuple[]): GrantTuple[] {
  const out: GrantTuple[] = [];
  const joined = new Map<string, GrantTuple>();
  for (const tuple of tuples) {
    if (tuple.columns === undefined) {
      out.push(tuple);
      continue;
    }
    const key = [tuple.grantee, tuple.privilege, tuple.database, tuple.table, tuple.option, tuple.revoke === true].join('\u0000');
    const into = joined.get(key);
    if (!into) {
      const copy = { ...tuple };
      joined.set(key, copy);
      out.push(copy);
    } else into.columns = [...new Set([...(into.columns ?? '').split(', '), ...tuple.columns.split(', ')])].sort().join(', ');
  }
  for (const tuple of joined.values()) tuple.columns = [...new Set(tuple.columns?.split(', '))].sort().join(', ');
  return out;
}

/** A place as a path: `[]` for `*.*`, `[db]`, `[db, t]`, `[db, t, c]`; a parameter (`S3`) is `['', S3]`. */
function pathOf(tuple: GrantTuple): string[] {
  if (tuple.database === '*') return [];
  if (tuple.table === '*') return [tuple.database];
  return tuple.columns === undefined ? [tuple.database, tuple.table] : [tuple.database, tuple.table, tuple.columns];
}

/** Whether a path is at or under another: each name equal, or matched by a wildcard (`db*`). */
function isUnder(path: string[], above: string[]): boolean {
  if (path.length < above.length) return false;
  return above.every((name, i) => name === path[i] || (name.endsWith('*') && name !== '*' && path[i].startsWith(name.slice(0, -1))));
}

/** How specific a path is: deeper first, then a name before a wildcard, a longer wildcard before a shorter one. */
function specificity(path: string[]): number[] {
  return [path.length, ...path.map((name) => (name.endsWith('*') ? name.length - 1 : 1_000_000))];
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? -1) !== (b[i] ?? -1)) return (a[i] ?? -1) - (b[i] ?? -1);
  return 0;
}

/**
 * Whether `held` gives `wanted` (its privilege at its place, with the option if it has one): the
 * most specific grant or revoke above the place decides, as in ClickHouse's rights tree.
 */
export function isGranted(held: readonly GrantTuple[], wanted: GrantTuple): boolean {
  if (isRoleGrant(wanted))
    return held.some((h) => !h.revoke && h.grantee === wanted.grantee && h.privilege === wanted.privilege && (h.option || !wanted.option));
  return byColumn(wanted).every((single) => stateAt(held, single, wanted.option));
}

/** The access (or, with `option`, the grant option) of one privilege at one place. */
function stateAt(held: readonly GrantTuple[], wanted: GrantTuple, option: boolean): boolean {
  const path = pathOf(wanted);
  let best: { rank: number[]; granted: boolean } | undefined;
  for (const h of held) {
    if (h.grantee !== wanted.grantee || isRoleGrant(h) || !isUnder(path, pathOf(h))) continue;
    let granted: boolean;
    if (h.revoke) {
      // A revoke of the privilege or its group takes it; of a part of it, it is no longer whole.
      if (!isPrivilegeWithin(wanted.privilege, h.privilege) && !isPrivilegeWithin(h.privilege, wanted.privilege)) continue;
      if (h.option && !option) continue;
      granted = false;
    } else {
      if (!isPrivilegeWithin(wanted.privilege, h.privilege) || (option && !h.option)) continue;
      granted = true;
    }
    const rank = specificity(pathOf(h));
    const order = best ? compareSpecificity(rank, best.rank) : 1;
    if (order > 0 || (order === 0 && !granted)) best = { rank, granted };
  }
  return best?.granted ?? false;
}

/** A GRANT sets its privilege at its place and every place under it (AccessRights' addGrantsRec), even where a wider grant gives it already. */
function withGrant(held: GrantTuple[], tuple: GrantTuple): GrantTuple[] {
  const path = pathOf(tuple);
  const next: GrantTuple[] = [];
  for (const h of held) {
    if (h.grantee !== tuple.grantee || isRoleGrant(h) || !isUnder(pathOf(h), path)) {
      next.push(h);
      continue;
    }
    if (isPrivilegeWithin(h.privilege, tuple.privilege)) {
      // A grant under this one is covered by it, unless it adds the option; a revoke under it is cleared
      // (only its access part when this grant has no option).
      if (!h.revoke) {
        if (h.option && !tuple.option) next.push(h);
      } else if (!tuple.option) next.push({ ...h, option: true });
    } else if (h.revoke && isPrivilegeWithin(tuple.privilege, h.privilege))
      throw new UnsupportedGrantError(`GRANT ${tuple.privilege} gives back part of \`${h.privilege}\` revoked on ${printPlace(h)}`);
    else next.push(h);
  }
  return normalized([...next, tuple], tuple.grantee);
}

function withRevoke(held: GrantTuple[], tuple: GrantTuple): GrantTuple[] {
  const path = pathOf(tuple);
  const next: GrantTuple[] = [];
  for (const h of held) {
    if (h.grantee !== tuple.grantee || isRoleGrant(h) || !isUnder(pathOf(h), path)) {
      next.push(h);
      continue;
    }
    if (isPrivilegeWithin(h.privilege, tuple.privilege)) {
      // What this revoke covers goes (GRANT OPTION FOR: only the option); a full revoke under it is one with it.
      if (!h.revoke) {
        if (tuple.option && h.option) next.push({ ...h, option: false });
        else if (tuple.option) next.push(h);
      } else if (tuple.option && !h.option) next.push(h);
    } else if (!h.revoke && isPrivilegeWithin(tuple.privilege, h.privilege))
      throw new UnsupportedGrantError(`REVOKE ${tuple.privilege} takes part of \`${h.privilege}\` granted on ${printPlace(h)}`);
    else next.push(h);
  }
  // Under a wider grant the revoke stays, of what that grant gives: REVOKE ALL under GRANT SELECT ON *.* is REVOKE SELECT.
  const revokes = new Map<string, GrantTuple>();
  for (const h of next) {
    if (h.grantee !== tuple.grantee || isRoleGrant(h) || h.revoke || (tuple.option && !h.option)) continue;
    if (!isUnder(path, pathOf(h)) || pathOf(h).join('\u0000') === path.join('\u0000')) continue;
    if (isPrivilegeWithin(h.privilege, tuple.privilege)) revokes.set(h.privilege, { ...tuple, privilege: h.privilege, revoke: true });
    else if (isPrivilegeWithin(tuple.privilege, h.privilege)) revokes.set(tuple.privilege, { ...tuple, revoke: true });
  }
  return normalized([...next, ...revokes.values()], tuple.grantee);
}

/**
 * The grantee's tuples without those that change nothing: a grant the places above already give,
 * a revoke of what the places above do not give (ClickHouse's tree keeps no such node).
 */
function normalized(tuples: GrantTuple[], grantee: string): GrantTuple[] {
  let out = tuples;
  for (let changed = true; changed; ) {
    changed = false;
    for (const tuple of out) {
      if (tuple.grantee !== grantee || isRoleGrant(tuple)) continue;
      const others = out.filter((t) => t !== tuple);
      const above = tuple.revoke ? stateAt(others, tuple, tuple.option) : isGranted(others, tuple);
      if (tuple.revoke ? !above : above) {
        out = others;
        changed = true;
        break;
      }
    }
  }
  return out;
}

/** `db.*`, `*.*`, `db.t`, or a parameter (`S3`), as SHOW GRANTS prints it. */
function printPlace(tuple: GrantTuple): string {
  const name = (value: string) => (value === '*' ? '*' : value.endsWith('*') ? `${quoteIdentifier(value.slice(0, -1))}*` : quoteIdentifier(value));
  return tuple.database === '' ? name(tuple.table) : `${name(tuple.database)}.${name(tuple.table)}`;
}

/**
 * The lines `SHOW GRANTS FOR grantee` prints for these tuples: privileges on one place with the same
 * option on one line, in `system.privileges` order; places as ClickHouse sorts them (global first,
 * then by database and table), at each place the grants before the partial revokes and what has
 * the option after what has not (`REVOKE [GRANT OPTION FOR] ... FROM`); granted roles last
 * (`GRANT r1, r2 TO u`).
 */
export function showGrantsLines(tuples: readonly GrantTuple[], grantee: string): string[] {
  const own = tuples.filter((t) => t.grantee === grantee);
  const lines = new Map<string, { sort: string; items: GrantTuple[] }>();
  for (const tuple of own) {
    if (isRoleGrant(tuple)) continue;
    const place = printPlace(tuple);
    const revoke = tuple.revoke === true;
    const sort = `${tuple.database === '*' ? '' : '1'}${tuple.database}\u0000${tuple.table === '*' ? '' : '1'}${tuple.table}\u0000${revoke ? 1 : 0}${tuple.option ? 1 : 0}`;
    const key = `${place}|${revoke}|${tuple.option}`;
    const line = lines.get(key) ?? { sort, items: [] };
    line.items.push(tuple);
    lines.set(key, line);
  }
  const quoted = quoteIdentifier(grantee);
  const out = [...lines.values()]
    .sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))
    .map(({ items }) => {
      const privileges = [...items]
        .sort((a, b) => privilegeRank(a.privilege) - privilegeRank(b.privilege) || Number(a.columns !== undefined) - Number(b.columns !== undefined))
        .map((t) => `${t.privilege}${t.columns ? `(${t.columns})` : ''}`);
      const [first] = items;
      if (first.revoke) return `REVOKE ${first.option ? 'GRANT OPTION FOR ' : ''}${privileges.join(', ')} ON ${printPlace(first)} FROM ${quoted}`;
      return `GRANT ${privileges.join(', ')} ON ${printPlace(first)} TO ${quoted}${first.option ? ' WITH GRANT OPTION' : ''}`;
    });
  for (const option of [false, true]) {
    const roles = own.filter((t) => isRoleGrant(t) && t.option === option).map((t) => quoteIdentifier(t.privilege.slice(ROLE.length)));
    if (roles.length > 0) out.push(`GRANT ${roles.join(', ')} TO ${quoted}${option ? ' WITH ADMIN OPTION' : ''}`);
  }
  return out;
}
