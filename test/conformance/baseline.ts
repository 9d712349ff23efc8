/**
 * The checked-in list of statements of the corpus on which our parser still disagrees with
 * ClickHouse, each with the reason. The CI test fails on a disagreement missing from it and on an
 * entry that no longer disagrees, so the list only shrinks on purpose.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Disagreement, Judged } from './clickhouseTests.js';

export const BASELINE_FILE = new URL('./baseline.json', import.meta.url);

export interface BaselineEntry {
  /** `file:line` of the statement in the corpus. */
  key: string;
  kind: Disagreement;
  /** Why it still disagrees. */
  reason: string;
}

export function readBaseline(): Map<string, BaselineEntry> {
  if (!existsSync(BASELINE_FILE)) return new Map();
  const entries: BaselineEntry[] = JSON.parse(readFileSync(BASELINE_FILE, 'utf8'));
  return new Map(entries.map((e) => [e.key, e]));
}

export function writeBaseline(entries: BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  writeFileSync(BASELINE_FILE, `[\n${sorted.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`);
}

/** The start of the reason given to a false error of no known cause; `run.ts --write-baseline` works those out again. */
export const GENERIC_REASON = 'not supported yet: ';

/**
 * Known causes of remaining false errors: the first whose `pattern` matches the statement's text (and
 * whose `message` matches our diagnostic, when given) gives the reason.
 */
const KNOWN_CAUSES: { pattern: RegExp; message?: RegExp; reason: string }[] = [
  {
    pattern: /\b(?:order\s+by|primary\s+key)\b[^;]*\b(?:desc|DESC)\b[^;]*allow_experimental_reverse_key/s,
    reason:
      'reverse sorting key (ORDER BY x DESC in a table): the sorting key is one Expression in the tree; DESC needs a tree change that canon/ must learn too',
  },
  {
    pattern: /\b(?:cast|CAST|substring|SUBSTRING|trim|TRIM|extract|EXTRACT|position|POSITION)\s*\([^)]*\b(?:AS\s+\w+\s+AS|\w+\s+(?:arg_\d|lhs|rhs)\b)/,
    reason: 'an alias inside the arguments of CAST/SUBSTRING/TRIM/EXTRACT is not supported yet',
  },
  { pattern: /\bTRUNCATE\s+TABLES\b/i, reason: 'TRUNCATE TABLES FROM db is not supported yet' },
  {
    pattern: /^\s*(?:DROP|CREATE|ALTER)\s+(?:USER|ROLE|ROW\s+POLICY|POLICY|QUOTA|SETTINGS\s+PROFILE|PROFILE)\b/im,
    reason: 'an access entity name form (user@host, quoted names, ON db.*) is not supported yet',
  },
  { pattern: /\bAPPLY\s+lambda\b/i, reason: '* APPLY lambda(...) is not supported yet' },
  { pattern: /^\s*SET\s+\w+\.\w+/im, reason: 'a dotted custom setting name in SET is not supported yet' },
  { pattern: /^(?:\s*--[^\n]*\n)*\s*(?:WITH\s[^;]*?)?FROM\s/i, message: /found `FROM`/, reason: 'FROM before SELECT is not supported yet' },
  {
    pattern: /\bSOURCE\s*\(/i,
    message: /Expected a parameter name/,
    reason: "an expression as a dictionary SOURCE parameter (PORT getServerPort('p'), DB concat(...)): the tree keeps literals and names only",
  },
  { pattern: /[)`]\s*\.\s*\*/, reason: '.* after an expression or a parameterized table name (tuple(1, 2).*, {db:Identifier}.`t`.*) is not supported yet' },
  { pattern: /\{\$\d+:/, reason: 'a query parameter named with $ ({$1:String}) is not supported yet' },
  { pattern: /^\s*EXECUTE\s+AS\b/im, reason: 'EXECUTE AS user <statement> is not supported yet' },
  { pattern: /\bapply\s+\w+\s*\(\s*\d+\s*\)\s*\)/i, reason: '* APPLY with a parametric function (APPLY groupUniqArray(100)) is not supported yet' },
  {
    pattern: /^\s*ATTACH\s+DICTIONARY\s+[^(]*$/im,
    reason: 'ATTACH DICTIONARY name without its definition (attaching a detached dictionary) is not supported yet',
  },
  {
    pattern: /\)\s*\(\s*\w+(?:\s*,\s*\w+)*\s*\)/,
    message: /found `\(`/,
    reason: 'column names after a subquery without an alias (FROM (SELECT ...) (c0)) are not supported yet',
  },
  { pattern: /->[^;]*\bAS\s+lambda\b/i, reason: 'a call on a member of a lambda alias (lambda.nested(1)) is not supported yet' },
  { pattern: /\bTO\s+(?:DISK|VOLUME)\s+IF\s+EXISTS\b/i, reason: 'TTL ... TO DISK IF EXISTS is not supported yet: the tree has no place for IF EXISTS' },
];

/** A first reason for a new entry, from the statement and the verdicts; edit it in the file to say more. */
export function reasonFor(j: Judged): string {
  if (j.disagreement === 'false-accept') {
    if (/^\s*SYSTEM\b/im.test(j.statement.sql))
      return `ClickPlan keeps SYSTEM statements as tokens; ClickHouse rejects: ${j.verdict.accepted ? '' : j.verdict.message}`;
    if (/\bINSERT\b[^;]*\bVALUES\b/s.test(j.statement.sql))
      return 'ClickPlan skips the rows of INSERT ... VALUES as data, where ClickHouse finds a second statement';
    return `ClickHouse rejects: ${j.verdict.accepted ? '' : j.verdict.message}`;
  }
  if (j.disagreement === 'other-line') return 'both reject; the first error is reported on another line';
  const message = j.outcome.accepted ? '' : j.outcome.message;
  const known = KNOWN_CAUSES.find((cause) => cause.pattern.test(j.statement.sql) && (!cause.message || cause.message.test(message)));
  return known?.reason ?? `${GENERIC_REASON}${j.outcome.accepted ? '' : j.outcome.message}`;
}
