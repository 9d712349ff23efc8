import type { Analysis } from '../inspect/analyze.js';
import type { LiveSchema, Target } from '../live/types.js';
import { type GrantTuple, isGranted, isRoleGrant, UnsupportedGrantError, withStatement } from '../model/grants.js';
import { grantsOf } from '../plan/grants.js';
import type { ReplicationConvention } from '../project/config.js';
import type { Project } from '../project/project.js';
import { tenantNames } from '../project/tenants.js';
import { parseSql } from '../syntax/parser.js';
import { migrationUnits } from './migrations.js';
import { planAgainstLive, scopeOf } from './planTarget.js';
import { Registry, runKey } from './registry.js';
import { compareSecrets } from './secretFingerprints.js';
import { TENANT_PRIVILEGES } from './tenants.js';

// `clickplan check`: three questions about a target, each answered yes or no with the items behind
// the answer. 1. Were the expected migrations applied, and are they unchanged since? 2. Do the
// expected databases, users and roles exist, with their grants? 3. Do the managed tables and views
// exist as the repository defines them? Read-only: no lock, no registry writes.

export type CheckStatus = 'ok' | 'missing' | 'different' | 'unknown';

export interface CheckItem {
  /** What was checked: a migration file, `database tenant_acme`, `grant SELECT ON tenant_acme.* TO role_tenant_acme`, `table shop.orders`. */
  subject: string;
  status: CheckStatus;
  /** Why, in one sentence (empty when ok). */
  detail: string;
}

export interface CheckAnswer {
  question: 'migrations' | 'access' | 'objects';
  /** False when any item is missing or different; `unknown` items (the server cannot tell) do not make it false. */
  ok: boolean;
  items: CheckItem[];
}

export interface CheckResult {
  target: string;
  registry: string;
  ok: boolean;
  answers: CheckAnswer[];
  /** What the target could not show (old server without access control, missing privilege). */
  notes: string[];
}

export interface CheckOptions {
  registry?: string;
  database?: string;
}

/** Answers the three questions for a project on a target. */
export async function checkProject(project: Project, analysis: Analysis, target: Target, options: CheckOptions = {}): Promise<CheckResult> {
  const registryName = options.registry ?? project.config.registry;
  const registry = new Registry(target, registryName, { id: '', by: '' });
  const state = await registry.read();
  const expected = expectedAccess(project, analysis);
  const scope = scopeOf(analysis.schema);
  const live = await target.readSchema({
    ...scope,
    databases: [...new Set([...scope.databases, ...expected.databases])].sort(),
    users: [...new Set([...(scope.users ?? []), ...expected.users])],
    roles: [...new Set([...(scope.roles ?? []), ...expected.roles])],
  });
  const notes = live.gaps.map((gap) => `could not read ${gap.what}: ${gap.reason}`);

  const migrations: CheckItem[] = [];
  if (project.migrations.some((m) => m.kind !== 'declarative')) {
    const { units } = migrationUnits(project, analysis, {}, options.database ?? project.config.database);
    for (const unit of units) {
      const recorded = state.migrations.get(unit.key);
      const subject = unit.migration.file;
      if (!recorded) migrations.push({ subject, status: 'missing', detail: 'not applied' });
      else if (recorded.status !== 'applied') {
        const done = state.statements.get(runKey(unit.key, recorded.run))?.length ?? 0;
        migrations.push({
          subject,
          status: 'missing',
          detail: `stopped after statement ${done} of ${unit.statements.length}: ${recorded.error || recorded.status}`,
        });
      } else if (recorded.checksum !== unit.migration.checksum)
        migrations.push({
          subject,
          status: unit.migration.kind === 'repeatable' ? 'missing' : 'different',
          detail:
            unit.migration.kind === 'repeatable'
              ? 'changed since it last ran: it runs again on the next deploy'
              : `changed since it was applied: recorded checksum ${recorded.checksum}, file checksum ${unit.migration.checksum}`,
        });
      else migrations.push({ subject, status: 'ok', detail: '' });
    }
    const files = new Set(units.map((u) => u.key));
    for (const recorded of state.migrations.values())
      if (!files.has(recorded.migration) && inScope(recorded.migration, project))
        migrations.push({ subject: recorded.file, status: 'different', detail: `applied (${recorded.migration}) but no longer in the repository` });
  } else {
    const secrets = compareSecrets(analysis.schema, state);
    for (const object of analysis.schema.objects) {
      const recorded = state.objects.get(object.id);
      const hash = analysis.hashes.get(object.id);
      if (recorded?.status !== 'present') migrations.push({ subject: `${object.kind} ${object.id}`, status: 'missing', detail: 'not deployed by ClickPlan' });
      else if (recorded.hash !== hash)
        migrations.push({ subject: `${object.kind} ${object.id}`, status: 'different', detail: 'deployed with another definition' });
      else if (object.kind === 'named-collection' ? secrets.changedEntries?.has(object.id) : secrets.changed.has(object.id))
        migrations.push({ subject: `${object.kind} ${object.id}`, status: 'different', detail: 'deployed with other secrets (passwords, keys)' });
      else migrations.push({ subject: `${object.kind} ${object.id}`, status: 'ok', detail: '' });
    }
  }

  const access = accessItems(expected, live);
  const objects = objectItems(analysis, live, project.config.replication);
  const answers: CheckAnswer[] = [answer('migrations', migrations), answer('access', access), answer('objects', objects)];
  return { target: target.description, registry: registryName, ok: answers.every((a) => a.ok), answers, notes };
}

function answer(question: CheckAnswer['question'], items: CheckItem[]): CheckAnswer {
  return { question, ok: items.every((i) => i.status === 'ok' || i.status === 'unknown'), items };
}

/** Registry rows of another environment's tenants are not this project's business. */
function inScope(migration: string, project: Project): boolean {
  const tenant = migration.split('/')[0];
  return !tenant || project.migrations.some((m) => m.tenant === tenant);
}

interface ExpectedAccess {
  databases: string[];
  users: string[];
  roles: string[];
  grants: GrantTuple[];
}

/** Databases, users, roles and grants the repository creates, plus each active tenant's from the name patterns. */
function expectedAccess(project: Project, analysis: Analysis): ExpectedAccess {
  const databases = new Set(analysis.schema.objects.filter((o) => o.kind === 'database').map((o) => o.name));
  const users = new Set(analysis.schema.objects.filter((o) => o.kind === 'user').map((o) => o.name));
  const roles = new Set(analysis.schema.objects.filter((o) => o.kind === 'role').map((o) => o.name));
  const grants = grantsOf(analysis.schema);
  const tenants = new Set(project.migrations.flatMap((m) => (m.tenant ? [m.tenant] : [])));
  for (const slug of tenants) {
    const names = tenantNames(project.config.tenants, slug);
    databases.add(names.database);
    users.add(names.user);
    roles.add(names.role);
    for (const privilege of TENANT_PRIVILEGES) grants.push({ grantee: names.role, privilege, database: names.database, table: '*', option: false });
    grants.push({ grantee: names.user, privilege: `role:${names.role}`, database: '*', table: '*', option: false });
  }
  const unique = new Map(grants.map((g) => [`${g.grantee}|${g.privilege}|${g.database}|${g.table}|${g.columns}|${g.option}|${g.revoke === true}`, g]));
  return { databases: [...databases].sort(), users: [...users].sort(), roles: [...roles].sort(), grants: [...unique.values()] };
}

function accessItems(expected: ExpectedAccess, live: LiveSchema): CheckItem[] {
  const items: CheckItem[] = [];
  const liveDatabases = new Set(live.databases.map((d) => d.name));
  for (const name of expected.databases)
    items.push({ subject: `database ${name}`, ...(liveDatabases.has(name) ? { status: 'ok', detail: '' } : { status: 'missing', detail: 'does not exist' }) });
  const unreadable = (kind: 'user' | 'role') => live.gaps.some((g) => g.what.startsWith(`${kind}s `) || g.what.startsWith(`${kind} `));
  const entities = new Set(live.accessEntities.map((e) => `${e.kind}:${e.name}`));
  for (const [kind, names] of [
    ['role', expected.roles],
    ['user', expected.users],
  ] as const)
    for (const name of names) {
      const exists = entities.has(`${kind}:${name}`);
      items.push({
        subject: `${kind} ${name}`,
        ...(exists
          ? { status: 'ok', detail: '' }
          : unreadable(kind)
            ? { status: 'unknown', detail: 'the target cannot show it' }
            : { status: 'missing', detail: 'does not exist' }),
      });
    }
  // The SHOW GRANTS lines replayed: GRANT lines and the REVOKE lines of partial revokes.
  let granted: GrantTuple[] = [];
  for (const statement of live.grants.flatMap((line) => parseSql(line).statements))
    if (statement.kind === 'Grant' || statement.kind === 'Revoke')
      try {
        granted = withStatement(granted, statement, '*');
      } catch (error) {
        if (!(error instanceof UnsupportedGrantError)) throw error;
      }
  const subjectOf = (tuple: GrantTuple) =>
    isRoleGrant(tuple)
      ? `grant ${tuple.privilege.slice(5)} TO ${tuple.grantee}`
      : `${tuple.revoke ? 'revoke' : 'grant'} ${tuple.privilege}${tuple.columns ? `(${tuple.columns})` : ''} ON ${tuple.database}.${tuple.table} ${tuple.revoke ? 'FROM' : 'TO'} ${tuple.grantee}`;
  const sameTuple = (a: GrantTuple, b: GrantTuple) =>
    a.grantee === b.grantee &&
    a.privilege === b.privilege &&
    a.database === b.database &&
    a.table === b.table &&
    a.columns === b.columns &&
    a.option === b.option;
  for (const wanted of expected.grants) {
    const subject = subjectOf(wanted);
    const kind = expected.users.includes(wanted.grantee) ? 'user' : 'role';
    const held = wanted.revoke ? granted.some((g) => g.revoke && sameTuple(g, wanted)) : isGranted(granted, wanted);
    if (held) items.push({ subject, status: 'ok', detail: '' });
    else if (!entities.has(`${kind}:${wanted.grantee}`) && unreadable(kind))
      items.push({ subject, status: 'unknown', detail: 'the target cannot show grants' });
    else items.push({ subject, status: 'missing', detail: wanted.revoke ? 'granted on the target' : 'not granted' });
  }
  // What the target grants the repository's users and roles beyond what the repository grants them.
  const grantees = new Set([...expected.users, ...expected.roles]);
  for (const held of granted) {
    if (!grantees.has(held.grantee)) continue;
    const expectedToo = held.revoke ? expected.grants.some((w) => w.revoke && sameTuple(w, held)) : isGranted(expected.grants, held);
    if (!expectedToo)
      items.push({
        subject: subjectOf(held),
        status: 'different',
        detail: held.revoke ? 'revoked on the target but not in the repository' : 'granted on the target but not in the repository',
      });
  }
  return items;
}

const MANAGED_KINDS = new Set(['table', 'view', 'materialized-view', 'dictionary']);

/** Managed tables and views against the target: the plan from the live schema, read per object. */
function objectItems(analysis: Analysis, live: LiveSchema, replication: ReplicationConvention | undefined): CheckItem[] {
  const { plan } = planAgainstLive(analysis.schema, live, { replication });
  const items: CheckItem[] = [];
  for (const object of analysis.schema.objects) {
    if (!MANAGED_KINDS.has(object.kind)) continue;
    const steps = plan.steps.filter((s) => s.object === object.id);
    const subject = `${object.kind} ${object.id}`;
    if (steps.length === 0) items.push({ subject, status: 'ok', detail: '' });
    else if (steps.every((s) => s.action === 'create')) items.push({ subject, status: 'missing', detail: 'does not exist' });
    else items.push({ subject, status: 'different', detail: [...new Set(steps.map((s) => s.reason))].join('; ') });
  }
  for (const step of plan.steps)
    if (step.action === 'drop' && MANAGED_KINDS.has(step.objectKind) && !analysis.schema.objects.some((o) => o.id === step.object))
      items.push({ subject: `${step.objectKind} ${step.object}`, status: 'different', detail: 'exists on the target but not in the repository' });
  for (const drift of plan.drift)
    if (MANAGED_KINDS.has(drift.kind)) items.push({ subject: `${drift.kind} ${drift.id}`, status: 'different', detail: `drift: ${drift.state}` });
  return items;
}
