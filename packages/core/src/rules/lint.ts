import type { Diagnostic, RuleSeverity, Severity } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import { inSession, SessionCache, sessionStore } from '../session.js';
import type { AlterAction, Statement } from '../syntax/ast.js';
import { forEachChild, type SyntaxKind, type SyntaxNode } from '../syntax/nodes.js';
import { RULES } from './index.js';
import { optionProblems } from './optionsSchema.js';
import {
  type Finding,
  type Fixer,
  fillPlaceholders,
  type LocatedStatement,
  type NodeAt,
  type NodeListeners,
  type ProjectOptions,
  type Rule,
  type RuleContext,
  type RuleFix,
  type RuleMessage,
  type TextEdit,
} from './rule.js';
import { applySuppressions, readSuppressions, unusedSuppressions } from './suppressions.js';

export type { ProjectOptions } from './rule.js';

export interface LintOptions {
  /** Severity per rule id, overriding the rule's default (`off` disables it). */
  rules?: Record<string, RuleSeverity>;
  /** Options per rule id, checked against the rule's schema and merged over its defaults. */
  ruleOptions?: Record<string, unknown>;
  /** Rules to run instead of the registry (tests run one rule). */
  only?: readonly Rule[];
  /** Facts about the deployment every rule may read (`context.project`). */
  project?: ProjectOptions;
  /**
   * Called when a rule throws, instead of throwing: the rule's findings so far are kept and it runs
   * no further (an editor keeps every other rule's findings).
   */
  onRuleError?: (rule: string, error: unknown) => void;
}

/** A fix a finding offers: its title and its edits, computed from the file's text when asked for. */
export interface FindingFix {
  title: string;
  /** The rule's own fix (`fix`), not one of several suggestions (`suggest`). */
  preferred: boolean;
  /** The edits for the file's current text; undefined when the fix no longer applies. */
  edits(text: string): TextEdit[] | undefined;
}

/** Runs every enabled rule over a repository and applies suppression comments. Pure. */
export function lintAnalysis(analysis: Analysis, options: LintOptions = {}): Diagnostic[] {
  return lintWithSuppressed(analysis, options).diagnostics;
}

/** A finding a `clickplan-ignore` comment suppressed, with the comment's reason. */
export interface SuppressedFinding {
  finding: Diagnostic;
  reason: string;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  /** The findings that suppression comments removed, each with its reason. */
  suppressed: SuppressedFinding[];
  /** The fixes of the findings that offer any (`report({ fix, suggest })`), by finding. */
  fixes: ReadonlyMap<Diagnostic, readonly FindingFix[]>;
}

/** `lintAnalysis`, with the findings that suppression comments removed and the fixes findings offer. Pure. */
export function lintWithSuppressed(analysis: Analysis, options: LintOptions = {}): LintResult {
  return inSession(() => drain(lintSteps(analysis, options)), analysis.session);
}

/**
 * `lintWithSuppressed` in steps, for a caller that must stay responsive (the language server answers
 * requests between them): each `next()` runs a part of the rules, the last one returns the result.
 * Every `next()` must run in the analysis's session, and none after another analysis of the same
 * session moved its syntax trees (an editor's next edit): start again instead.
 */
export function* lintSteps(analysis: Analysis, options: LintOptions = {}): Generator<void, LintResult> {
  const findings: Diagnostic[] = [];
  const fixes = new Map<Diagnostic, FindingFix[]>();
  yield* runRuleSteps(analysis, options, (rule, severity, finding) => {
    const text = rule.messages[finding.messageId];
    const diagnostic: Diagnostic = {
      code: rule.id,
      severity,
      file: finding.file,
      range: { start: finding.node.start, end: finding.node.end },
      message: fillPlaceholders(text.message, finding.data),
      help: fillPlaceholders(text.help, finding.data),
    };
    findings.push(diagnostic);
    const offered = fixesOf(rule, finding);
    if (offered.length > 0) fixes.set(diagnostic, offered);
  });
  const known = new Set(RULES.map((r) => r.id));
  const texts = new Map(analysis.files.map((f) => [f.file, f.text]));
  const suppressionDiagnostics: Diagnostic[] = [];
  const suppressions = analysis.parsed.flatMap((p) => {
    const read = readSuppressions(p.file, texts.get(p.file) ?? '', p.comments, p.statements, known);
    suppressionDiagnostics.push(...read.diagnostics);
    return read.suppressions;
  });
  const suppressed: SuppressedFinding[] = [];
  const kept = applySuppressions(findings, suppressions, (finding, suppression) => suppressed.push({ finding, reason: suppression.reason }));
  return { diagnostics: sortDiagnostics([...kept, ...suppressionDiagnostics, ...unusedSuppressions(suppressions)], analysis), suppressed, fixes };
}

/** A finding as a rule reports it, before its message is filled. */
export type ReportedFinding = Finding<Record<string, RuleMessage>, Record<string, string>>;

/**
 * Runs the enabled rules (`options.only`, else the registry) over an analysis: one walk of the
 * statements for every rule's listeners, then each rule's project hook. Each finding goes to
 * `onFinding` as reported, without suppressions applied. The lint engine and the rule tester share it.
 */
export function runRules(analysis: Analysis, options: LintOptions, onFinding: (rule: Rule, severity: Severity, finding: ReportedFinding) => void): void {
  drain(runRuleSteps(analysis, options, onFinding));
}

/** `runRules` in steps: a part of the walk, or one rule's project hook, per `next()`. */
function* runRuleSteps(
  analysis: Analysis,
  options: LintOptions,
  onFinding: (rule: Rule, severity: Severity, finding: ReportedFinding) => void,
): Generator<void, void> {
  const statements = locatedStatements(analysis);
  const runs: RuleRun[] = [];
  for (const rule of options.only ?? RULES) {
    const severity = options.rules?.[rule.id] ?? rule.severity;
    if (severity === 'off') continue;
    const run: RuleRun = {
      rule,
      failed: false,
      context: {
        analysis,
        statements,
        project: options.project ?? {},
        options: optionsOf(rule, options.ruleOptions?.[rule.id]),
        report: (finding) => {
          if (!run.failed) onFinding(rule, severity, finding as ReportedFinding);
        },
      },
    };
    runs.push(run);
  }
  yield* walkStatements(statements, runs, options.onRuleError);
  for (const run of runs) {
    if (!run.rule.check) continue;
    yield;
    guarded(run, options.onRuleError, () => run.rule.check?.(run.context));
  }
}

/** Runs steps to the end. */
function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Statements the walk visits between two steps. */
const WALK_STEP = 2000;

/** One enabled rule in a lint run. */
interface RuleRun {
  rule: Rule;
  context: RuleContext<Record<string, RuleMessage>, unknown>;
  /** It threw: its findings so far stay, it runs no further. */
  failed: boolean;
}

/** Runs `body`; with `onRuleError`, an exception marks the rule failed instead of propagating. */
function guarded(run: RuleRun, onRuleError: LintOptions['onRuleError'], body: () => void): void {
  if (run.failed) return;
  if (!onRuleError) {
    body();
    return;
  }
  try {
    body();
  } catch (error) {
    run.failed = true;
    onRuleError(run.rule.id, error);
  }
}

/**
 * One walk of every statement for all rules' node-kind listeners, ESLint's way. It descends below
 * the statements and their ALTER commands only when some listener wants another kind: most rules
 * listen to statements and ALTER commands, and the expressions of a large repository are most of its nodes.
 */
function* walkStatements(statements: readonly LocatedStatement[], runs: RuleRun[], onRuleError: LintOptions['onRuleError']): Generator<void, void> {
  const listeners = new Map<SyntaxKind | 'Statement', { run: RuleRun; listener: (node: SyntaxNode, at: NodeAt) => void }[]>();
  for (const run of runs) {
    if (!run.rule.create) continue;
    let created: NodeListeners = {};
    guarded(run, onRuleError, () => {
      created = run.rule.create?.(run.context) ?? {};
    });
    for (const [kind, listener] of Object.entries(created) as [SyntaxKind | 'Statement', (node: SyntaxNode, at: NodeAt) => void][]) {
      let list = listeners.get(kind);
      if (!list) listeners.set(kind, (list = []));
      list.push({ run, listener });
    }
  }
  if (listeners.size === 0) return;
  const kinds = [...listeners.keys()].filter((kind): kind is SyntaxKind => kind !== 'Statement');
  const deep = kinds.some((kind) => !STATEMENT_KINDS.has(kind) && !ALTER_COMMAND_KINDS.has(kind));
  const commands = kinds.some((kind) => ALTER_COMMAND_KINDS.has(kind));
  const everyStatement = listeners.get('Statement');
  let at: NodeAt;
  const notify = (node: SyntaxNode, list = listeners.get(node.kind)): void => {
    if (list)
      for (const { run, listener } of list) {
        if (run.failed) continue;
        if (!onRuleError) listener(node, at);
        else guarded(run, onRuleError, () => listener(node, at));
      }
  };
  const visit = (node: SyntaxNode): void => {
    notify(node);
    forEachChild(node, visit);
  };
  for (let index = 0; index < statements.length; index++) {
    if (index > 0 && index % WALK_STEP === 0) yield;
    const { file, statement } = statements[index];
    at = { file, statement, index };
    if (everyStatement) notify(statement, everyStatement);
    if (deep) visit(statement);
    else {
      notify(statement);
      // In the order a full walk meets them: the statement, then its commands.
      if (commands && statement.kind === 'AlterTable') for (const action of statement.actions) notify(action);
    }
  }
}

/**
 * The kinds only statements have: listeners to these alone need no walk below the statements.
 * `Update` and `Delete` are also kinds of ALTER commands (ALTER_COMMAND_KINDS).
 */
const STATEMENT_KINDS: ReadonlySet<SyntaxKind> = new Set(
  Object.keys({
    CreateTable: true,
    CreateView: true,
    CreateDictionary: true,
    CreateDatabase: true,
    CreateFunction: true,
    CreateNamedCollection: true,
    AlterNamedCollection: true,
    CreateAccessEntity: true,
    Grant: true,
    Revoke: true,
    AlterTable: true,
    AlterDatabase: true,
    Drop: true,
    Truncate: true,
    Rename: true,
    Exchange: true,
    Attach: true,
    Use: true,
    Set: true,
    Optimize: true,
    Insert: true,
    SelectStatement: true,
    Other: true,
    Invalid: true,
  } satisfies Record<Exclude<Statement['kind'], 'Update' | 'Delete'>, true>) as SyntaxKind[],
);

/** The kinds of ALTER TABLE's commands: they stand only in an `AlterTable` statement's `actions`. */
const ALTER_COMMAND_KINDS: ReadonlySet<SyntaxKind> = new Set(
  Object.keys({
    AddColumn: true,
    DropColumn: true,
    ModifyColumn: true,
    ModifyColumnRemove: true,
    ModifyColumnSettings: true,
    RenameColumn: true,
    ClearColumn: true,
    CommentColumn: true,
    MaterializeColumn: true,
    AddIndex: true,
    DropIndex: true,
    MaterializeIndex: true,
    ClearIndex: true,
    AddProjection: true,
    DropProjection: true,
    MaterializeProjection: true,
    ClearProjection: true,
    AddConstraint: true,
    DropConstraint: true,
    Statistics: true,
    ModifyConstraint: true,
    ModifyColumnAddEnumValues: true,
    ModifyOrderBy: true,
    ModifySampleBy: true,
    RemoveSampleBy: true,
    ModifyTtl: true,
    RemoveTtl: true,
    MaterializeTtl: true,
    ModifySetting: true,
    ResetSetting: true,
    ModifyQuery: true,
    ModifyRefresh: true,
    ModifySqlSecurity: true,
    ModifyComment: true,
    ModifyEngine: true,
    Update: true,
    Delete: true,
    PartitionOperation: true,
    ApplyDeletedMask: true,
    OtherAction: true,
  } satisfies Record<AlterAction['kind'], true>) as SyntaxKind[],
);

/** The rule's defaults with the configured options over them; options its schema refuses are a bug of the caller (clickplan.yaml is checked when loaded). */
function optionsOf(rule: Rule, configured: unknown): unknown {
  const problems = optionProblems(rule.id, rule.schema, configured);
  if (problems.length > 0) throw new Error(problems.join(' '));
  return configured === undefined ? rule.defaultOptions : { ...(rule.defaultOptions as object), ...(configured as object) };
}

/** The fix and the suggestions of a finding, their titles filled, their edits made when asked for. */
export function fixesOf(rule: Rule, finding: ReportedFinding): FindingFix[] {
  const offer = (fix: RuleFix<Record<string, string>>, preferred: boolean): FindingFix => ({
    title: fillPlaceholders(rule.fixes[fix.messageId], fix.data),
    preferred,
    edits: (text) => {
      const made = fix.fix(fixerOf(text));
      if (made === undefined) return undefined;
      return Array.isArray(made) ? made : [made];
    },
  });
  return [...(finding.fix ? [offer(finding.fix, true)] : []), ...(finding.suggest ?? []).map((s) => offer(s, false))];
}

/** The edits a fix builds, over a file's text. */
export function fixerOf(text: string): Fixer {
  return {
    text,
    insertAt: (offset, newText) => ({ range: { start: offset, end: offset }, newText }),
    replace: (range, newText) => ({ range: { start: range.start, end: range.end }, newText }),
    remove: (range) => ({ range: { start: range.start, end: range.end }, newText: '' }),
  };
}

/**
 * Each file's statements with its name, kept with the file's statement array: an editor lints after
 * every keystroke, and keeps the arrays of the files that did not change.
 */
const LOCATED_BY_FILE = new SessionCache<readonly Statement[], { file: string; located: LocatedStatement[] }>('rules: located statements by file');

/** Every statement with its file, in migration order. */
function locatedStatements(analysis: Analysis): LocatedStatement[] {
  const locatedByFile = sessionStore(LOCATED_BY_FILE);
  const all: LocatedStatement[] = [];
  for (const { file, statements } of analysis.parsed) {
    let kept = locatedByFile.get(statements);
    if (kept?.file !== file) locatedByFile.set(statements, (kept = { file, located: statements.map((statement) => ({ file, statement })) }));
    for (const located of kept.located) all.push(located);
  }
  return all;
}

/** In file order (as the files run), then by position. */
function sortDiagnostics(diagnostics: Diagnostic[], analysis: Analysis): Diagnostic[] {
  const order = new Map(analysis.files.map((f, i) => [f.file, i]));
  return diagnostics.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.range.start - b.range.start || a.code.localeCompare(b.code));
}
