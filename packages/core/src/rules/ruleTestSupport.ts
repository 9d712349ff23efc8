import type { SourceFile } from '../project/files.js';
import type { ProjectOptions, Rule } from './rule.js';
import { type ExpectedFinding, testRule } from './ruleTester.js';

// Test support for rules, beside ruleTester, for assertions a case list does not hold well: the
// findings of a rule over files, as the tester computes them.

/** Runs a rule with the given project facts over files given in migration order; findings carry their file, message and help as `lint` fills them. */
export function findingsWith(
  rule: Rule,
  files: SourceFile[],
  project: ProjectOptions = {},
): (ExpectedFinding & { file: string; message: string; help: string; endColumn: number })[] {
  return testRule(rule, { files, project }).map(({ messageId, line, column, endColumn, file, message, help }) => ({
    file,
    messageId,
    line,
    column,
    endColumn,
    message,
    help,
  }));
}

/** Findings without the message, as `invalid` cases list them. */
export function positionsWith(rule: Rule, sql: string, project: ProjectOptions = {}): ExpectedFinding[] {
  return findingsWith(rule, [{ file: 'test.sql', text: sql }], project).map(({ messageId, line, column, endColumn }) => ({
    messageId,
    line,
    column,
    endColumn,
  }));
}
