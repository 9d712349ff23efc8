import type { Dependency } from '../graph/dependencies.js';
import type { SchemaObject } from '../model/schema.js';
import type { GrantTarget, KeyValueFunction } from '../syntax/ast.js';
import { defineRule, type RuleContext } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * A view with SQL SECURITY DEFINER (or `DEFINER = user`, which implies it) runs its query with the
 * definer's grants, and a dictionary with SOURCE(CLICKHOUSE(USER ...)) loads as that user. When the
 * definer lacks SELECT on a table of another database, ClickHouse still creates the object, then
 * refuses every query of the view, every insert that fires the materialized view, every dictGet
 * (code 497, ACCESS_DENIED; shown on chDB in the test). Judged only for users whose grants the
 * repository manages (GRANT ... TO them appears in the migrations): otherwise the grants are not
 * known. References within the object's own database are left out: grants on its own database are
 * commonly given with the user, outside the schema migrations.
 */
export default defineRule({
  id: 'definer-grant-missing',
  severity: 'error',
  docs: {
    description: "A definer's view or dictionary reads another database, and the migrations' GRANTs do not give that user SELECT there: every use of it fails.",
  },
  messages: {
    missing: {
      message: '`{object}` runs as `{user}` ({how}), and no GRANT in the migrations gives `{user}` or a role granted to it {privilege} on `{target}`: {effect}',
      help: 'Add `GRANT {privilege} ON {target} TO {user}` (or to a role it has) in a migration before `{object}` is created.',
    },
  },
  // Whole project: it needs every GRANT of the migrations and every dependency of the graph before it can judge
  // a view's definer.
  check(context) {
    const { schema, graph } = context.analysis;
    const grants = readGrants(context);
    // Only objects that run as a user the migrations grant to are judged; most schemas have none.
    const runners = schema.objects.flatMap((object) => {
      const runAs = runAsOf(object);
      return runAs && grants.manages(runAs.user) ? [{ object, runAs }] : [];
    });
    if (runners.length === 0) return;
    const dependencies = new Map<string, Dependency[]>();
    for (const d of graph.dependencies) {
      const list = dependencies.get(d.from);
      if (list) list.push(d);
      else dependencies.set(d.from, [d]);
    }
    const kinds = new Map(schema.objects.map((o) => [o.id, o.kind]));
    for (const { object, runAs } of runners) {
      for (const d of dependencies.get(object.id) ?? []) {
        const privilege = privilegeFor(d, kinds.get(d.to), runAs.how);
        const dot = d.to.indexOf('.');
        const [database, table] = [d.to.slice(0, dot), d.to.slice(dot + 1)];
        if (!privilege || database === object.database || SYSTEM_DATABASES.has(database)) continue;
        if (grants.allows(runAs.user, privilege, database, table)) continue;
        context.report({
          file: d.file,
          node: d.range,
          messageId: 'missing',
          data: { object: object.id, user: runAs.user, how: HOW[runAs.how], privilege, target: d.to, effect: effectOf(runAs.how, privilege) },
        });
      }
    }
  },
});

type RunAs = 'view' | 'materialized-view' | 'refreshable-view' | 'dictionary';

const HOW: Record<RunAs, string> = {
  view: 'SQL SECURITY DEFINER',
  'materialized-view': 'SQL SECURITY DEFINER',
  'refreshable-view': 'SQL SECURITY DEFINER',
  dictionary: 'its SOURCE names USER',
};

/** What ClickHouse 26.7 does, as shown on chDB in definer-grant-missing.test.ts. */
function effectOf(how: RunAs, privilege: string): string {
  switch (how) {
    case 'view':
      return 'ClickHouse creates the view, then refuses every query of it (code 497, ACCESS_DENIED).';
    case 'materialized-view':
      return privilege === 'INSERT'
        ? 'ClickHouse creates the view, then refuses every insert into its source table (code 497, ACCESS_DENIED) because the view cannot write its rows.'
        : 'ClickHouse creates the view, then refuses every insert into its source table (code 497, ACCESS_DENIED) because the view cannot run its query.';
    case 'refreshable-view':
      return 'its refreshes cannot run the query (code 497, ACCESS_DENIED).';
    case 'dictionary':
      return 'ClickHouse creates the dictionary, but it cannot load, and every dictGet fails (code 497, ACCESS_DENIED).';
  }
}

/** Databases every user may read without a grant. */
const SYSTEM_DATABASES = new Set(['system', 'information_schema', 'INFORMATION_SCHEMA']);

/** Who an object's reads run as, when a user is named; views with SQL SECURITY INVOKER or NONE, or no definer, run as whoever uses them. */
function runAsOf(object: SchemaObject): { user: string; how: RunAs } | undefined {
  const definition = object.definition;
  if (definition.kind === 'CreateView') {
    const security = definition.sqlSecurity;
    const user = security?.definer?.name;
    if (!user || /^current_user$/i.test(user) || (security.security !== undefined && security.security !== 'DEFINER')) return undefined;
    const how: RunAs = definition.viewKind !== 'MATERIALIZED' ? 'view' : definition.refresh ? 'refreshable-view' : 'materialized-view';
    return { user, how };
  }
  if (definition.kind === 'CreateDictionary' && definition.source) {
    const user = sourceUser(definition.source);
    return user ? { user, how: 'dictionary' } : undefined;
  }
  return undefined;
}

/** USER of a dictionary's CLICKHOUSE source on this server (a source on another host is not this schema). */
function sourceUser(source: KeyValueFunction): string | undefined {
  if (source.name.name.toUpperCase() !== 'CLICKHOUSE') return undefined;
  const value = (key: string) => source.arguments.find((a) => a.key.name.toUpperCase() === key)?.value;
  const host = value('HOST');
  if (host?.kind === 'Literal' && !['localhost', '127.0.0.1', '::1'].includes(host.value)) return undefined;
  const user = value('USER');
  return user?.kind === 'Literal' && user.value ? user.value : undefined;
}

/** The privilege a dependency needs, as system.privileges names it; undefined when none is checked. */
function privilegeFor(d: Dependency, targetKind: string | undefined, how: RunAs): string | undefined {
  // A dictionary's source query runs as its USER; its other dependencies are used by whoever calls dictGet.
  if (how === 'dictionary') return d.kind === 'dictionary-source' ? 'SELECT' : undefined;
  switch (d.kind) {
    case 'trigger':
    case 'join-get':
      return 'SELECT';
    case 'reads':
      // Reading a dictionary as a table (the dictionary() function) is left out: its privilege differs.
      return targetKind === 'dictionary' ? undefined : 'SELECT';
    case 'dict-get':
      return 'dictGet';
    case 'writes-to':
      return 'INSERT';
    default:
      return undefined;
  }
}

/** One GRANT or REVOKE of a privilege to a grantee, with its target resolved. */
interface GrantEntry {
  grant: boolean;
  privilege: string;
  database: string;
  table: string;
}

/** The GRANTs and REVOKEs of the migrations, in order: who holds what, and which roles each grantee has. */
function readGrants(context: Pick<RuleContext<string>, 'analysis' | 'statements'>) {
  const timeline = timelineOf(context);
  const entries = new Map<string, GrantEntry[]>();
  const roles = new Map<string, Set<string>>();
  context.statements.forEach(({ statement }, index) => {
    if (statement.kind !== 'Grant' && statement.kind !== 'Revoke') return;
    const grant = statement.kind === 'Grant';
    for (const grantee of statement.grantees.map((g) => g.name)) {
      if (!entries.has(grantee)) entries.set(grantee, []);
      for (const privilege of statement.privileges) {
        if (!privilege.on) {
          // A role granted or revoked.
          const held = roles.get(grantee) ?? new Set<string>();
          if (grant) held.add(privilege.name);
          else held.delete(privilege.name);
          roles.set(grantee, held);
          continue;
        }
        const database = privilege.on.database ?? timeline.databaseAt(index);
        entries.get(grantee)?.push({ grant, privilege: privilege.name.toUpperCase(), database, table: privilege.on.table });
      }
    }
  });
  /** The grantee and every role it has, directly or through other roles. */
  const principals = (user: string): Set<string> => {
    const found = new Set([user]);
    for (const name of found) for (const role of roles.get(name) ?? []) found.add(role);
    return found;
  };
  return {
    manages: (user: string) => entries.has(user),
    allows(user: string, privilege: string, database: string, table: string): boolean {
      const wanted = privilege.toUpperCase();
      for (const principal of principals(user)) {
        // The last GRANT or REVOKE that covers the table decides, as partial revokes do in ClickHouse.
        let allowed = false;
        for (const e of entries.get(principal) ?? [])
          if ((e.privilege === wanted || e.privilege === 'ALL') && matches(e.database, database) && matches(e.table, table)) allowed = e.grant;
        if (allowed) return true;
      }
      return false;
    },
  };
}

/** A GRANT target's database or table against a name: `*` is any, a trailing `*` a prefix. */
function matches(pattern: GrantTarget['table'], name: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}
