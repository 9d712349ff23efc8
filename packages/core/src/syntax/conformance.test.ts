/**
 * Conformance with ClickHouse's own parser. Every case in `fixtures/conformance/*.sql` goes
 * through chDB's `formatQuerySingleLine` (ClickHouse 26.7 in-process) and through `parseSql`.
 * The corpus stores no expectations: ClickHouse decides. Both must agree on acceptance, and
 * when ClickHouse rejects a case our first diagnostic must be on the line of its error.
 *
 * A case file holds many statements separated by a line that is exactly `-- ====`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { queryBind } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseVerdict } from './clickhouseVerdict.js';
import { LineIndex } from './lineIndex.js';
import { parseSql } from './parser.js';

const CORPUS_DIR = new URL('../../../../fixtures/conformance/', import.meta.url);
const CASE_SEPARATOR = '-- ====';
/**
 * chDB turns `implicit_select` on (ClickHouse's default is off), which makes its parser read any
 * unknown statement as a SELECT without the keyword: `SELCT 1` becomes `SELECT SELCT AS 1`-like
 * nonsense and `SHOW TABLEZ` is accepted. A server applying migrations parses with it off.
 */
const PARSER_SETTINGS = 'SETTINGS implicit_select = 0';
/** Longest piece of ClickHouse's "Expected one of: ..." list kept in a report. */
const MAX_MESSAGE_LENGTH = 240;

interface Case {
  file: string;
  /** 1-based number of the case in its file. */
  number: number;
  /** 1-based line of the file where the case's text starts. */
  line: number;
  /** The statement, trimmed of surrounding whitespace; the same text goes to both parsers. */
  sql: string;
}

/** What ClickHouse says about a case: accepted, or rejected with its message and error offset. */
type Verdict = { accepted: true } | { accepted: false; message: string; offset: number | undefined };

/** What our parser says, reduced to what the comparison needs. */
type Outcome =
  | { kind: 'accepted' }
  | { kind: 'rejected'; start: number; end: number; message: string }
  | { kind: 'split'; statements: number }
  | { kind: 'crashed'; message: string };

function readCases(file: string): Case[] {
  const lines = readFileSync(new URL(file, CORPUS_DIR), 'utf8').split(/\r?\n/);
  const cases: Case[] = [];
  let chunk: string[] = [];
  let chunkStart = 1;
  const flush = (): void => {
    const leadingBlank = chunk.findIndex((l) => l.trim() !== '');
    const sql = chunk.join('\n').trim();
    if (sql !== '') cases.push({ file, number: cases.length + 1, line: chunkStart + leadingBlank, sql });
  };
  lines.forEach((text, i) => {
    if (text !== CASE_SEPARATOR) {
      chunk.push(text);
      return;
    }
    flush();
    chunk = [];
    chunkStart = i + 2;
  });
  flush();
  return cases;
}

/**
 * Asks ClickHouse about every case of a file. Acceptance of the whole file is one query
 * (`formatQuerySingleLineOrNull` returns NULL instead of throwing); only rejected cases are
 * formatted again with the throwing form, to learn where ClickHouse's parser stopped.
 */
function judgeCases(cases: Case[]): Verdict[] {
  const result = queryBind(
    `SELECT arrayMap(q -> formatQuerySingleLineOrNull(q), JSONExtract({cases:String}, 'Array(String)')) AS formatted ${PARSER_SETTINGS}`,
    { cases: JSON.stringify(cases.map((c) => c.sql)) },
    'JSONEachRow',
  );
  const formatted: (string | null)[] = JSON.parse(result).formatted;
  return cases.map((c, i) => (formatted[i] === null ? judgeRejected(c.sql) : { accepted: true }));
}

function judgeRejected(sql: string): Verdict {
  const verdict = clickhouseVerdict(sql, PARSER_SETTINGS);
  return verdict.accepted ? verdict : { accepted: false, message: condenseMessage(verdict.message), offset: verdict.offset };
}

/**
 * Shortens ClickHouse's message to what a reader needs: `Code: 62. DB::Exception: [reason: ]Syntax
 * error: failed at position N (token) (line L, col C): <rest of the query>. Expected ...: In scope
 * SELECT formatQuerySingleLine(...)` becomes `[reason: ]at token: Expected ...`.
 */
function condenseMessage(raw: string): string {
  const message = raw
    .replace(/^Code: \d+\. DB::Exception: /, '')
    .replace(/: In scope SELECT formatQuerySingleLine[\s\S]*$/, '')
    .replace(/\s+/g, ' ');
  const syntax = /^(.*?)Syntax error(?: \([^)]*\))?: failed at position \d+ \((.*?)\)(?: \(line \d+, col \d+\))?: (.*)$/.exec(message);
  if (!syntax) return truncate(message);
  const [, reason, token, rest] = syntax;
  const expectation = Math.max(rest.lastIndexOf('. Expected'), rest.lastIndexOf('. Unmatched'));
  const detail = expectation === -1 ? '' : `: ${rest.slice(expectation + 2)}`;
  return truncate(`${reason}at ${token === 'end of query' ? 'end of query' : `\`${token}\``}${detail}`);
}

function parseCase(c: Case): Outcome {
  try {
    const { statements, diagnostics } = parseSql(c.sql, { file: c.file });
    if (diagnostics.length > 0) {
      const first = diagnostics[0];
      return { kind: 'rejected', start: first.range.start, end: first.range.end, message: first.message };
    }
    return statements.length === 1 ? { kind: 'accepted' } : { kind: 'split', statements: statements.length };
  } catch (error) {
    return { kind: 'crashed', message: String((error as Error).stack ?? error) };
  }
}

/** Returns a readable report of the disagreement, or undefined when both parsers agree. */
function compare(c: Case, verdict: Verdict, outcome: Outcome): string | undefined {
  const lines = new LineIndex(c.sql);
  /** 1-based line in the corpus file, so a report points where an editor can jump. */
  const lineOf = (offset: number): number => c.line + lines.positionAt(offset).line;
  let headline: string;
  if (outcome.kind === 'crashed') headline = 'parseSql threw';
  else if (verdict.accepted) {
    if (outcome.kind === 'accepted') return undefined;
    headline =
      outcome.kind === 'split' ? `ClickHouse accepts; ClickPlan splits it into ${outcome.statements} statements` : 'ClickHouse accepts; ClickPlan rejects';
  } else if (outcome.kind === 'accepted') headline = 'ClickHouse rejects; ClickPlan accepts';
  else if (outcome.kind === 'split') headline = `ClickHouse rejects; ClickPlan accepts it as ${outcome.statements} statements`;
  // Some checks inside ClickHouse's parser throw without a position (`TO` with `POPULATE`).
  else if (verdict.offset === undefined || lineOf(verdict.offset) === lineOf(outcome.start)) return undefined;
  else headline = `both reject, on different lines: ClickHouse line ${lineOf(verdict.offset)}, ClickPlan line ${lineOf(outcome.start)}`;

  const notes = new Map<number, string[]>();
  const note = (offset: number, length: number, text: string): void => {
    const { line, column } = lines.positionAt(offset);
    const caret = `${' '.repeat(column)}${'^'.repeat(Math.max(1, length))} ${text}`;
    notes.set(line, [...(notes.get(line) ?? []), caret]);
  };
  if (outcome.kind === 'rejected') {
    const lineEnd = c.sql.indexOf('\n', outcome.start);
    const end = Math.min(outcome.end, lineEnd === -1 ? c.sql.length : lineEnd);
    note(outcome.start, end - outcome.start, `ClickPlan: ${outcome.message}`);
  }
  if (!verdict.accepted && verdict.offset !== undefined) note(verdict.offset, 1, 'ClickHouse');

  const width = String(c.line + lines.lineCount).length;
  const body = c.sql
    .split(/\r?\n|\r/)
    .flatMap((text, i) => [`  ${String(c.line + i).padStart(width)} | ${text}`, ...(notes.get(i) ?? []).map((n) => `  ${' '.repeat(width)} | ${n}`)]);
  return [
    `fixtures/conformance/${c.file}:${c.line} case ${c.number}: ${headline}`,
    ...body,
    ...(verdict.accepted ? [] : [`  ClickHouse: ${verdict.message}`]),
    ...(outcome.kind === 'crashed' ? [`  ${outcome.message}`] : []),
  ].join('\n');
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

const files = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.sql'))
  .sort();

describe('parseSql agrees with ClickHouse on the conformance corpus', () => {
  const totals = { cases: 0, accepted: 0, rejected: 0, agreed: 0 };

  afterAll(() => {
    const percent = totals.cases === 0 ? 0 : (100 * totals.agreed) / totals.cases;
    console.log(
      `conformance: ${totals.cases} cases, ClickHouse accepts ${totals.accepted} and rejects ${totals.rejected}; ` +
        `agreement ${totals.agreed}/${totals.cases} (${percent.toFixed(1)}%)`,
    );
  });

  it.each(files)('%s', (file) => {
    const cases = readCases(file);
    const verdicts = judgeCases(cases);
    const reports = cases.flatMap((c, i) => compare(c, verdicts[i], parseCase(c)) ?? []);
    const accepted = verdicts.filter((v) => v.accepted).length;
    totals.cases += cases.length;
    totals.accepted += accepted;
    totals.rejected += cases.length - accepted;
    totals.agreed += cases.length - reports.length;
    console.log(`${file}: ${cases.length} cases, ClickHouse accepts ${accepted} and rejects ${cases.length - accepted}; ${reports.length} disagreements`);
    if (reports.length > 0) expect.fail(`${reports.length} of ${cases.length} cases disagree with ClickHouse:\n\n${reports.join('\n\n')}\n`);
  });
});
