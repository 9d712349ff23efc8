/**
 * Conformance of `parseSql` with ClickHouse's own parser over ClickHouse's stateless SQL tests
 * (`../shared/clickhouse-tests/queries/*.sql` from the repository root; see its README for origin,
 * filtering and licence). Each statement, split as `clickhouse-client` splits a file, is judged by
 * chDB 26.7 (`formatQuerySingleLine`) and by our parser; the two verdicts are compared.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryBind } from 'chdb';
import { clickhouseVerdict } from '../../packages/core/src/syntax/clickhouseVerdict.js';
import { parseSql } from '../../packages/core/src/syntax/parser.js';
import { type SplitStatement, splitStatements } from './splitStatements.js';

/** The repository root: this file is `test/conformance/clickhouseTests.ts`. */
const REPOSITORY_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The shared corpus sits next to the repository, in CI as on a developer machine. */
export const CORPUS_DIR = join(REPOSITORY_ROOT, '..', 'shared', 'clickhouse-tests', 'queries');

/**
 * Parser settings of the judge. chDB turns `implicit_select` on, which reads an unknown statement as
 * a SELECT without the keyword; a server (and `clickhouse-client`) parses with it off. The query
 * size limit is raised so that a long test statement is judged on its syntax, not on its length.
 */
const JUDGE_SETTINGS = 'SETTINGS implicit_select = 0, max_query_size = 104857600';

/** Statements judged by ClickHouse in one query. */
const JUDGE_BATCH = 2000;

export interface Statement extends SplitStatement {
  file: string;
}

/** ClickHouse's verdict: accepted, or rejected with the offset of its error when it gives one. */
export type Verdict = { accepted: true } | { accepted: false; offset?: number; message: string };

/** Ours: accepted, or rejected with the first diagnostic. */
export type Outcome = { accepted: true } | { accepted: false; offset: number; message: string };

export type Disagreement = 'false-error' | 'false-accept' | 'other-line';

export interface Judged {
  statement: Statement;
  verdict: Verdict;
  outcome: Outcome;
  /** Undefined when both agree (both accept, or both reject on the same line). */
  disagreement?: Disagreement;
}

/** A file holds DDL when one of its statements creates, alters, attaches, renames or drops an object. */
const DDL = /^(?:CREATE|ALTER|ATTACH|DETACH|RENAME|EXCHANGE|DROP|TRUNCATE|UNDROP|REPLACE\s+(?:TABLE|DICTIONARY))\b/i;

export interface CorpusSelection {
  files: string[];
  totalFiles: number;
  ddlFiles: number;
}

/**
 * The files of the corpus, sorted. The whole corpus is judged in about a minute on the loaded
 * 2-core machine, so CI covers every file rather than a sample; `ddlFiles` is only reported.
 */
export function selectFiles(): CorpusSelection {
  const files = readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const ddlFiles = files.filter((name) => readStatements(name).some((s) => DDL.test(stripLeadingComments(s.sql)))).length;
  return { files, totalFiles: files.length, ddlFiles };
}

export function corpusAvailable(): boolean {
  return existsSync(CORPUS_DIR);
}

export function readStatements(file: string): Statement[] {
  return splitStatements(readFileSync(join(CORPUS_DIR, file), 'utf8')).map((s) => ({ file, ...s }));
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
}

/** Judges statements with chDB: one query per batch; rejected ones again, one by one, for the error's offset. */
export function judge(statements: Statement[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (let from = 0; from < statements.length; from += JUDGE_BATCH) {
    const batch = statements.slice(from, from + JUDGE_BATCH);
    const result = queryBind(
      `SELECT arrayMap(q -> formatQuerySingleLineOrNull(q) IS NOT NULL, {queries:Array(String)}) AS accepted ${JUDGE_SETTINGS}`,
      { queries: batch.map((s) => s.sql) },
      'JSONEachRow',
    );
    const accepted: (boolean | number)[] = JSON.parse(result).accepted;
    for (const [i, s] of batch.entries()) verdicts.push(accepted[i] ? { accepted: true } : judgeRejected(s.sql));
  }
  return verdicts;
}

function judgeRejected(sql: string): Verdict {
  const verdict = clickhouseVerdict(sql, JUDGE_SETTINGS);
  return verdict.accepted ? verdict : { accepted: false, offset: verdict.offset, message: condense(verdict.message) };
}

/** ClickHouse's message without the echoed query and the scope. */
function condense(message: string): string {
  return message
    .replace(/^Code: \d+\. DB::Exception: /, '')
    .replace(/: In scope SELECT formatQuerySingleLine[\s\S]*$/, '')
    .replace(/\(line \d+, col \d+\): [\s\S]*?(\. Expected|\. Unmatched|$)/, '$1')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

export function parseOurs(sql: string): Outcome {
  const { statements, diagnostics } = parseSql(sql);
  if (diagnostics.length > 0) return { accepted: false, offset: diagnostics[0].range.start, message: diagnostics[0].message };
  // Statements joined by PARALLEL WITH are one query to ClickHouse and one statement each to us.
  const joined = statements.every((s, i) => i === 0 || /^\s*PARALLEL\s+WITH\s*$/i.test(sql.slice(statements[i - 1].end, s.start)));
  if (statements.length !== 1 && !joined) return { accepted: false, offset: 0, message: `read as ${statements.length} statements` };
  return { accepted: true };
}

export function compare(statement: Statement, verdict: Verdict, outcome: Outcome): Disagreement | undefined {
  if (verdict.accepted) return outcome.accepted ? undefined : 'false-error';
  if (outcome.accepted) return 'false-accept';
  if (verdict.offset === undefined) return undefined;
  return lineOf(statement.sql, verdict.offset) === lineOf(statement.sql, outcome.offset) ? undefined : 'other-line';
}

export function judgeAll(statements: Statement[]): Judged[] {
  const verdicts = judge(statements);
  return statements.map((statement, i) => {
    const outcome = parseOurs(statement.sql);
    const disagreement = compare(statement, verdicts[i], outcome);
    return { statement, verdict: verdicts[i], outcome, ...(disagreement ? { disagreement } : {}) };
  });
}

/** 1-based line of an offset in a text. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The key of a statement in the baseline: its file and the line it starts on (the corpus is pinned). */
export function keyOf(statement: Statement): string {
  return `${statement.file}:${statement.line}`;
}
