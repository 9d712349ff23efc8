import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { analyzeFiles } from '../inspect/analyze.js';
import { LineIndex } from '../syntax/lineIndex.js';
import type { LocatedStatement, Rule } from './rule.js';

/** An expected finding: 1-based line and columns, as editors show them; `endColumn` exclusive. */
export interface ExpectedFinding {
  messageId: string;
  line: number;
  column: number;
  endColumn?: number;
}

/** SQL with the options it runs with, merged over the rule's defaults as `lintAnalysis` merges `project`. */
export interface RuleTestCase {
  sql: string;
  options?: object;
}

export interface RuleTestCases {
  /** SQL, or SQL with options, that must produce no finding. */
  valid: (string | RuleTestCase)[];
  /** SQL (with options) and the complete list of findings it must produce. */
  invalid: (RuleTestCase & { errors: ExpectedFinding[] })[];
}

/**
 * Runs one rule over a SQL text (one file, `test.sql` unless named) and returns its findings with
 * their message ids. `options` are merged over the rule's defaults, as `lintAnalysis` merges `project`.
 */
export function runRule(
  rule: Rule<string, unknown>,
  sql: string,
  { options, file = 'test.sql' }: { options?: object; file?: string } = {},
): { findings: (ExpectedFinding & { message: string })[]; diagnostics: Diagnostic[] } {
  const analysis = analyzeFiles([{ file, text: sql }]);
  const statements: LocatedStatement[] = analysis.parsed.flatMap((p) => p.statements.map((statement) => ({ file: p.file, statement })));
  const index = new LineIndex(sql);
  const findings: (ExpectedFinding & { message: string })[] = [];
  rule.check(
    {
      analysis,
      statements,
      report: ({ node, messageId, data }) => {
        const start = index.positionAt(node.start);
        const end = index.positionAt(node.end);
        const message = rule.messages[messageId].message.replace(/\{(\w+)\}/g, (w, k: string) => String(data?.[k] ?? w));
        findings.push({ messageId, line: start.line + 1, column: start.column + 1, endColumn: end.column + 1, message });
      },
    },
    { ...(rule.defaultOptions as object), ...options },
  );
  return { findings, diagnostics: analysis.diagnostics };
}

/** Declares a test per case: valid SQL reports nothing, invalid SQL reports exactly the expected list. */
export function ruleTester(rule: Rule<string, unknown>, cases: RuleTestCases): void {
  describe(rule.id, () => {
    for (const [i, valid] of cases.valid.entries()) {
      const { sql, options } = typeof valid === 'string' ? { sql: valid, options: undefined } : valid;
      it(`valid #${i + 1}`, () => {
        const { findings, diagnostics } = runRule(rule, sql, { options });
        // A rule cannot pass on broken input: the SQL must parse and model cleanly.
        expect(diagnostics.filter((d) => d.code === 'syntax-error')).toEqual([]);
        expect(findings).toEqual([]);
      });
    }
    for (const [i, { sql, options, errors }] of cases.invalid.entries()) {
      it(`invalid #${i + 1}`, () => {
        const { findings, diagnostics } = runRule(rule, sql, { options });
        expect(diagnostics.filter((d) => d.code === 'syntax-error')).toEqual([]);
        const compared = findings.map(({ message: _, ...f }, j) => (errors[j] && errors[j].endColumn === undefined ? { ...f, endColumn: undefined } : f));
        expect(compared).toEqual(errors.map((e) => ({ endColumn: undefined, ...e })));
      });
    }
  });
}
