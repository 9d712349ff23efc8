import type { Diagnostic, Severity } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import type { ServerFacts } from '../server/facts.js';
import { inSession, SessionCache, sessionStore } from '../session.js';
import type { Statement } from '../syntax/ast.js';
import { RULES } from './index.js';
import type { AppliedMigration, MigrationFile } from './migrationHistory.js';
import { fillPlaceholders, type LocatedStatement, type Rule, type RuleSeverity } from './rule.js';
import { applySuppressions, readSuppressions, unusedSuppressions } from './suppressions.js';

export interface LintOptions {
  /** Severity per rule id, overriding the rule's default (`off` disables it). */
  rules?: Record<string, RuleSeverity>;
  /** Rules to run instead of the registry (tests run one rule). */
  only?: readonly Rule<string, unknown>[];
  /** Facts about the deployment every rule may read, merged over each rule's default options. */
  project?: ProjectOptions;
}

/** What the repository's configuration says about where it deploys, and what was deployed before. */
export interface ProjectOptions {
  /** The cluster the migrations run ON CLUSTER; unset for a single server. */
  cluster?: string;
  /** Names must be written with their database (`qualifiedNames` in clickplan.yaml). */
  qualifiedNames?: boolean;
  /** The repository's migration files as `loadProject` read them: kind, version, SHA-256 of the exact bytes. */
  migrations?: readonly MigrationFile[];
  /** The versioned migrations already applied, with their checksums: the base branch's, or the deploy registry's. */
  applied?: readonly AppliedMigration[];
  /** The names the servers' configuration (`server.config`) defines; unset when it is not known. */
  server?: ServerFacts;
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

/** `lintAnalysis`, and the findings that suppression comments removed, each with its reason. Pure. */
export function lintWithSuppressed(analysis: Analysis, options: LintOptions = {}): { diagnostics: Diagnostic[]; suppressed: SuppressedFinding[] } {
  return inSession(() => lintInSession(analysis, options), analysis.session);
}

function lintInSession(analysis: Analysis, options: LintOptions): { diagnostics: Diagnostic[]; suppressed: SuppressedFinding[] } {
  const rules = options.only ?? RULES;
  const statements = locatedStatements(analysis);
  const findings: Diagnostic[] = [];
  for (const rule of rules) {
    const severity = options.rules?.[rule.id] ?? rule.severity;
    if (severity === 'off') continue;
    rule.check(
      {
        analysis,
        statements,
        report: (finding) => {
          const text = rule.messages[finding.messageId];
          findings.push({
            code: rule.id,
            severity: severity as Severity,
            file: finding.file,
            range: { start: finding.node.start, end: finding.node.end },
            message: fillPlaceholders(text.message, finding.data),
            help: fillPlaceholders(text.help, finding.data),
          });
        },
      },
      { ...(rule.defaultOptions as object), ...options.project },
    );
  }
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
  return { diagnostics: sortDiagnostics([...kept, ...suppressionDiagnostics, ...unusedSuppressions(suppressions)], analysis), suppressed };
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
