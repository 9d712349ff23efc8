export type Severity = 'error' | 'warning' | 'info';

/** A rule's configured severity; `off` disables it. */
export type RuleSeverity = Severity | 'off';

/** Offsets into a file's text; `end` exclusive. */
export interface Range {
  start: number;
  end: number;
}

/**
 * A problem a user can cause and fix. `code` is a stable kebab-case id: a rule id or an error id
 * such as `syntax-error`. `message` states the fact; `help` starts with a verb and says what to do.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  help?: string;
}
