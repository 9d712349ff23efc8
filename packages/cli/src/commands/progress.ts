import { type DeployEvent, deployEventLine } from '@clickplan/core';
import type { CliIo } from '../context.js';

// Deploy progress: a bar that redraws itself on a terminal, one line per step in CI logs (where a
// bar would print as hundreds of lines), nothing when asked for none.

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/**
 * A progress printer for deploy events. `auto` draws a bar on stderr when the CLI runs on a
 * terminal (and not in CI), else writes step lines. Lines go to stdout for text output and to
 * stderr for JSON output, so JSON on stdout stays parseable.
 */
export function progressPrinter(io: CliIo, mode: ProgressMode, json: boolean): { onEvent: (event: DeployEvent) => void; done: () => void } {
  const terminal = io.isTerminal === true && !io.env?.CI;
  const resolved = mode === 'auto' ? (terminal && !json ? 'bar' : 'lines') : mode;
  const line = json ? io.stderr : io.stdout;
  let drawn = false;
  const clear = () => {
    if (drawn) io.stderr('\r\u001b[2K');
    drawn = false;
  };
  const say = (text: string) => {
    if (resolved === 'none') return;
    clear();
    line(`${text}\n`);
  };
  const onEvent = (event: DeployEvent) => {
    if (event.kind === 'statement' && resolved === 'bar') {
      const width = 24;
      const filled = Math.round((event.index / Math.max(event.total, 1)) * width);
      io.stderr(`\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.index}/${event.total} ${event.label}`.slice(0, 160));
      drawn = true;
      return;
    }
    if (event.kind === 'verify') clear();
    // Skipped files are many and say nothing new; step lines only where they are wanted.
    if (event.kind === 'skip' || (event.kind === 'statement' && resolved !== 'lines')) return;
    const text = deployEventLine(event);
    if (text) say(text);
  };
  return { onEvent, done: clear };
}
