#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '@clickplan/core';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { PLAN_WORKER_FLAG } from './plan.js';
import { servePlanRequest } from './planWorker.js';
import { startServer } from './server.js';

// The entry: `clickplan-language-server --stdio` (or the bundle's dist/server.js). With the plan
// worker flag it serves one plan request for its parent server instead.

if (process.argv.includes(PLAN_WORKER_FLAG)) servePlanRequest();
else {
  const docs = findDocs();
  startServer({
    connection: createConnection(ProposedFeatures.all),
    chdir: true,
    docsUrl: (code) => (docs ? pathToFileURL(join(docs, RULES.some((r) => r.id === code) ? 'rules' : 'errors', `${code}.md`)).href : undefined),
    // Only tests set this: proof that one failing feature leaves the others working.
    faults: new Set((process.env.CLICKPLAN_LSP_FAULTS ?? '').split(',').filter(Boolean)),
  });
}

/** The rule and error pages: beside the bundle (docs/ copied into dist/), or in the repository; else the published ones. */
function findDocs(): string | undefined {
  const here = dirname(process.argv[1] ?? '.');
  return [join(here, 'docs'), join(here, '..', '..', '..', 'docs')].find((dir) => existsSync(join(dir, 'rules')));
}
