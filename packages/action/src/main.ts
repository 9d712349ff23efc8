import * as core from '@actions/core';
import { run } from './run.js';

// The entry only wires the runner to run(): the step fails here, once, with run()'s sentence.
run().then(
  (result) => {
    if (result.failure) core.setFailed(result.failure);
  },
  (error: unknown) => {
    // A bug, not a user mistake: say so plainly, with the stack for the report.
    core.setFailed(`ClickPlan internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  },
);
