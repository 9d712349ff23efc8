/**
 * Worker side of `parseWithDeadline` in parser.property.test.ts: parses each text it receives and
 * answers with the result or the escaped exception, then wakes the waiting test thread. Running the
 * parser here lets the test give up on an input that never finishes instead of hanging the run.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { parseSql } from './parser.js';

export interface WorkerInput {
  port: MessagePort;
  /** One Int32: 0 while parsing, 1 when the answer is on `port`. */
  signal: SharedArrayBuffer;
}

/** What the properties check: statement spans, diagnostics and tokens (the AST itself stays here). */
export interface ParseSummary {
  statements: { kind: string; start: number; end: number }[];
  diagnostics: ReturnType<typeof parseSql>['diagnostics'];
  tokens: ReturnType<typeof parseSql>['tokens'];
}

export type WorkerAnswer = { ok: true; summary: ParseSummary } | { ok: false; error: string };

const { port, signal } = workerData as WorkerInput;
const flag = new Int32Array(signal);

port.on('message', (text: string) => {
  let answer: WorkerAnswer;
  try {
    const { statements, diagnostics, tokens } = parseSql(text, { file: 'fuzz.sql' });
    answer = { ok: true, summary: { statements: statements.map(({ kind, start, end }) => ({ kind, start, end })), diagnostics, tokens } };
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
