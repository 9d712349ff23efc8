import { type GrantTuple, isGranted, isRoleGrant, UnsupportedGrantError, withStatement } from '../model/grants.js';
import type { Schema } from '../model/schema.js';
import type { GrantStatement, Privilege } from '../syntax/ast.js';
import { printStatement } from '../syntax/printer.js';
import { identifier } from './nodes.js';
import type { PlanStep } from './types.js';

// Grants are state, not objects: the repository's GRANT and REVOKE statements replayed give what
// each of its users and roles should hold, the target's SHOW GRANTS what they hold. What is missing
// is granted, what the repository does not grant is revoked, for the users and roles it manages only.

const at = { start: 0, end: 0 };

/** The grants of one schema (the repository's, or a target's read back). */
export function grantsOf(schema: Schema): GrantTuple[] {
  let held: GrantTuple[] = [];
  for (const record of schema.grants) {
    try {
      held = withStatement(held, record.statement, record.database);
    } catch (error) {
      // A REVOKE of part of a group granted at the same place has no GRANT/REVOKE lines of its own
      // privileges; the embedded engine refuses it at its file and line, a server runs it.
      if (!(error instanceof UnsupportedGrantError)) throw error;
    }
  }
  return held;
}

/**
 * GRANT and REVOKE steps that take the target's grants to the repository's, for the users and roles
 * the repository creates. One step per grantee, place and option: `GRANT SELECT, INSERT ON db.* TO r`.
 */
export function grantSteps(desired: Schema, live: Schema, options: { cluster?: string } = {}): PlanStep[] {
  const kinds = new Map(desired.objects.filter((o) => o.kind === 'user' || o.kind === 'role').map((o) => [o.name, o.kind]));
  const wanted = grantsOf(desired).filter((t) => kinds.has(t.grantee));
  const held = grantsOf(live).filter((t) => kinds.has(t.grantee));
  // Grants first, what the places above give decides (a partial revoke is a place that does not);
  // then the partial revokes: a missing one is revoked, an extra one granted back.
  const extra = held.filter((h) => !h.revoke && !isGranted(wanted, h));
  // Held WITH GRANT (ADMIN) OPTION where the repository grants it without: only the option is revoked.
  const optionOnly = (h: GrantTuple) => h.option && isGranted(wanted, { ...h, option: false });
  const extraOptions = extra.filter(optionOnly).map((h) => ({ ...h, revoke: true }));
  const extraWhole = extra.filter((h) => !optionOnly(h));
  // What is missing once the extra grants are revoked: held `ALL` revoked leaves a wanted `SELECT` to grant.
  const heldAfter = held.filter((h) => !extraWhole.includes(h)).map((h) => (extra.includes(h) ? { ...h, option: false } : h));
  const missing = wanted.filter((w) => !w.revoke && !isGranted(heldAfter, w));
  const missingRevokes = wanted.filter((w) => w.revoke && !held.some((h) => h.revoke && sameTuple(h, w)));
  const extraRevokes = held
    .filter((h) => h.revoke && !wanted.some((w) => w.revoke && sameTuple(h, w)))
    .map((h) => ({ ...h, revoke: false, option: h.option || isGranted(wanted, { ...h, revoke: false, option: true }) }));
  const steps: PlanStep[] = [];
  for (const [kind, tuples, why] of [
    ['Revoke', extraWhole, 'is granted on the target but not in the repository'],
    ['Revoke', extraOptions, 'is granted with its option on the target, without it in the repository'],
    ['Grant', missing, 'is not granted on the target'],
    ['Revoke', missingRevokes, 'is revoked in the repository but granted on the target'],
    ['Grant', extraRevokes, 'is revoked on the target but not in the repository'],
  ] as const)
    for (const group of groups(tuples)) {
      const first = group[0];
      const statement: GrantStatement = {
        kind,
        privileges: group.map(privilegeOf),
        grantees: [identifier(first.grantee)],
        // A revoke takes the privilege away whole (with its option): REVOKE without GRANT OPTION FOR,
        // unless the repository's partial revoke takes the option only.
        withGrantOption: (kind === 'Grant' || first.revoke === true) && first.option && !isRoleGrant(first),
        withAdminOption: (kind === 'Grant' || first.revoke === true) && first.option && isRoleGrant(first),
        withReplaceOption: false,
        ...(options.cluster ? { onCluster: identifier(options.cluster) } : {}),
        ...at,
      };
      const what = isRoleGrant(first)
        ? `role ${first.privilege.slice(5)}`
        : `${group.map((t) => `${t.privilege}${t.columns ? `(${t.columns})` : ''}`).join(', ')} on ${place(first)}`;
      steps.push({
        object: first.grantee,
        objectKind: kinds.get(first.grantee) ?? 'user',
        action: kind === 'Grant' ? 'grant' : 'revoke',
        sql: printStatement(statement),
        database: 'default',
        reason: `${what} ${why}`,
        risk: 'safe',
      });
    }
  return steps;
}

/** Tuples that one statement can carry: the same grantee, place, option and kind (privileges or roles). */
function groups(tuples: GrantTuple[]): GrantTuple[][] {
  const byKey = new Map<string, GrantTuple[]>();
  for (const tuple of tuples) {
    const key = [tuple.grantee, isRoleGrant(tuple) ? 'role' : `${tuple.database}.${tuple.table}`, tuple.option, tuple.revoke === true].join('\u0000');
    byKey.set(key, [...(byKey.get(key) ?? []), tuple]);
  }
  return [...byKey.values()];
}

const sameTuple = (a: GrantTuple, b: GrantTuple) =>
  a.grantee === b.grantee &&
  a.privilege === b.privilege &&
  a.database === b.database &&
  a.table === b.table &&
  a.columns === b.columns &&
  a.option === b.option;

function place(tuple: GrantTuple): string {
  return tuple.database === '' ? tuple.table : `${tuple.database}.${tuple.table}`;
}

function privilegeOf(tuple: GrantTuple): Privilege {
  if (isRoleGrant(tuple)) return { kind: 'Privilege', name: tuple.privilege.slice(5), ...at };
  const privilege: Privilege = {
    kind: 'Privilege',
    name: tuple.privilege,
    on: { kind: 'GrantTarget', ...(tuple.database === '' ? {} : { database: tuple.database }), table: tuple.table, ...at },
    ...at,
  };
  if (tuple.columns) privilege.columns = tuple.columns.split(', ').map((c) => identifier(c));
  return privilege;
}
