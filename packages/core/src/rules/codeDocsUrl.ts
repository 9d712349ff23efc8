import { DOCS_BASE_URL, docsPageUrl } from '../docs.js';
import { RULES } from './index.js';
import { SERVER_RULES } from './serverRules.js';

/** Every rule id, of SQL rules and server config rules. */
export const RULE_IDS: readonly string[] = [...RULES, ...SERVER_RULES].map((rule) => rule.id);

const RULE_ID_SET = new Set(RULE_IDS);

/** The page of a diagnostic code: `rules/<id>.md` for a rule, `errors/<code>.md` for any other code. */
export function codeDocsUrl(code: string, base: string = DOCS_BASE_URL): string {
  return docsPageUrl(`${RULE_ID_SET.has(code) ? 'rules' : 'errors'}/${code}.md`, base);
}
