import type { Diagnostic, Range, Severity } from '../diagnostics.js';
import { ERROR_CODES } from '../errors.js';
import { docsLink } from '../rules/docsLink.js';
import type { FindingFix } from '../rules/lint.js';
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
  /** The fixes findings offer (`lintWithSuppressed`'s `fixes`): each becomes a SARIF `fix` of its result. */
  fixes?: ReadonlyMap<Diagnostic, readonly FindingFix[]>;
}

/**
 * A SARIF 2.1.0 log, as GitHub code scanning reads it. Every code that appears gets a rule
 * descriptor; ClickPlan's rules carry their description and level, every code the URL of its page.
 * A result whose finding offers fixes carries them (`fixes`: the edits as `artifactChanges`).
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
    const fixes = sarifFixes(d, options.fixes?.get(d) ?? [], options.texts.get(d.file), positions);
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
      ...(fixes.length > 0 ? { fixes } : {}),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'ClickPlan', version: options.version, rules: descriptors } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * SARIF `fix` objects (§3.55): a description (the fix's title) and the replacements its edits make
 * in the finding's file, each a deleted region (empty for an insertion) and the text inserted. The
 * edits are made from the file's text now, as an editor would; a fix that no longer applies is left out.
 */
function sarifFixes(diagnostic: Diagnostic, offered: readonly FindingFix[], text: string | undefined, positions: Positions) {
  if (text === undefined) return [];
  return offered.flatMap((fix) => {
    const edits = fix.edits(text);
    if (!edits || edits.length === 0) return [];
    return [
      {
        description: { text: fix.title },
        artifactChanges: [
          {
            artifactLocation: { uri: encodeURI(diagnostic.file) },
            replacements: [...edits]
              .sort((a, b) => a.range.start - b.range.start)
              .map((edit) => ({ deletedRegion: deletedRegion(diagnostic.file, edit.range, positions), insertedContent: { text: edit.newText } })),
          },
        ],
      },
    ];
  });
}

/** A region by line and column and by character offset (both, so any consumer can apply it); empty for an insertion. */
function deletedRegion(file: string, range: Range, positions: Positions) {
  const { start, end } = positions.range(file, range);
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    charOffset: range.start,
    charLength: range.end - range.start,
  };
}
