#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { run } from './cli.js';

async function ask(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await readline.question(question);
  } finally {
    readline.close();
  }
}

// The entry only wires the process to run(): exit codes are decided there.
run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTerminal: process.stdout.isTTY === true,
  // A person at a terminal can be asked (apply's risk gate); CI and pipes cannot.
  ...(process.stdin.isTTY && process.stderr.isTTY ? { ask } : {}),
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
