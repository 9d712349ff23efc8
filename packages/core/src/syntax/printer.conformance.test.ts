/**
 * The printer against ClickHouse (chDB in-process). Every case of `fixtures/conformance/*.sql` and
 * `fixtures/fuzz/seeds.sql` that ClickHouse accepts and ClickPlan parses into one structured
 * statement, and every statement of the other `fixtures/**\/*.sql` files, is printed; then:
 *
 * 1. the printed SQL parses without diagnostics into one statement of the same kind;
 * 2. ClickHouse formats it (`formatQuerySingleLine`) as it formats the original. ClickHouse 26 keeps
 *    the parentheses written in the source (`ORDER BY (a)` stays `(a)`), which the syntax tree does
 *    not record, so texts that differ only in parentheses are compared by ClickHouse's `EXPLAIN AST`
 *    instead, where parentheses leave no trace;
 * 3. printing is a fixpoint: `print(parse(print(x))) === print(x)`;
 * 4. the printed SQL parses back into the same tree, but for offsets, quoting and `AS` before aliases.
 *
 * Statements the printer refuses (it throws) are counted by reason; each reason must be one of
 * `UNPRINTABLE`, gaps of the syntax tree rather than of the printer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Statement } from './ast.js';
import { parseSql } from './parser.js';
import { agreement, formatAll, readBackProblem } from './printer/oracleTestSupport.js';
import { printStatement } from './printer.js';

const FIXTURES = new URL('../../../../fixtures/', import.meta.url);
const CASE_SEPARATOR = '-- ====';
/** Files made of cases separated by `-- ====`; in the other files, each statement is a case. */
const CASE_FILES = /^(conformance\/.*|fuzz\/seeds)\.sql$/;

/** Why the printer may refuse a statement: what the syntax tree does not keep. */
const UNPRINTABLE: RegExp[] = [
  // CREATE USER/ROLE/ROW POLICY/QUOTA/SETTINGS PROFILE keep most clauses as source ranges only.
  /^Cannot print CREATE [A-Z ]+: the syntax tree keeps its [A-Z ]+ clause only as a source range$/,
  /^Cannot print CREATE USER: the syntax tree does not keep the arguments of IDENTIFIED WITH \w+$/,
  /^Cannot print CREATE USER: its IDENTIFIED clause has \d+ secrets where one method takes \d+$/,
  // INSERT ... VALUES / FORMAT: the rows are data, not syntax.
  /^Cannot print INSERT \.\.\. (VALUES|FORMAT \w+): /,
];

/**
 * Cases whose printed SQL cannot agree with the original, each for a reason outside the printer: the
 * parser leaves out part of the statement, or ClickHouse's formatter keeps source text. A case is
 * known by a piece of its text; every entry must still match a disagreeing case.
 */
const KNOWN_DISAGREEMENTS: { contains: string; reason: string }[] = [
  { contains: 'INTO OUTFILE', reason: 'the parser drops INTO OUTFILE (a client-side clause, not modelled)' },
  { contains: "LIKE 'tmp_%'", reason: 'the parser drops the LIKE pattern of TRUNCATE ALL TABLES' },
  { contains: 'TRUNCATE TABLES FROM', reason: 'ClickHouse keeps `TABLES FROM` as written and the tree reads it as `ALL TABLES FROM`, its synonym' },
  { contains: "ATTACH TABLE restored FROM '/var/lib", reason: 'the parser drops the FROM path of a full ATTACH TABLE' },
  { contains: 'ENGINE = Atomic\nORDER BY id', reason: 'the parser keeps only ENGINE and SETTINGS of CREATE DATABASE (key clauses mean nothing there)' },
  {
    contains: 'SELECT @@version',
    reason: 'the tree does not record that globalVariable(...) was written `@@version`, which ClickHouse uses as the column name',
  },
  { contains: '(-1)::Int8', reason: 'ClickHouse formats `lit::T` as CAST of the literal source text, parentheses included; the tree keeps no parentheses' },
  { contains: '{p:UInt8\n  }', reason: "ClickHouse's formatter copies a parameter's type as written, newline included" },
];

function knownDisagreement(sql: string): string | undefined {
  return KNOWN_DISAGREEMENTS.find((known) => sql.includes(known.contains))?.reason;
}

interface Case {
  /** Where the case is: `conformance/select.sql#12` or `repos/x/schema/001.sql:4`. */
  where: string;
  sql: string;
  statement: Statement;
}

function sqlFiles(directory: URL, prefix = ''): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = `${prefix}${name}`;
      if (statSync(new URL(name, directory)).isDirectory()) return sqlFiles(new URL(`${name}/`, directory), `${path}/`);
      return name.endsWith('.sql') ? [path] : [];
    });
}

/** The cases of a file, each with the one statement ClickPlan parses from it (others are left out). */
function readCases(file: string): Case[] {
  const text = readFileSync(new URL(file, FIXTURES), 'utf8');
  const pieces = CASE_FILES.test(file)
    ? text
        .split(/\r?\n/)
        .join('\n')
        .split(`\n${CASE_SEPARATOR}\n`)
        .map((sql, i) => ({ where: `${file}#${i + 1}`, sql: sql.trim() }))
    : parseSql(text).statements.map((s) => ({ where: `${file}:${text.slice(0, s.start).split('\n').length}`, sql: text.slice(s.start, s.end) }));
  return pieces.flatMap(({ where, sql }) => {
    const { statements, diagnostics } = parseSql(sql);
    if (diagnostics.length > 0 || statements.length !== 1) return [];
    const [statement] = statements;
    return statement.kind === 'Other' || statement.kind === 'Invalid' ? [] : [{ where, sql, statement }];
  });
}

type Outcome = { kind: 'unprintable'; reason: string } | { kind: 'same' } | { kind: 'same up to parentheses' } | { kind: 'failed'; report: string };

function printCase(c: Case): { printed?: string; outcome?: Outcome } {
  try {
    return { printed: printStatement(c.statement) };
  } catch (error) {
    return { outcome: { kind: 'unprintable', reason: (error as Error).message } };
  }
}

const cases = sqlFiles(FIXTURES).flatMap(readCases);

describe('the printer agrees with ClickHouse on every fixture statement', () => {
  const accepted = formatAll(cases.map((c) => c.sql));
  const compared = cases.filter((_, i) => accepted[i] !== null);
  const originals = accepted.filter((f): f is string => f !== null);
  const prints = compared.map(printCase);
  const reformatted = formatAll(prints.map((p) => p.printed ?? ''));

  const outcomes: Outcome[] = compared.map((c, i) => {
    const { printed, outcome } = prints[i];
    if (outcome) return outcome;
    if (printed === undefined) throw new Error('unreachable');
    const fail = (problem: string): Outcome => ({
      kind: 'failed',
      report: `${c.where}: ${problem}\n  original:  ${c.sql.replace(/\n/g, '\n             ')}\n  printed:   ${printed.replace(/\n/g, '\n             ')}`,
    });
    const reparse = readBackProblem(c.statement, printed);
    if (reparse) return fail(reparse);
    const verdict = agreement({ sql: c.sql, formatted: originals[i] }, { sql: printed, formatted: reformatted[i] });
    if (verdict === 'rejected') return fail('ClickHouse rejects the printed SQL');
    if (verdict === 'same') return { kind: 'same' };
    if (verdict === 'same up to parentheses') {
      if (process.env.PRINTER_SHOW_PARENTHESES) console.log(`${c.where}\n  ${originals[i]}\n  ${reformatted[i]}`);
      return { kind: 'same up to parentheses' };
    }
    return fail(`ClickHouse formats them differently:\n  original:  ${originals[i]}\n  printed:   ${reformatted[i]}`);
  });

  it('prints every statement the syntax tree keeps whole, and refuses the rest for a known reason', () => {
    const reasons = new Map<string, number>();
    for (const outcome of outcomes) if (outcome.kind === 'unprintable') reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
    const unexpected = [...reasons.keys()].filter((reason) => !UNPRINTABLE.some((pattern) => pattern.test(reason)));
    console.log(`unprintable: ${[...reasons.values()].reduce((a, b) => a + b, 0)}\n${[...reasons].map(([reason, n]) => `  ${n} × ${reason}`).join('\n')}`);
    expect(unexpected).toEqual([]);
  });

  it('reads back, formats the same in ClickHouse, and prints the same again', () => {
    const failures = compared.flatMap((c, i) => {
      const outcome = outcomes[i];
      if (outcome.kind !== 'failed') return [];
      return knownDisagreement(c.sql) ? [] : [outcome.report];
    });
    for (const [name, inGroup] of [
      ['conformance corpus', (c: Case) => c.where.startsWith('conformance/')],
      ['other fixtures', (c: Case) => !c.where.startsWith('conformance/')],
    ] as const) {
      const group = compared.flatMap((c, i) => (inGroup(c) ? [{ c, outcome: outcomes[i] }] : []));
      const count = (kind: Outcome['kind']) => group.filter(({ outcome }) => outcome.kind === kind).length;
      const known = group.filter(({ c, outcome }) => outcome.kind === 'failed' && knownDisagreement(c.sql)).length;
      console.log(
        `printer conformance, ${name}: ${group.length} structured statements ClickHouse accepts; ${group.length - count('unprintable')} printed: ` +
          `${count('same')} format the same, ${count('same up to parentheses')} the same up to parentheses, ${known} known disagreements, ` +
          `${count('failed') - known} failures`,
      );
    }
    if (failures.length > 0) expect.fail(`${failures.length} statements disagree:\n\n${failures.join('\n\n')}\n`);
  });

  it('lists only known disagreements that still disagree', () => {
    const stale = KNOWN_DISAGREEMENTS.filter((known) => !compared.some((c, i) => c.sql.includes(known.contains) && outcomes[i].kind === 'failed'));
    expect(stale).toEqual([]);
  });
});
