import { describe, expect, it } from 'vitest';
import { unquote } from './unquote.js';

describe('unquote', () => {
  it('reads a quoted name that starts with a quote as that name, not as a hex or binary literal (issue 13)', () => {
    // ClickHouse names a view column after a string literal: `'x'`.
    expect(unquote("`'x'`")).toBe("'x'");
    expect(unquote(`"'b'"`)).toBe("'b'");
    expect(unquote("x'4142'")).toBe('AB');
    expect(unquote("B'01000001'")).toBe('A');
  });
});
