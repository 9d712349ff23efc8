import type { Diagnostic, RuleSeverity } from '../diagnostics.js';
import { AnalysisCache, analyzeCached } from '../inspect/analysisCache.js';
import type { Analysis } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import { type FindingFix, lintWithSuppressed, type ProjectOptions } from '../rules/lint.js';
import type { Rule } from '../rules/rule.js';
import { indexNames, type NameIndex } from './names.js';

// An editor analyses the same repository again after every keystroke, with one file changed. This
// is `analyzeFiles` + `lintAnalysis` with what did not change kept (inspect/analysisCache.ts: each
// file's statements, each object's hash and dependencies, the graph when no dependency changed); and
// every rule run on its own, so that a rule that throws costs its own findings and nothing else.
// incremental.test.ts checks that the result is the CLI's.

export { AnalysisCache, analyzeCached };

export interface EditorModelOptions {
  /** The database unqualified names resolve to before any USE (the project's `database`). */
  defaultDatabase: string;
  /** Severity per rule id (the project's `rules:` with the editor's overrides on top). */
  rules?: Record<string, RuleSeverity>;
  /** Options per rule id (the project's `rules: { <id>: { options } }`). */
  ruleOptions?: Record<string, unknown>;
  /** What the configuration says about the deployment (cluster, ...), passed to every rule as the CLI does. */
  project?: ProjectOptions;
  /** Rules to run instead of the registry (tests inject a failing one). */
  only?: readonly Rule[];
}

export interface EditorModel {
  analysis: Analysis;
  /** Built on first use. */
  readonly names: NameIndex;
  /** Syntax, model and graph diagnostics, then rule findings, each file's in migration order. */
  diagnostics: Diagnostic[];
  options: EditorModelOptions;
  /** The fixes rule findings offer (`report({ fix, suggest })`), by finding. */
  fixes: ReadonlyMap<Diagnostic, readonly FindingFix[]>;
  /** Rules that threw, with the error: their findings are missing, everything else is there. */
  failures: { rule: string; error: string }[];
}

/** Analyses, lints and indexes a workspace's files (in migration order). */
export function buildEditorModel(files: SourceFile[], options: EditorModelOptions, cache: AnalysisCache = new AnalysisCache()): EditorModel {
  return cache.session.run(() => buildInSession(files, options, cache));
}

function buildInSession(files: SourceFile[], options: EditorModelOptions, cache: AnalysisCache): EditorModel {
  const analysis = analyzeCached(files, options.defaultDatabase, cache);
  const failures: EditorModel['failures'] = [];
  const { diagnostics: findings, fixes } = lintWithSuppressed(analysis, {
    rules: options.rules ?? {},
    ...(options.ruleOptions ? { ruleOptions: options.ruleOptions } : {}),
    project: options.project ?? {},
    ...(options.only ? { only: options.only } : {}),
    // A rule that throws costs its own findings and nothing else.
    onRuleError: (rule, error) => failures.push({ rule, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  // The name index serves requests (hover, definition, completion...), not diagnostics: built on first use.
  let names: NameIndex | undefined;
  return {
    analysis,
    get names() {
      names ??= cache.session.run(() => indexNames(analysis, options.defaultDatabase));
      return names;
    },
    diagnostics: [...analysis.diagnostics, ...findings],
    fixes,
    options,
    failures,
  };
}
