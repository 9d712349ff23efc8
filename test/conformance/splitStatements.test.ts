import { describe, expect, it } from 'vitest';
import { splitStatements } from './splitStatements.js';

describe('splitStatements', () => {
  it('splits on `;` outside strings, quoted names, comments and heredocs', () => {
    const text = [
      'SELECT \'a;b\', "c;d", `e;f` /* g; /* nested; */ h; */ ; -- i;',
      'SELECT $$ j; $$, $tag$ k; $tag$;',
      '-- only a comment; here',
      "SELECT 'it''s; \\' still';",
      '# hash comment;',
      'SELECT 2',
    ].join('\n');
    expect(splitStatements(text)).toEqual([
      { sql: 'SELECT \'a;b\', "c;d", `e;f` /* g; /* nested; */ h; */', line: 1 },
      { sql: 'SELECT $$ j; $$, $tag$ k; $tag$', line: 2 },
      { sql: "-- only a comment; here\nSELECT 'it''s; \\' still'", line: 3 },
      { sql: '# hash comment;\nSELECT 2', line: 5 },
    ]);
  });

  it('gives a statement the test hint that follows it on its line', () => {
    const text = 'SELECT x; -- { serverError UNKNOWN_IDENTIFIER }\nSELECT (; -- { clientError SYNTAX_ERROR }\nSELECT 1 -- { serverError 42 }\n;\nSELECT 3';
    expect(splitStatements(text)).toEqual([
      { sql: 'SELECT x', line: 1, hint: 'serverError UNKNOWN_IDENTIFIER' },
      { sql: 'SELECT (', line: 2, hint: 'clientError SYNTAX_ERROR' },
      { sql: 'SELECT 1 -- { serverError 42 }', line: 3, hint: 'serverError 42' },
      { sql: 'SELECT 3', line: 5 },
    ]);
  });
});
