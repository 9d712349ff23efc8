import type { Range, Severity } from '../diagnostics.js';
import type { Analysis } from '../inspect/analyze.js';
import type { Statement } from '../syntax/ast.js';

/** A rule's configured severity; `off` disables it. */
export type RuleSeverity = Severity | 'off';

/** What a finding says: the fact and its ClickHouse effect, then what to do (starting with a verb). */
export interface RuleMessage {
  message: string;
  help: string;
}

/** A statement with the file it stands in, in migration order. */
export interface LocatedStatement {
  file: string;
  statement: Statement;
}

export interface Finding<MessageId extends string> {
  file: string;
  /** The exact range the finding is about (a node of the syntax tree). */
  node: Range;
  messageId: MessageId;
  /** Values for `{placeholders}` in the message and help. */
  data?: Record<string, string | number>;
}

export interface RuleContext<MessageId extends string> {
  /** The repository as parsed, modelled and graphed. Rules read this, never raw text. */
  analysis: Analysis;
  /** Every statement with its file, in migration order. */
  statements: readonly LocatedStatement[];
  report(finding: Finding<MessageId>): void;
}

export interface Rule<MessageId extends string = string, Options = Record<string, never>> {
  /** Kebab-case, names the risk; the file and the docs page are named after it. */
  id: string;
  /** Default severity; data loss is an error. */
  severity: Severity;
  docs: {
    /** One sentence for rule lists and SARIF: what goes wrong in production. */
    description: string;
  };
  messages: Record<MessageId, RuleMessage>;
  defaultOptions: Options;
  check(context: RuleContext<MessageId>, options: Options): void;
}

/** Declares a rule; `messageId` in `report` is checked against `messages` by the compiler. */
export function defineRule<MessageId extends string, Options = Record<string, never>>(rule: Rule<MessageId, Options>): Rule<MessageId, Options> {
  return rule;
}

/** Fills `{name}` placeholders. */
export function fillPlaceholders(text: string, data: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/** A finding of one statement, without its file. */
export type StatementFinding<MessageId extends string> = Omit<Finding<MessageId>, 'file'>;

/**
 * For findings that depend on one statement alone: `find`, computed once per statement object. An
 * editor lints after every keystroke and keeps the statements an edit did not reach, moving those
 * after it in place (syntax/incremental.ts); so `find` must report nodes of the statement itself,
 * whose offsets move with it, never a range it computed.
 */
export function perStatement<S extends Statement, MessageId extends string>(
  find: (statement: S) => StatementFinding<MessageId>[],
): (statement: S) => StatementFinding<MessageId>[] {
  const found = new WeakMap<S, StatementFinding<MessageId>[]>();
  return (statement) => {
    let findings = found.get(statement);
    if (!findings) found.set(statement, (findings = find(statement)));
    return findings;
  };
}
