import { describe, expect, it } from 'vitest';
import { ansiColor, noColor, paintFor } from './color.js';

describe('paintFor', () => {
  // As Node's tty.getColorDepth and supports-color decide: FORCE_COLOR first, then NO_COLOR, TERM=dumb and the terminal.
  it.each([
    [true, {}, ansiColor],
    [false, {}, noColor],
    [true, { NO_COLOR: '1' }, noColor],
    [true, { NO_COLOR: '' }, ansiColor],
    [true, { TERM: 'dumb' }, noColor],
    [false, { FORCE_COLOR: '1' }, ansiColor],
    [false, { FORCE_COLOR: '' }, ansiColor],
    [false, { FORCE_COLOR: '3' }, ansiColor],
    [false, { FORCE_COLOR: 'true' }, ansiColor],
    [true, { FORCE_COLOR: '0' }, noColor],
    [true, { FORCE_COLOR: 'false' }, noColor],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, ansiColor],
    [true, { FORCE_COLOR: '0', NO_COLOR: '' }, noColor],
  ] as const)('terminal %s, %j', (isTerminal, env, expected) => {
    expect(paintFor(isTerminal, env)).toBe(expected);
  });
});
