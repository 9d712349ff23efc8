import type { Diagnostic } from '../diagnostics.js';
import { AnalysisCache, analyzeCached } from '../inspect/analysisCache.js';
import { type Analysis, analyzeFiles } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import type { Project } from '../project/project.js';
import type { Rule } from '../rules/rule.js';

// A pull request's review analyses two states of one repository: the base branch (what is deployed,
// and which findings are old) and the head. The head is the base with a few files changed, so it is
// analysed the way an editor analyses a workspace after an edit (inspect/analysisCache.ts), in one session
// with the base: the files the pull request did not change keep their parse, and with the same
// statements the model keeps its ALTER results and definitions, the graph its dependencies and
// shape, the hashes their values and the rules their per-statement findings. A changed file is
// parsed anew, not reparsed around the edit as an editor does (syntax/incremental.ts): that moves
// the statements after the edit in place, and the base is still read after the head, when the
// head's findings tell which of the base's rules are worth running (`rulesToTellOld`).
// test/action-incremental-review.test.ts checks that the comment and the verdict are those of two
// separate full analyses, over random pull requests.

/** Analyses one side of a pull request: its files in migration order, unqualified names in `defaultDatabase`. */
export type AnalyzeSide = (files: SourceFile[], defaultDatabase: string) => Analysis;

export interface PullRequestAnalyzer {
  /** Analyses the base's files; call it first. */
  base: AnalyzeSide;
  /** Analyses the head's files, reusing what the base's analysis found for the files that did not change. */
  head: AnalyzeSide;
}

/**
 * The analyses of a pull request's two sides: incremental (the head reuses the base's unchanged
 * files, one session), or `full` (each side on its own, as `clickplan inspect` would). Both give the
 * same result.
 */
export function pullRequestAnalyzer(options: { full?: boolean } = {}): PullRequestAnalyzer {
  if (options.full) {
    const alone: AnalyzeSide = (files, defaultDatabase) => analyzeFiles(files, { defaultDatabase });
    return { base: alone, head: alone };
  }
  const cache = new AnalysisCache();
  const baseTexts = new Map<string, string>();
  return {
    base(files, defaultDatabase) {
      for (const f of files) baseTexts.set(f.file, f.text);
      return analyzeCached(files, defaultDatabase, cache);
    },
    head(files, defaultDatabase) {
      // A changed file is parsed anew: reparsing it would move the base's statements.
      cache.retain(files.filter((f) => baseTexts.get(f.file) === f.text));
      return analyzeCached(files, defaultDatabase, cache);
    },
  };
}

/**
 * The rules whose findings in the base tell the head's old findings from new ones: a finding is old
 * when the base has one with the same rule, file and message, so only the rules with findings in
 * the files the pull request does not touch need to run on the base. All of them when a suppression
 * went unused there: whether it was used in the base depends on every rule. Undefined: all rules.
 */
export function rulesToTellOld(untouched: readonly Diagnostic[], rules: readonly Rule<string, unknown>[]): Rule<string, unknown>[] | undefined {
  const codes = new Set(untouched.map((d) => d.code));
  if (codes.has('unused-suppression')) return undefined;
  return rules.filter((r) => codes.has(r.id));
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
