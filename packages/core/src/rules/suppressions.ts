import type { Diagnostic, Range } from '../diagnostics.js';
import type { Statement } from '../syntax/ast.js';
import type { Token } from '../syntax/tokens.js';

/** `-- clickplan-ignore <rule>: <reason>` (next statement) or `-- clickplan-ignore-file <rule>: <reason>`. */
export interface Suppression {
  file: string;
  ruleId: string;
  reason: string;
  /** The comment itself. */
  range: Range;
  /** What it covers: the next statement, or the whole file. */
  scope: Range;
  used: boolean;
}

const SUPPRESSION = /^(?:--|#!?|\/\*)\s*clickplan-ignore(-file)?\b\s*([^\s:*]*)\s*(?::\s*(.*?))?\s*(?:\*\/)?$/;

/** Reads the suppression comments of a file; malformed ones (no rule, no reason) are diagnostics. */
export function readSuppressions(file: string, source: string, tokens: Token[], statements: Statement[], knownRules: ReadonlySet<string>) {
  const suppressions: Suppression[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const token of tokens) {
    if (token.kind !== 'Comment') continue;
    const match = SUPPRESSION.exec(source.slice(token.start, token.end).trim());
    if (!match) continue;
    const [, fileWide, ruleId, reason] = match;
    const range = { start: token.start, end: token.end };
    const problem = !ruleId
      ? 'names no rule'
      : !knownRules.has(ruleId)
        ? `names \`${ruleId}\`, which is not a ClickPlan rule`
        : !reason
          ? 'gives no reason'
          : undefined;
    if (problem) {
      diagnostics.push({
        code: 'suppression-invalid',
        severity: 'error',
        file,
        range,
        message: `This suppression ${problem}, so it suppresses nothing.`,
        help: 'Write it as `-- clickplan-ignore <rule-id>: <why this is safe here>`.',
      });
      continue;
    }
    const next = statements.find((s) => s.start >= token.end);
    const scope = fileWide ? { start: 0, end: source.length } : next ? { start: next.start, end: next.end } : range;
    suppressions.push({ file, ruleId, reason: reason as string, range, scope, used: false });
  }
  return { suppressions, diagnostics };
}

/** Drops the findings a suppression covers, marking it used; `onSuppressed` hears of each one dropped. */
export function applySuppressions(
  findings: Diagnostic[],
  suppressions: Suppression[],
  onSuppressed?: (finding: Diagnostic, suppression: Suppression) => void,
): Diagnostic[] {
  return findings.filter((finding) => {
    const suppression = suppressions.find(
      (s) => s.file === finding.file && s.ruleId === finding.code && finding.range.start >= s.scope.start && finding.range.start <= s.scope.end,
    );
    if (suppression) {
      suppression.used = true;
      onSuppressed?.(finding, suppression);
    }
    return !suppression;
  });
}

export function unusedSuppressions(suppressions: Suppression[]): Diagnostic[] {
  return suppressions
    .filter((s) => !s.used)
    .map((s) => ({
      code: 'unused-suppression',
      severity: 'warning',
      file: s.file,
      range: s.range,
      message: `This suppression of \`${s.ruleId}\` matches no finding.`,
      help: 'Remove it: the problem it suppressed is gone, or it stands in the wrong place.',
    }));
}
