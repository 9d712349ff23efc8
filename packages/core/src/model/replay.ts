import { bindQuery } from '../bind/binder.js';
import type { Diagnostic, Range } from '../diagnostics.js';
import { alterDropsConstraints } from '../semantics/engines.js';
import { inSession, SessionCache, sessionStore } from '../session.js';
import type {
  AccessEntityKind,
  AlterDatabaseStatement,
  AlterNamedCollectionStatement,
  AlterTableStatement,
  CreateAccessEntityStatement,
  CreateTableStatement,
  CreateViewStatement,
  ObjectKind as DropObjectKind,
  DropStatement,
  Expression,
  GrantStatement,
  Identifier,
  QualifiedName,
  RenameStatement,
  Statement,
  TableElement,
} from '../syntax/ast.js';
import { alterationOf, alteredAccessEntity, rolesGrantedAtCreate } from './accessEntities.js';
import { type AlterResult, applyAlterActions } from './alterTable.js';
import { dependencyOrder, type PlacedStatement } from './declarativeOrder.js';
import { evaluatedAtCreate } from './evaluatedAtCreate.js';
import { type GrantTuple, UnsupportedGrantError, withStatement } from './grants.js';
import { type QualifiedId, qualifiedId } from './qualifiedId.js';
import { namespaceOf, type ObjectDefinition, type ObjectKind, objectKey, type Schema, type SchemaObject, type SourceLocation } from './schema.js';
import { inlineUserFunctions } from './userFunctions.js';

/** A parsed migration or schema file, in the order it runs. */
export interface ParsedFile {
  file: string;
  statements: Statement[];
  /** The database this file's unqualified names resolve to before any USE (a tenant's database); overrides `ModelOptions.defaultDatabase`. */
  defaultDatabase?: string;
  /**
   * The file describes desired state (the declarative layout): consecutive such files are replayed
   * together in dependency order (declarativeOrder.ts), never in the order they were read.
   */
  declarative?: boolean;
}

export interface ModelOptions {
  /** The database unqualified names resolve to before any USE (ClickHouse's `default`, or the connection's). */
  defaultDatabase?: string;
  /**
   * Whether `CREATE USER u DEFAULT ROLE r` grants r, as it does when it runs (default). A schema read
   * back from a server says no: there, SHOW GRANTS lists the roles held, and a user's DEFAULT ROLE
   * may name a role revoked since.
   */
  grantsAtCreate?: boolean;
}

const ACCESS_KINDS: Record<AccessEntityKind, ObjectKind> = {
  USER: 'user',
  ROLE: 'role',
  'ROW POLICY': 'row-policy',
  QUOTA: 'quota',
  'SETTINGS PROFILE': 'settings-profile',
};

/** Which object kinds a `DROP <kind>` may remove: `DROP TABLE` also drops views and dictionaries, as in ClickHouse. */
const DROPPABLE: Partial<Record<DropObjectKind, ObjectKind[]>> = {
  TABLE: ['table', 'view', 'materialized-view', 'dictionary'],
  VIEW: ['view', 'materialized-view'],
  DICTIONARY: ['dictionary'],
  DATABASE: ['database'],
  FUNCTION: ['function'],
  'NAMED COLLECTION': ['named-collection'],
  USER: ['user'],
  ROLE: ['role'],
  'ROW POLICY': ['row-policy'],
  QUOTA: ['quota'],
  'SETTINGS PROFILE': ['settings-profile'],
};

export { type QualifiedId, qualifiedId } from './qualifiedId.js';

/**
 * Replays statements in migration order into the schema they leave behind. Steps ClickHouse would
 * refuse at that point (ALTER of a missing table, CREATE of an existing one without IF NOT EXISTS,
 * DROP of a missing one without IF EXISTS...) become diagnostics at the statement. Declarative
 * files are replayed in dependency order.
 */
export function buildModel(files: ParsedFile[], options: ModelOptions = {}): Schema {
  return inSession(() => replayFiles(files, options));
}

function replayFiles(files: ParsedFile[], options: ModelOptions): Schema {
  const replay = new SchemaReplay(options.defaultDatabase ?? 'default');
  replay.grantsAtCreate = options.grantsAtCreate !== false;
  for (let i = 0; i < files.length; i++) {
    if (!files[i].declarative) {
      replay.startFile(files[i].defaultDatabase);
      for (const statement of files[i].statements) replay.apply(files[i].file, statement);
      continue;
    }
    const placed: PlacedStatement[] = [];
    for (; i < files.length && files[i].declarative; i++) placed.push(...placedStatements(files[i], replay.defaultDatabase));
    i--;
    for (const { file, statement, database } of dependencyOrder(placed)) {
      replay.startFile(database);
      replay.apply(file, statement);
    }
  }
  return replay.result();
}

/** A file's statements, each with the database in effect where it stands (USE lasts until the end of its file). */
function placedStatements(file: ParsedFile, defaultDatabase: string): PlacedStatement[] {
  let database = file.defaultDatabase ?? defaultDatabase;
  return file.statements.map((statement) => {
    const placed = { file: file.file, statement, database };
    if (statement.kind === 'Use') database = statement.database.name;
    return placed;
  });
}

/**
 * The replay itself, one statement at a time, for callers that need the schema at several points
 * (rules about a statement's effect). Objects are never changed in place, so a `result()` taken
 * earlier stays as it was.
 */
export class SchemaReplay {
  /** Live objects by namespaced key, in creation order. */
  readonly objects: Map<string, SchemaObject>;
  /** Objects removed by DETACH, so ATTACH can bring them back. */
  readonly detached = new Map<string, SchemaObject>();
  readonly grants: Schema['grants'] = [];
  readonly history: Schema['history'] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly referencedDatabases = new Set<string>();
  /** Database that unqualified names resolve to; USE changes it until the end of the file. */
  currentDatabase: string;

  /** `objects` may be given by a caller that follows every change to it (a timeline of the replay). */
  /** See ModelOptions.grantsAtCreate. */
  grantsAtCreate = true;
  /** The grants so far, as ClickHouse's rights tree holds them (replayGrant). */
  private heldGrants: GrantTuple[] = [];

  constructor(
    readonly defaultDatabase: string,
    objects: Map<string, SchemaObject> = new Map(),
  ) {
    this.currentDatabase = defaultDatabase;
    this.objects = objects;
    this.mayHaveFunctions = [...objects.values()].some((o) => o.kind === 'function');
  }

  /** Whether a SQL function was ever created: until then no call is inlined, and looking for calls costs a walk of every CREATE. */
  private mayHaveFunctions: boolean;

  /** Each file starts with its own default database, or the replay's: USE lasts until the end of its file. */
  startFile(defaultDatabase: string = this.defaultDatabase): void {
    this.currentDatabase = defaultDatabase;
  }

  result(): Schema {
    const objects = [...this.objects.values()];
    const created = new Set(objects.filter((o) => o.kind === 'database').map((o) => o.name));
    const externalDatabases = [...this.referencedDatabases].filter((d) => !created.has(d)).sort();
    return { objects, grants: this.grants, history: this.history, externalDatabases, diagnostics: this.diagnostics };
  }

  apply(file: string, statement: Statement): void {
    const location: SourceLocation = { file, range: { start: statement.start, end: statement.end } };
    switch (statement.kind) {
      case 'Use':
        this.currentDatabase = statement.database.name;
        return;
      case 'CreateDatabase':
        this.create(location, 'database', undefined, statement.name.name, statement);
        return;
      case 'CreateTable':
        if (statement.temporary) return;
        this.createQualified(location, 'table', statement.name, this.withCopiedStructure(this.storedForm(statement)));
        return;
      case 'CreateView':
        this.createQualified(location, statement.viewKind === 'MATERIALIZED' ? 'materialized-view' : 'view', statement.name, this.storedForm(statement));
        return;
      case 'CreateDictionary':
        this.createQualified(location, 'dictionary', statement.name, statement);
        return;
      case 'CreateFunction':
        this.mayHaveFunctions = true;
        this.create(location, 'function', undefined, statement.name.name, statement);
        return;
      case 'CreateNamedCollection':
        this.create(location, 'named-collection', undefined, statement.name.name, statement);
        return;
      case 'AlterNamedCollection':
        this.alterNamedCollection(location, statement);
        return;
      case 'CreateAccessEntity':
        this.createAccessEntity(location, statement);
        return;
      case 'AlterTable':
        this.alterTable(location, this.inlined(statement));
        return;
      case 'AlterDatabase':
        this.alterDatabase(location, statement);
        return;
      case 'Drop':
        this.drop(location, statement);
        return;
      case 'Attach':
        this.attach(location, statement.name, statement.ifNotExists);
        return;
      case 'Rename':
        this.rename(location, statement);
        return;
      case 'Exchange':
        this.exchange(location, statement);
        return;
      case 'Grant':
      case 'Revoke':
        this.grants.push({ statement, location, database: this.currentDatabase });
        this.replayGrant(location, statement);
        return;
      case 'Other':
        if (statement.alteration) this.alterAccessEntity(location, alterationOf(statement) ?? statement.alteration);
        return;
      default:
        // Data statements (INSERT, mutations, OPTIMIZE...), SET, SELECT and unparsable statements leave the schema as it is.
        return;
    }
  }

  /**
   * `CREATE TABLE t AS other` copies other's columns, constraints and comment at creation, as ClickHouse
   * does; skip indexes, projections and column TTLs only for MergeTree engines, which support them.
   * With an engine of its own, a MergeTree copy of a MergeTree table also inherits the PARTITION BY,
   * PRIMARY KEY and SAMPLE BY it does not write (not the TTL or settings: chDB 26.7).
   */
  private withCopiedStructure(statement: CreateTableStatement): CreateTableStatement {
    if (!statement.asTable || statement.elements) return statement;
    const { database, name } = this.qualify(statement.asTable);
    const source = this.objects.get(objectKey('table', `${database}.${name}`));
    if (source?.definition.kind !== 'CreateTable' || !source.definition.elements) return statement;
    const copies = sessionStore(STRUCTURE_COPIES);
    const last = copies.get(statement);
    if (last && last.source === source.definition && last.sourceStart === source.definition.start && last.start === statement.start) return last.result;
    const result = copiedStructure(statement, source.definition, source.definition.elements);
    copies.set(statement, { source: source.definition, sourceStart: source.definition.start, start: statement.start, result });
    return result;
  }

  /** A CREATE as ClickHouse stores it: what it evaluates at CREATE evaluated, SQL UDF calls inlined. */
  private storedForm<T extends CreateTableStatement | CreateViewStatement>(statement: T): T {
    return evaluatedAtCreate(this.inlined(statement), this.currentDatabase);
  }

  /** The statement with SQL UDF calls inlined with the bodies current now, as ClickHouse stores it. */
  private inlined<T extends CreateTableStatement | CreateViewStatement | AlterTableStatement>(statement: T): T {
    if (!this.mayHaveFunctions) return statement;
    return inlineUserFunctions(statement, (name) => {
      const fn = this.objects.get(objectKey('function', name))?.definition;
      return fn?.kind === 'CreateFunction' ? fn : undefined;
    });
  }

  /** Puts a changed copy of an object where it stood, keeping its place in creation order. */
  private replace(object: SchemaObject, change: Pick<SchemaObject, 'definition' | 'changes' | 'derivedFrom'>, key = objectKey(object.kind, object.id)): void {
    this.objects.set(key, { ...object, ...change });
  }

  private qualify(name: QualifiedName): QualifiedId {
    const qualified = qualifiedId(name, this.currentDatabase);
    this.referencedDatabases.add(qualified.database);
    return qualified;
  }

  /**
   * Follows the grants as ClickHouse would hold them, to say where a GRANT or REVOKE leaves what
   * no GRANT and REVOKE lines of the privileges written show (`GRANT ALL ON db.*` then `REVOKE DROP
   * TABLE ON db.*`): the plan cannot compare it, and the embedded engine refuses it.
   */
  private replayGrant(location: SourceLocation, statement: GrantStatement): void {
    try {
      this.heldGrants = withStatement(this.heldGrants, statement, this.currentDatabase);
    } catch (error) {
      if (!(error instanceof UnsupportedGrantError)) throw error;
      this.diagnostics.push({
        code: 'plan-unsupported',
        severity: 'warning',
        file: location.file,
        range: location.range,
        message: `${error.message}: ClickHouse then shows the rest of the group as a list of its privileges, which the plan does not compare and the embedded engine does not run.`,
        help: 'Grant the privileges of the group you mean one by one instead of granting the group and revoking part of it.',
      });
    }
  }

  private report(location: SourceLocation, code: string, message: string, help: string, range: Range = location.range): void {
    this.diagnostics.push({ code, severity: 'error', file: location.file, range, message, help });
  }

  private createQualified(location: SourceLocation, kind: ObjectKind, qualified: QualifiedName, definition: ObjectDefinition): void {
    const { database, name, id, tableKey } = this.qualify(qualified);
    this.create(location, kind, database, name, definition, qualified, id, tableKey);
  }

  private create(
    location: SourceLocation,
    kind: ObjectKind,
    database: string | undefined,
    name: string,
    definition: ObjectDefinition,
    nameNode?: QualifiedName | Identifier,
    id = database === undefined ? name : `${database}.${name}`,
    key = objectKey(kind, id),
  ): void {
    const existing = this.objects.get(key);
    const header = definition as { orReplace?: boolean; ifNotExists?: boolean; verb?: string };
    if (header.verb === 'REPLACE' && !existing) {
      this.report(
        location,
        'object-missing',
        `REPLACE of \`${id}\`, which does not exist at this point: ClickHouse refuses it.`,
        'Use CREATE OR REPLACE, or create the object first.',
        nameNode,
      );
      return;
    }
    if (existing && !header.orReplace && header.verb !== 'REPLACE') {
      if (header.ifNotExists) return;
      this.report(
        location,
        'object-exists',
        `\`${id}\` already exists at this point (created in ${existing.created.file}): ClickHouse refuses a second CREATE.`,
        'Remove the duplicate, or use ALTER to change the existing object.',
        nameNode,
      );
      return;
    }
    this.objects.delete(key);
    if (namespaceOf(kind) === 'table') this.sourceBack(id);
    const object: SchemaObject = { kind, id, database, name, definition, created: location, contextDatabase: this.currentDatabase, changes: [] };
    const sources = this.viewSources(definition);
    if (sources && definition.kind === 'CreateView' && definition.query) object.derivedFrom = { query: definition.query, sources };
    this.objects.set(key, object);
  }

  /**
   * The tables and views a view (or an MV without TO) reads, as they are now: ClickHouse derives the
   * view's column types from them at CREATE and keeps them (canon/derivedColumns.ts).
   */
  private viewSources(definition: ObjectDefinition): ReadonlyMap<string, SchemaObject> | undefined {
    if (definition.kind !== 'CreateView' || definition.to || !definition.query) return undefined;
    const sources = new Map<string, SchemaObject>();
    for (const reference of bindQuery(definition.query, { database: this.currentDatabase }).references) {
      if (reference.kind !== 'table' && reference.kind !== 'dictionary') continue;
      const id = `${reference.database ?? this.currentDatabase}.${reference.name}`;
      const source = this.objects.get(objectKey('table', id));
      if (source) sources.set(id, source);
    }
    return sources;
  }

  private createAccessEntity(location: SourceLocation, statement: CreateAccessEntityStatement): void {
    const kind = ACCESS_KINDS[statement.entity];
    if (statement.policies) {
      // `p1 ON t1, p2 ON t2` creates two policies, not each name on each table.
      for (const group of statement.policies)
        for (const name of group.names)
          for (const table of group.on) {
            const q = this.qualify(table);
            this.create(location, kind, undefined, `${name.name} ON ${q.database}.${q.name}`, statement, name);
          }
    } else for (const name of statement.names) for (const id of this.accessIds(statement, name)) this.create(location, kind, undefined, id, statement, name);
    // `CREATE USER u ROLE r` and `CREATE USER u DEFAULT ROLE r` grant r to the new user.
    const roles = this.grantsAtCreate ? rolesGrantedAtCreate(statement) : [];
    if (roles.length > 0) {
      const at = { start: statement.start, end: statement.start };
      this.grants.push({
        statement: {
          kind: 'Grant',
          privileges: roles.map((name) => ({ kind: 'Privilege', name, ...at })),
          grantees: statement.names,
          withGrantOption: false,
          withAdminOption: false,
          withReplaceOption: false,
          ...at,
        },
        location,
        database: this.currentDatabase,
      });
    }
  }

  /** The ids an access statement names: a row policy's identity includes its table (`name ON db.t`). */
  private accessIds(statement: CreateAccessEntityStatement, name: { name: string }): string[] {
    const tables = statement.on?.map((t) => {
      const q = this.qualify(t);
      return `${q.database}.${q.name}`;
    });
    return tables ? tables.map((t) => `${name.name} ON ${t}`) : [name.name];
  }

  /** `ALTER USER|ROLE|...` and `SET DEFAULT ROLE`: each clause replaces the entity's clause of the same kind. */
  private alterAccessEntity(location: SourceLocation, alteration: CreateAccessEntityStatement): void {
    const kind = ACCESS_KINDS[alteration.entity];
    // `ALTER POLICY p1 ON t1, p2 ON t2` names two policies, not each name on each table.
    const targets = alteration.policies
      ? alteration.policies.flatMap((group) => group.names.flatMap((name) => this.accessIds({ ...alteration, on: group.on }, name).map((id) => ({ name, id }))))
      : alteration.names.flatMap((name) => this.accessIds(alteration, name).map((id) => ({ name, id })));
    for (const { name, id } of targets) {
      const key = objectKey(kind, id);
      const object = this.objects.get(key);
      if (object?.definition.kind !== 'CreateAccessEntity') {
        this.report(
          location,
          'object-missing',
          `ALTER of ${kind} \`${id}\`, which does not exist at this point of the migrations: ClickHouse refuses it.`,
          `Create the ${kind} in an earlier migration, or fix the name.`,
          name,
        );
        continue;
      }
      const altered = alteredAccessEntity(object.definition, alteration);
      // ADD SETTINGS, RENAME TO...: the model keeps the entity as it was; the plan shows the difference.
      if ('unsupported' in altered) continue;
      this.objects.set(key, { ...object, definition: altered.definition, changes: [...object.changes, location] });
    }
  }

  /** Finds a live table-like object, reporting it when missing. */
  private findTable(location: SourceLocation, qualified: QualifiedName, verb: string): SchemaObject | undefined {
    const { database, name, tableKey } = this.qualify(qualified);
    const object = this.objects.get(tableKey);
    if (!object) {
      this.report(
        location,
        'object-missing',
        `${verb} of \`${database}.${name}\`, which does not exist at this point of the migrations: ClickHouse refuses it.`,
        'Create the table in an earlier migration, or fix the name.',
        qualified,
      );
    }
    return object;
  }

  private alterTable(location: SourceLocation, statement: AlterTableStatement): void {
    if (statement.temporary) return;
    const object = this.findTable(location, statement.table, 'ALTER');
    if (!object) return;
    const result = alteredDefinition(object.definition, statement, location.file);
    this.diagnostics.push(...result.diagnostics);
    let definition = result.definition;
    // GenerateRandom and Merge tables lose their constraints on any ALTER (the server writes them out).
    if (definition.kind === 'CreateTable' && definition.elements && alterDropsConstraints(definition.storage?.engine?.name.name ?? ''))
      definition = { ...definition, elements: definition.elements.filter((e) => e.kind !== 'ConstraintDefinition') };
    for (const action of statement.actions) {
      if (action.kind !== 'RenameColumn') continue;
      const [from, to] = [action.from, action.to].map((parts) => parts.map((p) => p.name).join('.'));
      this.history.push({ kind: 'column-renamed', table: object.id, from, to, location });
    }
    const change: Pick<SchemaObject, 'definition' | 'changes' | 'derivedFrom'> = { definition, changes: [...object.changes, location] };
    // MODIFY QUERY keeps the stored column list (chDB 26.7); the new query's sources are added as they are now.
    const derivedFrom = object.derivedFrom;
    if (derivedFrom && statement.actions.some((a) => a.kind === 'ModifyQuery')) {
      const sources = new Map(this.viewSources(definition));
      for (const [id, source] of derivedFrom.sources) sources.set(id, source);
      change.derivedFrom = { query: derivedFrom.query, sources };
      if (derivedFrom.sourcesGone) change.derivedFrom.sourcesGone = derivedFrom.sourcesGone;
    }
    this.replace(object, change, qualifiedId(statement.table, this.currentDatabase).tableKey);
  }

  private alterDatabase(location: SourceLocation, statement: AlterDatabaseStatement): void {
    const object = this.objects.get(objectKey('database', statement.name.name));
    if (object?.definition.kind !== 'CreateDatabase') {
      // Databases the repository does not create are managed elsewhere; altering them is not our state.
      this.referencedDatabases.add(statement.name.name);
      return;
    }
    const definition = { ...object.definition };
    if (statement.settings)
      definition.settings = [
        ...(definition.settings ?? []).filter((s) => !statement.settings?.some((n) => n.name.name === s.name.name)),
        ...statement.settings,
      ];
    if (statement.comment) definition.comment = statement.comment;
    this.replace(object, { definition, changes: [...object.changes, location] });
  }

  /** SET replaces or adds keys, DELETE removes them, as ClickHouse does (it keeps them sorted by key: so does the canonical form). */
  private alterNamedCollection(location: SourceLocation, statement: AlterNamedCollectionStatement): void {
    const object = this.objects.get(objectKey('named-collection', statement.name.name));
    // A collection the repository does not create (one of the server's configuration) is not our state.
    if (object?.definition.kind !== 'CreateNamedCollection') return;
    const changed = new Set([...statement.set.map((e) => e.key.name), ...statement.delete.map((k) => k.name)]);
    const entries = [...object.definition.entries.filter((e) => !changed.has(e.key.name)), ...statement.set];
    this.replace(object, { definition: { ...object.definition, entries }, changes: [...object.changes, location] });
  }

  private drop(location: SourceLocation, statement: DropStatement): void {
    if (statement.temporary) return;
    const kinds = DROPPABLE[statement.objectKind] ?? [];
    if (statement.policies) {
      // `p1 ON t1, p2 ON t2` drops two policies, not each name on each table.
      for (const group of statement.policies)
        for (const name of group.names)
          for (const table of group.on) {
            const q = this.qualify(table);
            this.dropOne(location, statement, kinds, `${name.name} ON ${q.database}.${q.name}`, {
              kind: 'QualifiedName',
              name,
              start: name.start,
              end: name.end,
            });
          }
      return;
    }
    for (const name of statement.names) {
      const isQualified = kinds.some((k) => namespaceOf(k) === 'table');
      let id: string;
      if (isQualified) {
        const q = this.qualify(name);
        id = `${q.database}.${q.name}`;
      } else id = name.name.name;
      const ids = statement.on ? statement.on.map((t) => `${id} ON ${this.qualify(t).database}.${t.name.name}`) : [id];
      for (const objectId of ids) this.dropOne(location, statement, kinds, objectId, name);
    }
  }

  private dropOne(location: SourceLocation, statement: DropStatement, kinds: ObjectKind[], id: string, nameNode: QualifiedName): void {
    const key = objectKey(kinds[0], id);
    const object = this.objects.get(key);
    if (!object || !kinds.includes(object.kind)) {
      if (statement.verb === 'UNDROP') return;
      if (!statement.ifExists) {
        const what = object ? `\`${id}\` is a ${object.kind}, not a ${statement.objectKind.toLowerCase()}` : `\`${id}\` does not exist at this point`;
        this.report(
          location,
          'object-missing',
          `${statement.verb} ${statement.objectKind} of ${what}: ClickHouse refuses it.`,
          'Fix the name or the object kind, or add IF EXISTS.',
          nameNode,
        );
      }
      return;
    }
    this.objects.delete(key);
    if (statement.verb === 'DETACH') this.detached.set(key, object);
    this.history.push({ kind: 'dropped', objectKind: object.kind, id, location });
    const gone = [object.id];
    if (object.kind === 'database') {
      // Dropping a database drops everything in it.
      for (const [k, o] of this.objects)
        if (o.database === object.name) {
          this.objects.delete(k);
          gone.push(o.id);
        }
    }
    this.sourcesGone(gone);
  }

  /**
   * Marks the views that read a table, view or dictionary that is dropped or renamed away: their
   * stored column list stays, but their query no longer infers over what exists, as a live view's
   * does not (canon/derivedColumns.ts compares the list only while it does).
   */
  /** A source created again under a name that was gone: the views' queries read it again (approximated by the one at CREATE). */
  private sourceBack(id: string): void {
    for (const [key, object] of this.objects) {
      const derivedFrom = object.derivedFrom;
      if (!derivedFrom?.sourcesGone?.has(id)) continue;
      const sourcesGone = new Set([...derivedFrom.sourcesGone].filter((gone) => gone !== id));
      const { sourcesGone: _old, ...rest } = derivedFrom;
      this.objects.set(key, { ...object, derivedFrom: sourcesGone.size ? { ...rest, sourcesGone } : rest });
    }
  }

  private sourcesGone(ids: readonly string[]): void {
    for (const [key, object] of this.objects) {
      const derivedFrom = object.derivedFrom;
      const gone = ids.filter((id) => derivedFrom?.sources.has(id) && !derivedFrom.sourcesGone?.has(id));
      if (!derivedFrom || gone.length === 0) continue;
      this.objects.set(key, { ...object, derivedFrom: { ...derivedFrom, sourcesGone: new Set([...(derivedFrom.sourcesGone ?? []), ...gone]) } });
    }
  }

  private attach(location: SourceLocation, name: QualifiedName, ifNotExists: boolean): void {
    const { database, name: bare } = this.qualify(name);
    const key = objectKey('table', `${database}.${bare}`);
    const object = this.detached.get(key) ?? this.detached.get(objectKey('database', bare));
    if (!object) {
      if (!this.objects.has(key) || !ifNotExists) {
        this.report(
          location,
          'object-missing',
          `ATTACH of \`${database}.${bare}\`, which was not detached by an earlier migration.`,
          'Attach only what a migration detached, or write the full definition (ATTACH TABLE ... (columns) ENGINE = ...).',
          name,
        );
      }
      return;
    }
    this.detached.delete(object.kind === 'database' ? objectKey('database', bare) : key);
    this.objects.set(object.kind === 'database' ? objectKey('database', bare) : key, { ...object, changes: [...object.changes, location] });
  }

  private rename(location: SourceLocation, statement: RenameStatement): void {
    for (const { from, to } of statement.pairs) {
      if (statement.objectKind === 'DATABASE') this.renameDatabase(location, from.name.name, to.name.name, from);
      else this.renameTable(location, from, to, statement.ifExists);
    }
  }

  private renameTable(location: SourceLocation, from: QualifiedName, to: QualifiedName, ifExists: boolean): void {
    const source = this.qualify(from);
    const target = this.qualify(to);
    const sourceKey = objectKey('table', `${source.database}.${source.name}`);
    const object = this.objects.get(sourceKey);
    if (!object) {
      if (!ifExists) this.findTable(location, from, 'RENAME');
      return;
    }
    const targetId = `${target.database}.${target.name}`;
    if (this.objects.has(objectKey('table', targetId))) {
      this.report(
        location,
        'object-exists',
        `RENAME to \`${targetId}\`, which already exists: ClickHouse refuses it.`,
        'Drop or rename the existing object first, or use EXCHANGE TABLES.',
        to,
      );
      return;
    }
    this.objects.delete(sourceKey);
    const renamed: SchemaObject = {
      ...object,
      id: targetId,
      database: target.database,
      name: target.name,
      definition: withName(object.definition, to, target),
    };
    renamed.changes = [...object.changes, location];
    this.objects.set(objectKey('table', targetId), renamed);
    this.history.push({ kind: 'renamed', objectKind: object.kind, from: object.id, to: targetId, location });
    this.sourcesGone([object.id]);
  }

  private renameDatabase(location: SourceLocation, from: string, to: string, node: QualifiedName): void {
    const database = this.objects.get(objectKey('database', from));
    if (!database) {
      this.report(
        location,
        'object-missing',
        `RENAME DATABASE of \`${from}\`, which does not exist at this point: ClickHouse refuses it.`,
        'Create the database first, or fix the name.',
        node,
      );
      return;
    }
    const moved = [...this.objects.entries()].filter(([, o]) => o.database === from);
    this.objects.delete(objectKey('database', from));
    this.objects.set(objectKey('database', to), { ...database, id: to, name: to, changes: [...database.changes, location] });
    this.history.push({ kind: 'renamed', objectKind: 'database', from, to, location });
    for (const [key, object] of moved) {
      this.objects.delete(key);
      const id = `${to}.${object.name}`;
      this.objects.set(objectKey(object.kind, id), { ...object, id, database: to, changes: [...object.changes, location] });
    }
  }

  private exchange(location: SourceLocation, statement: RenameStatement): void {
    const [{ from, to }] = statement.pairs;
    const a = this.findTable(location, from, 'EXCHANGE');
    const b = this.findTable(location, to, 'EXCHANGE');
    if (!a || !b) return;
    // EXCHANGE swaps the definitions atomically; the names stay where they were.
    this.replace(a, { definition: withName(b.definition, from, { database: a.database ?? '', name: a.name }), changes: [...a.changes, location] });
    this.replace(b, { definition: withName(a.definition, to, { database: b.database ?? '', name: b.name }), changes: [...b.changes, location] });
  }
}

/**
 * The last copy each `CREATE TABLE ... AS source` made, with the source definition it copied: an
 * unchanged statement over an unchanged source keeps its definition object from one analysis to the
 * next (an editor's, a pull request's head after its base), and with it what is cached by definition.
 */
const STRUCTURE_COPIES = new SessionCache<CreateTableStatement, { source: ObjectDefinition; sourceStart: number; start: number; result: CreateTableStatement }>(
  'model: CREATE TABLE AS copies',
);

/** `CREATE TABLE ... AS source` as ClickHouse stores it: the source's columns (and, for a MergeTree, its keys), the table's own engine. */
function copiedStructure(statement: CreateTableStatement, source: CreateTableStatement, sourceElements: TableElement[]): CreateTableStatement {
  const sourceStorage = source.storage;
  const engine = statement.storage?.engine?.name.name ?? sourceStorage?.engine?.name.name ?? '';
  const isMergeTree = engine.endsWith('MergeTree');
  // GenerateRandom and Merge keep no constraints in the metadata a copy reads (chDB 26.7).
  const keepsConstraints = !SOURCES_WITHOUT_CONSTRAINTS.has(sourceStorage?.engine?.name.name ?? '');
  const elements = sourceElements.flatMap((e): TableElement[] => {
    if (e.kind === 'ConstraintDefinition' && !keepsConstraints) return [];
    if (isMergeTree) return [e];
    if (e.kind === 'IndexDefinition' || e.kind === 'ProjectionDefinition') return [];
    return e.kind === 'ColumnDefinition' && e.ttl ? [{ ...e, ttl: undefined }] : [e];
  });
  let storage = statement.storage ?? sourceStorage;
  if (statement.storage?.engine && isMergeTree && sourceStorage?.engine?.name.name.endsWith('MergeTree')) {
    const inherited = { ...statement.storage };
    for (const clause of ['partitionBy', 'primaryKey', 'sampleBy'] as const) inherited[clause] ??= sourceStorage[clause];
    // An empty partition key (`PARTITION BY tuple()`) is not copied.
    if (!statement.storage.partitionBy && isEmptyTuple(sourceStorage.partitionBy)) delete inherited.partitionBy;
    storage = inherited;
  }
  const copy: CreateTableStatement = { ...statement, elements };
  if (storage) copy.storage = storage;
  const comment = statement.comment ?? source.comment;
  if (comment) copy.comment = comment;
  return copy;
}

/**
 * The last result of each ALTER statement, so that a table whose CREATE and ALTERs did not change
 * keeps its definition object from one analysis to the next, and with it the hash and dependencies
 * cached by definition. An editor moves the statements after an edit in place (syntax/incremental.ts):
 * a result is reused only when neither the definition it was applied to nor the ALTER moved.
 */
const ALTER_RESULTS = new SessionCache<AlterTableStatement, { input: ObjectDefinition; inputStart: number; start: number; file: string; result: AlterResult }>(
  'model: ALTER results',
);

function alteredDefinition(input: ObjectDefinition, statement: AlterTableStatement, file: string): AlterResult {
  const alterResults = sessionStore(ALTER_RESULTS);
  const last = alterResults.get(statement);
  if (last && last.input === input && last.inputStart === input.start && last.start === statement.start && last.file === file) return last.result;
  const result = applyAlterActions(input, statement.actions, file);
  alterResults.set(statement, { input, inputStart: input.start, start: statement.start, file, result });
  return result;
}

/** A copy of a definition under another name, so printing and hashing see the name it has now. */
function withName(definition: ObjectDefinition, node: QualifiedName, target: { database: string; name: string }): ObjectDefinition {
  if (!('name' in definition) || definition.name.kind !== 'QualifiedName') return definition;
  const name: QualifiedName = {
    kind: 'QualifiedName',
    database: { kind: 'Identifier', name: target.database, quoted: false, start: node.start, end: node.start },
    name: { kind: 'Identifier', name: target.name, quoted: false, start: node.start, end: node.end },
    start: node.start,
    end: node.end,
  };
  return { ...definition, name } as ObjectDefinition;
}

/** Source engines whose constraints `CREATE TABLE x AS source` does not copy (chDB 26.7). */
const SOURCES_WITHOUT_CONSTRAINTS = new Set(['GenerateRandom', 'Merge']);

function isEmptyTuple(expression: Expression | undefined): boolean {
  return expression?.kind === 'FunctionCall' && expression.name.name === 'tuple' && expression.arguments.length === 0;
}
