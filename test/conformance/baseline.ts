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

/** Known causes of remaining disagreements, by the statement's text; the first that matches gives the reason. */
const KNOWN_CAUSES: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /\b(?:order\s+by|primary\s+key)\b[^;]*\b(?:desc|DESC)\b[^;]*allow_experimental_reverse_key/s,
    reason:
      'reverse sorting key (ORDER BY x DESC in a table): the sorting key is one Expression in the tree; DESC needs a tree change that canon/ must learn too',
  },
  {
    pattern: /PROJECTION\s+\w+\s+INDEX\b/i,
    reason: 'projection index (PROJECTION p INDEX x TYPE t): canon/ and plan/ read ProjectionDefinition.query, which this form has not',
  },
  { pattern: /[\u2018\u2019\u201C\u201D\u2212]/, reason: 'Unicode quotes or minus are not lexed yet' },
  {
    pattern: /\b(?:cast|CAST|substring|SUBSTRING|trim|TRIM|extract|EXTRACT|position|POSITION)\s*\([^)]*\b(?:AS\s+\w+\s+AS|\w+\s+(?:arg_\d|lhs|rhs)\b)/,
    reason: 'an alias inside the arguments of CAST/SUBSTRING/TRIM/EXTRACT is not supported yet',
  },
  { pattern: /PARALLEL\s+WITH/i, reason: 'PARALLEL WITH is not supported yet' },
  { pattern: /\bTRUNCATE\s+TABLES\b/i, reason: 'TRUNCATE TABLES FROM db is not supported yet' },
  {
    pattern: /^\s*(?:DROP|CREATE|ALTER)\s+(?:USER|ROLE|ROW\s+POLICY|POLICY|QUOTA|SETTINGS\s+PROFILE|PROFILE)\b/im,
    reason: 'an access entity name form (user@host, quoted names, ON db.*) is not supported yet',
  },
  { pattern: /\bAPPLY\s+lambda\b/i, reason: '* APPLY lambda(...) is not supported yet' },
  { pattern: /\bINT\(\d*\)\s+(?:UN)?SIGNED|AUTO_INCREMENT|\bforeign\s+key\b/i, reason: 'MySQL-compatible column syntax is not supported yet' },
  { pattern: /^\s*SET\s+\w+\.\w+/im, reason: 'a dotted custom setting name in SET is not supported yet' },
  { pattern: /(?:PART|PARTITION)\s+\{\w+:|\}\s*\.\s*\{\w+:/i, reason: 'a query parameter in this position is not supported yet' },
  { pattern: /^(?:\s*--[^\n]*\n)*\s*FROM\s/i, reason: 'FROM before SELECT is not supported yet' },
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
  const known = KNOWN_CAUSES.find((cause) => cause.pattern.test(j.statement.sql));
  return known?.reason ?? `not supported yet: ${j.outcome.accepted ? '' : j.outcome.message}`;
}
