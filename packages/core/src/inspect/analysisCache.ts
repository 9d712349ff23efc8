import { hashObject } from '../canon/canonical.js';
import type { Diagnostic } from '../diagnostics.js';
import { type Dependency, dependenciesOf } from '../graph/dependencies.js';
import { GRAPH_KINDS, graphOf, type SchemaGraph } from '../graph/graph.js';
import { buildModel } from '../model/replay.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import type { SourceFile } from '../project/files.js';
import { AnalysisSession } from '../session.js';
import type { Statement } from '../syntax/ast.js';
import { type FileParse, parseFile, reparseFile } from '../syntax/incremental.js';
import type { Token } from '../syntax/tokens.js';
import type { Analysis } from './analyze.js';

// `analyzeFiles` for a repository analysed again and again with a few files changed: an editor
// after every keystroke (editor/model.ts), a pull request's head after its base
// (workflow/reviewPullRequest.ts). What did not change is kept: each file's statements (an edited
// file is parsed again only around the edit), each object's hash and dependencies (by definition),
// the graph when no dependency changed. editor/incremental.test.ts checks that the result is
// `analyzeFiles`'s.

/** Whether two graphs have the same objects (ids and kinds) and the same dependencies (ends and kinds), in the same order. */
function sameShape(a: SchemaObject[], b: SchemaObject[], da: Dependency[], db: Dependency[]): boolean {
  if (a.length !== b.length || da.length !== db.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].kind !== b[i].kind) return false;
  for (let i = 0; i < da.length; i++) if (da[i].from !== db[i].from || da[i].to !== db[i].to || da[i].kind !== db[i].kind) return false;
  return true;
}

/** How many graphs an AnalysisCache keeps to reuse. */
const RECENT_GRAPHS = 3;

/**
 * Reuses parses, hashes and the graph's shape between analyses of one workspace. It owns the syntax
 * trees it hands out: an edit moves the statements after it in place (syntax/incremental.ts), so an
 * analysis from the cache is current until the next one.
 */
export class AnalysisCache {
  /** The workspace's analysis session: what the model, graph and rules cache lives here, from one edit to the next. */
  readonly session = new AnalysisSession();
  private parses = new Map<string, { parse: FileParse; diagnostics: Diagnostic[] }>();
  private hashes = new WeakMap<object, Map<string, string>>();

  /** A file's statements, syntax errors and comments: parsed again only around what changed since the last call. */
  parse(file: string, text: string): { statements: Statement[]; diagnostics: Diagnostic[]; comments: Token[] } {
    let entry = this.parses.get(file);
    if (entry?.parse.text !== text) {
      const parse = entry ? reparseFile(entry.parse, text) : parseFile(text, file);
      entry = { parse, diagnostics: parse.errors.filter((e) => e !== undefined) };
      this.parses.set(file, entry);
    }
    return { statements: entry.parse.statements, diagnostics: entry.diagnostics, comments: entry.parse.comments };
  }

  hash(object: SchemaObject): string {
    // A view's hash also holds its sources' column types at CREATE (canon/derivedColumns.ts), which
    // an edit elsewhere changes under an unchanged definition: not cached by definition.
    if (object.derivedFrom) return hashObject(object);
    let byId = this.hashes.get(object.definition);
    if (!byId) this.hashes.set(object.definition, (byId = new Map()));
    const key = `${object.id}\u0000${object.contextDatabase}`;
    let hash = byId.get(key);
    if (hash === undefined) byId.set(key, (hash = hashObject(object)));
    return hash;
  }

  /** The last graphs built, newest first. */
  private recentGraphs: { members: SchemaObject[]; dependencies: Dependency[]; graph: SchemaGraph }[] = [];

  /**
   * The dependency graph of a schema. Most edits change no dependency: then the orders and the
   * upstream/downstream walks of a graph built before still hold (buildGraph derives them from the
   * objects' ids and kinds and the dependencies' ends and kinds alone), and only the dependencies
   * (their ranges moved) and the objects are new. A few graphs are kept, not just the last: typing
   * in a view breaks it (it leaves the schema) and repairs it again and again. A graph with cycles is
   * always built again: its diagnostics point into the objects.
   */
  graph(schema: Schema): SchemaGraph {
    const members = schema.objects.filter((o) => GRAPH_KINDS.has(o.kind));
    const dependencies: Dependency[] = [];
    for (const object of members) for (const d of dependenciesOf(object, members)) dependencies.push(d);
    const reusable = this.recentGraphs.find(
      (recent) => recent.graph.diagnostics.length === 0 && sameShape(recent.members, members, recent.dependencies, dependencies),
    );
    if (reusable) {
      const { graph } = reusable;
      return {
        dependencies,
        objects: byId(members),
        diagnostics: graph.diagnostics,
        get creationOrder() {
          return graph.creationOrder;
        },
        get dropOrder() {
          return graph.dropOrder;
        },
        downstreamOf: graph.downstreamOf,
        upstreamOf: graph.upstreamOf,
      };
    }
    const graph = graphOf(members, dependencies);
    this.recentGraphs = [{ members, dependencies, graph }, ...this.recentGraphs.slice(0, RECENT_GRAPHS - 1)];
    return graph;
  }

  /** Forgets the files that are gone, so that the cache never outgrows the workspace. */
  retain(files: readonly SourceFile[]): void {
    const keep = new Set(files.map((f) => f.file));
    for (const file of this.parses.keys()) if (!keep.has(file)) this.parses.delete(file);
  }
}

/** What `analyzeFiles` returns, with the parses and hashes that did not change taken from the cache. */
export function analyzeCached(files: SourceFile[], defaultDatabase: string, cache: AnalysisCache): Analysis {
  return cache.session.run(() => analyzeInSession(files, defaultDatabase, cache));
}

function analyzeInSession(files: SourceFile[], defaultDatabase: string, cache: AnalysisCache): Analysis {
  cache.retain(files);
  const parsed = files.map((f) => ({ file: f.file, defaultDatabase: f.defaultDatabase, declarative: f.declarative, ...cache.parse(f.file, f.text) }));
  const schema = buildModel(parsed, { defaultDatabase });
  const graph = cache.graph(schema);
  // Usually every object is in the graph: then its map serves the hashes too.
  const hashes = new LazyHashes(graph.objects.size === schema.objects.length ? graph.objects : byId(schema.objects), cache);
  const diagnostics = [...parsed.flatMap((p) => p.diagnostics), ...schema.diagnostics, ...graph.diagnostics];
  const session = cache.session;
  return { files, parsed: parsed.map((p) => ({ file: p.file, statements: p.statements, comments: p.comments })), schema, graph, hashes, diagnostics, session };
}

function byId(objects: SchemaObject[]): Map<string, SchemaObject> {
  const map = new Map<string, SchemaObject>();
  for (const object of objects) map.set(object.id, object);
  return map;
}

/**
 * Canonical hashes computed when asked for: an edit gives every ALTERed table a new definition, and
 * hashing them all again costs more than the rest of an analysis. Rules do not read hashes; hover
 * asks for one. Iterating computes them all.
 */
class LazyHashes extends Map<string, string> {
  constructor(
    private readonly objects: ReadonlyMap<string, SchemaObject>,
    private readonly cache: AnalysisCache,
  ) {
    super();
  }

  override get(id: string): string | undefined {
    let hash = super.get(id);
    const object = this.objects.get(id);
    if (hash === undefined && object) super.set(id, (hash = this.cache.hash(object)));
    return hash;
  }

  override has(id: string): boolean {
    return this.objects.has(id);
  }

  override get size(): number {
    return this.objects.size;
  }

  private computeAll(): void {
    for (const id of this.objects.keys()) this.get(id);
  }

  override entries(): MapIterator<[string, string]> {
    this.computeAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.computeAll();
    return super.keys();
  }

  override values(): MapIterator<string> {
    this.computeAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  override forEach(callback: (value: string, key: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    for (const [id, hash] of this.entries()) callback.call(thisArg, hash, id, this);
  }
}
