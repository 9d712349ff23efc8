import { fork } from 'node:child_process';
import { dirname } from 'node:path';
import type { PlanRequest, PlanResponse } from './planWorker.js';

/** Argument that makes the server's entry serve one plan request instead of LSP. */
export const PLAN_WORKER_FLAG = '--clickplan-plan-worker';

/**
 * Runs a plan in a child process started from the same entry as the server (the bundle, or the
 * TypeScript entry under tsx), killed after `timeoutMs`.
 */
export function planInChild(request: PlanRequest, options: { timeoutMs: number }): Promise<PlanResponse> {
  return new Promise((resolve) => {
    // Started beside the entry: `--import tsx` (the TypeScript entry) resolves from there, not from
    // the workspace the server runs in. The child moves to the directories the request names.
    const child = fork(process.argv[1], [PLAN_WORKER_FLAG], {
      cwd: dirname(process.argv[1]),
      execArgv: process.execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let settled = false;
    const finish = (response: PlanResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(response);
    };
    const timer = setTimeout(
      () => finish({ ok: false, message: `Planning took longer than ${options.timeoutMs / 1000} s and was stopped.` }),
      options.timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (response: PlanResponse) => finish(response));
    child.on('error', (error) => finish({ ok: false, message: `Planning could not start: ${error.message}` }));
    child.on('exit', (code, signal) =>
      finish({ ok: false, message: `Planning stopped (${signal ?? `exit ${code}`}) without an answer.${stderr ? `\n\n${stderr.trim()}` : ''}` }),
    );
    child.send(request);
  });
}
