import { hashObject } from '../canon/canonical.js';
import type { Diagnostic } from '../diagnostics.js';
import { buildGraph, type SchemaGraph } from '../graph/graph.js';
import { buildModel, type ModelOptions } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import type { SourceFile } from '../project/files.js';
import { AnalysisSession, runningSession } from '../session.js';
import type { Statement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import type { Token } from '../syntax/tokens.js';

/** Everything the front ends show about a repository: its model, graph, hashes and diagnostics. */
export interface Analysis {
  files: SourceFile[];
  /** Each file's statements and comments, in migration order. */
  parsed: { file: string; statements: Statement[]; comments: Token[] }[];
  schema: Schema;
  graph: SchemaGraph;
  /** Canonical hash by object id. */
  hashes: Map<string, string>;
  /** Syntax, model and graph diagnostics, in file order. */
  diagnostics: Diagnostic[];
  /** The session whose caches the analysis filled: linting it runs there too. */
  session?: AnalysisSession;
}

/**
 * Parses, models, graphs and hashes a repository's files (given in migration order). A file's own
 * `defaultDatabase` wins over `options.defaultDatabase` for that file. Pure: no I/O.
 */
export function analyzeFiles(files: SourceFile[], options: ModelOptions & { session?: AnalysisSession } = {}): Analysis {
  const session = options.session ?? runningSession() ?? new AnalysisSession();
  return session.run(() => ({ ...analyze(files, options), session }));
}

function analyze(files: SourceFile[], options: ModelOptions): Analysis {
  const parsed = files.map((f) => {
    // Not `...parseSql(...)`: spreading would run its lazy `tokens` getter (a second copy of every token).
    const { statements, diagnostics, comments } = parseSql(f.text, { file: f.file });
    return { file: f.file, defaultDatabase: f.defaultDatabase, declarative: f.declarative, statements, diagnostics, comments };
  });
  const schema = buildModel(parsed, options);
  const graph = buildGraph(schema);
  const hashes = new Map(schema.objects.map((o) => [o.id, hashObject(o)]));
  const diagnostics = [...parsed.flatMap((p) => p.diagnostics), ...schema.diagnostics, ...graph.diagnostics];
  return { files, parsed: parsed.map((p) => ({ file: p.file, statements: p.statements, comments: p.comments })), schema, graph, hashes, diagnostics };
}
