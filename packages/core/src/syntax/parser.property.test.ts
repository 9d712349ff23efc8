/**
 * Properties of `lexSql` and `parseSql` on arbitrary text and on mutated real DDL:
 * the lexer is lossless; the parser never throws, always finishes, and reports ranges inside the
 * text, with statements in order; parse time grows linearly with input size; and pathological
 * input (deep nesting, huge literals, unclosed comments) ends in diagnostics, not a crash.
 *
 * Fuzzed inputs are parsed in a worker (`ParseWorker`) so that an input the parser never finishes
 * fails its property, shrunk and printed, instead of hanging the run. Pathological inputs
 * run on this thread: the stack depth they need is the one the CLI and language server have.
 */
import { readFileSync } from 'node:fs';
import { queryBind } from 'chdb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lexSql } from './lexer.js';
import { parseSql } from './parser.js';
import { type ParseSummary, ParseWorker } from './parser.property.worker.js';
import type { Token } from './tokens.js';

const SEEDS = readFileSync(new URL('../../../../fixtures/fuzz/seeds.sql', import.meta.url), 'utf8')
  .split(/^-- ====$/m)
  .map((s) => s.trim());

/** Pieces that stress the lexer: quotes, comment and heredoc openers, number forms, odd whitespace, surrogates. */
const FRAGMENTS = [
  ' ',
  '\n',
  '\r\n',
  '\t',
  '\u00a0',
  '\u2028',
  "'",
  '"',
  '`',
  '\\',
  "''",
  '/*',
  '*/',
  '--',
  '# ',
  '#!',
  '#',
  '$',
  '$$',
  '$tag$',
  '$x',
  '0x1F',
  '0b1',
  '1e',
  '1e-3',
  '.5',
  '1_000',
  '1.5x',
  '0x',
  'SELECT',
  'a',
  't.1',
  '<=>',
  '::',
  '->',
  '||',
  '!=',
  '!',
  '\\G',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ';',
  '.',
  'é',
  '😀',
  '\ud800',
  '\udc00',
  '\u0000',
];

/** What mutations insert: punctuation, openers that swallow the rest, keywords that start or end clauses. */
const INSERTIONS = [
  '(',
  ')',
  ',',
  ';',
  "'",
  '"',
  '`',
  '/*',
  '--',
  '$$',
  '[',
  ']',
  '{',
  '}',
  '.',
  '*',
  '=',
  '->',
  '::',
  '?',
  ':',
  '-',
  'NOT',
  'SELECT',
  'FROM',
  'WHERE',
  'CREATE',
  'TABLE',
  'MATERIALIZED VIEW',
  'AS',
  'TO',
  'ENGINE =',
  'ORDER BY',
  'PARTITION BY',
  'ON CLUSTER',
  'SETTINGS',
  'TTL',
  'CASE',
  'WHEN',
  'END',
  'INTERVAL',
  'WITH',
  'JOIN',
  'USING',
  'ALTER',
  'GRANT',
  'IF NOT EXISTS',
  'x ->',
  'Nullable(',
  '0x',
  '1e',
  '\n',
  '\\',
  'é',
  '\ud800',
];

type Mutation =
  | { op: 'delete' | 'duplicate'; at: number; length: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate' | 'deleteChar'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.tuple(fc.constantFrom('', ' ', '\n'), fc.constantFrom(...INSERTIONS), fc.constantFrom('', ' ')).map((parts) => parts.join('')),
  }),
  fc.record({ op: fc.constantFrom('truncate' as const, 'deleteChar' as const), at: fc.nat() }),
);

/** Applies one mutation. Token-level edits work on the lexer's tokens, so they cut where a human edit would. */
function applyMutation(text: string, m: Mutation): string {
  if (m.op === 'truncate') return text.slice(0, m.at % (text.length + 1));
  if (m.op === 'deleteChar') {
    const i = m.at % Math.max(text.length, 1);
    return text.slice(0, i) + text.slice(i + 1);
  }
  const tokens = lexSql(text).slice(0, -1);
  if (tokens.length === 0) return m.op === 'insert' ? m.text : text;
  const i = m.at % tokens.length;
  const startOf = (k: number) => (k < tokens.length ? tokens[k].start : text.length);
  switch (m.op) {
    case 'insert':
      return text.slice(0, startOf(i)) + m.text + text.slice(startOf(i));
    case 'delete':
      return text.slice(0, startOf(i)) + text.slice(startOf(i + m.length));
    case 'duplicate': {
      const end = startOf(i + m.length);
      return text.slice(0, end) + text.slice(startOf(i), end) + text.slice(end);
    }
    case 'swap': {
      const [a, b] = [i, m.other % tokens.length].sort((x, y) => x - y);
      if (a === b) return text;
      const [ta, tb] = [tokens[a], tokens[b]];
      return text.slice(0, ta.start) + text.slice(tb.start, tb.end) + text.slice(ta.end, tb.start) + text.slice(ta.start, ta.end) + text.slice(tb.end);
    }
  }
}

/** One to three seeds joined by `;`, then one to eight mutations. */
const mutatedSql: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 3 }), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([seeds, mutations]) => mutations.reduce(applyMutation, seeds.join(';\n')));

/** Any UTF-16 code unit, so lone surrogates and unpaired halves are as likely as letters. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText: fc.Arbitrary<string> = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: codeUnit, maxLength: 300 }));
const sqlishText: fc.Arbitrary<string> = fc.array(fc.constantFrom(...FRAGMENTS, ...INSERTIONS), { maxLength: 80 }).map((parts) => parts.join(''));

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

/** Joined token texts give back `text`; tokens are contiguous and non-empty; one zero-width EndOfInput ends the list. */
function checkLossless(text: string, tokens: readonly Token[]): void {
  check(tokens.map((t) => text.slice(t.start, t.end)).join('') === text, () => 'joined token texts differ from the input');
  let position = 0;
  tokens.forEach((token, i) => {
    check(token.start === position, () => `token ${i} (${token.kind}) starts at ${token.start}, previous ended at ${position}`);
    const last = i === tokens.length - 1;
    check((token.kind === 'EndOfInput') === last, () => `token ${i} of ${tokens.length} is ${token.kind}`);
    check(last ? token.end === token.start : token.end > token.start, () => `token ${i} (${token.kind}) spans ${token.start}..${token.end}`);
    position = token.end;
  });
  check(position === text.length, () => `tokens end at ${position}, text at ${text.length}`);
}

function withoutWhitespace(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'Whitespace');
}

/** Same kinds and ranges, token for token. */
function checkSameTokens(actual: readonly Token[], expected: readonly Token[], what: string): void {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    const [a, e] = [actual[i], expected[i]];
    check(
      a?.kind === e?.kind && a?.start === e?.start && a?.end === e?.end,
      () => `${what}: token ${i} is ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`,
    );
  }
}

/** The lexer is lossless, and leaving whitespace out (as the parser does) changes nothing else. */
function checkLexing(text: string): void {
  const tokens = lexSql(text);
  checkLossless(text, tokens);
  checkSameTokens(lexSql(text, { whitespace: false }), withoutWhitespace(tokens), 'lexSql without whitespace');
}

/** Tokens are the lexer's minus whitespace; diagnostics lie inside the text, one per position at most; statements are in order and disjoint. */
function checkParse(text: string, result: ParseSummary): void {
  checkSameTokens(result.tokens, withoutWhitespace(lexSql(text)), 'parseSql tokens');
  const starts = new Set<number>();
  for (const d of result.diagnostics) {
    const { start, end } = d.range;
    check(
      Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length,
      () => `diagnostic range ${start}..${end} in ${text.length} chars`,
    );
    check(d.code !== '' && d.message !== '', () => `diagnostic without code or message at ${start}`);
    check(!starts.has(start), () => `two diagnostics at offset ${start}: STYLE.md allows one error per position`);
    starts.add(start);
  }
  let previousEnd = 0;
  for (const s of result.statements) {
    check(
      s.start >= previousEnd && s.start <= s.end && s.end <= text.length,
      () => `statement ${s.kind} ${s.start}..${s.end} after one ending at ${previousEnd}`,
    );
    previousEnd = s.end;
  }
}

describe('lexSql', () => {
  it('is lossless, with or without whitespace tokens, on arbitrary text', () => {
    fc.assert(fc.property(anyText, checkLexing), { numRuns: 10_000 });
  });

  it('is lossless, with or without whitespace tokens, on SQL-like text', () => {
    fc.assert(fc.property(sqlishText, checkLexing), { numRuns: 10_000 });
  });

  it('is lossless, with or without whitespace tokens, on mutated DDL', () => {
    fc.assert(fc.property(mutatedSql, checkLexing), { numRuns: 2000 });
  });
});

describe('parseSql on fuzzed input', () => {
  const worker = new ParseWorker();
  beforeAll(() => worker.start());
  afterAll(() => worker.stop());

  it('starts from seeds that ClickHouse and parseSql both accept', () => {
    const rejected = SEEDS.filter((sql) => {
      try {
        queryBind('SELECT formatQuerySingleLine({q:String})', { q: sql }, 'TSVRaw');
        return false;
      } catch {
        return true;
      }
    });
    expect(rejected).toEqual([]);
    const withDiagnostics = SEEDS.filter((sql) => parseSql(sql).diagnostics.length > 0).map((sql) => ({
      sql,
      messages: parseSql(sql).diagnostics.map((d) => d.message),
    }));
    expect(withDiagnostics).toEqual([]);
  });

  it('never throws, finishes, and reports ranges inside arbitrary text', () => {
    fc.assert(
      fc.property(anyText, (text) => checkParse(text, worker.parse(text))),
      { numRuns: 10_000 },
    );
  });

  it('never throws, finishes, and reports ranges inside SQL-like text', () => {
    fc.assert(
      fc.property(sqlishText, (text) => checkParse(text, worker.parse(text))),
      { numRuns: 10_000 },
    );
  });

  it('never throws, finishes, and reports ranges inside mutated DDL', () => {
    fc.assert(
      fc.property(mutatedSql, (text) => checkParse(text, worker.parse(text))),
      { numRuns: 20_000 },
    );
  });
});

function summarize(result: ReturnType<typeof parseSql>): ParseSummary {
  return { statements: result.statements, diagnostics: result.diagnostics, tokens: result.tokens };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** A statement that lexes the same on its own and next to a copy of itself: no quote, comment or heredoc runs on into the next copy. */
function isSelfContained(sql: string): boolean {
  return lexSql(`${sql};\n${sql}`).length - 1 === 2 * (lexSql(sql).length - 1) + 2;
}

/** `count` statements, half seeds and half mutated seeds, all self-contained, from a fixed fast-check seed. */
function buildMutatedCorpus(count: number): string {
  const oneMutatedSeed = fc
    .tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, seed).trim());
  const mutated = fc.sample(oneMutatedSeed, { numRuns: count * 2, seed: 20_261_121 }).filter(isSelfContained);
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? SEEDS[(i / 2) % SEEDS.length] : mutated[i >> 1])).join(';\n');
}

/**
 * Parse cost per character at `factor` times the size, divided by the cost at the base size.
 * Both sizes parse the same number of characters per round (the base `factor` times, the large
 * once, keeping all results alive), rounds alternate so machine load hits both alike, and each
 * side takes its median.
 */
function perCharacterGrowth(build: (scale: number) => string, factor: number, rounds = 5): number {
  const small = build(1);
  const large = build(factor);
  parseSql(small);
  parseSql(large);
  const smallCosts: number[] = [];
  const largeCosts: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    // Keep the small results alive, so both sides leave the garbage collector the same live heap.
    const kept: unknown[] = [];
    for (let i = 0; i < factor; i++) kept.push(parseSql(small));
    smallCosts.push((performance.now() - start) / (small.length * factor));
    start = performance.now();
    parseSql(large);
    largeCosts.push((performance.now() - start) / large.length);
  }
  return median(largeCosts) / median(smallCosts);
}

describe('parseSql scaling', () => {
  // A linear parser costs the same per character at any size; a quadratic one costs 8x as much at
  // 8x the size. The bound of 3 leaves room for GC and a noisy shared machine, not for O(n^2).
  const FACTOR = 8;
  const MAX_GROWTH = 3;
  const corpus = buildMutatedCorpus(1000);
  const repeat = (unit: string, count: number) => (scale: number) => unit.repeat(count * scale);
  const families: [string, (scale: number) => string][] = [
    ['1,000 to 8,000 seed and mutated statements', (scale) => Array.from({ length: scale }, () => corpus).join(';\n')],
    ['500 to 4,000 statements that each fail and recover', repeat('CREATE TABLE t (a UInt8 ENGINE = MergeTree ORDER BY a;\nSELECT )\n', 500)],
    // Each `$name ` makes the lexer look for a closing `$name $` through the rest of the text.
    ['1,000 to 8,000 distinct unclosed `$tag` heredoc openers', (scale) => Array.from({ length: 1000 * scale }, (_, i) => `$t${i} `).join('')],
    // The families below each reach code that once searched or copied the token list from the
    // start of the file for every statement.
    ['100 to 800 statements with a bad lambda parameter', repeat('SELECT arrayMap((x + 1) -> x, xs);\n', 100)],
    ['1,000 to 8,000 MODIFY COLUMN commands', repeat('ALTER TABLE t MODIFY COLUMN a UInt8 CODEC(ZSTD(3));\n', 1000)],
    ['100 to 800 CREATE INDEX and DROP INDEX statements', repeat('CREATE INDEX i ON t (a) TYPE minmax GRANULARITY 1;\nDROP INDEX i ON t;\n', 100)],
    ['500 to 4,000 UPDATE ... IN PARTITION mutations', repeat('ALTER TABLE t UPDATE a = 1 IN PARTITION 1 WHERE b = 2;\n', 500)],
    ['500 to 4,000 ALTER COLUMN ... TYPE commands', repeat('ALTER TABLE t ALTER COLUMN a TYPE UInt64;\n', 500)],
  ];

  it.each(families)('parses %s in linear time', (_, build) => {
    const growth = perCharacterGrowth(build, FACTOR);
    expect(growth, `cost per character grew ${growth.toFixed(2)}x from 1x to ${FACTOR}x the input`).toBeLessThan(MAX_GROWTH);
  });
});

describe('parseSql on pathological input', () => {
  const DEEP = 5000;
  const LONG = 100_000;
  const MEGABYTE = 2 ** 20;
  const cases: [string, () => string][] = [
    [`${DEEP} nested parentheses`, () => `SELECT ${'('.repeat(DEEP)}1${')'.repeat(DEEP)}`],
    [`${LONG} unclosed parentheses`, () => `SELECT ${'('.repeat(LONG)}`],
    [`${LONG} closing parentheses`, () => `SELECT ${')'.repeat(LONG)}`],
    [`${DEEP} nested arrays`, () => `SELECT ${'['.repeat(DEEP)}1${']'.repeat(DEEP)}`],
    [`${DEEP} nested function calls`, () => `SELECT ${'f('.repeat(DEEP)}1${')'.repeat(DEEP)}`],
    [`${DEEP} nested subqueries`, () => `SELECT * FROM ${'(SELECT * FROM '.repeat(DEEP)}t${')'.repeat(DEEP)}`],
    [`${DEEP} nested CASE expressions`, () => `SELECT ${'CASE WHEN '.repeat(DEEP)}1${' THEN 1 END'.repeat(DEEP)}`],
    [`${DEEP} chained lambdas`, () => `SELECT arrayMap(${'x -> '.repeat(DEEP)}x, xs)`],
    [`${DEEP} nested column types`, () => `CREATE TABLE t (a ${'Array('.repeat(DEEP)}UInt8${')'.repeat(DEEP)}) ENGINE = Memory`],
    [`${DEEP} nested column defaults`, () => `CREATE TABLE t (a UInt8 DEFAULT ${'('.repeat(DEEP)}1${')'.repeat(DEEP)}) ENGINE = Memory`],
    [`${LONG} NOTs`, () => `SELECT ${'NOT '.repeat(LONG)}1`],
    [`${LONG} unary minuses`, () => `SELECT ${'- '.repeat(LONG)}1`],
    [`${LONG} chained ternaries`, () => `SELECT ${'1 ? 2 : '.repeat(LONG)}3`],
    [`${LONG} additions`, () => `SELECT 1${' + 1'.repeat(LONG)}`],
    [`${LONG} casts`, () => `SELECT 1${'::UInt8'.repeat(LONG)}`],
    ['a run of operators', () => `SELECT ${'+-*/%<>=!|^?:.'.repeat(LONG / 10)}`],
    ['a 1 MB string literal', () => `SELECT '${'x'.repeat(MEGABYTE)}'`],
    ['a 1 MB unclosed string literal', () => `SELECT '${'x'.repeat(MEGABYTE)}`],
    ['a 1 MB unclosed comment', () => `SELECT 1 /* ${'x;'.repeat(MEGABYTE / 2)}`],
    [`${LONG} nested comment openers`, () => `SELECT 1 ${'/*'.repeat(LONG)}`],
    [`${LONG} semicolons`, () => ';'.repeat(LONG)],
  ];

  it.each(cases)('survives %s', (_, build) => {
    const text = build();
    let result: ReturnType<typeof parseSql> | undefined;
    let escaped: unknown;
    try {
      result = parseSql(text);
    } catch (error) {
      escaped = error;
    }
    expect(escaped, 'an exception escaped parseSql').toBeUndefined();
    if (result) checkParse(text, summarize(result));
  });
});
