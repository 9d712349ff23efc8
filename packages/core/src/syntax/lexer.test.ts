import { queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import { expectSameVerdicts } from './clickhouseOracle.js';
import { lexSql } from './lexer.js';
import { isTrivia } from './tokens.js';

/** Significant tokens as `Kind:text`, for readable expectations. */
function show(sql: string): string[] {
  return lexSql(sql)
    .filter((t) => !isTrivia(t) && t.kind !== 'EndOfInput')
    .map((t) => `${t.kind}:${sql.slice(t.start, t.end)}`);
}

/** Does ClickHouse's own lexer and parser accept `SELECT <expression>`? */
function clickhouseAccepts(sql: string): boolean {
  try {
    queryBind('SELECT formatQuerySingleLine({q:String})', { q: sql }, 'TSVRaw');
    return true;
  } catch {
    return false;
  }
}

describe('lexSql', () => {
  // Each case: a SELECT whose lexing is tricky, our tokens, and (from chDB) whether ClickHouse accepts it.
  const cases: { sql: string; tokens: string[] }[] = [
    {
      sql: 'SELECT `a b`, "c.d", `x``y`',
      tokens: ['BareWord:SELECT', 'QuotedIdentifier:`a b`', 'Comma:,', 'QuotedIdentifier:"c.d"', 'Comma:,', 'QuotedIdentifier:`x``y`'],
    },
    {
      sql: "SELECT 'it''s', 'a\\'b;c', '\\x41\\n'",
      tokens: ['BareWord:SELECT', "String:'it''s'", 'Comma:,', "String:'a\\'b;c'", 'Comma:,', "String:'\\x41\\n'"],
    },
    { sql: 'SELECT $$a;b$$, $tag$x$y$tag$', tokens: ['BareWord:SELECT', 'Heredoc:$$a;b$$', 'Comma:,', 'Heredoc:$tag$x$y$tag$'] },
    {
      sql: 'SELECT 1e3, 0x1F, 0b101, 1_000_000, .5, 1.5e-3, inf, nan',
      tokens: [
        'BareWord:SELECT',
        'Number:1e3',
        'Comma:,',
        'Number:0x1F',
        'Comma:,',
        'Number:0b101',
        'Comma:,',
        'Number:1_000_000',
        'Comma:,',
        'Number:.5',
        'Comma:,',
        'Number:1.5e-3',
        'Comma:,',
        'BareWord:inf',
        'Comma:,',
        'BareWord:nan',
      ],
    },
    // ClickHouse reads a word that starts with digits as an identifier, and `_` in numbers only between digits.
    { sql: 'SELECT 1a, 1__0, 1_', tokens: ['BareWord:SELECT', 'BareWord:1a', 'Comma:,', 'BareWord:1__0', 'Comma:,', 'BareWord:1_'] },
    {
      sql: 'SELECT t.1.2, (x).1',
      tokens: ['BareWord:SELECT', 'BareWord:t', 'Dot:.', 'Number:1', 'Dot:.', 'Number:2', 'Comma:,', 'LParen:(', 'BareWord:x', 'RParen:)', 'Dot:.', 'Number:1'],
    },
    { sql: 'SELECT 1 -- c ; not a split\n# also ; a comment\n#! and this', tokens: ['BareWord:SELECT', 'Number:1'] },
    { sql: 'SELECT /* a /* nested ; */ b */ 1', tokens: ['BareWord:SELECT', 'Number:1'] },
    {
      sql: 'SELECT a->b, a::Int8, a||b, a<=>b, a==b, a!=b, a<>b, a<=b, a>=b',
      tokens: [
        'BareWord:SELECT',
        'BareWord:a',
        'Arrow:->',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'DoubleColon:::',
        'BareWord:Int8',
        'Comma:,',
        'BareWord:a',
        'Concat:||',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'Spaceship:<=>',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'Equals:==',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'NotEquals:!=',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'NotEquals:<>',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'LessOrEquals:<=',
        'BareWord:b',
        'Comma:,',
        'BareWord:a',
        'GreaterOrEquals:>=',
        'BareWord:b',
      ],
    },
    { sql: 'SELECT {p:UInt8}', tokens: ['BareWord:SELECT', 'LBrace:{', 'BareWord:p', 'Colon::', 'BareWord:UInt8', 'RBrace:}'] },
    { sql: 'SELECT a$b, $1', tokens: ['BareWord:SELECT', 'BareWord:a$b', 'Comma:,', 'BareWord:$1'] },
  ];

  for (const { sql, tokens } of cases) {
    it(`reads ${JSON.stringify(sql)} as ClickHouse does`, () => {
      expect(show(sql)).toEqual(tokens);
      expect(clickhouseAccepts(sql)).toBe(true);
    });
  }

  // Text that ClickHouse's lexer refuses becomes an Error token with a sentence saying why.
  const errors: { sql: string; error: string }[] = [
    { sql: "SELECT 'abc", error: "Error:'abc" },
    { sql: 'SELECT /* abc', error: 'Error:/* abc' },
    { sql: 'SELECT "a', error: 'Error:"a' },
    { sql: 'SELECT héllo', error: 'Error:é' },
    { sql: 'SELECT 0.1e', error: 'Error:0.1e' },
    { sql: 'SELECT 1 #x', error: 'Error:#' },
  ];
  for (const { sql, error } of errors) {
    it(`refuses ${JSON.stringify(sql)} as ClickHouse does`, () => {
      const found = show(sql).filter((t) => t.startsWith('Error:'));
      expect(found).toEqual([error]);
      expect(lexSql(sql).find((t) => t.kind === 'Error')?.error).toMatch(/\w+/);
      expect(clickhouseAccepts(sql)).toBe(false);
    });
  }

  it('is lossless: token texts joined give back the input, with contiguous offsets', () => {
    const sql = "CREATE TABLE `t` (a UInt8 /* c */, b String DEFAULT 'x;y') -- end\nENGINE = MergeTree ORDER BY a; $$h$$ \u00a0 é";
    const tokens = lexSql(sql);
    expect(tokens.map((t) => sql.slice(t.start, t.end)).join('')).toBe(sql);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i].start).toBe(tokens[i - 1].end);
    expect(tokens.at(-1)).toEqual({ kind: 'EndOfInput', start: sql.length, end: sql.length });
  });
});

describe('hex and binary strings (#15)', () => {
  it('hold only their digits, as in ClickHouse', () => {
    expect(show("x'4A' b'2'")).toEqual(["String:x'4A'", "Error:b'2'"]);
    expectSameVerdicts(["SELECT b'3'", "SELECT x'k'", "SELECT b'01'", "SELECT X'4a'", "SELECT x''", "SELECT b'0 1'", "SELECT x'4A", "SELECT bb'1'"]);
  });
});
