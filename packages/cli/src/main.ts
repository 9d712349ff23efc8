#!/usr/bin/env node
import { run } from './cli.js';

// The entry only wires the process to run(): exit codes are decided there.
run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTerminal: process.stdout.isTTY === true,
  ...(process.stdin.isTTY
    ? {
        ask: async (question: string) => {
          const { createInterface } = await import('node:readline/promises');
          const terminal = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await terminal.question(question);
          } finally {
            terminal.close();
          }
        },
      }
    : {}),
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user mistake: say so plainly, with the stack for the report.
    process.stderr.write(`clickplan: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
