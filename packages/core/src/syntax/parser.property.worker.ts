/**
 * `parseSql` with a deadline, for parser.property.test.ts. The test thread posts each input to a
 * worker and blocks until the answer or the deadline: properties stay synchronous, so fast-check
 * shrinks failures as usual, but an input the parser never finishes fails its property with the
 * input printed instead of hanging the run. The deadline only separates "slow" from "never"; it
 * is not a performance target.
 *
 * This module is both halves: imported by the test it exports `ParseWorker`; loaded as the worker
 * it serves parse requests.
 */
import { once } from 'node:events';
import { isMainThread, MessageChannel, type MessagePort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { parseSql } from './parser.js';

/** What the properties check: statement spans, diagnostics and tokens (the AST stays in the worker). */
export interface ParseSummary {
  statements: { kind: string; start: number; end: number }[];
  diagnostics: ReturnType<typeof parseSql>['diagnostics'];
  tokens: ReturnType<typeof parseSql>['tokens'];
}

/** An answer carries the id of its request, so a late answer to an abandoned request is never taken for the current one. */
type Answer = { id: number } & ({ ok: true; summary: ParseSummary } | { ok: false; error: string });

interface WorkerInput {
  port: MessagePort;
  /** One Int32 the worker sets to 1 after posting an answer, to wake the waiting test thread. */
  signal: SharedArrayBuffer;
}

export class ParseWorker {
  private worker!: Worker;
  private port!: MessagePort;
  private flag!: Int32Array;
  /** Id of the last request sent. */
  private id = 0;

  async start(): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const input: WorkerInput = { port: port2, signal };
    const entry = JSON.stringify(import.meta.url);
    // A worker cannot load TypeScript by itself: start it from JavaScript that imports through tsx.
    const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${entry}, ${entry})).then(() => require('node:worker_threads').parentPort.postMessage('ready'))`;
    this.worker = new Worker(bootstrap, { eval: true, workerData: input, transferList: [port2] });
    this.port = port1;
    this.flag = new Int32Array(signal);
    await once(this.worker, 'message');
  }

  /** Parses `text` in the worker; throws what `parseSql` threw, or when it runs past the deadline. */
  parse(text: string, deadlineMs = 10_000): ParseSummary {
    const id = ++this.id;
    const deadline = performance.now() + deadlineMs;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, text });
    for (;;) {
      const answer = receiveMessageOnPort(this.port)?.message as Answer | undefined;
      if (answer?.id === id) {
        if (!answer.ok) throw new Error(`parseSql threw: ${answer.error}`);
        return answer.summary;
      }
      if (answer) continue;
      const left = deadline - performance.now();
      if (left <= 0) {
        void this.stop();
        void this.start();
        throw new Error(`parseSql did not finish within ${deadlineMs} ms on this ${text.length}-character input`);
      }
      // Sleep until the worker signals (50 ms at most, so a missed signal costs little), then look again.
      Atomics.wait(this.flag, 0, 0, Math.min(left, 50));
      Atomics.store(this.flag, 0, 0);
    }
  }

  async stop(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}

function serve({ port, signal }: WorkerInput): void {
  const flag = new Int32Array(signal);
  port.on('message', ({ id, text }: { id: number; text: string }) => {
    let answer: Answer;
    try {
      const { statements, diagnostics, tokens } = parseSql(text, { file: 'fuzz.sql' });
      answer = { id, ok: true, summary: { statements: statements.map(({ kind, start, end }) => ({ kind, start, end })), diagnostics, tokens } };
    } catch (error) {
      answer = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(answer);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
}

if (!isMainThread) serve(workerData as WorkerInput);
