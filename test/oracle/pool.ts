import { type ChildProcess, fork } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseOutcome, OracleCase } from './check.js';
import type { CaseRequest, WorkerMessage } from './worker.js';

// Runs oracle cases in a child process with a kill timer: chDB runs a statement to its end (a
// copy from a GenerateRandom table never ends), so a hung case can only be stopped by ending the
// process that runs it. The case is then recorded as timed out, with the statement it was running,
// and the next case gets a fresh child with a fresh data directory.

export interface CaseRunner {
  run(rendered: OracleCase, index: number): Promise<CaseOutcome>;
  close(): Promise<void>;
}

/** A case the runner stopped: its category names the case's form and change, its detail the statement that hung. */
function stoppedOutcome(reason: 'timeout' | 'crash', rendered: OracleCase, detail: string): CaseOutcome {
  const op = rendered.form === 'object' ? '' : `:${rendered.op}`;
  return {
    objectsAccepted: 0,
    refused: [],
    refusalMessages: new Map(),
    changeAccepted: false,
    objectsDisagreeing: 0,
    findings: [{ category: `T:${reason}:${rendered.form}${op}`, detail }],
    stopped: reason,
  };
}

interface Child {
  process: ChildProcess;
  directory: string;
  ready: Promise<void>;
}

const WORKER = new URL('./worker.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');

/**
 * Where workers keep their engine's data: in memory (/dev/shm) when the machine has it. Creating and
 * dropping databases and tables syncs files to disk; on a disk that is most of a case's time.
 */
function scratchRoot(): string {
  try {
    accessSync(SHARED_MEMORY, constants.W_OK);
    return SHARED_MEMORY;
  } catch {
    return tmpdir();
  }
}

const SHARED_MEMORY = '/dev/shm';

function startChild(): Child {
  const directory = mkdtempSync(join(scratchRoot(), 'clickplan-oracle-'));
  const child = fork(WORKER, [directory], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (!('ready' in message)) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`the oracle worker exited (${code}) before its engine opened`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  return { process: child, directory, ready };
}

function stopChild(child: Child, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(child.directory, { recursive: true, force: true });
      resolve();
    };
    if (child.process.exitCode !== null || child.process.signalCode !== null) return done();
    child.process.once('exit', done);
    if (signal === 'SIGTERM' && child.process.connected) child.process.disconnect();
    else child.process.kill(signal);
  });
}

/** A runner whose cases run in a child process, each stopped after `timeoutMs`. */
export function childRunner(options: { timeoutMs: number }): CaseRunner {
  let child: Child | undefined;
  let nextId = 1;
  return {
    async run(rendered, index) {
      child ??= startChild();
      const running = child;
      await running.ready;
      const id = nextId++;
      let statement = '(no statement started)';
      return new Promise<CaseOutcome>((resolve) => {
        const finish = (outcome: CaseOutcome) => {
          clearTimeout(timer);
          running.process.off('message', onMessage);
          running.process.off('exit', onExit);
          resolve(outcome);
        };
        // The case is lost with its process: the next case starts a new one.
        const abandon = (reason: 'timeout' | 'crash', detail: string) => {
          if (child === running) child = undefined;
          finish(stoppedOutcome(reason, rendered, `${detail}\nwhile running: ${statement}`));
          void stopChild(running, 'SIGKILL');
        };
        const timer = setTimeout(() => abandon('timeout', `no answer in ${options.timeoutMs} ms`), options.timeoutMs);
        const onExit = (code: number | null, signal: string | null) => abandon('crash', `the worker ended (${signal ?? code})`);
        const onMessage = (message: WorkerMessage) => {
          if ('ready' in message || message.id !== id) return;
          if ('running' in message) statement = message.running;
          else if ('error' in message) abandon('crash', message.error);
          else finish({ ...message.outcome, refusalMessages: new Map(message.outcome.refusalMessages) });
        };
        running.process.on('message', onMessage);
        running.process.once('exit', onExit);
        running.process.send({ id, rendered, index } satisfies CaseRequest);
      });
    },
    async close() {
      if (child) await stopChild(child, 'SIGTERM');
      child = undefined;
    },
  };
}
