// ANSI colour for terminals. Front ends decide whether to use it (a TTY without NO_COLOR); the
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

/** Colour when writing to a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function paintFor(isTerminal: boolean, env: Record<string, string | undefined>): Paint {
  return isTerminal && !env.NO_COLOR ? ansiColor : noColor;
}
