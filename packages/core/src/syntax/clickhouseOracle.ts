import { expect } from 'vitest';
import { clickhouseVerdict } from './clickhouseVerdict.js';
import { parseSql } from './parser.js';

// Test support: ClickHouse (chDB, in-process) as the oracle for syntax tests. Not used by the product.

/** ClickHouse's verdict on one statement: undefined when it accepts, else the line of its error (when it says). */
export function clickhouseRejection(sql: string): { line?: number } | undefined {
  const verdict = clickhouseVerdict(sql);
  if (verdict.accepted) return undefined;
  return verdict.offset === undefined ? {} : { line: lineOf(sql, verdict.offset) };
}

/** 1-based line of an offset. */
export function lineOf(sql: string, offset: number): number {
  return sql.slice(0, offset).split('\n').length;
}

/**
 * Rejected by us with one diagnostic on `at` (its `occurrence`-th appearance; '' is the end of the
 * text), and by ClickHouse on the same line.
 */
export function expectRejected(sql: string, at: string, message: RegExp, occurrence = 1): void {
  const { diagnostics } = parseSql(sql);
  expect(diagnostics).toHaveLength(1);
  let start = at === '' ? sql.length : -1;
  for (let i = 0; i < occurrence && at !== ''; i++) start = sql.indexOf(at, start + 1);
  expect(diagnostics[0].range).toEqual({ start, end: start + at.length });
  expect(diagnostics[0].message).toMatch(message);
  const rejection = clickhouseRejection(sql);
  expect(rejection).toBeDefined();
  if (rejection?.line !== undefined) expect(rejection.line).toBe(lineOf(sql, start));
}

/**
 * Each statement is accepted by us (as one statement, without diagnostics) exactly when ClickHouse
 * accepts it: for lists of near-identical statements that ClickHouse sorts into both verdicts.
 */
export function expectSameVerdicts(statements: readonly string[]): void {
  const ours = statements.map((sql) => {
    const result = parseSql(sql);
    return { sql, accepted: result.diagnostics.length === 0 && result.statements.length === 1 };
  });
  expect(ours).toEqual(statements.map((sql) => ({ sql, accepted: clickhouseRejection(sql) === undefined })));
}
