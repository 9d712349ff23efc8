import { analyzeFiles } from '../inspect/analyze.js';
import type { SourceFile } from '../project/files.js';
import { LineIndex } from '../syntax/lineIndex.js';
import { fillPlaceholders, type LocatedStatement, type Rule } from './rule.js';
import type { ExpectedFinding } from './ruleTester.js';

// Test support for rules, beside ruleTester: options other than the defaults (ruleTester runs
// `defaultOptions`), several files, and the filled message and help.

/** Runs a rule with the given options over files given in migration order; findings carry their file, message and help as `lint` fills them. */
export function findingsWith<Options>(
  rule: Rule<string, Options>,
  files: SourceFile[],
  options: Options = rule.defaultOptions,
): (ExpectedFinding & { file: string; message: string; help: string })[] {
  const analysis = analyzeFiles(files);
  const syntaxErrors = analysis.diagnostics.filter((d) => d.code === 'syntax-error');
  if (syntaxErrors.length > 0) throw new Error(`syntax errors: ${syntaxErrors.map((d) => d.message).join('; ')}`);
  const statements: LocatedStatement[] = analysis.parsed.flatMap((p) => p.statements.map((statement) => ({ file: p.file, statement })));
  const indexes = new Map(files.map((f) => [f.file, new LineIndex(f.text)]));
  const findings: (ExpectedFinding & { file: string; message: string; help: string })[] = [];
  rule.check(
    {
      analysis,
      statements,
      report: ({ file, node, messageId, data }) => {
        const index = indexes.get(file) as LineIndex;
        const start = index.positionAt(node.start);
        const end = index.positionAt(node.end);
        const { message, help } = rule.messages[messageId];
        findings.push({
          file,
          messageId,
          line: start.line + 1,
          column: start.column + 1,
          endColumn: end.column + 1,
          message: fillPlaceholders(message, data),
          help: fillPlaceholders(help, data),
        });
      },
    },
    options,
  );
  return findings;
}

/** Findings without the message, as `invalid` cases list them. */
export function positionsWith<Options>(rule: Rule<string, Options>, sql: string, options?: Options): ExpectedFinding[] {
  return findingsWith(rule, [{ file: 'test.sql', text: sql }], options).map(({ messageId, line, column, endColumn }) => ({
    messageId,
    line,
    column,
    endColumn,
  }));
}
