import type { Diagnostic, Severity } from '../diagnostics.js';
import { ERROR_CODES } from '../errors.js';
import { docsLink } from '../rules/docsLink.js';
import type { Rule } from '../rules/rule.js';
import { Positions } from './positions.js';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** ClickPlan's version, for `tool.driver.version`. */
  version: string;
  /** Rules whose metadata to include (their descriptions and default levels): SQL rules and server configuration rules. */
  rules: readonly { id: string; severity: Rule['severity']; docs: { description: string } }[];
  /** File texts by path, to turn offsets into lines and columns. */
  texts: Map<string, string>;
  /** Base URL of the docs (rule and error pages); default: the published docs (DOCS_BASE_URL). */
  docsBaseUrl?: string;
}

/**
 * A SARIF 2.1.0 log, as GitHub code scanning reads it. Every code that appears gets a rule
 * descriptor; ClickPlan's rules carry their description and level, every code the URL of its page.
 */
export function renderSarif(diagnostics: Diagnostic[], options: SarifOptions): string {
  const positions = new Positions(options.texts);
  const byId = new Map(options.rules.map((r) => [r.id, r]));
  const codes = [...new Set([...options.rules.map((r) => r.id), ...diagnostics.map((d) => d.code)])].sort();
  const descriptors = codes.map((code) => {
    const rule = byId.get(code);
    return {
      id: code,
      name: code.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
      shortDescription: { text: rule?.docs.description ?? (ERROR_CODES as Record<string, string>)[code] ?? `ClickPlan ${code.replace(/-/g, ' ')}.` },
      helpUri: docsLink(code, options.docsBaseUrl),
      help: { text: `See ${docsLink(code, options.docsBaseUrl)}.`, markdown: `See [${code}](${docsLink(code, options.docsBaseUrl)}).` },
      defaultConfiguration: { level: LEVELS[rule?.severity ?? 'error'] },
    };
  });
  const results = diagnostics.map((d) => {
    const { start, end } = positions.range(d.file, d.range);
    return {
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: LEVELS[d.severity],
      message: { text: d.help ? `${d.message} ${d.help}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(d.file) },
            region: {
              startLine: start.line,
              startColumn: start.column,
              endLine: end.line,
              endColumn: Math.max(end.column, start.column + (end.line === start.line ? 1 : 0)),
            },
          },
        },
      ],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'ClickPlan', version: options.version, rules: descriptors } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
