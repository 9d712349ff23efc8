import type { Diagnostic, RuleSeverity } from '../diagnostics.js';
import { AnalysisCache, analyzeCached } from '../inspect/analysisCache.js';
import type { Analysis } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import { type FindingFix, lintSteps, type ProjectOptions } from '../rules/lint.js';
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
  const run = startEditorModel(files, options, cache);
  while (!run.step()) {
    // The rules' next part.
  }
  return run.model as EditorModel;
}

/**
 * `buildEditorModel` in steps, so that a language server answers requests between them (the rules
 * are most of an edit's analysis, and under load one analysis takes tens of milliseconds). The first
 * step parses, models and graphs (`partial` is then there: what hover, completion and the other
 * requests read); each later one runs a part of the rules; `model` is there after the last.
 *
 * A run reads the cache's syntax trees, which the next analysis of the cache moves in place: once
 * another run (or `buildEditorModel`) on the same cache has taken a step, drop this one.
 */
export interface EditorModelRun {
  /** Runs the next step; true when the model is complete. */
  step(): boolean;
  /** The model without rule findings and fixes: there after the first step. */
  readonly partial: EditorModel | undefined;
  /** The complete model: there after the last step. */
  readonly model: EditorModel | undefined;
}

export function startEditorModel(files: SourceFile[], options: EditorModelOptions, cache: AnalysisCache): EditorModelRun {
  let partial: EditorModel | undefined;
  let model: EditorModel | undefined;
  const steps = editorSteps(files, options, cache, (p) => {
    partial = p;
  });
  return {
    step() {
      if (model) return true;
      const next = cache.session.run(() => steps.next());
      if (next.done) model = next.value;
      return next.done === true;
    },
    get partial() {
      return partial;
    },
    get model() {
      return model;
    },
  };
}

function* editorSteps(
  files: SourceFile[],
  options: EditorModelOptions,
  cache: AnalysisCache,
  onAnalysis: (partial: EditorModel) => void,
): Generator<void, EditorModel> {
  const analysis = analyzeCached(files, options.defaultDatabase, cache);
  // The name index serves requests (hover, definition, completion...), not diagnostics: built on first use.
  let names: NameIndex | undefined;
  const base = {
    analysis,
    get names() {
      names ??= cache.session.run(() => indexNames(analysis, options.defaultDatabase));
      return names;
    },
    options,
  };
  onAnalysis(modelOf(base, analysis.diagnostics, new Map(), []));
  yield;
  const failures: EditorModel['failures'] = [];
  const { diagnostics: findings, fixes } = yield* lintSteps(analysis, {
    rules: options.rules ?? {},
    project: options.project ?? {},
    ...(options.only ? { only: options.only } : {}),
    // A rule that throws costs its own findings and nothing else.
    onRuleError: (rule, error) => failures.push({ rule, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  return modelOf(base, [...analysis.diagnostics, ...findings], fixes, failures);
}

/** A model over `base`, whose lazy `names` stays lazy (a spread would build the index). */
function modelOf(
  base: Pick<EditorModel, 'analysis' | 'names' | 'options'>,
  diagnostics: Diagnostic[],
  fixes: EditorModel['fixes'],
  failures: EditorModel['failures'],
): EditorModel {
  return {
    analysis: base.analysis,
    get names() {
      return base.names;
    },
    options: base.options,
    diagnostics,
    fixes,
    failures,
  };
}
