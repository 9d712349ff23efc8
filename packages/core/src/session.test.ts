import { describe, expect, it } from 'vitest';
import { analyzeFiles } from './inspect/analyze.js';
import { lintAnalysis } from './rules/lint.js';
import { AnalysisSession, runningSession, SessionCache, sessionStore } from './session.js';
import { lexTokenList } from './syntax/lexer.js';
import { parseStatementList, usingParser } from './syntax/parser.js';

const CACHE = new SessionCache<object, number>('test: numbers');

describe('AnalysisSession', () => {
  it('keeps a cache’s entries in the session that runs, and nowhere outside one', () => {
    const key = {};
    const a = new AnalysisSession();
    const b = new AnalysisSession();
    a.run(() => sessionStore(CACHE).set(key, 1));
    b.run(() => sessionStore(CACHE).set(key, 2));
    expect(a.run(() => sessionStore(CACHE).get(key))).toBe(1);
    expect(b.run(() => sessionStore(CACHE).get(key))).toBe(2);
    sessionStore(CACHE).set(key, 3);
    expect(sessionStore(CACHE).get(key)).toBeUndefined();
    expect(runningSession()).toBeUndefined();
  });

  it('runs again inside itself, and refuses another session inside', () => {
    const a = new AnalysisSession();
    const b = new AnalysisSession();
    expect(a.run(() => a.run(() => runningSession()))).toBe(a);
    expect(() => a.run(() => b.run(() => 1))).toThrow('An analysis session is already running');
    // The refused run left the outer one as it was.
    expect(runningSession()).toBeUndefined();
    expect(b.run(() => runningSession())).toBe(b);
  });

  it('is what an analysis and its lint share', () => {
    const session = new AnalysisSession();
    const analysis = analyzeFiles([{ file: 'a.sql', text: 'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x;' }], { session });
    expect(analysis.session).toBe(session);
    expect(() => session.run(() => lintAnalysis(analysis))).not.toThrow();
    expect(() => new AnalysisSession().run(() => lintAnalysis(analysis))).toThrow('An analysis session is already running');
  });
});

describe('usingParser', () => {
  it('gives a parse inside a parse a parser of its own', () => {
    const outer = 'SELECT 1; SELECT 2';
    const inner = 'CREATE TABLE t (x UInt8) ENGINE = Memory';
    const kinds: string[] = [];
    usingParser(outer, 'outer.sql', lexTokenList(outer, { whitespace: false, comments: [] }), (parser) =>
      parseStatementList(parser, [], [], (offset) => {
        // Asked at each statement of the outer text: parse another text right there.
        usingParser(inner, 'inner.sql', lexTokenList(inner, { whitespace: false, comments: [] }), (nested) => {
          const statements: import('./syntax/ast.js').Statement[] = [];
          parseStatementList(nested, statements, []);
          kinds.push(`${offset}:${statements.map((s) => s.kind).join(',')}`);
          return undefined;
        });
        return false;
      }),
    );
    expect(kinds).toEqual(['0:CreateTable', '10:CreateTable']);
  });
});
