import { DOCS_BASE_URL, docsPageUrl } from '../docs.js';
import { RULES } from './index.js';
import { type OptionProblem, optionIssues } from './optionsSchema.js';
import { ruleDocsUrl } from './rule.js';
import { SERVER_RULES } from './serverRules.js';

// The one place a diagnostic's link is made: every front end (CLI, Action, language server, SARIF,
// the pull request comment) imports it, so a rule's page and an error's page are found the same way.

/** Every rule id, of SQL rules and server config rules. */
export const RULE_IDS: readonly string[] = [...RULES, ...SERVER_RULES].map((rule) => rule.id);

const RULE_ID_SET = new Set(RULE_IDS);

const SCHEMAS = new Map(RULES.map((rule) => [rule.id, rule.schema]));

/**
 * What is wrong with the options clickplan.yaml gives rule `id` (`rules: { <id>: { options } }`),
 * checked against the rule's schema; handed to `project/` with RULE_IDS, since the registry sits
 * above it. Server config rules take no options.
 */
export function ruleOptionProblems(id: string, options: unknown): OptionProblem[] {
  return optionIssues(id, SCHEMAS.get(id), options);
}

/**
 * The page of a diagnostic code: `rules/<id>.md` for a rule (its `docs.url`), `errors/<code>.md` for
 * any other code (a syntax error, a ClickHouse error a deploy met, a configuration error).
 */
export function docsLink(code: string, base: string = DOCS_BASE_URL): string {
  return RULE_ID_SET.has(code) ? ruleDocsUrl(code, base) : docsPageUrl(`errors/${code}.md`, base);
}
