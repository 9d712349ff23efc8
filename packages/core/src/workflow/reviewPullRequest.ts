import { AnalysisCache, analyzeCached } from '../editor/model.js';
import { type Analysis, analyzeFiles } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import type { Project } from '../project/project.js';

// A pull request's review analyses two states of one repository: the base branch (what is deployed,
// and which findings are old) and the head. The head is the base with a few files changed, so it is
// analysed the way an editor analyses a workspace after an edit (editor/model.ts): the files the pull
// request did not change keep their parse, and with the same statements the model keeps its ALTER
// results and definitions, the graph its dependencies and shape, and the rules their per-statement
// findings, all in one session; a changed file is parsed again only around what changed
// (syntax/incremental.ts). test/action-incremental-review.test.ts checks that the comment and the
// verdict are those of two separate full analyses, over random pull requests.

/** Analyses one side of a pull request: its files in migration order, unqualified names in `defaultDatabase`. */
export type AnalyzeSide = (files: SourceFile[], defaultDatabase: string) => Analysis;

export interface PullRequestAnalyzer {
  /** Analyses the base's files. Call it first, and read everything the review needs of the base (its findings) before `head`. */
  base: AnalyzeSide;
  /**
   * Analyses the head's files. A file the base has under the same name is reparsed as an edit of
   * it, which moves the base's statements after the edit in place: the base's schema still serves
   * the diff (definitions do not depend on offsets), but its diagnostics must be taken before.
   */
  head: AnalyzeSide;
}

/**
 * The analyses of a pull request's two sides: incremental (the head as an edit of the base, one
 * session), or `full` (each side on its own, as `clickplan inspect` would): both give the same result.
 */
export function pullRequestAnalyzer(options: { full?: boolean } = {}): PullRequestAnalyzer {
  if (options.full) {
    const alone: AnalyzeSide = (files, defaultDatabase) => analyzeFiles(files, { defaultDatabase });
    return { base: alone, head: alone };
  }
  const cache = new AnalysisCache();
  const analyze: AnalyzeSide = (files, defaultDatabase) => analyzeCached(files, defaultDatabase, cache);
  return { base: analyze, head: analyze };
}

/**
 * The base's project under the head's file names (`headName` maps a file of the base's copy to the
 * name the same file has in the head): the analyses of both sides then share the files that did not
 * change, and the base's findings read as the head's do.
 */
export function underHeadNames(base: Project, headName: (file: string) => string): Project {
  return {
    ...base,
    files: base.files.map((f) => ({ ...f, file: headName(f.file) })),
    migrations: base.migrations.map((m) => ({ ...m, file: headName(m.file) })),
  };
}
