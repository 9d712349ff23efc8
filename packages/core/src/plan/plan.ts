import type { Diagnostic } from '../diagnostics.js';
import { type ObjectChange, type SchemaDiff, SECRETS_DIFFERENCE } from '../diff/diff.js';
import { dependenciesOf } from '../graph/dependencies.js';
import { buildGraph } from '../graph/graph.js';
import { entityClauses } from '../model/accessEntities.js';
import type { ObjectKind as ModelObjectKind, Schema, SchemaObject } from '../model/schema.js';
import type {
  AlterAction,
  AlterNamedCollectionStatement,
  CreateAccessEntityStatement,
  CreateViewStatement,
  ObjectKind as DropKind,
  Identifier,
  NamedCollectionEntry,
  Statement,
} from '../syntax/ast.js';
import { withOnCluster } from '../syntax/onCluster.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement, quoteIdentifier } from '../syntax/printer.js';
import { createStatement, qualifiedQuery } from './create.js';
import { alterTable, dropStatement, identifier, qualifiedName, stringLiteral } from './nodes.js';
import { type DraftStep, tableSteps } from './tables.js';
import { maxRisk, type Plan, type PlanStep } from './types.js';

// Changes → ordered steps. Drops first, dependents before what they need; then creations and
// changes in creation order (functions, databases, sources before views, local before Distributed,
// dictionary sources before dictionaries), then users and roles.

export interface PlanOptions {
  /** Adds ON CLUSTER to every statement, except in databases with the Replicated engine (which replicate DDL themselves). */
  cluster?: string;
  /** Rows and bytes of live tables by id, for the impact of steps that touch data. */
  liveSize?: ReadonlyMap<string, { rows: number; bytes: number }>;
}

export function buildPlan(diff: SchemaDiff, desired: Schema, live: Schema, options: PlanOptions = {}): Plan {
  // The graphs of both schemas, only to order two or more changes: a pull request changes one object of thousands.
  let creationRank: Map<string, number> | undefined;
  let dropRank: Map<string, number> | undefined;
  const byCreation = (change: ObjectChange) => order(change, (creationRank ??= rankBy(buildGraph(desired).creationOrder)));
  const byDrop = (change: ObjectChange) => order(change, (dropRank ??= rankBy(buildGraph(live).dropOrder)));
  const diagnostics: Diagnostic[] = [];
  const replicatedDatabases = new Set(
    desired.objects.filter((o) => o.definition.kind === 'CreateDatabase' && o.definition.engine?.name.name === 'Replicated').map((o) => o.name),
  );

  const drops = diff.changes.filter((c) => c.kind === 'drop').sort((a, b) => byDrop(a) - byDrop(b));
  const others = diff.changes.filter((c) => c.kind !== 'drop').sort((a, b) => byCreation(a) - byCreation(b));
  const steps: PlanStep[] = [];
  for (const change of [...drops, ...others]) {
    const object = change.kind === 'drop' ? change.live : change.desired;
    try {
      steps.push(...stepsFor(change, diagnostics).map((draft) => finish(withPopulateRisk(draft, change, desired, live, options), object)));
    } catch (error) {
      // The printer refuses what the syntax tree does not keep (e.g. most clauses of CREATE USER):
      // a change is planned whole or not at all, and the person is told.
      if (!(error instanceof Error) || !error.message.startsWith('Cannot print')) throw error;
      diagnostics.push(
        unplannable(object, `${object.kind} \`${object.id}\` needs a step, but ClickPlan cannot write its statement: ${error.message}. Apply it by hand.`),
      );
    }
  }
  return { steps, drift: diff.drift, risk: maxRisk(steps.map((s) => s.risk)), diagnostics };

  function finish(draft: DraftStep, object: SchemaObject): PlanStep {
    // A Replicated database replicates its tables' DDL itself; the database is still created on every node.
    const replicated = object.kind !== 'database' && replicatedDatabases.has(object.database ?? '');
    const statement = options.cluster && !replicated ? withOnCluster(draft.statement, options.cluster) : draft.statement;
    const step: PlanStep = {
      object: object.id,
      objectKind: object.kind,
      action: draft.action,
      sql: printStatement(statement),
      database: object.contextDatabase,
      reason: draft.reason,
      risk: draft.risk,
    };
    if (draft.riskReason) step.riskReason = draft.riskReason;
    const size = draft.touchesRows || draft.risk === 'data-loss' ? options.liveSize?.get(object.id) : undefined;
    if (size) step.impact = size;
    return step;
  }
}

/**
 * CREATE MATERIALIZED VIEW ... POPULATE copies every row its source holds while the view is
 * created (lint: mv-populate): heavy when the source is on the target with rows, or with a size
 * the target did not report. A source the plan creates has none.
 */
function withPopulateRisk(draft: DraftStep, change: ObjectChange, desired: Schema, live: Schema, options: PlanOptions): DraftStep {
  if (change.kind === 'drop' || draft.action === 'drop' || change.desired.kind !== 'materialized-view') return draft;
  const definition = change.desired.definition as CreateViewStatement;
  if (!definition.populate || draft.risk !== 'safe') return draft;
  const onTarget = new Set(live.objects.map((o) => o.id));
  const sources = dependenciesOf(change.desired, desired.objects).filter((d) => d.kind === 'trigger' && onTarget.has(d.to));
  const filled = sources.filter((d) => (options.liveSize?.get(d.to)?.rows ?? 1) > 0);
  if (filled.length === 0) return draft;
  const source = filled[0]?.to as string;
  const rows = options.liveSize?.get(source)?.rows;
  return {
    ...draft,
    risk: 'heavy',
    riskReason: `POPULATE copies ${rows !== undefined ? `${rows.toLocaleString('en-US')} rows` : 'every row'} of \`${source}\` into the view while it is created (mv-populate)`,
    touchesRows: true,
  };
}

function rankBy(ids: string[]): Map<string, number> {
  return new Map(ids.map((id, i) => [id, i]));
}

/** Functions and named collections come first; access entities last; graph objects by rank. */
function order(change: ObjectChange, rank: Map<string, number>): number {
  const object = change.kind === 'drop' ? change.live : change.desired;
  if (object.kind === 'function' || object.kind === 'named-collection') return change.kind === 'drop' ? 2e9 : -1;
  return rank.get(object.id) ?? 1e9 + (object.kind === 'role' ? 0 : 1);
}

function stepsFor(change: ObjectChange, diagnostics: Diagnostic[]): DraftStep[] {
  switch (change.kind) {
    case 'create':
      return [{ action: 'create', statement: asCreate(change.desired), reason: 'not in the target', risk: 'safe' }];
    case 'drop':
      return [dropStep(change.live, change.because)];
    case 'alter':
      return alterStepsFor(change, diagnostics);
  }
}

/** The desired definition as a CREATE ... IF NOT EXISTS (or CREATE OR REPLACE) under its qualified name. */
function asCreate(object: SchemaObject, header: { orReplace: boolean } = { orReplace: false }): Statement {
  return createStatement(object, { orReplace: header.orReplace, ifNotExists: !header.orReplace });
}

const DROP_KINDS: Partial<Record<ModelObjectKind, DropKind>> = {
  database: 'DATABASE',
  table: 'TABLE',
  view: 'VIEW',
  'materialized-view': 'VIEW',
  dictionary: 'DICTIONARY',
  function: 'FUNCTION',
  'named-collection': 'NAMED COLLECTION',
  user: 'USER',
  role: 'ROLE',
  quota: 'QUOTA',
  'settings-profile': 'SETTINGS PROFILE',
};

function dropStep(object: SchemaObject, because: string): DraftStep {
  const kind = DROP_KINDS[object.kind] ?? 'TABLE';
  const holdsData = object.kind === 'table' || object.kind === 'database' || (object.kind === 'materialized-view' && !mvTarget(object));
  const statement = dropStatement(kind, qualifiedName(object.database, object.name), { sync: kind === 'TABLE' || kind === 'VIEW' });
  const step: DraftStep = { action: 'drop', statement, reason: because, risk: holdsData ? 'data-loss' : 'safe' };
  if (holdsData) step.riskReason = `drops \`${object.id}\` and all of its data`;
  return step;
}

function mvTarget(object: SchemaObject): string | undefined {
  const definition = object.definition as CreateViewStatement;
  return definition.to ? `${definition.to.database?.name ?? object.contextDatabase}.${definition.to.name.name}` : undefined;
}

function alterStepsFor(change: Extract<ObjectChange, { kind: 'alter' }>, diagnostics: Diagnostic[]): DraftStep[] {
  const { desired } = change;
  const keys = change.differences.map((d) => d.key);
  const what = keys.join(', ');
  const because =
    keys.length === 1 && keys[0] === SECRETS_DIFFERENCE.key
      ? 'the secrets (passwords, keys) changed in the repository since the last deploy'
      : `${what} differ${keys.length === 1 ? 's' : ''}`;
  switch (desired.kind) {
    case 'table':
      return tableSteps(change);
    case 'materialized-view':
      return materializedViewSteps(change);
    case 'view':
    case 'dictionary':
    case 'function':
      return [{ action: 'replace', statement: asCreate(desired, { orReplace: true }), reason: because, risk: 'safe' }];
    case 'database':
      return databaseSteps(change, diagnostics);
    case 'named-collection':
      return namedCollectionSteps(change);
    case 'user':
    case 'role': {
      const step = accessEntityStep(change);
      if (step) return [step];
      diagnostics.push(
        unplannable(
          desired,
          `${desired.kind} \`${desired.id}\` differs (${what}); its authentication cannot be restated without its password: change it by hand with ALTER ${desired.kind.toUpperCase()} ... IDENTIFIED.`,
        ),
      );
      return [];
    }
    default:
      diagnostics.push(
        unplannable(
          desired,
          `${desired.kind} \`${desired.id}\` differs (${what}); ClickPlan does not change it in place yet: change it by hand with ALTER ${desired.kind.toUpperCase()}.`,
        ),
      );
      return [];
  }
}

/** What an ALTER USER or ROLE states to take a clause back to ClickHouse's default, for a clause the repository leaves out. */
const DEFAULT_CLAUSE: Record<string, string> = {
  HOST: 'HOST ANY',
  'DEFAULT ROLE': 'DEFAULT ROLE ALL',
  'DEFAULT DATABASE': 'DEFAULT DATABASE NONE',
  GRANTEES: 'GRANTEES ANY',
  'VALID UNTIL': "VALID UNTIL 'infinity'",
};

/**
 * A user or role that differs, ALTERed in place: each clause that differs restated as the
 * repository has it, or set back to ClickHouse's default where the repository leaves it out (an
 * ALTER replaces each clause it names and keeps the others, so grants stay). Undefined when the
 * authentication method differs: the repository's password is not ClickPlan's to send.
 */
function accessEntityStep(change: Extract<ObjectChange, { kind: 'alter' }>): DraftStep | undefined {
  const definition = change.desired.definition as CreateAccessEntityStatement;
  const wanted = entityClauses(definition);
  const clauses: string[] = [];
  for (const { key } of change.differences) {
    if (key.startsWith('clause:')) {
      const keyword = key.slice('clause:'.length);
      const clause = wanted.get(keyword) ?? DEFAULT_CLAUSE[keyword];
      if (!clause) return undefined;
      clauses.push(clause);
    } else if (key === 'settings') {
      const written = definition.clauses.find((c) => c.keyword === 'SETTINGS')?.text;
      clauses.push(written && definition.settings?.length ? written : 'SETTINGS NONE');
    } else return undefined;
  }
  if (clauses.length === 0) return undefined;
  const sql = `ALTER ${definition.entity} ${quoteIdentifier(change.desired.name)} ${clauses.join(' ')}`;
  const statement = parseSql(sql).statements[0];
  if (!statement) return undefined;
  const what = change.differences.map((d) => d.key.replace(/^clause:/, '')).join(', ');
  return { action: 'alter', statement, reason: `${what.toLowerCase()} differ${change.differences.length === 1 ? 's' : ''}`, risk: 'safe' };
}

function materializedViewSteps(change: Extract<ObjectChange, { kind: 'alter' }>): DraftStep[] {
  const { desired, live } = change;
  const definition = desired.definition as CreateViewStatement;
  const name = qualifiedName(desired.database, desired.name);
  const at = { start: 0, end: 0 };
  const keys = new Set(change.differences.map((d) => d.key));
  // Secrets of a view are in its query (remote(), s3()...): MODIFY QUERY sets them.
  const inPlace = [...keys].every((k) => k === 'query' || k === 'comment' || k === 'refresh' || k === SECRETS_DIFFERENCE.key);
  if (inPlace && definition.query) {
    const actions: { action: AlterAction; reason: string }[] = [];
    if (keys.has('query') || keys.has(SECRETS_DIFFERENCE.key))
      actions.push({
        action: { kind: 'ModifyQuery', query: qualifiedQuery(definition.query, desired.contextDatabase), ...at },
        reason: 'the query differs: MODIFY QUERY keeps the view receiving rows',
      });
    if (keys.has('refresh') && definition.refresh)
      actions.push({ action: { kind: 'ModifyRefresh', refresh: definition.refresh, ...at }, reason: 'the refresh schedule differs' });
    if (keys.has('comment'))
      actions.push({ action: { kind: 'ModifyComment', comment: definition.comment ?? stringLiteral(''), ...at }, reason: 'the comment differs' });
    return actions.map(({ action, reason }) => ({ action: 'alter', statement: alterTable(name, [action]), reason, risk: 'safe' }));
  }
  const target = mvTarget(desired);
  const sources = change.differences.map((d) => d.key).join(', ');
  // With a TO table the rows live in that table, which the re-creation keeps: only the inserts into
  // the source between the two statements are not written (the window a table rebuild has too, heavy).
  // A refreshable view writes its whole result at the next refresh: nothing is missed. Without TO the
  // rows are in the inner table, which the DROP destroys.
  const refreshable = !!definition.refresh && !!(live.definition as CreateViewStatement).refresh;
  const drop: Pick<DraftStep, 'risk' | 'riskReason'> = !target
    ? {
        risk: 'data-loss',
        riskReason: 'the view keeps its rows in an inner table, which the DROP destroys with all its data: give the view a TO table',
      }
    : refreshable
      ? { risk: 'safe' }
      : {
          risk: 'heavy',
          riskReason: `between the DROP and the CREATE, rows inserted into the view's source are not written to \`${target}\`: stop inserts for the duration, or change only the query (MODIFY QUERY)`,
        };
  return [
    {
      action: 'drop',
      statement: dropStatement('VIEW', qualifiedName(live.database, live.name), { sync: true }),
      reason: `${sources} cannot change in place`,
      ...drop,
    },
    { action: 'create', statement: asCreate(desired), reason: 're-create with the repository definition', risk: 'safe' },
  ];
}

/**
 * A named collection that differs, ALTERed in place: one `ALTER NAMED COLLECTION` that SETs each key
 * whose value or overridability differs or that is new, and DELETEs each key the repository left
 * out. Tables created from it keep reading it by name.
 */
function namedCollectionSteps(change: Extract<ObjectChange, { kind: 'alter' }>): DraftStep[] {
  const definition = change.desired.definition;
  if (definition.kind !== 'CreateNamedCollection') return [];
  const keys = change.differences.flatMap((d) => (d.key.startsWith('entry:') ? [d.key.slice('entry:'.length)] : []));
  const set = definition.entries.filter((e) => keys.includes(e.key.name));
  const deleted = keys.filter((k) => !set.some((e) => e.key.name === k)).map((k) => identifier(k));
  if (set.length === 0 && deleted.length === 0) return [];
  const alter = (set: NamedCollectionEntry[], deleted: Identifier[]): AlterNamedCollectionStatement => ({
    kind: 'AlterNamedCollection',
    ifExists: false,
    name: identifier(change.desired.name),
    set,
    delete: deleted,
    start: 0,
    end: 0,
  });
  const names = (list: string[]) => list.map((k) => `\`${k}\``).join(', ');
  // SET without [NOT] OVERRIDABLE keeps the flag the key has (chDB 26.7): to take it back to the
  // server's default, the key is deleted first, then set.
  const live = change.live.definition.kind === 'CreateNamedCollection' ? change.live.definition.entries : [];
  const unflagged = set.filter((e) => e.overridable === undefined && live.some((l) => l.key.name === e.key.name && l.overridable !== undefined));
  const steps: DraftStep[] = [];
  if (unflagged.length > 0)
    steps.push({
      action: 'alter',
      statement: alter(
        [],
        unflagged.map((e) => identifier(e.key.name)),
      ),
      reason: `${names(unflagged.map((e) => e.key.name))} lose${unflagged.length === 1 ? 's' : ''} [NOT] OVERRIDABLE, which only a new key can`,
      risk: 'safe',
    });
  const changed = change.differences.filter((d) => d.desired?.endsWith('(changed)')).map((d) => d.key.slice('entry:'.length));
  const others = keys.filter((k) => !changed.includes(k));
  const reasons = [
    ...(changed.length > 0 ? [`the value of ${names(changed)} changed in the repository since the last deploy`] : []),
    ...(others.length > 0 ? [`${names(others)} differ${others.length === 1 ? 's' : ''}`] : []),
  ];
  steps.push({ action: 'alter', statement: alter(set, deleted), reason: reasons.join('; '), risk: 'safe' });
  return steps;
}

/**
 * Database engines whose tables are another server's: the database holds no rows of its own, so a
 * change of its engine arguments (a password included) is a DROP and a CREATE. ClickHouse has no
 * CREATE OR REPLACE DATABASE (chDB 26.7: syntax error) and cannot change an engine in place.
 * The Materialized engines keep local copies of the remote tables, which the CREATE copies again.
 */
const REMOTE_DATABASE_ENGINES: ReadonlyMap<string, 'proxy' | 'copy'> = new Map([
  ['MySQL', 'proxy'],
  ['PostgreSQL', 'proxy'],
  ['SQLite', 'proxy'],
  ['MaterializedPostgreSQL', 'copy'],
  ['MaterializedMySQL', 'copy'],
]);

/** DROP and CREATE of a database whose engine reads another server, when its engine or secrets differ; undefined otherwise. */
function recreatedDatabase(change: Extract<ObjectChange, { kind: 'alter' }>): DraftStep[] | undefined {
  const { desired, live } = change;
  if (desired.definition.kind !== 'CreateDatabase' || live.definition.kind !== 'CreateDatabase') return undefined;
  const engine = desired.definition.engine?.name.name ?? '';
  const kind = REMOTE_DATABASE_ENGINES.get(engine);
  if (!kind || live.definition.engine?.name.name !== engine) return undefined;
  const keys = change.differences.map((d) => d.key);
  if (!keys.some((k) => k === 'engine' || k === SECRETS_DIFFERENCE.key)) return undefined;
  const because = keys.includes(SECRETS_DIFFERENCE.key)
    ? 'the secrets (passwords, keys) changed in the repository since the last deploy'
    : 'the engine arguments differ';
  const drop: DraftStep =
    kind === 'proxy'
      ? {
          action: 'drop',
          statement: dropStatement('DATABASE', qualifiedName(undefined, desired.name), { sync: true }),
          reason: `${because}, which ClickHouse cannot change in place; a ${engine} database keeps no rows of its own (its tables are the remote server's), so it is dropped and created again`,
          risk: 'safe',
        }
      : {
          action: 'drop',
          statement: dropStatement('DATABASE', qualifiedName(undefined, desired.name), { sync: true }),
          reason: `${because}, which ClickHouse cannot change in place`,
          risk: 'data-loss',
          riskReason: `drops the local copies of \`${desired.name}\`'s replicated tables; the CREATE copies every table again from the remote server`,
        };
  return [
    drop,
    {
      action: 'create',
      statement: asCreate(desired),
      reason: 're-create with the repository definition; queries through the database fail between the DROP and this CREATE',
      risk: 'safe',
    },
  ];
}

function databaseSteps(change: Extract<ObjectChange, { kind: 'alter' }>, diagnostics: Diagnostic[]): DraftStep[] {
  const { desired } = change;
  if (desired.definition.kind !== 'CreateDatabase') return [];
  const recreated = recreatedDatabase(change);
  if (recreated) return recreated;
  const steps: DraftStep[] = [];
  for (const difference of change.differences) {
    if (difference.key === 'comment') {
      steps.push({
        action: 'alter',
        statement: { kind: 'AlterDatabase', name: identifier(desired.name), comment: desired.definition.comment ?? stringLiteral(''), start: 0, end: 0 },
        reason: 'the database comment differs',
        risk: 'safe',
      });
    } else if (difference.key === 'settings' && desired.definition.settings) {
      steps.push({
        action: 'alter',
        statement: { kind: 'AlterDatabase', name: identifier(desired.name), settings: desired.definition.settings, start: 0, end: 0 },
        reason: 'the database settings differ',
        risk: 'safe',
      });
    } else {
      diagnostics.push(
        unplannable(
          desired,
          `database \`${desired.name}\`: ${difference.key} differs (live: ${difference.live ?? 'none'}; repository: ${difference.desired ?? 'none'}), which ClickHouse cannot change in place: create a new database and move the tables with RENAME TABLE.`,
        ),
      );
    }
  }
  return steps;
}

function unplannable(object: SchemaObject, message: string): Diagnostic {
  return {
    code: 'plan-unsupported',
    severity: 'warning',
    file: object.created.file,
    range: object.created.range,
    message,
    help: 'The plan leaves this object as it is; the next plan shows the difference again until it is resolved.',
  };
}
