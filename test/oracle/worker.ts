import { join } from 'node:path';
import { openEmbeddedTarget } from '../../packages/core/src/live/embedded.js';
import type { ExecuteOptions, Target } from '../../packages/core/src/live/types.js';
import type { OracleCase } from './check.js';
import { runOne } from './run.js';

// A child process that runs oracle cases on its own chDB engine (one data directory per process),
// so the parent can kill it when a case hangs (a copy from a GenerateRandom table never ends) and
// go on with a fresh one. Started by `pool.ts` with the data directory as its argument.

export interface CaseRequest {
  id: number;
  rendered: OracleCase;
  index: number;
}

export type WorkerMessage =
  | { ready: true }
  | { id: number; outcome: SerializedOutcome }
  | { id: number; error: string }
  /** The statement the case is running now: what the parent names when the case hangs. */
  | { id: number; running: string };

/** A CaseOutcome as it crosses the IPC channel (a Map becomes entries). */
export interface SerializedOutcome {
  objectsAccepted: number;
  refused: string[];
  refusalMessages: [string, string][];
  changeAccepted: boolean;
  objectsDisagreeing: number;
  findings: { category: string; detail: string }[];
}

const directory = process.argv[2];
if (!directory || !process.send) throw new Error('worker.ts is started by pool.ts with a data directory');
const send = process.send.bind(process);
const target = await openEmbeddedTarget(join(directory, 'data'));
let current = 0;
/** The session's database: every statement runs in `options.database`, else in `default`, as on a fresh session. */
let sessionDatabase = 'default';
// The engine, telling the parent each statement before it runs (only statements change state and copy data).
// The target runs a statement with a `database` option as four queries (read the session's database,
// USE, the statement, USE back); the worker switches the session only when the database changes, which
// is a quarter of the engine calls of a case.
const traced: Target = Object.assign(Object.create(target) as Target, {
  async execute(sql: string, options: ExecuteOptions = {}) {
    const { database = 'default', ...rest } = options;
    if (database !== sessionDatabase) {
      await target.execute(`USE \`${database}\``);
      sessionDatabase = database;
    }
    send({ id: current, running: sql } satisfies WorkerMessage);
    return target.execute(sql, rest);
  },
});

// One case at a time: the parent sends the next request after the answer to the previous one.
process.on('message', (request: CaseRequest) => {
  current = request.id;
  runOne(traced, request.rendered, request.index).then(
    (outcome) => send({ id: request.id, outcome: { ...outcome, refusalMessages: [...outcome.refusalMessages] } } satisfies WorkerMessage),
    (error: unknown) => send({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage),
  );
});
process.on('disconnect', () => {
  target.close().finally(() => process.exit(0));
});
send({ ready: true } satisfies WorkerMessage);
