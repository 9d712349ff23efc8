import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FileParse, parseFile, rangedNodesOf, reparseFile } from './incremental.js';
import { parseSql } from './parser.js';

// `reparseFile` must give exactly what parsing the edited text from scratch gives: the same trees
// (offsets included), the same syntax errors and the same comments, whatever the edit.

const root = new URL('../../../../', import.meta.url).pathname;
const SEEDS = readFileSync(join(root, 'fixtures/fuzz/seeds.sql'), 'utf8')
  .split(/^-- ====$/m)
  .map((s) => s.trim());

/** Every .sql file of the fixtures and the docs. */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sqlFiles(path);
    return name.endsWith('.sql') ? [path] : [];
  });
}

/** What edits insert: statement ends, openers of strings, comments and heredocs, `.5` after a value, keywords that start statements. */
const PIECES = [
  ';',
  ';\n',
  "'",
  '"',
  '`',
  '/*',
  '*/',
  '-- ',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '😀',
  '(',
  ')',
  '$$',
  '$t$',
  '.5',
  '5',
  't.',
  'CREATE',
  '\nCREATE ',
  '\nALTER TABLE t ',
  'DROP TABLE x;',
  'USE other;\n',
  'SELECT 1;',
  ',',
  '=',
  'x',
];

const edit = fc.oneof(
  fc.record({ at: fc.nat(), length: fc.nat({ max: 3 }), insert: fc.constantFrom(...PIECES) }),
  fc.record({ at: fc.nat(), length: fc.nat({ max: 40 }), insert: fc.constant('') }),
  fc.record({ at: fc.nat(), length: fc.constant(0), insert: fc.constantFrom(...SEEDS).map((s) => `${s};\n`) }),
);

function apply(text: string, e: { at: number; length: number; insert: string }): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.length));
}

function expectSameParse(incremental: FileParse, text: string): void {
  const fresh = parseFile(text, 'f.sql');
  expect(incremental.text).toBe(text);
  expect(incremental.statements).toEqual(fresh.statements);
  expect(incremental.errors).toEqual(fresh.errors);
  expect(incremental.comments).toEqual(fresh.comments);
}

describe('reparseFile', () => {
  it('parses a file as parseSql does', () => {
    for (const seed of SEEDS) {
      const text = `${seed};\n-- note\n${seed}`;
      const { statements, errors, comments } = parseFile(text, 'f.sql');
      const plain = parseSql(text, { file: 'f.sql' });
      expect(statements).toEqual(plain.statements);
      expect(errors.filter((e) => e !== undefined)).toEqual(plain.diagnostics);
      expect(comments).toEqual(plain.comments);
    }
  });

  it('gives what a fresh parse gives after each of a series of random edits', () => {
    // Twice the seeds: longer than the blocks texts are compared in.
    const start = [...SEEDS, ...SEEDS].map((s) => `${s};\n`).join('\n-- between\n');
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        let parse = parseFile(start, 'f.sql');
        let text = start;
        for (const e of edits) {
          text = apply(text, e);
          parse = reparseFile(parse, text);
          expectSameParse(parse, text);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the statements an edit does not reach, and moves those after it', () => {
    const text = ['a', 'b', 'c', 'd'].map((t) => `CREATE TABLE ${t} (x UInt8) ENGINE = Log;\n`).join('');
    const before = parseFile(text, 'f.sql');
    const [a, b, c, d] = before.statements;
    const edited = text.replace('c (x UInt8)', 'c (x UInt16)');
    const after = reparseFile(before, edited);
    expectSameParse(after, edited);
    // `b` is parsed again too: the `;` that ends the statement before an edit may be in it.
    expect(after.statements[0]).toBe(a);
    expect(after.statements[1]).not.toBe(b);
    expect(after.statements[2]).not.toBe(c);
    expect(after.statements[3]).toBe(d);
    expect(d.start).toBe(edited.indexOf('CREATE TABLE d'));
  });

  it('parses on past the edit when the edit changes where statements end', () => {
    const text = "CREATE TABLE a (x UInt8) ENGINE = Log;\nCREATE TABLE b (x UInt8) ENGINE = Log;\nSELECT 'x';\n";
    let parse = parseFile(text, 'f.sql');
    // A string opened in the first statement swallows the rest; closing it gives the statements back.
    for (const next of [text.replace('(x UInt8)', "('x UInt8)"), text]) {
      parse = reparseFile(parse, next);
      expectSameParse(parse, next);
    }
    // A `;` removed joins two statements into one (an error); put back, they part again.
    for (const next of [text.replace('Log;\n', 'Log\n'), text]) {
      parse = reparseFile(parse, next);
      expectSameParse(parse, next);
    }
  });

  it('finds no node reachable twice in a syntax tree (each must move once)', () => {
    const texts = [...sqlFiles(join(root, 'fixtures')), ...sqlFiles(join(root, 'docs'))].map((path) => readFileSync(path, 'utf8')).concat(SEEDS);
    let nodes = 0;
    for (const text of texts) {
      for (const statement of parseSql(text).statements) {
        const seen = new Set<object>();
        const visit = (value: unknown, path: string): void => {
          if (value === null || typeof value !== 'object') return;
          if (seen.has(value)) throw new Error(`${path} is reachable twice in a ${statement.kind} statement`);
          seen.add(value);
          nodes++;
          for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
        };
        visit(statement, statement.kind);
      }
    }
    expect(nodes).toBeGreaterThan(5_000);
  });

  it('moves every object with offsets: the typed walk finds what a walk over every property finds', () => {
    const texts = [...sqlFiles(join(root, 'fixtures')), ...sqlFiles(join(root, 'docs'))].map((path) => readFileSync(path, 'utf8')).concat(SEEDS);
    let ranged = 0;
    for (const text of texts) {
      for (const statement of parseSql(text).statements) {
        const expected = new Set<object>();
        const visit = (value: unknown): void => {
          if (value === null || typeof value !== 'object') return;
          const record = value as Record<string, unknown>;
          if (!Array.isArray(value) && typeof record.start === 'number' && typeof record.end === 'number') expected.add(value);
          for (const child of Object.values(record)) visit(child);
        };
        visit(statement);
        const found = rangedNodesOf(statement);
        const unique = new Set<object>(found);
        expect(found.length, `${statement.kind}: an object found twice`).toBe(unique.size);
        // By identity: a part the walk misses keeps its old offsets.
        expect([...expected].filter((o) => !unique.has(o)).map((o) => JSON.stringify(o).slice(0, 80))).toEqual([]);
        expect(unique.size).toBe(expected.size);
        ranged += found.length;
      }
    }
    expect(ranged).toBeGreaterThan(5_000);
  });
});
