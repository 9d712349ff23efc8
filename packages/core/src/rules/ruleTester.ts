import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { analyzeFiles } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import { LineIndex } from '../syntax/lineIndex.js';
import { fixesOf, runRules } from './lint.js';
import { fillPlaceholders, type ProjectOptions, type Rule, type TextEdit } from './rule.js';

// ESLint's RuleTester for ClickPlan rules: `valid` cases report nothing, `invalid` cases report
// exactly the listed findings, with the message data, texts and fix output a case lists.

/** A fix or suggestion a finding offers, and the file's text after applying it. */
export interface ExpectedFix {
  title: string;
  output: string;
}

/** An expected finding: 1-based line and columns, as editors show them; `endColumn` exclusive. */
export interface ExpectedFinding {
  messageId: string;
  line: number;
  column: number;
  endColumn?: number;
  /** The finding's file, for cases with several files. */
  file?: string;
  /** The message's placeholder values, as reported. */
  data?: Record<string, string | number>;
  /** The filled message and help. */
  message?: string;
  help?: string;
  /** The fixes a finding offers, the rule's own fix first, each with the file's text after it. */
  fixes?: ExpectedFix[];
}

/** SQL (one file, `test.sql`) or files in migration order, with the rule's options and the project's facts. */
export interface RuleTestCase {
  /** The test's title (default: `valid #n` or `invalid #n`), as ESLint's RuleTester takes it. */
  name?: string;
  sql?: string;
  files?: SourceFile[];
  /** The rule's options, merged over its defaults after its schema accepts them. */
  options?: object;
  /** Deployment facts (`context.project`): cluster, qualifiedNames, migrations, applied, server. */
  project?: ProjectOptions;
}

export interface RuleTestCases {
  /** SQL, or a case, that must produce no finding. */
  valid: (string | RuleTestCase)[];
  /** Cases and the complete list of findings each must produce. */
  invalid: (RuleTestCase & { errors: ExpectedFinding[] })[];
}

/** A finding as the tester sees it: every field `ExpectedFinding` may list. */
export type TestedFinding = Required<Omit<ExpectedFinding, 'fixes'>> & { fixes: ExpectedFix[] };

/**
 * Runs one rule over a case and returns its findings, in the order it reported them, with every
 * field filled. A rule cannot pass on broken input: it throws when the SQL does not parse.
 */
export function testRule(rule: Rule, testCase: RuleTestCase): TestedFinding[] {
  const { findings, diagnostics } = runRuleOver(rule, testCase);
  const syntaxErrors = diagnostics.filter((d) => d.code === 'syntax-error');
  if (syntaxErrors.length > 0) throw new Error(`syntax errors: ${syntaxErrors.map((d) => `${d.file}: ${d.message}`).join('; ')}`);
  return findings;
}

function runRuleOver(rule: Rule, testCase: RuleTestCase): { findings: TestedFinding[]; diagnostics: Diagnostic[] } {
  const files = testCase.files ?? [{ file: 'test.sql', text: testCase.sql ?? '' }];
  const analysis = analyzeFiles(files);
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const findings: TestedFinding[] = [];
  runRules(
    analysis,
    { only: [rule], ...(testCase.project ? { project: testCase.project } : {}), ...(testCase.options ? { ruleOptions: { [rule.id]: testCase.options } } : {}) },
    (_, __, finding) => {
      const text = texts.get(finding.file) ?? '';
      const index = new LineIndex(text);
      const start = index.positionAt(finding.node.start);
      const end = index.positionAt(finding.node.end);
      const { message, help } = rule.messages[finding.messageId];
      findings.push({
        messageId: finding.messageId,
        line: start.line + 1,
        column: start.column + 1,
        endColumn: end.column + 1,
        file: finding.file,
        data: finding.data ?? {},
        message: fillPlaceholders(message, finding.data),
        help: fillPlaceholders(help, finding.data),
        fixes: fixesOf(rule, finding).flatMap((fix) => {
          const edits = fix.edits(text);
          return edits ? [{ title: fix.title, output: applyEdits(text, edits) }] : [];
        }),
      });
    },
  );
  return { findings, diagnostics: analysis.diagnostics };
}

/** A file's text with non-overlapping edits applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start))
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  return result;
}

/** The finding with the fields the expected one lists. */
function comparable(found: TestedFinding, expected: ExpectedFinding | undefined): Partial<TestedFinding> {
  const { messageId, line, column } = found;
  const picked: Partial<TestedFinding> = { messageId, line, column };
  for (const key of ['endColumn', 'file', 'data', 'message', 'help', 'fixes'] as const)
    if (expected?.[key] !== undefined) Object.assign(picked, { [key]: found[key] });
  return picked;
}

/** Declares a test per case: valid cases report nothing, invalid cases report exactly the expected list. */
export function ruleTester(rule: Rule, cases: RuleTestCases): void {
  describe(rule.id, () => {
    for (const [i, valid] of cases.valid.entries()) {
      const testCase = typeof valid === 'string' ? { sql: valid } : valid;
      it(testCase.name ?? `valid #${i + 1}`, () => {
        expect(testRule(rule, testCase).map((f) => comparable(f, undefined))).toEqual([]);
      });
    }
    for (const [i, { errors, ...testCase }] of cases.invalid.entries()) {
      it(testCase.name ?? `invalid #${i + 1}`, () => {
        const found = testRule(rule, testCase);
        expect(found.map((f, j) => comparable(f, errors[j]))).toEqual(errors);
      });
    }
  });
}
