import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../packages/core/src/live/types.js';
import { deploy, writeRepo } from './support/deploy.js';
import { embeddedEngine } from './support/embeddedEngine.js';

// Real-world-shaped migration repositories (fixtures/corpus/, one per layout): each must apply on
// the embedded engine, plan again empty, and a second apply must run nothing. A repository that
// fails today because of a known defect is listed below with the defect; the test fails when a
// listed failure starts passing, so the list only shrinks (empty since web-analytics' SAMPLE BY
// column was added to its PRIMARY KEY: ClickHouse refused the table, code 36).

const corpusRoot = new URL('../fixtures/corpus/', import.meta.url).pathname;
const engine = embeddedEngine('corpus');
let target: Target;

beforeAll(async () => {
  target = await engine.open();
});

type Status = 'converges' | 'apply-failed' | 'not-converged' | 'second-apply-runs-statements';

/** Repositories that do not converge today, and why (issue 13's defect numbers). */
const KNOWN_FAILURES: Record<string, { status: Status; defect: string }> = {};

async function converge(name: string, root = corpusRoot): Promise<{ status: Status; detail: string }> {
  const dir = writeRepo({});
  cpSync(join(root, name), dir, { recursive: true });
  const first = await deploy(dir, target, { retry: { attempts: 1, initialDelayMs: 1 } });
  if (first.failure) return { status: 'apply-failed', detail: JSON.stringify(first.failure) };
  const remaining = first.verification?.remaining ?? [];
  if (remaining.length) return { status: 'not-converged', detail: remaining.map((s) => `${s.object}: ${s.reason}\n  ${s.sql}`).join('\n') };
  const second = await deploy(dir, target, { retry: { attempts: 1, initialDelayMs: 1 } });
  if (second.failure || second.statementsRun > 0 || second.verification?.remaining.length)
    return { status: 'second-apply-runs-statements', detail: `${second.statementsRun} statement(s): ${second.steps.map((s) => s.object).join(', ')}` };
  return { status: 'converges', detail: '' };
}

describe('corpus of migration repositories', () => {
  const names = readdirSync(corpusRoot).sort();

  it('has one repository per layout', () => {
    expect(names).toEqual(['api-keys', 'job-runner', 'llm-observability', 'log-platform', 'session-replay', 'web-analytics']);
  });

  for (const name of names) {
    it(`${name}: applies, plans again empty, and a second apply runs nothing`, async () => {
      const { status, detail } = await converge(name);
      const expected = KNOWN_FAILURES[name]?.status ?? 'converges';
      expect(status, `${name}: ${status}${KNOWN_FAILURES[name] ? ` (known: ${KNOWN_FAILURES[name].defect})` : ''}\n${detail}`).toBe(expected);
    }, 60_000);
  }
});

// The layout examples (fixtures/layouts/, one per layout ClickPlan reads; `environment` is deployed
// per tenant by deploy-tenants.test.ts): the same property.
const layoutsRoot = new URL('../fixtures/layouts/', import.meta.url).pathname;

describe('layout examples', () => {
  const names = readdirSync(layoutsRoot)
    .filter((name) => name !== 'environment')
    .sort();

  it('cover every layout', () => {
    expect(names).toEqual(['dbmate', 'declarative', 'flyway', 'golang-migrate', 'goose', 'numbered']);
  });

  for (const name of names) {
    it(`${name}: applies, plans again empty, and a second apply runs nothing`, async () => {
      // The examples share database names and the default registry: each starts on an empty server.
      const databases = await target.query<{ name: string }>(
        "SELECT name FROM system.databases WHERE name NOT IN ('system', 'default', 'INFORMATION_SCHEMA', 'information_schema')",
      );
      for (const { name: database } of databases) await target.execute(`DROP DATABASE \`${database}\` SYNC`);
      const { status, detail } = await converge(name, layoutsRoot);
      expect(status, `${name}: ${status}\n${detail}`).toBe('converges');
    }, 60_000);
  }
});
