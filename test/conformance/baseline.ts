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

/** A first reason for a new entry, from the verdicts; edit it in the file to say more. */
export function reasonFor(j: Judged): string {
  if (j.disagreement === 'false-error') return `not supported yet: ${j.outcome.accepted ? '' : j.outcome.message}`;
  if (j.disagreement === 'false-accept') return `ClickHouse rejects: ${j.verdict.accepted ? '' : j.verdict.message}`;
  return 'both reject; the first error is reported on another line';
}
