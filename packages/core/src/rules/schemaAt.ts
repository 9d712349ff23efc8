import { type Dependency, dependenciesOf } from '../graph/dependencies.js';
import type { Analysis } from '../inspect/analyze.js';
import { qualifiedId, SchemaReplay } from '../model/replay.js';
import { namespaceOf, objectKey, type Schema, type SchemaObject } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { QualifiedName } from '../syntax/ast.js';
import type { LocatedStatement } from './rule.js';

// Rules about a statement's effect need the schema as it stood when the statement ran, not the
// final one: which views read a column at the moment it is dropped, what type it had before a
// MODIFY COLUMN. This replays the migrations up to a statement with the model's own replay.

/** The schema at one point of the migrations. */
export interface SchemaState {
  /** The whole schema at that point (assembled on first use). */
  readonly schema: Schema;
  /** Every dependency of the objects at that point (computed on first use). */
  readonly dependencies: Dependency[];
  /** Tables, views and dictionaries by `db.name`. */
  readonly tables: TablesAt;
  /** A database by name (a binary search, like `tables`). */
  database(name: string): SchemaObject | undefined;
  /**
   * The dependencies on `id` at that point: those of `dependencies` whose `to` is `id`, in the same
   * order, without working out every object's (a rule asking at each ALTER made that quadratic).
   */
  dependenciesOn(id: string): Dependency[];
}

/** Tables, views and dictionaries by `db.name` at one point; a lookup costs a binary search, not a copy of the schema. */
export interface TablesAt {
  get(id: string): SchemaObject | undefined;
  has(id: string): boolean;
  values(): IterableIterator<SchemaObject>;
}

/** States of the schema along the migrations, computed on demand and cached per statement. */
export interface Timeline {
  /** The schema just before statement `index` runs; `index` may be `statements.length` (the end). */
  before(index: number): SchemaState;
  /** The database unqualified names in statement `index` resolve to (the USE in effect). */
  databaseAt(index: number): string;
  /** `db.name` of a name written in statement `index`. */
  idAt(index: number, name: QualifiedName): string;
  /** The index just past the last statement of the file that holds statement `index`. */
  endOfFile(index: number): number;
}

const TIMELINES = new SessionCache<readonly LocatedStatement[], Timeline>('rules: timelines by statements');

/** The timeline of a rule context's statements; shared by every rule of one lint run. */
export function timelineOf(context: { analysis: Analysis; statements: readonly LocatedStatement[] }): Timeline {
  const timelines = sessionStore(TIMELINES);
  let timeline = timelines.get(context.statements);
  if (!timeline) {
    // A tenant's files resolve unqualified names to the tenant's database.
    const fileDatabases = new Map(context.analysis.files.flatMap((f) => (f.defaultDatabase ? [[f.file, f.defaultDatabase] as const] : [])));
    timeline = createTimeline(context.statements, inferDefaultDatabase(context.analysis, context.statements), fileDatabases);
    timelines.set(context.statements, timeline);
  }
  return timeline;
}

function createTimeline(statements: readonly LocatedStatement[], defaultDatabase: string, fileDatabases: ReadonlyMap<string, string>): Timeline {
  const states = new Map<number, SchemaState>();
  const databases: string[] = [];
  let current = defaultDatabase;
  statements.forEach(({ file, statement }, i) => {
    if (i === 0 || statements[i - 1].file !== file) current = fileDatabases.get(file) ?? defaultDatabase;
    databases.push(current);
    if (statement.kind === 'Use') current = statement.database.name;
  });
  // One replay moves forward through the statements, and every change it makes to its objects is
  // recorded with the statement that made it: the schema before any earlier statement is read back
  // from that record. Copying the schema for every statement a rule asks about was quadratic (most
  // ALTERs are asked about), and so was replaying again from the start when a rule asked backwards.
  const history = new ObjectHistory();
  let position = 0;
  const replay = new SchemaReplay(defaultDatabase, new RecordingMap((key, value) => history.record(key, value, position)));
  const advanceTo = (index: number) => {
    for (; position < index; position++) {
      const { file, statement } = statements[position];
      if (position === 0 || statements[position - 1].file !== file) replay.startFile(fileDatabases.get(file));
      replay.apply(file, statement);
    }
  };
  /** Which object keys ever depend on an id, over the whole replay (built when first asked). */
  let dependents: Dependents | undefined;
  const dependentsOf = () => {
    if (!dependents) {
      advanceTo(statements.length);
      dependents = history.dependents();
    }
    return dependents;
  };
  return {
    before(index) {
      let state = states.get(index);
      if (!state) {
        advanceTo(index);
        state = stateAt(index, history, replay, dependentsOf);
        states.set(index, state);
      }
      return state;
    },
    databaseAt: (index) => databases[index] ?? defaultDatabase,
    idAt: (index, name) => qualifiedId(name, databases[index] ?? defaultDatabase).id,
    endOfFile(index) {
      let end = index + 1;
      while (end < statements.length && statements[end].file === statements[index].file) end++;
      return end;
    },
  };
}

/** The state before statement `index`, read from the history; the whole schema only when asked for. */
function stateAt(index: number, history: ObjectHistory, replay: SchemaReplay, dependentsOf: () => Dependents): SchemaState {
  let schema: Schema | undefined;
  let dependencies: Dependency[] | undefined;
  const objectsAt = () => {
    if (!schema) {
      const { grants, history: changes, externalDatabases, diagnostics } = replay.result();
      schema = { objects: history.objectsBefore(index), grants, history: changes, externalDatabases, diagnostics };
    }
    return schema;
  };
  return {
    get schema() {
      return objectsAt();
    },
    tables: {
      get: (id) => history.valueBefore(`table:${id}`, index),
      has: (id) => history.valueBefore(`table:${id}`, index) !== undefined,
      values: () =>
        objectsAt()
          .objects.filter((o) => namespaceOf(o.kind) === 'table')
          .values(),
    },
    database: (name) => history.valueBefore(objectKey('database', name), index),
    dependenciesOn(id) {
      if (dependencies) return dependencies.filter((d) => d.to === id);
      const { byTarget, merge } = dependentsOf();
      const found: { order: number; dependencies: Dependency[] }[] = [];
      for (const key of new Set([...(byTarget.get(id) ?? []), ...merge])) {
        const version = history.at(key, index);
        if (!version?.value) continue;
        const on = dependenciesOf(version.value, merge.size > 0 ? objectsAt().objects : []).filter((d) => d.to === id);
        if (on.length > 0) found.push({ order: version.order, dependencies: on });
      }
      return found.sort((a, b) => a.order - b.order).flatMap((f) => f.dependencies);
    },
    get dependencies() {
      const { objects } = objectsAt();
      dependencies ??= objects.filter((o) => namespaceOf(o.kind) === 'table' || o.kind === 'database').flatMap((o) => dependenciesOf(o, objects));
      return dependencies;
    },
  };
}

/** Object keys by the ids their definitions depend on, and the Merge tables (which may depend on any). */
interface Dependents {
  byTarget: Map<string, Set<string>>;
  merge: Set<string>;
}

/** A map that reports every change made to it. */
class RecordingMap extends Map<string, SchemaObject> {
  constructor(private readonly onChange: (key: string, value: SchemaObject | undefined) => void) {
    super();
  }
  override set(key: string, value: SchemaObject): this {
    super.set(key, value);
    this.onChange(key, value);
    return this;
  }
  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted) this.onChange(key, undefined);
    return deleted;
  }
  override clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }
}

/** Every value each object key took along the replay, with the statement that set it. */
class ObjectHistory {
  private readonly versions = new Map<string, { at: number[]; values: (SchemaObject | undefined)[]; order: number[] }>();
  /** The creation order of each key the replay holds now. */
  private readonly present = new Map<string, number>();
  private inserts = 0;

  record(key: string, value: SchemaObject | undefined, at: number): void {
    // A Map keeps a key where it was first set until it is deleted: that place is the creation order.
    let order = -1;
    if (value === undefined) this.present.delete(key);
    else {
      order = this.present.get(key) ?? this.inserts++;
      this.present.set(key, order);
    }
    let versions = this.versions.get(key);
    if (!versions) {
      versions = { at: [], values: [], order: [] };
      this.versions.set(key, versions);
    }
    // A statement may change a key twice (delete, then set): the search finds its last version.
    versions.at.push(at);
    versions.values.push(value);
    versions.order.push(order);
  }

  /**
   * Which keys (of tables, views, dictionaries and databases) depend on each id in any of their
   * versions; a Merge table's depend on the other objects, so it is a candidate for every id.
   */
  dependents(): Dependents {
    const byTarget = new Map<string, Set<string>>();
    const merge = new Set<string>();
    for (const [key, { values }] of this.versions) {
      for (const value of values) {
        if (!value || (namespaceOf(value.kind) !== 'table' && value.kind !== 'database')) continue;
        if (value.definition.kind === 'CreateTable' && value.definition.storage?.engine?.name.name === 'Merge') {
          merge.add(key);
          continue;
        }
        for (const d of dependenciesOf(value, [])) {
          let keys = byTarget.get(d.to);
          if (!keys) byTarget.set(d.to, (keys = new Set()));
          keys.add(key);
        }
      }
    }
    return { byTarget, merge };
  }

  /** The version of `key` set by the last statement before `index`, with its creation order. */
  at(key: string, index: number): { value: SchemaObject | undefined; order: number } | undefined {
    return this.versionBefore(key, index);
  }

  /** The version of `key` set by the last statement before `index`. */
  private versionBefore(key: string, index: number): { value: SchemaObject | undefined; order: number } | undefined {
    const versions = this.versions.get(key);
    if (!versions) return undefined;
    let low = 0;
    let high = versions.at.length - 1;
    if (high < 0 || versions.at[0] >= index) return undefined;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (versions.at[middle] < index) low = middle;
      else high = middle - 1;
    }
    return { value: versions.values[low], order: versions.order[low] };
  }

  valueBefore(key: string, index: number): SchemaObject | undefined {
    return this.versionBefore(key, index)?.value;
  }

  /** Every object that existed before statement `index`, in the order the replay's map held them. */
  objectsBefore(index: number): SchemaObject[] {
    const present: { object: SchemaObject; order: number }[] = [];
    for (const key of this.versions.keys()) {
      const version = this.versionBefore(key, index);
      if (version?.value) present.push({ object: version.value, order: version.order });
    }
    return present.sort((a, b) => a.order - b.order).map((p) => p.object);
  }
}

/**
 * The database unqualified names meant before any USE. The analysis does not record it (the CLI's
 * `--database`), so it is read back from an object created under an unqualified name before a USE.
 */
function inferDefaultDatabase(analysis: Analysis, statements: readonly LocatedStatement[]): string {
  const sawUse = new Set<string>();
  for (const { file, statement } of statements) {
    if (statement.kind === 'Use') sawUse.add(file);
    if (sawUse.has(file)) continue;
    if ((statement.kind === 'CreateTable' || statement.kind === 'CreateView' || statement.kind === 'CreateDictionary') && !statement.name.database) {
      const object = analysis.schema.objects.find((o) => o.created.file === file && o.created.range.start === statement.start);
      if (object) return object.contextDatabase;
    }
  }
  return 'default';
}
