// ANSI colour for terminals. Front ends decide whether to use it (paintFor); the
// renderers only say what a piece of text is.

export type Tone = 'safe' | 'heavy' | 'data-loss' | 'error' | 'warning' | 'info' | 'dim' | 'strong';

const CODES: Record<Tone, string> = {
  safe: '32',
  heavy: '33',
  'data-loss': '31;1',
  error: '31',
  warning: '33',
  info: '36',
  dim: '2',
  strong: '1',
};

export type Paint = (text: string, tone: Tone) => string;

export const noColor: Paint = (text) => text;
export const ansiColor: Paint = (text, tone) => `\u001b[${CODES[tone]}m${text}\u001b[0m`;

/**
 * Whether to colour, as Node (`tty.getColorDepth`) and the ecosystem's supports-color decide it:
 * `FORCE_COLOR` set forces colour even into a pipe (CI logs), unless it is `0` or `false`, which
 * turns it off even on a terminal; otherwise colour on a terminal, unless `NO_COLOR`
 * (https://no-color.org) is non-empty or `TERM` is `dumb`.
 */
export function paintFor(isTerminal: boolean, env: Record<string, string | undefined>): Paint {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === '0' || force.toLowerCase() === 'false' ? noColor : ansiColor;
  return isTerminal && !env.NO_COLOR && env.TERM !== 'dumb' ? ansiColor : noColor;
}
