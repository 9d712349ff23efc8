import { type Dependency, dependenciesOf } from '../graph/dependencies.js';
import type { Analysis } from '../inspect/analyze.js';
import { qualifiedId, SchemaReplay } from '../model/replay.js';
import { namespaceOf, type Schema, type SchemaObject } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { QualifiedName } from '../syntax/ast.js';
import type { LocatedStatement } from './rule.js';

// Rules about a statement's effect need the schema as it stood when the statement ran, not the
// final one: which views read a column at the moment it is dropped, what type it had before a
// MODIFY COLUMN. This replays the migrations up to a statement with the model's own replay.

/** The schema at one point of the migrations. */
export interface SchemaState {
  schema: Schema;
  /** Every dependency of the objects at that point (computed on first use). */
  readonly dependencies: Dependency[];
  /** Tables, views and dictionaries by `db.name`. */
  tables: Map<string, SchemaObject>;
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
  // One replay moves forward through the statements; rules ask in order, so each rule replays at
  // most once. Snapshots are cheap because the replay never changes an object in place.
  let replay = new SchemaReplay(defaultDatabase);
  let position = 0;
  const advanceTo = (index: number) => {
    if (index < position) {
      replay = new SchemaReplay(defaultDatabase);
      position = 0;
    }
    for (; position < index; position++) {
      const { file, statement } = statements[position];
      if (position === 0 || statements[position - 1].file !== file) replay.startFile(fileDatabases.get(file));
      replay.apply(file, statement);
    }
  };
  return {
    before(index) {
      let state = states.get(index);
      if (!state) {
        advanceTo(index);
        const schema = replay.result();
        const tables = new Map(schema.objects.filter((o) => namespaceOf(o.kind) === 'table').map((o) => [o.id, o]));
        let dependencies: Dependency[] | undefined;
        state = {
          schema,
          tables,
          get dependencies() {
            dependencies ??= schema.objects
              .filter((o) => namespaceOf(o.kind) === 'table' || o.kind === 'database')
              .flatMap((o) => dependenciesOf(o, schema.objects));
            return dependencies;
          },
        };
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
