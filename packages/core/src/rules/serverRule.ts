import type { Diagnostic, RuleSeverity, Severity } from '../diagnostics.js';
import type { SourceFile } from '../project/files.js';
import type { Location, ServerConfig } from '../server/model.js';
import { fillPlaceholders, type RuleMessage } from './rule.js';

// Rules over the team's server configuration (server.config): the same shape as SQL rules (id,
// severity, docs, messages), with the configuration model instead of the analysis. Findings point
// into the XML or YAML file that wrote the value, after config.d/ and users.d/ merges.

export interface ServerFinding<MessageId extends string> {
  /** Where the finding is: an element or value of the model. */
  at: Location;
  messageId: MessageId;
  data?: Record<string, string | number>;
}

export interface ServerRuleContext<MessageId extends string> {
  server: ServerConfig;
  report(finding: ServerFinding<MessageId>): void;
}

export interface ServerRule<MessageId extends string = string> {
  id: string;
  severity: Severity;
  docs: { description: string };
  messages: Record<MessageId, RuleMessage>;
  check(context: ServerRuleContext<MessageId>): void;
}

export function defineServerRule<MessageId extends string>(rule: ServerRule<MessageId>): ServerRule<MessageId> {
  return rule;
}

export interface ServerLintOptions {
  /** Severity per rule id (`off` disables it): `rules:` of clickplan.yaml. */
  rules?: Record<string, RuleSeverity>;
  /** Rules to run instead of the registry (tests run one rule). */
  only?: readonly ServerRule[];
}

/** A `clickplan-ignore` comment of an XML or YAML file. */
interface ServerSuppression {
  file: string;
  rule: string;
  /** The comment, for the unused-suppression finding. */
  start: number;
  end: number;
  /** Offsets it covers: the line after the comment, or the whole file. */
  covers: { start: number; end: number };
  used: boolean;
}

/**
 * `<!-- clickplan-ignore <id>: reason -->` (XML) or `# clickplan-ignore <id>: reason` (YAML) silences
 * the rule on the next line that is not blank; `clickplan-ignore-file` on the whole file.
 */
function readServerSuppressions(file: SourceFile): ServerSuppression[] {
  const pattern = /(?:<!--|#)[ \t]*clickplan-ignore(-file)?[ \t]+([a-z0-9-]+)[ \t]*:[ \t]*\S[^\n]*?(?:-->|$)/gm;
  return [...file.text.matchAll(pattern)].map((m) => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const lineEnd = file.text.indexOf('\n', end);
    const nextLine = /\S[^\n]*/.exec(file.text.slice(lineEnd === -1 ? file.text.length : lineEnd));
    const nextStart = (lineEnd === -1 ? file.text.length : lineEnd) + (nextLine?.index ?? 0);
    const covers = m[1] ? { start: 0, end: file.text.length } : { start: nextStart, end: nextStart + (nextLine?.[0].length ?? 0) };
    return { file: file.file, rule: m[2] as string, start, end, covers, used: false };
  });
}

/** Runs the server rules over a configuration; suppression comments in its files apply. Pure. */
export function lintServerConfig(
  server: ServerConfig,
  files: readonly SourceFile[],
  rules: readonly ServerRule[],
  options: ServerLintOptions = {},
): Diagnostic[] {
  const suppressions = files.flatMap(readServerSuppressions).filter((s) => rules.some((r) => r.id === s.rule));
  const findings: Diagnostic[] = [];
  for (const rule of options.only ?? rules) {
    const severity = options.rules?.[rule.id] ?? rule.severity;
    if (severity === 'off') continue;
    rule.check({
      server,
      report: ({ at, messageId, data }) => {
        const suppression = suppressions.find(
          (s) => s.rule === rule.id && s.file === at.file && at.range.start >= s.covers.start && at.range.start <= s.covers.end,
        );
        if (suppression) {
          suppression.used = true;
          return;
        }
        const text = rule.messages[messageId];
        findings.push({
          code: rule.id,
          severity,
          file: at.file,
          range: at.range,
          message: fillPlaceholders(text.message, data),
          help: fillPlaceholders(text.help, data),
        });
      },
    });
  }
  const ran = new Set((options.only ?? rules).filter((r) => (options.rules?.[r.id] ?? r.severity) !== 'off').map((r) => r.id));
  const unused = suppressions
    .filter((s) => !s.used && ran.has(s.rule))
    .map(
      (s): Diagnostic => ({
        code: 'unused-suppression',
        severity: 'warning',
        file: s.file,
        range: { start: s.start, end: s.end },
        message: `This suppression of \`${s.rule}\` matches no finding.`,
        help: 'Remove it: the problem it suppressed is gone, or it stands in the wrong place.',
      }),
    );
  const order = new Map(files.map((f, i) => [f.file, i]));
  return [...findings, ...unused].sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.range.start - b.range.start || a.code.localeCompare(b.code),
  );
}
